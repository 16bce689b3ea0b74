"""Admins send invitations and reset links (page, import, CLI) and sign people out everywhere."""

import io

from sqlalchemy import func, select

from app.audit import AuditEvent
from app.auth import link_services, links
from app.auth.models import AccountLink, UserSession
from app.extensions import db
from app.mail.models import OutboxMessage
from tests.factories import PASSWORD, ForceFactory, UserFactory
from tests.integration.auth.test_account_links import NEW, link_in_outbox, sign_in, signed_in_client

HEADER = "name,email,service_number,force_code,team\n"


def subjects(to: str) -> list[str]:
    return list(db.session.scalars(select(OutboxMessage.subject).where(OutboxMessage.to == to)))


def audited(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def link_count() -> int:
    return db.session.scalar(select(func.count()).select_from(AccountLink))


def test_admin_page_offers_an_invitation_to_someone_without_a_password(client, login_as, database):
    login_as(UserFactory(role="admin", force=None))
    officer = UserFactory(password_hash=None)
    page = client.get(f"/admin/users/{officer.id}").get_data(as_text=True)
    assert "Send invitation" in page
    assert "Send password reset link" not in page
    assert f'action="/admin/users/{officer.id}/sessions/end"' in page


def test_admin_sends_an_invitation_and_it_is_audited(client, login_as, database):
    admin = login_as(UserFactory(role="admin", force=None))
    officer = UserFactory(email="new@police.uk", password_hash=None)
    response = client.post(f"/admin/users/{officer.id}/link", follow_redirects=True)
    assert b"Sent an invitation to new@police.uk" in response.data
    assert subjects("new@police.uk") == ["Set up your account for Modern Slavery Training"]
    [event] = audited("user.link_sent")
    assert (event.actor_id, event.target_id) == (admin.id, str(officer.id))
    assert event.details_dict == {"purpose": "invite"}
    client.post("/sign-out")
    path = link_in_outbox("new@police.uk")
    assert client.post(path, data={"password": NEW, "confirm": NEW}).status_code == 302
    assert sign_in(client, "new@police.uk", NEW).status_code == 302


def test_someone_with_a_password_gets_a_one_hour_reset_link(client, login_as, database):
    login_as(UserFactory(role="admin", force=None))
    officer = UserFactory(email="ann@police.uk")
    assert "Send password reset link" in client.get(f"/admin/users/{officer.id}").get_data(as_text=True)
    client.post(f"/admin/users/{officer.id}/link")
    assert subjects("ann@police.uk") == ["Reset your password for Modern Slavery Training"]
    [link] = db.session.scalars(select(AccountLink)).all()
    assert (link.purpose, link.expires_at - link.created_at) == ("reset", links.LIFETIMES["reset"])


def test_no_link_for_a_deactivated_account(client, login_as, database):
    login_as(UserFactory(role="admin", force=None))
    officer = UserFactory(email="gone@police.uk", active=False)
    response = client.post(
        f"/admin/users/{officer.id}/link",
        headers={"Referer": f"/admin/users/{officer.id}"},
        follow_redirects=True,
    )
    assert b"reactivate it before sending a link" in response.data
    assert link_count() == 0
    assert subjects("gone@police.uk") == []


def test_a_refused_mail_server_keeps_no_link(client, login_as, database, mail_to, closed_port):
    login_as(UserFactory(role="admin", force=None))
    officer = UserFactory(password_hash=None)
    mail_to(closed_port)
    response = client.post(
        f"/admin/users/{officer.id}/link",
        headers={"Referer": f"/admin/users/{officer.id}"},
        follow_redirects=True,
    )
    assert b"could not be sent" in response.data
    assert link_count() == 0
    assert audited("user.link_sent") == []


def upload(client, text, invite):
    data = {"file": (io.BytesIO(text.encode()), "officers.csv")}
    if invite:
        data["invite"] = "y"
    return client.post("/admin/users/import", data=data, content_type="multipart/form-data")


def test_import_can_invite_the_new_officers(client, login_as, database):
    login_as(UserFactory(role="admin", force=None))
    ForceFactory(code="kent")
    UserFactory(email="old@police.uk", password_hash=None)  # not in the file: not invited
    response = upload(
        client, HEADER + "Ann Lee,ann@police.uk,K1,kent,\nBo Chan,bo@police.uk,K2,kent,\n", invite=True
    )
    assert response.status_code == 302
    assert len(subjects("ann@police.uk")) == len(subjects("bo@police.uk")) == 1
    assert subjects("old@police.uk") == []
    assert len(audited("user.link_sent")) == 2
    assert b"Sent 2 invitations" in client.get("/admin/users").data


def test_import_without_the_option_sends_nothing(client, login_as, database):
    login_as(UserFactory(role="admin", force=None))
    ForceFactory(code="kent")
    assert upload(client, HEADER + "Ann Lee,ann@police.uk,K1,kent,\n", invite=False).status_code == 302
    assert link_count() == 0


def test_cli_import_with_invite(app, database, tmp_path):
    ForceFactory(code="kent")
    roster = tmp_path / "officers.csv"
    roster.write_text(HEADER + "Ann Lee,ann@police.uk,K1,kent,\nBo Chan,bo@police.uk,K2,kent,\n")
    result = app.test_cli_runner().invoke(args=["users", "import", str(roster), "--invite"])
    assert result.exit_code == 0, result.output
    assert "Sent 2 invitations to the outbox" in result.output
    assert len(subjects("ann@police.uk")) == len(subjects("bo@police.uk")) == 1


def test_cli_invites_everyone_without_a_password_once(app, database):
    waiting = UserFactory(email="a@police.uk", password_hash=None)
    UserFactory(email="b@police.uk", password_hash=None)
    UserFactory(email="has@police.uk")
    UserFactory(email="gone@police.uk", password_hash=None, active=False)
    link_services.issue(waiting, links.INVITE)  # already has an invitation waiting
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "invite", "--all-without-password"])
    assert result.exit_code == 0, result.output
    assert "Sent 1 invitation to" in result.output
    assert [len(subjects(e)) for e in ("a@police.uk", "b@police.uk", "has@police.uk", "gone@police.uk")] == [
        0,
        1,
        0,
        0,
    ]
    again = runner.invoke(args=["users", "invite", "--all-without-password"])
    assert "Nobody to invite" in again.output


