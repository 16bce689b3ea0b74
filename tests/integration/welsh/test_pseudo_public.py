"""The signed-out and account pages in the pseudo-locale: sign in (and a refused sign-in), the
second-factor step, forgotten password, set password through a link, the service pages (help,
feedback, cookies, accessibility, privacy), the public certificate and credential checks, and, signed
in, the password and two-factor pages. Any English left untranslated fails.

Signed-out pages take the language from the session: each test first follows the "Cymraeg" link,
as a visitor would. Values that are data (serials, dates in Welsh, the session cookie's name, the
service's contact address, a secret key or recovery codes) are passed as data."""

import re
from datetime import timedelta

import pyotp
import pytest

from app import clock
from app.auth import link_services, links, mfa_services
from app.auth.models import SignInThrottle
from app.certificates.serial import PREFIX, new_serial
from app.credentials import services as credential_services
from app.formatting import uk_date, uk_time
from tests.factories import PASSWORD, UserFactory
from tests.integration.certificates.conftest import insert_certificate
from tests.integration.welsh.conftest import assert_all_translated, data_values
from tests.support import pseudo

EXAMPLE_SERIAL = "MSA-7K3Q-9XW2-HT5M-PD4R"  # the hint's example on the check page


@pytest.fixture
def welsh_visitor(client, pseudo_welsh):
    """A signed-out browser that chose Cymraeg (the language is kept in its session)."""
    response = client.get("/language/cy?next=/sign-in")
    assert response.status_code == 302
    return client


def _assert_translated(response, people, *more, status=200):
    html = response.get_data(as_text=True)
    assert response.status_code == status, html[:500]
    assert '<html lang="cy"' in html
    left = pseudo.english_left(html, data_values(people, *more))
    assert not left, "English left:\n" + "\n".join(left)


def _welsh_date(day) -> str:
    return uk_date(day, language="cy")


@pytest.mark.parametrize(
    "url",
    [
        "/sign-in",
        "/forgot-password",
        "/help",
        "/feedback",
        "/feedback/sent",
        "/cookies",
        "/accessibility",
        "/privacy",
        "/verify",
        "/verify/credential",
    ],
)
def test_signed_out_pages(app, welsh_visitor, login_as, people, url):
    config = app.config
    assert_all_translated(
        welsh_visitor,
        login_as,
        people,
        None,
        url,
        config["SESSION_COOKIE_NAME"],
        config["SERVICE_CONTACT_EMAIL"],
        EXAMPLE_SERIAL,
    )


def test_a_refused_sign_in(welsh_visitor, people):
    response = welsh_visitor.post("/sign-in", data={"email": people["officer"].email, "password": "wrong"})
    _assert_translated(response, people, status=401)
    assert "⟦" in response.get_data(as_text=True)


def test_sign_in_with_errors_and_the_pause_after_too_many(app, welsh_visitor, people, database):
    _assert_translated(welsh_visitor.post("/sign-in", data={}), people, status=400)
    email = people["officer"].email
    for _ in range(app.config["LOCKOUT_THRESHOLD"]):
        response = welsh_visitor.post("/sign-in", data={"email": email, "password": "wrong"})
    until = database.session.get(SignInThrottle, email).locked_until
    _assert_translated(response, people, uk_time(until, language="cy"), status=401)


def test_the_second_factor_step_and_a_wrong_code(welsh_visitor, people, database):
    user = UserFactory(email="lead@example.police.uk", name="Person Lead", role="training_lead")
    secret = mfa_services.begin_mfa_setup(user)
    mfa_services.confirm_mfa_setup(user, pyotp.TOTP(secret).at(clock.unix_time()), at=clock.unix_time())
    database.session.commit()
    first = welsh_visitor.post("/sign-in", data={"email": user.email, "password": PASSWORD})
    assert first.headers["Location"] == "/sign-in/code"
    _assert_translated(welsh_visitor.get("/sign-in/code"), people)
    _assert_translated(welsh_visitor.post("/sign-in/code", data={"code": "000000"}), people, status=400)


def test_forgotten_password_errors_and_sent(welsh_visitor, people):
    _assert_translated(
        welsh_visitor.post("/forgot-password", data={"email": "not an address"}), people, status=400
    )
    _assert_translated(
        welsh_visitor.post("/forgot-password", data={"email": people["officer"].email}), people
    )


