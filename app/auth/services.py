"""Sign-in, sign-out and user administration: the writes of the auth package."""

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app, g
from sqlalchemy import case, or_

from app import audit, security_log
from app.auth.identity import check_email, clean_service_number, normalise_email
from app.auth.models import AccountLink, SignInThrottle, User, UserSession
from app.auth.passwords import hash_password, needs_rehash, password_problems, verify_password
from app.auth.roles import FORCE_ROLES, Role
from app.auth.workforce import default_for_role, parse_workforce_type
from app.clock import utcnow
from app.errors import DomainError
from app.extensions import db
from app.forces.models import Force, Team

SIGN_IN_FAILED = "The email address or password is incorrect."


class SignInError(DomainError):
    """Sign-in refused; the message is safe to show."""


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


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
        raise SignInError(SIGN_IN_FAILED)
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
    return (
        "Too many failed sign-in attempts. Sign-in to this account is paused until "
        f"{until:%H:%M} UTC. Try again then, or ask your training lead to reset your password."
    )


def start_session(user: User) -> str:
    """Create a server-side session for the user and return its token."""
    token = secrets.token_urlsafe(32)
    db.session.add(UserSession(token_hash=_hash_token(token), user_id=user.id))
    user.last_sign_in_at = utcnow()
    user.session_token = token
    security_log.event("sign_in.session_started", user_id=user.id)
    return token


def load_session(token: str) -> User | None:
    """The user behind a session token, or None if it ended, idled out or the user is inactive."""
    if not token:
        return None
    row = db.session.scalar(db.select(UserSession).where(UserSession.token_hash == _hash_token(token)))
    if row is None:
        return None
    now = utcnow()
    if (
        now - row.last_seen_at > current_app.config["IDLE_TIMEOUT"]
        or now - row.created_at > current_app.config["PERMANENT_SESSION_LIFETIME"]
        or not row.user.active
    ):
        db.session.delete(row)
        db.session.commit()
        return None
    if now - row.last_seen_at > timedelta(minutes=1):
        row.last_seen_at = now
        db.session.commit()
    g.session_last_seen = row.last_seen_at  # for the time-out warning (seconds_left)
    user = row.user
    user.session_token = token
    return user


def extend_session(token: str) -> bool:
    """Count now as activity on the session ("Stay signed in"); False if it has already ended."""
    now = utcnow()
    row = db.session.scalar(db.select(UserSession).where(UserSession.token_hash == _hash_token(token)))
    if row is None or now - row.last_seen_at > current_app.config["IDLE_TIMEOUT"]:
        return False
    row.last_seen_at = now
    g.session_last_seen = now
    return True


def seconds_left() -> int | None:
    """Seconds until the current request's session idles out, if it has no further request."""
    last_seen = g.get("session_last_seen")
    if last_seen is None:
        return None
    left = current_app.config["IDLE_TIMEOUT"] - (utcnow() - last_seen)
    return max(0, int(left.total_seconds()))


def end_session(token: str | None) -> None:
    """Delete the server-side session, so the cookie is useless even if kept."""
    security_log.event("sign_out")
    if token:
        db.session.execute(db.delete(UserSession).where(UserSession.token_hash == _hash_token(token)))


def end_all_sessions(user: User) -> int:
    """Sign a user out everywhere (on deactivation or role change); return how many ended."""
    return db.session.execute(db.delete(UserSession).where(UserSession.user_id == user.id)).rowcount


def sign_out_everywhere(user: User, *, actor: User) -> int:
    """An admin ends every session of a user (audited); return how many ended."""
    ended = end_all_sessions(user)
    audit.record("user.sessions_ended", actor=actor, target=user, ended=ended)
    security_log.event("sign_out.everywhere", user_id=user.id, by=actor.id, ended=ended)
    return ended


def sign_out_other_devices(user: User, current_token: str | None) -> int:
    """End every session of the user but the current one (audited); return how many ended."""
    query = db.delete(UserSession).where(UserSession.user_id == user.id)
    if current_token:
        query = query.where(UserSession.token_hash != _hash_token(current_token))
    ended = db.session.execute(query).rowcount
    audit.record("user.sessions_ended", actor=user, target=user, ended=ended, kept_current=True)
    security_log.event("sign_out.other_devices", user_id=user.id, ended=ended)
    return ended


class UserError(DomainError):
    """A user could not be created or changed; the message says why."""


def _checked(check, value):
    """Run a shared identity or workforce check; its refusal becomes a UserError sentence."""
    try:
        return check(value)
    except ValueError as exc:
        message = str(exc)
        raise UserError(message[:1].upper() + message[1:]) from exc


def _check_placement(role: str, force: Force | None, team: Team | None) -> None:
    if role not in set(Role):
        raise UserError(f"Unknown role {role!r}.")
    if role in FORCE_ROLES and force is None:
        raise UserError("Officers and training leads must belong to a force.")
    if team is not None and (force is None or team.force_id != force.id):
        raise UserError("The team must belong to the user's force.")


