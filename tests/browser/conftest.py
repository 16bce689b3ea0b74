"""Browser journeys: a real gunicorn server on a free loopback port, a fresh database, and
Debian's headless Chromium driven by Playwright; axe-core checks every page visited."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE = Path(__file__).with_name("node_modules") / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts" / "browser"
DEMO_PASSWORD = "spot-the-signs-2026"


def _missing() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"Chromium not found at {CHROMIUM} (Debian: apt-get install chromium)"
    if not AXE.exists():
        return "axe-core not installed (npm install --prefix tests/browser)"
    return None


def pytest_collection_modifyitems(config, items):
    """Skip the browser tests, saying why, when Chromium or axe-core is missing."""
    reason = _missing()
    if reason is None:
        return
    if os.environ.get("REQUIRE_BROWSER"):  # CI: never pass by skipping the journeys
        raise pytest.UsageError(f"REQUIRE_BROWSER is set but {reason}")
    marker = pytest.mark.skip(reason=f"browser tests skipped: {reason}")
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(marker)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _flask(env, *args):
    subprocess.run([sys.executable, "-m", "flask", *args], cwd=ROOT, env=env, check=True,
                   capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """Migrate a fresh SQLite database, load forces, content and demo data, serve it."""
    if _missing():
        pytest.skip(_missing())
    port = _free_port()
    db_file = tmp_path_factory.mktemp("browser-db") / "app.db"
    env = {**os.environ, "APP_ENV": "development", "FLASK_APP": "wsgi.py",
           "DATABASE_URL": f"sqlite:///{db_file}", "SECRET_KEY": "browser-tests-" + "x" * 32,
           "ALLOW_TIME_TRAVEL": "1", "RATELIMIT_ENABLED": "0",
           "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}"}
    env.pop("TEST_DATABASE_URL", None)
    _flask(env, "db", "upgrade")
    _flask(env, "forces", "sync")
    if subprocess.run([sys.executable, "-m", "flask", "content", "--help"], cwd=ROOT, env=env,
                      capture_output=True).returncode == 0:
        _flask(env, "content", "sync")
    _flask(env, "demo", "load")
    log = open(tmp_path_factory.mktemp("browser-log") / "server.log", "w")
    # One worker (the test clock lives in the process), several threads.
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "1", "--threads", "8",
         "--bind", f"127.0.0.1:{port}", "wsgi:app"], cwd=ROOT, env=env, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    else:
        process.kill()
        raise RuntimeError("the test server did not start")
    yield {"base": base, "env": env, "db": db_file}
    process.terminate()
    process.wait(timeout=10)
    log.close()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync"])
        yield chromium
        chromium.close()


@pytest.fixture
def journey(browser, server, request):
    """A fresh browser context with helpers that check every page a journey visits."""
    from tests.browser.journey import Journey

    context = browser.new_context(base_url=server["base"], accept_downloads=True,
                                  viewport={"width": 1280, "height": 900})
    j = Journey(context, server, name=request.node.name, artifacts=ARTIFACTS, axe=AXE)
    yield j
    context.close()
    j.assert_clean()


def pytest_report_header(config):
    reason = _missing()
    if reason:
        return f"browser tests: SKIPPED ({reason})"
    return f"browser tests: {CHROMIUM}, axe-core {AXE.parent.name}"


