"""Writes for API clients: create one for a force or a national one (its secret shown once),
revoke one."""

import secrets

from app import audit
from app.api import scopes
from app.api.models import ApiClient, ApiToken, digest
from app.clock import utcnow
from app.errors import DomainError
from app.extensions import db
from app.forces.models import Force


class ApiClientError(DomainError):
    """An API client could not be created or changed."""


def create_client(force: Force | None, *, name: str, scope: str, actor) -> tuple[ApiClient, str]:
    """A new client for the force, or a national one when force is None (audited); return it and
    its secret, which is not stored."""
    name = (name or "").strip()
    if not name:
        raise ApiClientError("Enter a name for the client, such as the force's HR system.")
    try:
        scope = scopes.check_scopes(scope, national=force is None)
    except ValueError as exc:
        raise ApiClientError(str(exc)) from exc
    secret = secrets.token_urlsafe(32)
    client = ApiClient(
        client_id=secrets.token_hex(16),
        secret_hash=digest(secret),
        force_id=force.id if force else None,
        name=name[:120],
        scope=scope,
        created_by_id=actor.id,
    )
    db.session.add(client)
    db.session.flush()
    audit.record(
        "api.client_created",
        actor=actor,
        target=client,
        force_id=client.force_id,
        name=client.name,
        scope=scope,
    )
    return client, secret


def revoke_client(client: ApiClient, *, actor) -> int:
    """Revoke a client and every token it holds (audited); return how many tokens were live."""
    now = utcnow()
    if client.revoked_at is None:
        client.revoked_at = now
    ended = db.session.execute(
        db.update(ApiToken)
        .where(ApiToken.client_id == client.id, ApiToken.revoked_at.is_(None), ApiToken.expires_at > now)
        .values(revoked_at=now)
    ).rowcount
    audit.record("api.client_revoked", actor=actor, target=client, force_id=client.force_id, tokens=ended)
    return ended
