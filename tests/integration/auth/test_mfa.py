"""Two-factor sign-in: set-up, codes that cannot be replayed, recovery codes, required roles."""

import os
import re
import time
from datetime import UTC, datetime

import pyotp
import pytest

from app import clock
from app.auth import mfa_services
from app.auth.mfa import hash_recovery_code
from app.auth.models import UserSession
from tests.factories import PASSWORD, UserFactory


def _enable(user, database):
    secret = mfa_services.begin_mfa_setup(user)
    codes = mfa_services.confirm_mfa_setup(
        user, pyotp.TOTP(secret).at(clock.unix_time()), at=clock.unix_time()
    )
    database.session.commit()
    return secret, codes


def _now_code(secret):
    return pyotp.TOTP(secret).at(clock.unix_time())


def test_set_up_then_sign_in_needs_the_code(client, database):
    user = UserFactory(email="lead@police.uk", role="training_lead")
    secret, codes = _enable(user, database)
    assert len(codes) == 10
    assert user.recovery_codes == [hash_recovery_code(c) for c in codes]
    first = client.post("/sign-in", data={"email": "lead@police.uk", "password": PASSWORD})
    assert first.headers["Location"] == "/sign-in/code"
    assert database.session.query(UserSession).count() == 0  # not signed in yet
    wrong = client.post("/sign-in/code", data={"code": "000000"})
    assert wrong.status_code == 400
    assert database.session.query(UserSession).count() == 0
    clock.travel(__import__("datetime").timedelta(seconds=31))  # a fresh code, not the set-up one
    ok = client.post("/sign-in/code", data={"code": _now_code(secret)})
    assert ok.status_code == 302
    assert database.session.query(UserSession).filter_by(user_id=user.id).count() == 1


def test_a_code_cannot_be_used_twice(database):
    user = UserFactory(role="admin", force=None)
    secret, _ = _enable(user, database)
    # The set-up code's time step is used: the same code is refused at sign-in.
    code = pyotp.TOTP(secret).at(clock.unix_time())
    try:
        mfa_services.check_second_factor(user, code, at=clock.unix_time())
    except mfa_services.MfaError:
        refused = True
    else:
        refused = False
    assert refused


def test_recovery_code_works_once(database):
    user = UserFactory(role="commissioner", force=None)
    _, codes = _enable(user, database)
    mfa_services.check_second_factor(user, codes[0].upper(), at=clock.unix_time())
    assert len(user.recovery_codes) == 9
    try:
        mfa_services.check_second_factor(user, codes[0], at=clock.unix_time())
        second_time_ok = True
    except mfa_services.MfaError:
        second_time_ok = False
    assert not second_time_ok


def test_required_role_is_sent_to_set_up_before_anything_else(app, client, login_as, database):
    login_as(UserFactory(role="training_lead"))
    app.config["MFA_REQUIRED_ROLES"] = frozenset({"training_lead"})
    try:
        response = client.get("/teams")
        setup = client.get("/account/two-factor")
    finally:
        app.config["MFA_REQUIRED_ROLES"] = frozenset()
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/two-factor"
    assert setup.status_code == 200
    assert b"Scan this QR code" in setup.data
    assert b"<svg" in setup.data


def test_optional_for_officers(app, client, login_as, database):
    login_as(UserFactory(role="officer"))
    app.config["MFA_REQUIRED_ROLES"] = frozenset({"training_lead", "commissioner", "admin"})
    try:
        response = client.get("/account/password")
    finally:
        app.config["MFA_REQUIRED_ROLES"] = frozenset()
    assert response.status_code == 200


def test_admin_reset_is_audited_and_clears_the_factor(client, login_as, database):
    from app.audit import AuditEvent

    target = UserFactory(role="training_lead")
    _enable(target, database)
    login_as(UserFactory(role="admin", force=None))
    assert client.post(f"/admin/users/{target.id}/two-factor/reset").status_code == 302
    database.session.refresh(target)
    assert target.totp_enabled_at is None
    assert target.totp_secret is None
    assert database.session.query(AuditEvent).filter_by(action="user.mfa_reset").count() == 1


