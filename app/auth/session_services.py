"""Sessions: started, loaded and extended on each request, ended one by one or everywhere."""

import hashlib
import secrets
from datetime import timedelta

from flask import current_app, g

from app import audit, security_log
from app.auth.models import User, UserSession
from app.clock import utcnow
from app.extensions import db


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


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
