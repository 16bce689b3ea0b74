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
    done = subprocess.run(
        [sys.executable, "-m", "flask", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    if done.returncode:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """Migrate a fresh database, load forces, content and demo data, serve it: a SQLite file, or
    the empty database BROWSER_DATABASE_URL names (.ci/run gives a fresh PostgreSQL one)."""
    if _missing():
        pytest.skip(_missing())
    port = _free_port()
    db_file = tmp_path_factory.mktemp("browser-db") / "app.db"
    url = os.environ.get("BROWSER_DATABASE_URL") or f"sqlite:///{db_file}"
    env = {
        **os.environ,
        "APP_ENV": "development",
        "FLASK_APP": "wsgi.py",
        "DATABASE_URL": url,
        "SECRET_KEY": "browser-tests-" + "x" * 32,
        "ALLOW_TIME_TRAVEL": "1",
        "RATELIMIT_ENABLED": "0",
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        # The mail queue in its own SQLite file; the worker below sends from it, as in `make run`.
        "QUEUE_URL": f"sqlite:///{db_file.parent / 'queue.sqlite3'}",
    }
    env.pop("TEST_DATABASE_URL", None)
    _flask(env, "db", "upgrade")
    _flask(env, "forces", "sync")
    if (
        subprocess.run(
            [sys.executable, "-m", "flask", "content", "--help"], cwd=ROOT, env=env, capture_output=True
        ).returncode
        == 0
    ):
        _flask(env, "content", "sync")
    _flask(env, "demo", "load")
    log = open(tmp_path_factory.mktemp("browser-log") / "server.log", "w")
    # One worker (the test clock lives in the process), several threads.
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            "1",
            "--threads",
            "8",
            "--bind",
            f"127.0.0.1:{port}",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
    )
    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "queue", "worker"], cwd=ROOT, env=env, stdout=log, stderr=log
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    else:
        process.kill()
        worker.kill()
        raise RuntimeError("the test server did not start")
    yield {"base": base, "env": env}
    process.terminate()
    worker.terminate()
    process.wait(timeout=10)
    worker.wait(timeout=10)
    log.close()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-quic",
                "--no-first-run",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def titles():
    """Page titles seen so far in the session, by title: the URL pattern that used it first."""
    return {}


@pytest.fixture
def journey(browser, server, titles, request):
    """A fresh browser context with helpers that check every page a journey visits."""
    from tests.browser.journey import Journey

    # A British browser: dates are typed and shown day first, times in UK time.
    context = browser.new_context(
        base_url=server["base"],
        accept_downloads=True,
        viewport={"width": 1280, "height": 900},
        locale="en-GB",
        timezone_id="Europe/London",
    )
    j = Journey(context, server, name=request.node.name, artifacts=ARTIFACTS, axe=AXE, titles=titles)
    yield j
    context.close()
    j.assert_clean()


def run_app(server, code: str) -> str:
    """Run Python inside the application (an app context on the test server's database) in a
    subprocess, for setting up what a journey needs but does not itself show; returns stdout."""
    script = (
        "from app import create_app\nfrom app.extensions import db\n"
        "app = create_app()\nwith app.app_context():\n"
        + "".join(f"    {line}\n" for line in code.strip().splitlines())
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=server["env"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def flask_command(server, *args) -> str:
    """Run a `flask` command against the test server's database (e.g. users import)."""
    done = subprocess.run(
        [sys.executable, "-m", "flask", *args],
        cwd=ROOT,
        env=server["env"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


_COMPLETE_COURSE = """
from sqlalchemy import select
from app.assessments import services
from app.auth.models import User
from app.certificates.models import Certificate
from app.content.models import Course
course = db.session.scalar(select(Course).where(Course.slug == {course!r}))
for email in {emails!r}:
    user = db.session.scalar(select(User).where(User.email == email))
    for course_module in course.course_modules:
        attempt = services.start_attempt(user, course_module.module)
        answers = {{}}
        for entry, question in zip(attempt.question_keys, services.queries.attempt_questions(attempt)):
            right = [o["key"] for o in question.options if o.get("correct")]
            answers[entry["key"]] = {{"single": right[0] if right else None, "multiple": right}}.get(
                question.type, [o["key"] for o in question.options])
        services.submit_attempt(user, attempt, answers, attempt.module_version_id)
        db.session.commit()
    latest = db.session.scalar(select(Certificate).where(
        Certificate.user_id == user.id, Certificate.course_id == course.id)
        .order_by(Certificate.cycle.desc()).limit(1))
    print(latest.serial if latest else "-")
"""


def complete_course(server, *emails: str, course: str = "first-responder") -> str | list[str]:
    """Pass every module of a course as each of these users, through the quiz services with the
    right answers (one subprocess for all); returns the serial of the certificate each earns."""
    serials = run_app(server, _COMPLETE_COURSE.format(emails=list(emails), course=course)).split()
    assert len(serials) == len(emails), serials
    assert "-" not in serials, serials
    return serials[0] if len(emails) == 1 else serials
