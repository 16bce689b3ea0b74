"""Behind a reverse proxy: which X-Forwarded-* headers are believed, what the rate limits key on,
and the rate-limit storage a production deployment needs.

Each app here is fresh (rate_limited_app), with a probe view added before its first request.
"""

import subprocess
import sys
from pathlib import Path

import pytest
from flask import jsonify, request, session, url_for

from app import create_app
from app.access import public
from app.extensions import limiter
from config import ProductionConfig
from tests.conftest import rate_limited_app

ROOT = Path(__file__).resolve().parents[3]
PROXY = {"REMOTE_ADDR": "10.0.0.2"}  # every request arrives from the proxy's address


@public
def _probe():
    session["seen"] = True  # so the response sets the session cookie
    return jsonify(
        addr=request.remote_addr,
        scheme=request.scheme,
        secure=request.is_secure,
        home=url_for("main.home", _external=True),
    )


def _with_probe(application):
    application.add_url_rule("/probe", "probe", _probe)
    return application


@pytest.fixture
def direct_app():
    """No trusted proxy (the default): forwarded headers are the client's own words."""
    with rate_limited_app(LOGIN_RATE_LIMIT="3 per minute") as application:
        yield _with_probe(application)


@pytest.fixture
def proxied_app():
    """One trusted proxy (nginx) in front."""
    with rate_limited_app(TRUSTED_PROXIES=1, LOGIN_RATE_LIMIT="3 per minute") as application:
        yield _with_probe(application)


def _sign_in(client, forwarded_for: str):
    return client.post(
        "/sign-in",
        data={"email": "someone@police.uk", "password": "x"},
        headers={"X-Forwarded-For": forwarded_for},
        environ_base=PROXY,
    )


def test_without_trusted_proxies_forwarded_headers_change_nothing(direct_app):
    body = (
        direct_app.test_client()
        .get(
            "/probe",
            environ_base=PROXY,
            headers={
                "X-Forwarded-For": "203.0.113.7",
                "X-Forwarded-Proto": "https",
                "X-Forwarded-Host": "evil.example",
            },
        )
        .get_json()
    )
    assert body == {"addr": "10.0.0.2", "scheme": "http", "secure": False, "home": "http://localhost/"}


def test_without_trusted_proxies_a_spoofed_address_cannot_dodge_the_sign_in_limit(direct_app):
    client = direct_app.test_client()
    statuses = [_sign_in(client, f"198.51.100.{i}").status_code for i in range(5)]
    assert statuses == [401, 401, 401, 429, 429]


def test_behind_one_proxy_the_client_address_scheme_and_host_are_the_forwarded_ones(proxied_app):
    body = (
        proxied_app.test_client()
        .get(
            "/probe",
            environ_base=PROXY,
            headers={
                "X-Forwarded-For": "203.0.113.7",
                "X-Forwarded-Proto": "https",
                "X-Forwarded-Host": "training.example.police.uk",
            },
        )
        .get_json()
    )
    assert body == {
        "addr": "203.0.113.7",
        "scheme": "https",
        "secure": True,
        "home": "https://training.example.police.uk/",
    }


def test_behind_one_proxy_the_limit_keys_on_each_forwarded_client(proxied_app):
    client = proxied_app.test_client()
    first = [_sign_in(client, "203.0.113.7").status_code for _ in range(4)]
    assert first == [401, 401, 401, 429]
    # Another client behind the same proxy has its own budget.
    assert _sign_in(client, "203.0.113.8").status_code == 401
    assert _sign_in(client, "203.0.113.7").status_code == 429


def test_behind_one_proxy_an_address_the_client_prepends_is_ignored(proxied_app):
    # nginx appends the address it saw ($proxy_add_x_forwarded_for): only the last entry is
    # believed, so a client rotating its own X-Forwarded-For still runs out.
    client = proxied_app.test_client()
    statuses = [_sign_in(client, f"198.51.100.{i}, 203.0.113.7").status_code for i in range(4)]
    assert statuses == [401, 401, 401, 429]


def test_production_cookie_is_secure_whatever_scheme_the_proxy_reports(monkeypatch):
    # SESSION_COOKIE_SECURE is fixed by config, not taken from X-Forwarded-Proto; x_proto only
    # makes request.scheme and external URLs https behind a TLS-terminating proxy.
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    production = type("ProxiedProduction", (ProductionConfig,), {"TRUSTED_PROXIES": 1})
    with rate_limited_app(production) as application:
        _with_probe(application)
        for proto in ("https", "http"):
            response = application.test_client().get(
                "/probe", environ_base=PROXY, headers={"X-Forwarded-Proto": proto}
            )
            cookie = response.headers["Set-Cookie"]
            assert cookie.startswith("__Host-session=")
            assert "; Secure" in cookie
            assert "; HttpOnly" in cookie
            assert response.get_json()["secure"] is (proto == "https")


def test_production_warns_at_start_up_when_rate_limits_are_counted_per_process(monkeypatch, caplog):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    # Building a production app switches the shared Limiter on: put it back.
    monkeypatch.setattr(limiter, "enabled", limiter.enabled)
    memory = type("MemoryProduction", (ProductionConfig,), {"RATELIMIT_STORAGE_URI": "memory://"})
    with caplog.at_level("WARNING", logger="app"):
        create_app(memory)
    warnings = [r for r in caplog.records if "RATELIMIT_STORAGE_URI" in r.getMessage()]
    assert len(warnings) == 1
    assert warnings[0].levelname == "WARNING"
    assert "redis://" in warnings[0].getMessage()


def test_production_with_a_shared_store_gives_no_warning():
    keyed = {"TOTP_ENCRYPTION_KEYS": "a-key"}  # its own warning: tests/integration/test_app.py
    shared = type(
        "RedisProduction",
        (ProductionConfig,),
        {"RATELIMIT_STORAGE_URI": "redis://redis.internal:6379/0", **keyed},
    )
    assert shared.warnings() == []
    disabled = type("Unlimited", (ProductionConfig,), {"RATELIMIT_ENABLED": False, **keyed})
    assert disabled.warnings() == []


def test_the_documented_redis_storage_can_be_built(monkeypatch):
    """requirements.txt installs the Redis client, so RATELIMIT_STORAGE_URI=redis://... starts
    (Flask-Limiter refuses a redis:// URI at start-up when the client library is missing).
    Building the storage does not connect."""
    pytest.importorskip("redis", reason="the Redis client from requirements.txt is not installed")
    monkeypatch.setattr(limiter, "enabled", limiter.enabled)
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    shared = type("Shared", (ProductionConfig,), {"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:9/0"})
    application = create_app(shared)
    assert application.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:9/0"
    assert type(limiter.storage).__name__ == "RedisStorage"


def test_settings_are_read_from_the_environment():
    """In a fresh interpreter, since config.py reads the environment when it is imported."""
    env = {
        "PATH": "/usr/bin:/bin",
        "TRUSTED_PROXIES": "2",
        "EXPORT_RATE_LIMIT": "5 per minute",
        "RATELIMIT_STORAGE_URI": "redis://redis.internal:6379/0",
    }
    script = (
        "from config import Config, ProductionConfig as P; "
        "print(Config.TRUSTED_PROXIES, Config.EXPORT_RATE_LIMIT, P.RATELIMIT_STORAGE_URI, "
        "sep='|')"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "2|5 per minute|redis://redis.internal:6379/0"
    default = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={"PATH": "/usr/bin"},
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert default.stdout.strip() == "0|30 per minute|memory://"
