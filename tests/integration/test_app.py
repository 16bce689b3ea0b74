"""Application-wide behaviour: health check, configuration, security headers, error pages."""

import pytest

from app import create_app
from app.access import public
from config import ProductionConfig, TestingConfig


def test_healthz_does_a_database_round_trip(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_503_when_the_database_is_unreachable():
    class Unreachable(TestingConfig):
        SQLALCHEMY_DATABASE_URI = "postgresql+psycopg://nobody:x@127.0.0.1:9/none?connect_timeout=1"

    response = create_app(Unreachable).test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "error", "database": "error"}


def test_unreachable_database_gives_a_friendly_503_page():
    class Unreachable(TestingConfig):
        SQLALCHEMY_DATABASE_URI = "postgresql+psycopg://nobody:x@127.0.0.1:9/none?connect_timeout=1"

    response = (
        create_app(Unreachable)
        .test_client()
        .post("/sign-in", data={"email": "a@b.uk", "password": "whatever it is"})
    )
    assert response.status_code == 503
    assert b"The database cannot be reached" in response.data
    assert b"Traceback" not in response.data


@pytest.mark.parametrize("secret", [None, "", "dev-secret-not-for-production", "short"])
def test_production_refuses_to_start_without_a_real_secret(monkeypatch, secret):
    if secret is None:
        monkeypatch.delenv("SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("SECRET_KEY", secret)
    with pytest.raises(RuntimeError, match="SECRET_KEY must be set"):
        create_app(ProductionConfig)


def test_production_starts_with_a_real_secret_and_secure_cookies(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 64)
    app = create_app(ProductionConfig)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["ALLOW_TIME_TRAVEL"] is False


def test_security_headers_on_every_page(client):
    headers = client.get("/sign-in").headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_hsts_in_production(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 64)
    app = create_app(ProductionConfig)
    assert "max-age=" in app.test_client().get("/healthz").headers["Strict-Transport-Security"]


def test_friendly_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert b"Page not found" in response.data


def test_500_page_leaks_nothing():
    app = create_app(TestingConfig)

    @public
    def explode():
        raise RuntimeError("secret internals: password=hunter2")

    app.add_url_rule("/explode", "explode", explode)
    response = app.test_client().get("/explode")
    assert response.status_code == 500
    assert b"Sorry, there is a problem with the service" in response.data
    assert b"hunter2" not in response.data
    assert b"RuntimeError" not in response.data


def test_view_without_access_declaration_is_refused():
    app = create_app(TestingConfig)
    app.add_url_rule("/forgotten", "forgotten", lambda: "should never be served")
    response = app.test_client().get("/forgotten")
    assert response.status_code == 403
    assert b"should never be served" not in response.data


def test_nul_character_in_a_form_is_refused_before_it_reaches_the_database(client, login_as, database):
    from tests.factories import UserFactory

    login_as(UserFactory(role="training_lead"))
    response = client.post("/teams", data={"name": "Team\x00B"})
    assert response.status_code == 400
    assert client.get("/admin/users", query_string={"q": "a\x00"}).status_code in (400, 403)


def test_production_warns_when_two_factor_secrets_hang_on_the_secret_key():
    from config import ProductionConfig

    shared = {"RATELIMIT_STORAGE_URI": "redis://redis.internal:6379/0"}
    derived = type("Derived", (ProductionConfig,), {"TOTP_ENCRYPTION_KEYS": "", **shared})
    assert any("TOTP_ENCRYPTION_KEYS is empty" in w for w in derived.warnings())
    keyed = type("Keyed", (ProductionConfig,), {"TOTP_ENCRYPTION_KEYS": "k", **shared})
    assert keyed.warnings() == []


def test_time_travel_exists_only_where_allowed(app, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 64)
    production = create_app(ProductionConfig)
    assert "/_test/travel" not in {rule.rule for rule in production.url_map.iter_rules()}
    assert "time_travel" not in production.blueprints
    assert "/_test/travel" in {rule.rule for rule in app.url_map.iter_rules()}


@pytest.mark.parametrize(
    ("rule", "endpoint"),
    [
        ("/verify/<serial>", "certificates.verify_serial"),
        ("/account/set-password/<token>", "auth.set_password"),
        ("/", "main.home"),
        ("/healthz", "main.healthz"),
    ],
)
def test_public_addresses_stay_where_they_were_printed_and_mailed(app, rule, endpoint):
    """QR codes on certificates and links in invitation and reset emails name these paths."""
    assert {r.rule: r.endpoint for r in app.url_map.iter_rules()}.get(rule) == endpoint