def create_user(
    *,
    actor: User | None,
    email: str,
    name: str,
    role: str,
    force: Force | None,
    team: Team | None = None,
    service_number: str | None = None,
    password: str | None = None,
    workforce_type: str | None = None,
) -> User:
    """Create a user (audited); the password, if given, must meet the rules.

    Email and service number pass the same checks as the officer CSV import (app.auth.identity).
    Without a workforce type, officers are police officers and every other role police staff.
    """
    email = _checked(check_email, email)
    service_number = _checked(clean_service_number, service_number)
    kind = _checked(parse_workforce_type, workforce_type) if workforce_type else default_for_role(role)
    if db.session.scalar(db.select(User.id).where(User.email == email)):
        raise UserError(f"A user with the email {email} already exists.")
    _check_placement(role, force, team)
    user = User(
        email=email,
        name=name.strip(),
        role=role,
        workforce_type=kind.value,
        force=force,
        team=team,
        service_number=service_number,
        active=True,
    )
    if team is not None:
        user.team_joined_at = utcnow()
    if password is not None:
        problems = password_problems(password, email=email, name=name)
        if problems:
            raise UserError(" ".join(problems))
        user.password_hash = hash_password(password)
        # Typed by an admin on the web: the officer must choose their own on first sign-in
        # (ASVS V6.4.1). From the command line (actor None) it is the operator's own account.
        user.must_change_password = actor is not None
    db.session.add(user)
    db.session.flush()
    audit.record("user.create", actor=actor, target=user, role=role, workforce_type=kind.value, email=email)
    return user


def update_user(
    user: User,
    *,
    actor: User,
    role: str,
    force: Force | None,
    team: Team | None,
    name: str,
    service_number: str | None,
    workforce_type: str | None,
) -> User:
    """Change a user's role, force, team or details (audited).

    A workforce type of None is decided from the (new) role, as when creating a user.
    """
    _check_placement(role, force, team)
    service_number = _checked(clean_service_number, service_number)
    kind = (
        _checked(parse_workforce_type, workforce_type) if workforce_type else default_for_role(role)
    ).value
    changes = {}
    if role != user.role:
        changes["role"] = [user.role, role]
    if kind != user.workforce_type:
        changes["workforce_type"] = [user.workforce_type, kind]
    if (force.id if force else None) != user.force_id:
        changes["force"] = [user.force_id, force.id if force else None]
        user.force_joined_at = utcnow()
    if (team.id if team else None) != user.team_id:
        changes["team"] = [user.team_id, team.id if team else None]
        user.team_joined_at = utcnow() if team else None
    if name.strip() != user.name:
        changes["name"] = [user.name, name.strip()]
    if service_number != user.service_number:
        changes["service_number"] = [user.service_number, service_number]
    user.role, user.force, user.team, user.workforce_type = role, force, team, kind
    user.name, user.service_number = name.strip(), service_number
    if "role" in changes or "force" in changes:
        end_all_sessions(user)
    audit.record("user.update", actor=actor, target=user, **changes)
    return user


def set_active(user: User, *, actor: User, active: bool) -> None:
    """Deactivate (signing the user out everywhere) or reactivate a user (audited)."""
    if user.id == actor.id and not active:
        raise UserError("You cannot deactivate your own account.")
    user.active = active
    if not active:
        end_all_sessions(user)
    audit.record("user.activate" if active else "user.deactivate", actor=actor, target=user)


def set_password(user: User, password: str, *, actor: User | None, via: str = "") -> None:
    """Set a new password after checking the rules (audited).

    Every session of the user ends, and every account link still waiting is cancelled (a reset
    link must not outlive the password it was sent to replace).
    """
    problems = password_problems(password, email=user.email, name=user.name)
    if problems:
        raise UserError(" ".join(problems))
    user.password_hash = hash_password(password)
    # Chosen by someone else (an admin): to be changed on first use (ASVS V6.4.1).
    user.must_change_password = actor is not None and actor.id != user.id
    end_all_sessions(user)
    db.session.execute(
        db.update(AccountLink)
        .where(AccountLink.user_id == user.id, AccountLink.used_at.is_(None))
        .values(used_at=utcnow())
    )
    audit.record("user.password", actor=actor, target=user, **({"via": via} if via else {}))


class WrongPasswordError(UserError):
    """The current password given to change it was not right."""


def change_own_password(user: User, current: str, new: str) -> None:
    """Change your own password: the current one must be right (ASVS V6.2.3)."""
    if not verify_password(user.password_hash, current):
        security_log.event("password_change.wrong_current", user_id=user.id)
        raise WrongPasswordError(
            "Your current password is not right. Enter the password you sign in with now."
        )
    set_password(user, new, actor=user)


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
            "That code did not match. Check the time on your phone and enter the "
            "6-digit code your authenticator app shows now."
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
            "Too many wrong codes. Sign-in to this account is paused until "
            f"{until:%H:%M} UTC. Try again then. If you have lost your phone, ask an administrator "
            "to reset your two-factor sign-in."
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
        "That code is not right. Enter the 6-digit code from your authenticator app, "
        "or one of your recovery codes."
    )


def reset_mfa(user: User, *, actor: User) -> None:
    """Remove a user's second factor (lost phone); they set it up again at next sign-in."""
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    user.recovery_codes = None
    end_all_sessions(user)
    audit.record("user.mfa_reset", actor=actor, target=user)
