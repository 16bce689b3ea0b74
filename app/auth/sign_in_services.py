"""Signing in with a password: the check, and the throttle that slows guessing."""

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import case, or_

from app import security_log
from app.auth.identity import normalise_email
from app.auth.models import SignInThrottle, User
from app.auth.passwords import hash_password, needs_rehash, verify_password
from app.clock import utcnow
from app.errors import DomainError
from app.extensions import db
from app.formatting import N_, uk_time
from app.i18n import current_language

SIGN_IN_FAILED = N_("The email address or password is incorrect.")


class SignInError(DomainError):
    """Sign-in refused; the message is safe to show."""


def authenticate(email: str, password: str) -> User:
    """Check credentials and the lock-out; record the failure or clear it. Raises SignInError.

    Each attempt is counted in one atomic UPDATE before the password is checked, so attempts in
    parallel cannot lose each other's counts: however requests interleave, at most
    LOCKOUT_THRESHOLD passwords are checked per lock-out period.
    """
    email = normalise_email(email)
    now = utcnow()
    claimed = _claim_attempt(email, now)
    if claimed is None:
        throttle = db.session.get(SignInThrottle, email)
        security_log.event("sign_in.refused_locked", email=email)
        raise SignInError(_locked_message(throttle.locked_until if throttle else now))
    last_allowed, locked_until = claimed
    user = db.session.scalar(db.select(User).where(User.email == email))
    ok = verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.active:
        if last_allowed:
            security_log.event("sign_in.locked", email=email)
            raise SignInError(_locked_message(locked_until))
        security_log.event("sign_in.failed", email=email, known=user is not None)
        raise SignInError(_(SIGN_IN_FAILED))
    db.session.execute(db.delete(SignInThrottle).where(SignInThrottle.email == email))
    from app.auth.sso_services import local_password_refused

    refused = local_password_refused(user)  # said only after a right password: reveals nothing
    if refused:
        security_log.event("sign_in.refused_sso_only", user_id=user.id)
        raise SignInError(refused)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    security_log.event("sign_in.password_ok", user_id=user.id)
    return user


def _claim_attempt(email: str, now: datetime) -> tuple[bool, datetime | None] | None:
    """Count one sign-in attempt for the email and commit; None while the email is locked.

    Returns (last_allowed, locked_until): the attempt that reaches the threshold locks the email
    at once (a right password then clears it), so parallel attempts see the lock immediately.
    """
    threshold = current_app.config["LOCKOUT_THRESHOLD"]
    until = now + timedelta(minutes=current_app.config["LOCKOUT_MINUTES"])
    table = SignInThrottle.__table__
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    db.session.execute(
        insert(table).values(email=email, failures=0).on_conflict_do_nothing(index_elements=["email"])
    )
    reaches = table.c.failures + 1 >= threshold
    row = db.session.execute(
        table.update()
        .where(table.c.email == email, or_(table.c.locked_until.is_(None), table.c.locked_until <= now))
        .values(
            failures=case((reaches, 0), else_=table.c.failures + 1),
            locked_until=case((reaches, until), else_=table.c.locked_until),
            last_failure_at=now,
        )
        .returning(table.c.locked_until)
    ).first()
    db.session.commit()
    if row is None:
        return None
    locked_until = row[0]
    return (locked_until is not None and locked_until > now), locked_until


def _locked_message(until: datetime) -> str:
    return _(
        "Too many failed sign-in attempts. Sign-in to this account is paused until %(time)s (UK time). "
        "Try again then, or ask your training lead to reset your password.",
        time=uk_time(until, language=current_language()),
    )