def test_feedback_with_errors(welsh_visitor, people):
    _assert_translated(welsh_visitor.post("/feedback", data={"email": "nope"}), people, status=400)


def test_set_password_through_a_link_and_a_used_link(welsh_visitor, people, database):
    user = people["officer"]
    token, _ = link_services.issue(user, links.INVITE)
    database.session.commit()
    url = f"/account/set-password/{token}"
    _assert_translated(welsh_visitor.get(url), people)
    refused = welsh_visitor.post(url, data={"password": "password1234", "confirm": "password1234x"})
    _assert_translated(refused, people, status=400)
    _assert_translated(welsh_visitor.get("/account/set-password/not-a-token"), people, status=404)


def test_certificate_checks(welsh_visitor, people):
    officer = people["officer"]
    valid = insert_certificate(officer, expires_on=clock.today() + timedelta(days=365))
    revoked = insert_certificate(officer, revoked_at=clock.utcnow())
    expired = insert_certificate(officer, expires_on=clock.today() - timedelta(days=1))
    dates = {_welsh_date(clock.today() + timedelta(days=d)) for d in (-1, 0, 365)}
    for certificate in (valid, revoked, expired):
        _assert_translated(
            welsh_visitor.get(f"/verify/{certificate.serial}"), people, certificate.serial, *dates
        )
    unknown = new_serial()
    _assert_translated(welsh_visitor.get(f"/verify/{unknown}"), people, unknown, status=404)
    typo = welsh_visitor.get("/verify?serial=MSA-123")
    _assert_translated(typo, people, PREFIX, EXAMPLE_SERIAL, status=400)


def test_credential_checks(welsh_visitor, people):
    officer = people["officer"]
    certificate = insert_certificate(officer, expires_on=clock.today() + timedelta(days=365))
    token = credential_services.issue_jwt(certificate)
    valid = welsh_visitor.post("/verify/credential", data={"token": token})
    _assert_translated(
        valid, people, certificate.serial, certificate.course_title, _welsh_date(clock.today())
    )
    unknown = welsh_visitor.post("/verify/credential", data={"token": "not a credential"})
    _assert_translated(unknown, people)


@pytest.mark.parametrize("role", ["officer", "admin"])
def test_change_password_with_errors(client, login_as, people, pseudo_welsh, role):
    assert_all_translated(client, login_as, people, role, "/account/password")
    _assert_translated(client.post("/account/password", data={}), people, status=400)
    wrong = client.post("/account/password", data={"current_password": "wrong", "password": "short"})
    _assert_translated(wrong, people, status=400)


def test_the_two_factor_pages(client, login_as, people, pseudo_welsh, database):
    user = people["officer"]
    login_as(user)
    setup = client.get("/account/two-factor")
    secret = mfa_services.totp_secret(user)
    _assert_translated(setup, people, secret)
    _assert_translated(
        client.post("/account/two-factor", data={"code": "000000"}), people, secret, status=400
    )
    done = client.post("/account/two-factor", data={"code": pyotp.TOTP(secret).at(clock.unix_time())})
    codes = re.findall(r"<li><code>([^<]+)</code></li>", done.get_data(as_text=True))
    assert len(codes) == 10
    _assert_translated(done, people, *codes)
    _assert_translated(client.get("/account/two-factor"), people, _welsh_date(clock.today()))


def test_a_reset_email_is_in_the_recipients_language(client, people, database):
    """The real catalogue: the officer chose Welsh, so the reset link comes in Welsh (the worker
    has no request to take a language from); someone with no choice gets English."""
    from sqlalchemy import select

    from app.mail.models import OutboxMessage

    english = UserFactory(email="english@example.police.uk")
    database.session.commit()
    for user in (people["officer"], english):
        assert client.post("/forgot-password", data={"email": user.email}).status_code == 200
    sent = dict(database.session.execute(select(OutboxMessage.to, OutboxMessage.body)).all())
    assert sent[people["officer"].email].startswith(f"Annwyl {people['officer'].name},")
    assert "Dewiswch gyfrinair newydd:" in sent[people["officer"].email]
    assert sent[english.email].startswith(f"Dear {english.name},")
