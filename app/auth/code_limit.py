"""The per-account limit on second-factor codes, counted in the audit log so every server sees it.

LOCKOUT_THRESHOLD (5) wrong codes within LOCKOUT_MINUTES (15) pause the account's code step for
LOCKOUT_MINUTES. The count lives in `audit_events` (`user.mfa_code_failed`, `user.mfa_paused`),
not in the browser's session, so a correct password (a fresh pending state) or another app
server changes nothing. Only failures after the last pause and the last sign-in count.
"""

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func

from app import audit, security_log
from app.audit import AuditEvent
from app.auth.models import User
from app.extensions import db

FAILED = "user.mfa_code_failed"
PAUSED = "user.mfa_paused"


def _period() -> timedelta:
    return timedelta(minutes=current_app.config["LOCKOUT_MINUTES"])


def hold(user: User) -> None:
    """Wait until no other code check of this user is running, then reload the user.

    The UPDATE changes nothing, but it takes the user's row lock on PostgreSQL and the write lock
    on SQLite until the request commits, so parallel checks cannot all read a count below the
    limit, nor both accept the same code.
    """
    db.session.execute(
        db.update(User)
        .where(User.id == user.id)
        .values(totp_last_step=User.totp_last_step)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(user)


def _last_pause(user: User) -> datetime | None:
    return db.session.scalar(
        db.select(func.max(AuditEvent.at)).where(AuditEvent.actor_id == user.id, AuditEvent.action == PAUSED)
    )


def paused_until(user: User, now: datetime) -> datetime | None:
    """When the user's code step opens again, or None while it is open."""
    last = _last_pause(user)
    if last is not None and last + _period() > now:
        return last + _period()
    return None


def record_failure(user: User, now: datetime) -> datetime | None:
    """Audit a wrong code; if it reaches the limit, pause the code step and return the pause's end."""
    audit.record(FAILED, actor=user, target=user)
    db.session.flush()
    since = [now - _period()]
    since += [t for t in (_last_pause(user), user.last_sign_in_at) if t is not None]
    failures = db.session.scalar(
        db.select(func.count(AuditEvent.id)).where(
            AuditEvent.actor_id == user.id, AuditEvent.action == FAILED, AuditEvent.at > max(since)
        )
    )
    if failures < current_app.config["LOCKOUT_THRESHOLD"]:
        return None
    until = now + _period()
    audit.record(PAUSED, actor=user, target=user, until=until)
    security_log.event("sign_in.code_paused", user_id=user.id)
    return until
