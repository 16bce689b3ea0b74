"""The per-account limit on second-factor codes: 5 wrong codes pause the code step for 15 minutes."""

import threading
from datetime import timedelta

import pyotp
import pytest

from app import clock
from app.audit import AuditEvent
from app.auth import mfa_services
from app.auth.mfa import hash_recovery_code
from app.auth.models import UserSession
from app.extensions import db
from tests.conftest import committed_app
from tests.factories import PASSWORD, ForceFactory, UserFactory

EMAIL = "lead@police.uk"
THREADS = 8


def _user_with_a_factor(database):
    user = UserFactory(email=EMAIL, role="training_lead")
    secret = pyotp.random_base32(32)
    mfa_services.store_totp_secret(user, secret)
    user.totp_enabled_at = clock.utcnow()
    database.session.commit()
    return user, secret


def _code(secret):
    return pyotp.TOTP(secret).at(clock.unix_time())


def _password(client):
    response = client.post("/sign-in", data={"email": EMAIL, "password": PASSWORD})
    assert response.headers["Location"] == "/sign-in/code"


def _wrong_codes(client, count):
    for _ in range(count):
        response = client.post("/sign-in/code", data={"code": "000000"})
    return response


def _signed_in(database, user):
    return database.session.query(UserSession).filter_by(user_id=user.id).count() > 0


def test_five_wrong_codes_pause_the_code_step_even_for_the_right_code(client, database):
    user, secret = _user_with_a_factor(database)
    _password(client)
    fourth = _wrong_codes(client, 4)
    assert b"That code is not right" in fourth.data
    fifth = _wrong_codes(client, 1)
    assert b"Too many wrong codes" in fifth.data
    right = client.post("/sign-in/code", data={"code": _code(secret)})
    assert right.status_code == 400
    assert b"Too many wrong codes" in right.data
    assert "(UK time)" in right.get_data(as_text=True)
    assert not _signed_in(database, user)


def test_a_correct_password_neither_renews_nor_bypasses_the_pause(client, database):
    user, secret = _user_with_a_factor(database)
    _password(client)
    _wrong_codes(client, 5)
    with client.session_transaction() as session:
        session.clear()
    _password(client)  # a fresh pending state, as on another app server
    response = client.post("/sign-in/code", data={"code": _code(secret)})
    assert b"Too many wrong codes" in response.data
    assert not _signed_in(database, user)


def test_the_code_step_opens_again_after_fifteen_minutes(client, database):
    user, secret = _user_with_a_factor(database)
    _password(client)
    _wrong_codes(client, 5)
    clock.travel(timedelta(minutes=14))
    assert b"Too many wrong codes" in client.post("/sign-in/code", data={"code": _code(secret)}).data
    clock.travel(timedelta(minutes=2))
    _password(client)
    response = client.post("/sign-in/code", data={"code": _code(secret)})
    assert response.status_code == 302
    assert _signed_in(database, user)


def test_after_the_pause_the_count_starts_again(client, database):
    _user_with_a_factor(database)
    _password(client)
    _wrong_codes(client, 5)
    clock.travel(timedelta(minutes=16))
    _password(client)
    assert b"That code is not right" in _wrong_codes(client, 4).data
    assert b"Too many wrong codes" in _wrong_codes(client, 1).data


def test_wrong_codes_spread_over_more_than_fifteen_minutes_do_not_pause(client, database):
    _user_with_a_factor(database)
    _password(client)
    _wrong_codes(client, 4)
    clock.travel(timedelta(minutes=16))
    _password(client)
    assert b"That code is not right" in _wrong_codes(client, 4).data


def test_a_right_code_starts_the_count_again(client, database):
    user, secret = _user_with_a_factor(database)
    _password(client)
    _wrong_codes(client, 4)
    assert client.post("/sign-in/code", data={"code": _code(secret)}).status_code == 302
    client.post("/sign-out")
    clock.travel(timedelta(seconds=31))  # the next code (a used one is refused)
    _password(client)
    assert b"That code is not right" in _wrong_codes(client, 4).data
    assert client.post("/sign-in/code", data={"code": _code(secret)}).status_code == 302


def test_recovery_codes_are_paused_too(client, database):
    user, _ = _user_with_a_factor(database)
    user.recovery_codes = [hash_recovery_code("abcd-efgh-jkmn")]
    database.session.commit()
    _password(client)
    _wrong_codes(client, 5)
    response = client.post("/sign-in/code", data={"code": "abcd-efgh-jkmn"})
    assert b"Too many wrong codes" in response.data
    assert not _signed_in(database, user)


def test_wrong_codes_and_the_pause_are_audited(client, database):
    user, _ = _user_with_a_factor(database)
    _password(client)
    _wrong_codes(client, 6)
    actions = [
        e.action
        for e in database.session.query(AuditEvent).filter_by(actor_id=user.id).order_by(AuditEvent.id)
    ]
    assert actions == ["user.mfa_code_failed"] * 5 + ["user.mfa_paused"]


def test_the_pause_is_per_account(client, database):
    _user_with_a_factor(database)
    other = UserFactory(email="other@police.uk", role="training_lead")
    secret = pyotp.random_base32(32)
    mfa_services.store_totp_secret(other, secret)
    other.totp_enabled_at = clock.utcnow()
    database.session.commit()
    _password(client)
    _wrong_codes(client, 5)
    client.post("/sign-in", data={"email": "other@police.uk", "password": PASSWORD})
    assert client.post("/sign-in/code", data={"code": _code(secret)}).status_code == 302


@pytest.fixture(params=["sqlite", "postgresql"])
def real_app(request, tmp_path):
    """An app on its own real database (the `database` fixture's one transaction hides races)."""
    options = {"pool_size": THREADS + 2} if request.param != "sqlite" else {}
    application, cleanup = committed_app(request.param, tmp_path, engine_options=options)
    yield application
    cleanup()


def test_parallel_wrong_codes_still_pause_the_code_step(real_app):
    with real_app.app_context():
        user = UserFactory(email=EMAIL, role="training_lead", force=ForceFactory())
        secret = pyotp.random_base32(32)
        mfa_services.store_totp_secret(user, secret)
        user.totp_enabled_at = clock.utcnow()
        db.session.commit()
    barrier = threading.Barrier(THREADS, timeout=30)
    bodies, errors = [], []

    clients = [real_app.test_client() for _ in range(THREADS)]
    for client in clients:
        _password(client)  # one after another: parallel passwords would meet the sign-in lock

    def worker(client):
        try:
            barrier.wait()
            for _ in range(3):
                bodies.append(client.post("/sign-in/code", data={"code": "000000"}).data)
        except BaseException as error:  # noqa: BLE001 - reported by the test
            errors.append(error)

    pool = [threading.Thread(target=worker, args=(client,)) for client in clients]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(timeout=120)
    assert not errors, errors
    assert len(bodies) == THREADS * 3
    # However the requests interleaved, at most 4 codes were judged before the pause.
    assert sum(b"That code is not right" in body for body in bodies) <= 4
    client = real_app.test_client()
    _password(client)
    assert b"Too many wrong codes" in client.post("/sign-in/code", data={"code": _code(secret)}).data
