"""The second factor: setting up an authenticator app, checking codes (paused after repeated
failures), recovery codes and resets."""

from datetime import datetime

from flask import current_app
from flask_babel import gettext as _

from app import audit, security_log
from app.auth.models import User
from app.auth.session_services import end_all_sessions
from app.clock import utcnow
from app.errors import DomainError
from app.extensions import db
from app.formatting import uk_time
from app.i18n import current_language


class MfaError(DomainError):
    """A second-factor code was refused."""


def _secret_box():
    from app.auth import secret_box

    return secret_box.box(
        current_app.config.get("TOTP_ENCRYPTION_KEYS", ""), current_app.config["SECRET_KEY"]
    )


def totp_secret(user: User) -> str | None:
    """The user's TOTP secret in clear (stored encrypted: app.auth.secret_box)."""
    from app.auth import secret_box

    return secret_box.unseal(_secret_box(), user.totp_secret)


def store_totp_secret(user: User, secret: str) -> None:
    """Keep the user's TOTP secret, encrypted with the first configured key."""
    from app.auth import secret_box

    user.totp_secret = secret_box.seal(_secret_box(), secret)


def seal_totp_secrets() -> int:
    """Encrypt every TOTP secret still stored in clear, and re-encrypt the others with the first
    key (after a key rotation); return how many rows were written."""
    users = db.session.scalars(db.select(User).where(User.totp_secret.is_not(None))).all()
    for user in users:
        store_totp_secret(user, totp_secret(user))
    return len(users)


def begin_mfa_setup(user: User) -> str:
    """Give the user a new, not yet enabled, TOTP secret; return it in clear (to show once)."""
    from app.auth import mfa

    secret = mfa.new_secret()
    store_totp_secret(user, secret)
    user.totp_enabled_at = None
    user.totp_last_step = None
    return secret


def confirm_mfa_setup(user: User, code: str, *, at: float) -> list[str]:
    """Enable TOTP once the user proves their app works; return new recovery codes (shown once)."""
    from app.auth import mfa

    step = mfa.verify_code(totp_secret(user) or "", code, None, at)
    if step is None:
        raise MfaError(
            _(
                "That code did not match. Check the time on your phone and enter the "
                "6-digit code your authenticator app shows now."
            )
        )
    codes = mfa.new_recovery_codes()
    user.totp_enabled_at = utcnow()
    user.totp_last_step = step
    user.recovery_codes = [mfa.hash_recovery_code(c) for c in codes]
    audit.record("user.mfa_enabled", actor=user, target=user)
    return codes


class CodeStepPausedError(MfaError):
    """Too many wrong second-factor codes: the account's code step is paused (app.auth.code_limit)."""

    def __init__(self, until: datetime):
        super().__init__(
            _(
                "Too many wrong codes. Sign-in to this account is paused until %(time)s (UK time). "
                "Try again then. If you have lost your phone, ask an administrator to reset your "
                "two-factor sign-in.",
                time=uk_time(until, language=current_language()),
            )
        )


def check_second_factor(user: User, code: str, *, at: float) -> None:
    """Accept a TOTP code (never the same one twice) or an unused recovery code; else MfaError.

    Wrong codes are audited and limited per account (app.auth.code_limit); the caller commits
    after an MfaError too, so the count is kept.
    """
    from app.auth import code_limit, mfa

    now = utcnow()
    code_limit.hold(user)
    until = code_limit.paused_until(user, now)
    if until is not None:
        security_log.event("sign_in.code_refused_paused", user_id=user.id)
        raise CodeStepPausedError(until)
    secret = totp_secret(user)
    step = mfa.verify_code(secret or "", code, user.totp_last_step, at)
    if step is not None:
        user.totp_last_step = step
        from app.auth import secret_box

        if not secret_box.is_sealed(user.totp_secret):  # stored before encryption: seal it now
            store_totp_secret(user, secret)
        return
    hashed = mfa.hash_recovery_code(code)
    if hashed in (user.recovery_codes or []):
        user.recovery_codes = [c for c in user.recovery_codes if c != hashed]
        audit.record("user.recovery_code_used", actor=user, target=user, remaining=len(user.recovery_codes))
        return
    until = code_limit.record_failure(user, now)
    if until is not None:
        raise CodeStepPausedError(until)
    raise MfaError(
        _(
            "That code is not right. Enter the 6-digit code from your authenticator app, "
            "or one of your recovery codes."
        )
    )


def reset_mfa(user: User, *, actor: User) -> None:
    """Remove a user's second factor (lost phone); they set it up again at next sign-in."""
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    user.recovery_codes = None
    end_all_sessions(user)
    audit.record("user.mfa_reset", actor=actor, target=user)