def test_the_secret_is_stored_encrypted(client, login_as, database):
    import re

    from app.auth.models import User

    user = login_as(UserFactory(role="training_lead"))
    page = client.get("/account/two-factor").get_data(as_text=True)
    shown = re.search(r"\b([A-Z2-7]{32})\b", page).group(1)  # the key to type by hand
    database.session.expire_all()
    stored = database.session.get(User, user.id).totp_secret
    assert stored.startswith("enc1:")
    assert shown not in stored
    assert mfa_services.totp_secret(database.session.get(User, user.id)) == shown


def test_a_secret_stored_in_clear_still_works_and_is_sealed_on_use(database):
    user = UserFactory(role="admin", force=None)
    secret = pyotp.random_base32(32)
    user.totp_secret = secret  # as stored before encryption
    user.totp_enabled_at = clock.utcnow()
    database.session.commit()
    mfa_services.check_second_factor(user, _now_code(secret), at=clock.unix_time())
    assert user.totp_secret.startswith("enc1:")
    assert mfa_services.totp_secret(user) == secret


def test_seal_command_encrypts_every_secret_in_clear(app, database):
    users = [UserFactory(role="admin", force=None) for _ in range(2)]
    secrets = [pyotp.random_base32(32) for _ in users]
    for user, secret in zip(users, secrets, strict=True):
        user.totp_secret = secret
    database.session.commit()
    result = app.test_cli_runner().invoke(args=["users", "seal-totp-secrets"])
    assert result.exit_code == 0, result.output
    assert "Sealed 2 two-factor secrets." in result.output
    for user, secret in zip(users, secrets, strict=True):
        database.session.refresh(user)
        assert user.totp_secret.startswith("enc1:")
        assert mfa_services.totp_secret(user) == secret


@pytest.fixture
def london_in_summer():
    """The process in Europe/London, the app clock at a date in British Summer Time.

    Yields the clock's offset, so a test makes its codes from the real Unix time independently.
    """
    saved = os.environ.get("TZ")
    os.environ["TZ"] = "Europe/London"
    time.tzset()
    summer = datetime(datetime.now(UTC).year + 1, 7, 1, 12, tzinfo=UTC)
    offset = summer - datetime.now(UTC)
    clock.travel(offset)
    try:
        yield offset
    finally:
        if saved is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = saved
        time.tzset()


def _phone_code(secret, offset):
    """What a phone shows: the code of the real Unix time (an aware datetime, not local time)."""
    return pyotp.TOTP(secret).at(datetime.now(UTC) + offset)


def test_set_up_accepts_the_phones_code_on_a_server_outside_utc(client, login_as, london_in_summer):
    user = login_as(UserFactory(role="officer"))
    page = client.get("/account/two-factor").get_data(as_text=True)
    secret = re.search(r"\b([A-Z2-7]{32})\b", page).group(1)
    response = client.post("/account/two-factor", data={"code": _phone_code(secret, london_in_summer)})
    assert response.status_code == 200
    assert user.totp_enabled_at is not None


def test_sign_in_accepts_the_phones_code_on_a_server_outside_utc(client, database, london_in_summer):
    user = UserFactory(email="bst@police.uk", role="training_lead")
    secret = pyotp.random_base32(32)
    mfa_services.store_totp_secret(user, secret)
    user.totp_enabled_at = clock.utcnow()
    database.session.commit()
    client.post("/sign-in", data={"email": "bst@police.uk", "password": PASSWORD})
    response = client.post("/sign-in/code", data={"code": _phone_code(secret, london_in_summer)})
    assert response.status_code == 302
    assert database.session.query(UserSession).filter_by(user_id=user.id).count() == 1
