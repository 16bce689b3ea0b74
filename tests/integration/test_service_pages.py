"""The service pages anyone may read (cookies, help, accessibility statement, privacy notice) and
the feedback route: settings fill them in, no authoring instruction shows, and feedback leaves
through the mail queue (or the audit log when no address is set), once, and only when valid."""

import json
import re

import pytest
from sqlalchemy import func, select

from app import queue
from app.audit import AuditEvent
from app.mail.models import MailJob, OutboxMessage
from tests.conftest import rate_limited_app
from tests.factories import UserFactory

VALID = {
    "doing": "Answering the quiz of the first module",
    "problem": "The second question's feedback cites the wrong section of the Act.",
    "email": "ann.lee@northshire.police.uk",
}

# Leftovers of a template: "[name of the organisation]", "(set SERVICE_OPERATOR)", "{SETTING}".
AUTHORING = re.compile(r"\[[a-z][^\]]*\]|\(set [A-Z_]+\)|\{[A-Z_]+\}|Before publishing|&lt;!--")


def _count(model) -> int:
    from app.extensions import db

    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("url", ["/cookies", "/help", "/feedback", "/accessibility", "/privacy"])
def test_service_pages_are_public_and_show_no_authoring_instructions(client, database, url):
    response = client.get(url)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert not AUTHORING.findall(page), url


