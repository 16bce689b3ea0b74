"""API clients (one force each, or national: the commissioner's aggregates) and the short-lived
bearer tokens issued to them."""

import hashlib
import hmac
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import utcnow
from app.extensions import db
from app.forces.models import Force


def digest(secret: str) -> str:
    """SHA-256 of a random secret or token: what is stored in its place."""
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiClient(db.Model):
    """A force system's OAuth 2.0 client (client credentials grant); the secret is stored hashed.

    Implements what Authlib's authorisation server asks of a client (rfc6749.ClientMixin).
    """

    __tablename__ = "api_clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    # None: a national client (the commissioner's systems), which holds the aggregates scope only
    force_id: Mapped[int | None] = mapped_column(ForeignKey("forces.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    scope: Mapped[str] = mapped_column(String(200))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]

    force: Mapped[Force | None] = relationship()

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self):
        return None

    def get_allowed_scope(self, scope: str) -> str:
        from app.api import scopes

        try:
            return scopes.parse(scope, self.scope)
        except ValueError:
            return ""

    def check_redirect_uri(self, redirect_uri) -> bool:
        return False

    def check_client_secret(self, client_secret: str) -> bool:
        return hmac.compare_digest(self.secret_hash, digest(client_secret or ""))

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type) -> bool:
        return False

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "client_credentials" and self.revoked_at is None


class ApiToken(db.Model):
    """A bearer token (stored hashed), valid for minutes; revoked with its client or on its own."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("api_clients.id"), index=True)
    scope: Mapped[str] = mapped_column(String(200))
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]

    client: Mapped[ApiClient] = relationship()

    def check_client(self, client) -> bool:
        return client.id == self.client_id

    def get_scope(self) -> str:
        return self.scope

    def get_expires_in(self) -> int:
        return int((self.expires_at - self.issued_at).total_seconds())

    def is_expired(self) -> bool:
        return utcnow() >= self.expires_at

    def is_revoked(self) -> bool:
        return self.revoked_at is not None or self.client.revoked_at is not None

    def get_user(self):
        return None

    def get_client(self) -> ApiClient:
        return self.client