def test_cli_invite_one_address(app, database):
    UserFactory(email="ann@police.uk")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "invite", "--email", "ANN@police.uk"])
    assert result.exit_code == 0, result.output
    assert "Sent a password reset link to ann@police.uk" in result.output
    unknown = runner.invoke(args=["users", "invite", "--email", "nobody@police.uk"])
    assert unknown.exit_code != 0
    assert "No user has the email nobody@police.uk" in unknown.output
    neither = runner.invoke(args=["users", "invite"])
    assert neither.exit_code != 0


def test_admin_signs_a_user_out_everywhere(app, client, login_as, database):
    officer = UserFactory(email="ann@police.uk")
    phone, desk = signed_in_client(app, officer), signed_in_client(app, officer)
    assert phone.get("/account/password").status_code == 200
    admin = login_as(UserFactory(role="admin", force=None))
    response = client.post(f"/admin/users/{officer.id}/sessions/end", follow_redirects=True)
    assert b"2 sessions ended" in response.data
    for device in (phone, desk):
        old_cookie = device.get("/account/password")
        assert old_cookie.status_code == 302
        assert "/sign-in" in old_cookie.headers["Location"]
    assert db.session.query(UserSession).filter_by(user_id=officer.id).count() == 0
    [event] = audited("user.sessions_ended")
    assert (event.actor_id, event.target_id, event.details_dict) == (admin.id, str(officer.id), {"ended": 2})
    assert sign_in(phone, "ann@police.uk", PASSWORD).status_code == 302  # can sign in again


def test_officer_signs_out_of_other_devices_and_stays_signed_in_here(app, client, login_as, database):
    officer = login_as(UserFactory(email="ann@police.uk"))
    phone = signed_in_client(app, officer)
    other = signed_in_client(app, UserFactory())
    page = client.get("/account/password").get_data(as_text=True)
    assert "You are signed in on 2 devices" in page
    response = client.post("/account/sessions/end-others", follow_redirects=True)
    assert b"Signed out of 1 other device." in response.data
    assert client.get("/account/password").status_code == 200
    assert phone.get("/account/password").status_code == 302
    assert other.get("/account/password").status_code == 200  # someone else's session stays
    [event] = audited("user.sessions_ended")
    assert event.details_dict == {"ended": 1, "kept_current": True}
