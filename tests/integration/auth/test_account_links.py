"""Invitation and reset links: issued hashed, redeemed once, all-or-nothing, sessions ended."""

import logging
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app import clock
from app.audit import AuditEvent
from app.auth import link_services, links
from app.auth.models import AccountLink, User, UserSession
from app.auth.passwords import verify_password
from app.auth.session_services import start_session
from app.auth.user_services import UserError
from app.extensions import db
from app.mail.models import OutboxMessage
from tests.factories import PASSWORD, UserFactory

NEW = "kettle orbit lantern"
LINK = re.compile(r"https?://\S+/account/set-password/([A-Za-z0-9_-]+)")


def link_in_outbox(to: str) -> str:
    """The set-password path of the newest email to that address (as the recipient sees it)."""
    body = db.session.scalars(
        select(OutboxMessage.body).where(OutboxMessage.to == to).order_by(OutboxMessage.id.desc())
    ).first()
    assert body is not None, f"no email to {to}"
    match = LINK.search(body)
    assert match, body
    return "/account/set-password/" + match.group(1)


def sign_in(client, email, password):
    return client.post("/sign-in", data={"email": email, "password": password})


def signed_in_client(app, user):
    """Another browser with its own server-side session for the user."""
    other = app.test_client()
    token = start_session(user)
    db.session.commit()
    with other.session_transaction() as session:
        session["_user_id"] = token
    return other


def test_issue_stores_only_a_hash_with_purpose_and_expiry(database):
    user = UserFactory(password_hash=None)
    token, link = link_services.issue(user, links.INVITE)
    row = database.session.scalars(select(AccountLink)).one()
    assert row.token_hash == links.hash_token(token) != token
    assert (row.user_id, row.purpose, row.used_at) == (user.id, "invite", None)
    assert row.expires_at - row.created_at == timedelta(days=7)
    assert database.session.scalar(select(AccountLink).where(AccountLink.token_hash == token)) is None


def test_redeeming_sets_the_password_marks_the_link_used_and_audits(database):
    user = UserFactory(password_hash=None)
    token, link = link_services.issue(user, links.INVITE)
    link_services.redeem(token, NEW)
    assert verify_password(user.password_hash, NEW)
    assert link.used_at is not None
    [event] = database.session.scalars(select(AuditEvent).where(AuditEvent.action == "user.password"))
    assert (event.actor_id, event.target_id) == (user.id, str(user.id))
    assert event.details_dict == {"via": "invite"}


def test_a_link_works_only_once(database):
    user = UserFactory()
    token, _ = link_services.issue(user, links.RESET)
    link_services.redeem(token, NEW)
    with pytest.raises(link_services.LinkError):
        link_services.redeem(token, "another fine passphrase")
    assert verify_password(user.password_hash, NEW)


@pytest.mark.parametrize(
    ("purpose", "still_ok", "too_late"),
    [
        (links.RESET, timedelta(minutes=59), timedelta(minutes=61)),
        (links.INVITE, timedelta(days=6, hours=23), timedelta(days=7, minutes=1)),
    ],
)
def test_links_expire_after_their_lifetime(database, purpose, still_ok, too_late):
    user = UserFactory()
    token, _ = link_services.issue(user, purpose)
    clock.travel(still_ok)
    assert link_services.find_usable(token) is not None
    clock.travel(too_late - still_ok)
    assert link_services.find_usable(token) is None
    with pytest.raises(link_services.LinkError):
        link_services.redeem(token, NEW)
    assert verify_password(user.password_hash, PASSWORD)


def test_a_deactivated_user_cannot_redeem(database):
    user = UserFactory(password_hash=None)
    token, link = link_services.issue(user, links.INVITE)
    user.active = False
    with pytest.raises(link_services.LinkError):
        link_services.redeem(token, NEW)
    assert user.password_hash is None
    assert link.used_at is None


def test_unknown_token_is_refused(database):
    with pytest.raises(link_services.LinkError):
        link_services.redeem(links.new_token(), NEW)


def test_redeeming_cancels_the_users_other_links_but_not_other_users(database):
    user, other = UserFactory(), UserFactory()
    first, _ = link_services.issue(user, links.INVITE)
    second, _ = link_services.issue(user, links.RESET)
    others, _ = link_services.issue(other, links.RESET)
    link_services.redeem(second, NEW)
    assert link_services.find_usable(first) is None
    assert link_services.find_usable(others) is not None


def test_redeeming_ends_every_session_of_the_user(app, client, database):
    user = UserFactory(email="ann@police.uk")
    elsewhere = signed_in_client(app, user)
    assert elsewhere.get("/account/password").status_code == 200
    token, _ = link_services.issue(user, links.RESET)
    database.session.commit()
    response = client.post(f"/account/set-password/{token}", data={"password": NEW, "confirm": NEW})
    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in"
    assert database.session.query(UserSession).filter_by(user_id=user.id).count() == 0
    old_cookie = elsewhere.get("/account/password")
    assert old_cookie.status_code == 302
    assert "/sign-in" in old_cookie.headers["Location"]


