"""Security events for refusals (ASVS V16.3.2/V16.3.3): access.denied, csrf.failed,
rate_limit.exceeded and not_found, with their fields, and never a password, token or form body."""

import json
import logging

import pytest

from app import create_app
from app.auth.session_services import start_session
from app.extensions import db
from app.roles import Role
from config import TestingConfig
from tests.conftest import rate_limited_app
from tests.factories import PASSWORD, UserFactory
from tests.integration.certificates.conftest import insert_certificate

SECRET_PASSWORD = "marmalade lighthouse 9 quartz"


def _events(caplog, name: str) -> list[dict]:
    return [
        json.loads(r.getMessage())
        for r in caplog.records
        if r.name == "app.security" and json.loads(r.getMessage())["event"] == name
    ]


def _all_logged(caplog) -> str:
    """Every record's message and arguments, whichever logger wrote it."""
    return "\n".join(f"{r.getMessage()} {r.args!r}" for r in caplog.records)


@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


def test_wrong_role_is_logged_as_access_denied(client, login_as, database, caplog):
    officer = login_as(UserFactory())
    with caplog.at_level("INFO", logger="app.security"):
        assert client.get("/metrics/national").status_code == 403
    [event] = _events(caplog, "access.denied")
    assert event["user_id"] == officer.id
    assert event["role"] == "officer"
    assert event["endpoint"] == "metrics.national"
    assert event["path"] == "/metrics/national"
    assert event["reason"] == "role"
    assert event["at"].endswith("Z")


def test_view_without_access_rule_is_logged_as_access_denied(caplog):
    application = create_app(TestingConfig)
    application.add_url_rule("/forgotten", "forgotten", lambda: "never served")
    with caplog.at_level("INFO", logger="app.security"):
        assert application.test_client().get("/forgotten").status_code == 403
    [event] = _events(caplog, "access.denied")
    assert event["user_id"] is None
    assert event["endpoint"] == "forgotten"
    assert event["reason"] == "no access rule"


def test_csrf_failure_is_logged_with_the_user_but_not_the_form(client, login_as, database, csrf_on, caplog):
    user = login_as(UserFactory())
    with client.session_transaction() as session:
        token = session["_user_id"]
    caplog.set_level(logging.DEBUG)  # every logger, not only app.security
    response = client.post("/account/password", data={"password": SECRET_PASSWORD})
    assert response.status_code == 400
    [event] = _events(caplog, "csrf.failed")
    assert event["user_id"] == user.id
    assert event["path"] == "/account/password"
    assert event["reason"] == "The CSRF token is missing."
    logged = _all_logged(caplog)
    assert SECRET_PASSWORD not in logged
    assert token not in logged


def test_anonymous_csrf_failure_on_sign_in_never_logs_the_password(client, database, csrf_on, caplog):
    UserFactory(email="ann@police.uk")
    caplog.set_level(logging.DEBUG)
    response = client.post(
        "/sign-in", data={"email": "ann@police.uk", "password": PASSWORD, "csrf_token": "forged"}
    )
    assert response.status_code == 400
    [event] = _events(caplog, "csrf.failed")
    assert event["user_id"] is None
    assert event["path"] == "/sign-in"
    assert "forged" not in _all_logged(caplog)
    assert PASSWORD not in _all_logged(caplog)


def test_not_found_on_another_officers_certificate_is_logged(client, login_as, database, caplog):
    other = insert_certificate(UserFactory())
    prober = login_as(UserFactory())
    with caplog.at_level("INFO", logger="app.security"):
        assert client.get(f"/certificates/{other.serial}/pdf").status_code == 404
    [event] = _events(caplog, "not_found")
    assert event["user_id"] == prober.id
    assert event["path"] == f"/certificates/{other.serial}/pdf"
    assert event["endpoint"] == "certificates.download"


def test_not_found_for_a_lead_naming_an_unknown_assignment_is_logged(client, login_as, database, caplog):
    lead = login_as(UserFactory(role=Role.TRAINING_LEAD.value))
    with caplog.at_level("INFO", logger="app.security"):
        assert client.get("/assignments/987654").status_code == 404
    [event] = _events(caplog, "not_found")
    assert (event["user_id"], event["path"]) == (lead.id, "/assignments/987654")


def test_plain_404s_and_anonymous_visitors_are_not_logged(app, client, login_as, database, caplog):
    with caplog.at_level("INFO", logger="app.security"):
        # Anonymous: sent to sign in before anything is looked up.
        assert client.get("/certificates/MSA-0000-0000-0000-0000/pdf").status_code == 302
        login_as(UserFactory())
        assert client.get("/no/such/page").status_code == 404  # no id in the URL
        assert client.get("/static/no-such-file.css").status_code == 404
    assert _events(caplog, "not_found") == []


@pytest.fixture
def limited_app():
    with rate_limited_app(LOGIN_RATE_LIMIT="3 per minute", EXPORT_RATE_LIMIT="1 per minute") as application:
        yield application


def test_rate_limited_sign_in_is_logged_without_the_password(limited_app, caplog):
    client = limited_app.test_client()
    caplog.set_level(logging.DEBUG)
    statuses = [
        client.post(
            "/sign-in",
            data={"email": "ann@police.uk", "password": SECRET_PASSWORD},
            environ_base={"REMOTE_ADDR": "203.0.113.7"},
        ).status_code
        for _ in range(4)
    ]
    assert statuses == [401, 401, 401, 429]
    [event] = _events(caplog, "rate_limit.exceeded")
    assert event["user_id"] is None
    assert event["ip"] == "203.0.113.7"
    assert event["path"] == "/sign-in"
    assert event["limit"] == "3 per 1 minute"
    assert SECRET_PASSWORD not in _all_logged(caplog)


def test_rate_limited_export_is_logged_with_the_user(limited_app, caplog):
    with limited_app.app_context():
        officer = UserFactory()
        url = f"/certificates/{insert_certificate(officer, pdf=b'%PDF-').serial}/pdf"
        user_id, token = officer.id, start_session(officer)
        db.session.commit()
    client = limited_app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = token
    with caplog.at_level("INFO", logger="app.security"):
        assert [client.get(url).status_code for _ in range(2)] == [200, 429]
    [event] = _events(caplog, "rate_limit.exceeded")
    assert event["user_id"] == user_id
    assert event["limit"] == "1 per 1 minute"
    assert event["endpoint"] == "certificates.download"
    assert token not in _all_logged(caplog)
