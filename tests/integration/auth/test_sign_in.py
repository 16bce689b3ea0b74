"""Signing in and out: same answer for unknown and wrong, lock-out, rotation, server-side sign-out."""

from datetime import timedelta

import pytest

from app import clock
from app.auth.models import User, UserSession
from app.auth.sign_in_services import SIGN_IN_FAILED
from tests.factories import PASSWORD, UserFactory


def sign_in(client, email, password=PASSWORD, **kwargs):
    return client.post("/sign-in", data={"email": email, "password": password}, **kwargs)


def test_sign_in_with_right_password_starts_a_server_side_session(client, database):
    user = UserFactory(email="ann@police.uk")
    response = sign_in(client, "ANN@police.uk")
    assert response.status_code == 302
    assert database.session.query(UserSession).filter_by(user_id=user.id).count() == 1
    assert database.session.get(User, user.id).last_sign_in_at is not None


def test_unknown_email_and_wrong_password_get_the_same_answer(client, database):
    UserFactory(email="ann@police.uk")
    wrong = sign_in(client, "ann@police.uk", "not the password at all")
    unknown = sign_in(client, "nobody@police.uk", "not the password at all")
    assert wrong.status_code == unknown.status_code == 401
    assert SIGN_IN_FAILED.encode() in wrong.data
    assert SIGN_IN_FAILED.encode() in unknown.data


def test_five_failures_pause_sign_in_even_with_the_right_password(client, database):
    UserFactory(email="ann@police.uk")
    for _ in range(4):
        assert b"is incorrect" in sign_in(client, "ann@police.uk", "wrong password here").data
    fifth = sign_in(client, "ann@police.uk", "wrong password here")
    assert b"Too many failed sign-in attempts" in fifth.data
    right = sign_in(client, "ann@police.uk")
    assert right.status_code == 401
    assert b"Too many failed sign-in attempts" in right.data
    clock.travel(timedelta(minutes=16))
    assert sign_in(client, "ann@police.uk").status_code == 302


def test_unknown_email_is_locked_out_the_same_way(client, database):
    for _ in range(5):
        response = sign_in(client, "ghost@police.uk", "wrong password here")
    assert b"Too many failed sign-in attempts" in response.data


def test_deactivated_user_cannot_sign_in(client, database):
    UserFactory(email="gone@police.uk", active=False)
    assert sign_in(client, "gone@police.uk").status_code == 401


def test_session_cookie_changes_on_sign_in(client, database):
    UserFactory(email="ann@police.uk")
    client.get("/sign-in")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    sign_in(client, "ann@police.uk")
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"]


def test_sign_out_invalidates_the_session_on_the_server(client, database):
    UserFactory(email="ann@police.uk")
    sign_in(client, "ann@police.uk")
    with client.session_transaction() as session:
        stolen = dict(session)
    assert client.post("/sign-out").status_code == 302
    with client.session_transaction() as session:
        session.update(stolen)  # replay the old cookie contents
    response = client.get("/account/password")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


def test_idle_session_expires(client, database):
    UserFactory(email="ann@police.uk")
    sign_in(client, "ann@police.uk")
    assert client.get("/account/password").status_code == 200
    clock.travel(timedelta(minutes=31))
    assert client.get("/account/password").status_code == 302


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example"])
def test_next_parameter_cannot_leave_the_site(client, database, target):
    UserFactory(email="ann@police.uk")
    response = sign_in(client, "ann@police.uk", query_string={"next": target})
    assert response.headers["Location"] == "/"


def test_next_parameter_within_the_site_is_followed(client, database):
    UserFactory(email="ann@police.uk")
    response = sign_in(client, "ann@police.uk", query_string={"next": "/account/password"})
    assert response.headers["Location"] == "/account/password"


def test_post_without_csrf_token_is_refused_and_signs_nobody_in(app, client, database):
    UserFactory(email="ann@police.uk")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = sign_in(client, "ann@police.uk")
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400
    assert b"The form had expired" in response.data
    assert database.session.query(UserSession).count() == 0


def test_changing_own_password_checks_the_rules(client, login_as, database):
    user = login_as(UserFactory(email="ann@police.uk"))
    weak = client.post("/account/password", data={"current_password": PASSWORD, "password": "password1234"})
    assert weak.status_code == 400
    assert b"too common" in weak.data
    ok = client.post(
        "/account/password", data={"current_password": PASSWORD, "password": "kettle orbit lantern"}
    )
    assert ok.status_code == 302
    database.session.expire_all()
    assert sign_in(client, user.email, "kettle orbit lantern").status_code in (302,)


def test_changing_own_password_needs_the_current_one(client, login_as, database):
    user = login_as(UserFactory(email="ann@police.uk"))
    before = user.password_hash
    wrong = client.post(
        "/account/password",
        data={"current_password": "not my password at all", "password": "kettle orbit lantern"},
    )
    assert wrong.status_code == 400
    assert b"Your current password is not right" in wrong.data
    assert b'href="#current_password"' in wrong.data
    missing = client.post("/account/password", data={"password": "kettle orbit lantern"})
    assert missing.status_code == 400
    assert b"Enter your current password" in missing.data
    database.session.expire_all()
    assert database.session.get(User, user.id).password_hash == before
    assert client.get("/account/password").status_code == 200  # still signed in
    assert database.session.query(UserSession).filter_by(user_id=user.id).count() == 1


def test_session_ends_after_the_absolute_lifetime_even_when_active(client, database):
    UserFactory(email="ann@police.uk")
    sign_in(client, "ann@police.uk")
    for _ in range(25):  # active every 29 minutes for over 12 hours
        clock.travel(timedelta(minutes=29))
        if client.get("/account/password").status_code != 200:
            break
    else:
        pytest.fail("the session outlived its absolute lifetime")


def test_sign_in_events_are_logged_without_the_password(client, database, caplog):
    UserFactory(email="ann@police.uk")
    with caplog.at_level("INFO", logger="app.security"):
        sign_in(client, "ann@police.uk", "wrong password here")
        sign_in(client, "ann@police.uk")
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert '"event": "sign_in.failed"' in text
    assert '"event": "sign_in.session_started"' in text
    assert "wrong password here" not in text
    assert PASSWORD not in text


def test_forged_newline_in_email_stays_one_log_line(client, database, caplog):
    with caplog.at_level("INFO", logger="app.security"):
        sign_in(client, 'x@y.uk\n{"event": "sign_in.session_started"}', "wrong password here")
    messages = [r.getMessage() for r in caplog.records]
    assert all("\n" not in m for m in messages)