def test_a_refused_password_changes_nothing_and_the_link_still_works(client, database):
    user = UserFactory(email="ann@police.uk", password_hash=None)
    token, link = link_services.issue(user, links.INVITE)
    database.session.commit()
    with pytest.raises(UserError):
        link_services.redeem(token, "password1234")
    response = client.post(
        f"/account/set-password/{token}", data={"password": "password1234", "confirm": "password1234"}
    )
    assert response.status_code == 400
    assert b"too common" in response.data
    database.session.expire_all()
    assert database.session.get(User, user.id).password_hash is None
    assert database.session.get(AccountLink, link.id).used_at is None
    assert client.get(f"/account/set-password/{token}").status_code == 200


def test_the_two_passwords_must_match(client, database):
    user = UserFactory(password_hash=None)
    token, _ = link_services.issue(user, links.INVITE)
    database.session.commit()
    response = client.post(f"/account/set-password/{token}", data={"password": NEW, "confirm": NEW + "x"})
    assert response.status_code == 400
    assert b"The two passwords do not match" in response.data
    assert b'href="#confirm"' in response.data  # the error summary links to the field
    database.session.expire_all()
    assert database.session.get(User, user.id).password_hash is None


def test_unknown_used_and_expired_links_get_the_same_friendly_page(client, database):
    user = UserFactory()
    used, _ = link_services.issue(user, links.RESET)
    link_services.redeem(used, NEW)
    expired, _ = link_services.issue(UserFactory(), links.RESET)
    database.session.commit()
    clock.travel(timedelta(hours=2))
    pages = [client.get(f"/account/set-password/{t}") for t in (links.new_token(), used, expired)]
    assert {p.status_code for p in pages} == {404}
    # The same page, but for the language switch, which returns to the URL it was chosen on.
    assert len({re.sub(rb"/language/cy\?next=[^\"]*", b"", p.data) for p in pages}) == 1
    text = pages[0].get_data(as_text=True)
    assert "This link has expired or has already been used" in text
    assert 'href="/forgot-password"' in text
    assert "Traceback" not in text
    assert "<form" not in text


def test_a_posted_unknown_link_changes_nothing(client, database):
    response = client.post(
        f"/account/set-password/{links.new_token()}", data={"password": NEW, "confirm": NEW}
    )
    assert response.status_code == 404
    assert database.session.query(AuditEvent).count() == 0


def test_set_password_page_sends_no_referrer_and_names_the_account(client, database):
    user = UserFactory(email="ann@police.uk", password_hash=None)
    token, _ = link_services.issue(user, links.INVITE)
    response = client.get(f"/account/set-password/{token}")
    assert response.status_code == 200
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert b"Set up your account" in response.data
    assert b"ann@police.uk" in response.data
    assert b'autocomplete="new-password"' in response.data


@pytest.mark.parametrize("purpose", [links.INVITE, links.RESET])
def test_set_password_pages_are_never_stored(purpose, client, database):
    """The page's URL is a working link and it names the account: no cache may keep it."""
    user = UserFactory(email="ann@police.uk")
    token, _ = link_services.issue(user, purpose)
    shown = client.get(f"/account/set-password/{token}")
    refused = client.post(f"/account/set-password/{token}", data={"password": "x", "confirm": "y"})
    invalid = client.get("/account/set-password/no-such-token")
    for response in (shown, refused, invalid):
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["Referrer-Policy"] == "no-referrer"


def test_tokens_never_reach_the_logs(client, database, caplog):
    user = UserFactory(email="ann@police.uk")
    token, _ = link_services.issue(user, links.RESET)
    database.session.commit()
    caplog.set_level(logging.INFO)
    client.post(f"/account/set-password/{token}", data={"password": NEW, "confirm": NEW})
    client.get(f"/account/set-password/{token}")  # now used: refused and logged
    assert "account_link.redeemed" in caplog.text
    assert "/account/set-password/[token]" in caplog.text
    assert token not in caplog.text
    assert links.hash_token(token) not in caplog.text


def test_changing_the_password_another_way_cancels_waiting_links(client, login_as, database):
    user = login_as(UserFactory(email="ann@police.uk"))
    token, _ = link_services.issue(user, links.RESET)
    database.session.commit()
    response = client.post("/account/password", data={"current_password": PASSWORD, "password": NEW})
    assert response.status_code == 302
    assert link_services.find_usable(token) is None


def test_emailed_link_works_end_to_end_and_the_new_password_signs_in(client, login_as, database):
    admin = UserFactory(role="admin", force=None)
    officer = UserFactory(email="new.officer@police.uk", password_hash=None)
    login_as(admin)
    assert client.post(f"/admin/users/{officer.id}/link").status_code == 302
    client.post("/sign-out")
    path = link_in_outbox("new.officer@police.uk")
    page = client.get(path)
    assert page.status_code == 200
    done = client.post(path, data={"password": NEW, "confirm": NEW}, follow_redirects=True)
    assert b"Your password has been set" in done.data
    assert sign_in(client, "new.officer@police.uk", NEW).status_code == 302
    assert client.get(path).status_code == 404  # used
