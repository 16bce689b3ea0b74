"""OAuth 2.0 for the API with Authlib: the client credentials grant, token revocation (RFC 7009)
and the resource protector that checks bearer tokens on every API request.

Clients and tokens are read from the database on every request (nothing cached per process), so a
revoked client or token is refused on every app server at once. Tokens are stored hashed.
"""

from datetime import timedelta

from authlib.integrations.flask_oauth2 import AuthorizationServer, ResourceProtector
from authlib.oauth2.rfc6749 import InvalidScopeError, grants
from authlib.oauth2.rfc6750 import BearerTokenValidator
from authlib.oauth2.rfc7009 import RevocationEndpoint

from app import audit
from app.api import scopes
from app.api.models import ApiClient, ApiToken, digest
from app.clock import utcnow
from app.extensions import db

AUTH_METHODS = ["client_secret_basic", "client_secret_post"]
KEEP_EXPIRED_TOKENS = timedelta(days=1)


class ClientCredentials(grants.ClientCredentialsGrant):
    """The client credentials grant, refusing a scope the client does not hold."""

    TOKEN_ENDPOINT_AUTH_METHODS = AUTH_METHODS

    def validate_token_request(self):
        super().validate_token_request()
        try:
            scopes.parse(self.request.payload.scope, self.request.client.scope)
        except ValueError as exc:
            raise InvalidScopeError() from exc


class Revocation(RevocationEndpoint):
    """A client revokes one of its own tokens (RFC 7009)."""

    CLIENT_AUTH_METHODS = AUTH_METHODS

    def query_token(self, token_string, token_type_hint):
        return db.session.scalar(db.select(ApiToken).where(ApiToken.token_hash == digest(token_string)))

    def revoke_token(self, token, request):
        token.revoked_at = utcnow()
        audit.record(
            "api.token_revoked",
            target_type="api_client",
            target_id=token.client_id,
            force_id=token.client.force_id,
        )
        db.session.commit()


def query_client(client_id: str) -> ApiClient | None:
    """The client with that id, if it is not revoked."""
    return db.session.scalar(
        db.select(ApiClient).where(ApiClient.client_id == client_id, ApiClient.revoked_at.is_(None))
    )


def save_token(token: dict, request) -> None:
    """Keep the token's hash only, with its expiry; audited."""
    client = request.client
    now = utcnow()
    # Tokens a day past their expiry are of no use (issuance stays in the audit log): pruned here.
    db.session.execute(db.delete(ApiToken).where(ApiToken.expires_at < now - KEEP_EXPIRED_TOKENS))
    db.session.add(
        ApiToken(
            token_hash=digest(token["access_token"]),
            client_id=client.id,
            scope=token.get("scope", ""),
            issued_at=now,
            expires_at=now + timedelta(seconds=int(token["expires_in"])),
        )
    )
    audit.record(
        "api.token_issued",
        target_type="api_client",
        target_id=client.id,
        force_id=client.force_id,
        scope=token.get("scope", ""),
    )
    db.session.commit()


class TokenValidator(BearerTokenValidator):
    """A bearer token is its hash's row: unexpired, unrevoked, its client unrevoked."""

    def authenticate_token(self, token_string):
        return db.session.scalar(db.select(ApiToken).where(ApiToken.token_hash == digest(token_string or "")))


require_token = ResourceProtector()
require_token.register_token_validator(TokenValidator())


def init_app(app) -> AuthorizationServer:
    """The authorisation server of this app (token and revocation endpoints)."""
    app.config.setdefault("OAUTH2_TOKEN_EXPIRES_IN", {"client_credentials": app.config["API_TOKEN_SECONDS"]})
    app.config.setdefault("OAUTH2_SCOPES_SUPPORTED", sorted(scopes.SCOPES))
    server = AuthorizationServer(app, query_client=query_client, save_token=save_token)
    server.register_grant(ClientCredentials)
    server.register_endpoint(Revocation)
    app.extensions["api_oauth_server"] = server
    return server
