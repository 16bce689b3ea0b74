"""Issue, rotate and check per-force SCIM bearer tokens. Only a SHA-256 of a token is stored: a
token is 256 random bits, so a fast hash is enough (no password to stretch)."""

import hashlib
import hmac
import secrets

from sqlalchemy import select

from app import audit
from app.clock import utcnow
from app.extensions import db
from app.forces.models import Force
from app.scim.models import ScimToken

PREFIX = "scim_"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def rotate(force: Force, actor) -> str:
    """Give the force a new token (the old one stops working at once); return it, shown once."""
    token = PREFIX + secrets.token_urlsafe(32)
    row = db.session.scalar(select(ScimToken).where(ScimToken.force_id == force.id))
    if row is None:
        row = ScimToken(force_id=force.id)
        db.session.add(row)
    row.token_hash = _digest(token)
    row.created_at = utcnow()
    row.created_by_id = getattr(actor, "id", None)
    row.last_used_at = None
    audit.record("scim.token_rotated", actor=actor, target=force, force_id=force.id)
    return token


def revoke(force: Force, actor) -> bool:
    """Remove the force's token; True if there was one."""
    row = db.session.scalar(select(ScimToken).where(ScimToken.force_id == force.id))
    if row is None:
        return False
    db.session.delete(row)
    audit.record("scim.token_revoked", actor=actor, target=force, force_id=force.id)
    return True


def token_of(force: Force) -> ScimToken | None:
    """The force's token row (never the token itself), or None."""
    return db.session.scalar(select(ScimToken).where(ScimToken.force_id == force.id))


def authorises(force: Force, header: str | None) -> bool:
    """True when the Authorization header carries this force's token (and only then)."""
    scheme, _, token = (header or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return False
    row = token_of(force)
    if row is None or not hmac.compare_digest(row.token_hash, _digest(token.strip())):
        return False
    row.last_used_at = utcnow()
    return True