def test_cookies_page_lists_the_one_session_cookie_truthfully(app, client, database, monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_COOKIE_NAME", "__Host-session")
    page = client.get("/cookies").get_data(as_text=True)
    assert "<code>__Host-session</code>" in page
    assert "30 minutes" in page  # IDLE_TIMEOUT
    assert "12 hours" in page  # PERMANENT_SESSION_LIFETIME
    assert "When you close your browser" in page
    assert "does not set any analytics" in page


def test_the_cookie_the_service_sets_is_the_one_the_page_names(app, client, database):
    """A form page puts the CSRF token in the session, so the session cookie is set; nothing else."""
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        responses = [client.get(url) for url in ("/help", "/cookies", "/feedback", "/sign-in")]
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    names = {h.split("=", 1)[0] for r in responses for h in r.headers.getlist("Set-Cookie")}
    assert names == {app.config["SESSION_COOKIE_NAME"]}
    for header in responses[2].headers.getlist("Set-Cookie"):
        assert "HttpOnly" in header
        assert "Expires" not in header  # a browser-session cookie, as the page says


def test_help_page_covers_sign_in_passwords_two_factor_contact_and_verification(app, client, database):
    page = client.get("/help").get_data(as_text=True)
    for heading in ("Signing in", "Forgotten your password", "Two-factor sign-in", "Checking a certificate"):
        assert heading in page
    for link in ('href="/sign-in"', 'href="/forgot-password"', 'href="/verify"', 'href="/glossary"'):
        assert link in page
    assert f'href="mailto:{app.config["SERVICE_CONTACT_EMAIL"]}"' in page
    assert "training lead" in page
    assert 'href="/feedback"' in page


def test_accessibility_statement_takes_its_details_from_settings(app, client, database, monkeypatch):
    monkeypatch.setitem(app.config, "SERVICE_OPERATOR", "Northshire Police Training Unit")
    monkeypatch.setitem(app.config, "ACCESSIBILITY_EMAIL", "access@northshire.police.uk")
    monkeypatch.setitem(app.config, "ACCESSIBILITY_PHONE", "0306 999 0123 (Monday to Friday, 9am to 5pm)")
    monkeypatch.setitem(app.config, "ACCESSIBILITY_RESPONSE_DAYS", 5)
    page = client.get("/accessibility").get_data(as_text=True)
    assert "This website is run by Northshire Police Training Unit." in page
    assert "Northshire Police Training Unit is committed to making its website accessible" in page
    address = "access@northshire.police.uk"
    assert f'<a class="govuk-link" href="mailto:{address}">{address}</a>' in page
    assert "call 0306 999 0123 (Monday to Friday, 9am to 5pm)" in page
    assert "get back to you in 5 working days" in page


def test_accessibility_statement_leaves_out_an_unset_telephone(app, client, database, monkeypatch):
    monkeypatch.setitem(app.config, "ACCESSIBILITY_PHONE", "")
    page = client.get("/accessibility").get_data(as_text=True)
    assert "call" not in re.sub(r"<[^>]+>", "", page).split("Feedback and contact information")[1][:400]


def test_settings_are_escaped(app, client, database, monkeypatch):
    monkeypatch.setitem(app.config, "SERVICE_OPERATOR", "<script>alert(1)</script>")
    page = client.get("/accessibility").get_data(as_text=True)
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;" in page


def test_privacy_notice_states_the_lawful_basis_and_retention_from_settings(
    app, client, database, monkeypatch
):
    monkeypatch.setitem(app.config, "PRIVACY_LAWFUL_BASIS", "Public task, Article 6(1)(e).")
    monkeypatch.setitem(app.config, "PRIVACY_RETENTION", "Kept for 6 years after you leave.")
    page = client.get("/privacy").get_data(as_text=True)
    assert "Public task, Article 6(1)(e)." in page
    assert "Kept for 6 years after you leave." in page
    assert 'href="/cookies"' in page


def test_valid_feedback_queues_exactly_one_email_to_the_feedback_address(app, client, database, monkeypatch):
    monkeypatch.setitem(app.config, "FEEDBACK_EMAIL", "feedback@northshire.police.uk")
    dispatched: list[MailJob] = []
    monkeypatch.setattr(queue, "dispatch", lambda *jobs: dispatched.extend(jobs))
    response = client.post("/feedback", data=VALID)
    assert response.status_code == 302
    assert response.headers["Location"] == "/feedback/sent"
    assert _count(MailJob) == 1
    assert _count(OutboxMessage) == 0  # nothing is sent inside the request
    assert _count(AuditEvent) == 0
    [job] = dispatched
    payload = json.loads(job.payload)
    assert (job.kind, payload["to"]) == ("feedback", "feedback@northshire.police.uk")
    assert VALID["problem"] in payload["body"]
    assert VALID["email"] in payload["body"]
    assert "someone not signed in" in payload["body"]
    # The worker sends it (to the outbox here: no MAIL_SERVER).
    assert queue.run_job(job.id) == "sent"
    [message] = database.session.scalars(select(OutboxMessage)).all()
    assert message.to == "feedback@northshire.police.uk"
    assert VALID["doing"] in message.body
    assert "Thank you for your feedback" in client.get("/feedback/sent").get_data(as_text=True)


def test_feedback_from_a_signed_in_user_names_only_their_role(app, client, database, login_as, monkeypatch):
    monkeypatch.setattr(queue, "dispatch", lambda *jobs: None)
    login_as(UserFactory(role="officer", name="Ann Lee"))
    assert client.post("/feedback", data={**VALID, "email": ""}).status_code == 302
    job = database.session.scalars(select(MailJob)).one()
    body = json.loads(job.payload)["body"]
    assert "a signed-in officer" in body
    assert "Ann Lee" not in body
    assert "no address given" in body


def test_without_a_feedback_address_feedback_is_kept_in_the_audit_log(app, client, database, monkeypatch):
    monkeypatch.setitem(app.config, "FEEDBACK_EMAIL", "")
    assert client.post("/feedback", data=VALID).status_code == 302
    assert _count(MailJob) == 0
    [event] = database.session.scalars(select(AuditEvent)).all()
    assert event.action == "feedback.received"
    assert event.details_dict == {
        "doing": VALID["doing"],
        "problem": VALID["problem"],
        "reply_to": VALID["email"],
    }


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Enter what you were doing"),
        ({"doing": "   "}, "Enter what you were doing"),
        ({"problem": ""}, "Enter what went wrong or what could be better"),
        ({"doing": "x" * 501}, "What you were doing must be 500 characters or fewer"),
        ({"problem": "x" * 2001}, "must be 2,000 characters or fewer"),
        ({"email": "not an address"}, "Enter an email address in the correct format"),
    ],
)
def test_invalid_feedback_shows_why_and_changes_nothing(client, database, data, message):
    response = client.post("/feedback", data={**VALID, **data} if data else {})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page
    assert "<title>Error:" in page
    assert _count(MailJob) == 0
    assert _count(AuditEvent) == 0


def test_feedback_without_a_csrf_token_is_refused(app, client, database):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post("/feedback", data=VALID)
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400
    assert b"The form had expired" in response.data
    assert _count(MailJob) == 0


def test_feedback_is_rate_limited():
    with rate_limited_app(FEEDBACK_RATE_LIMIT="2 per minute") as app, app.app_context():
        http = app.test_client()
        statuses = [http.post("/feedback", data=VALID).status_code for _ in range(3)]
        assert http.get("/feedback").status_code == 200  # reading the form is never limited
    assert statuses == [302, 302, 429]
