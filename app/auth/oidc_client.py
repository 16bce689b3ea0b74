"""The HTTP side of force sign-in, with Authlib: discovery, the authorisation URL with PKCE, the
code exchange, and the ID token's signature checked against the provider's JWKS (joserfc).

Nothing is cached per process: every sign-in reads the force's provider settings from the
database and the provider's metadata and keys over HTTPS, so a changed client secret, issuer or
key applies on every app server at once. (Two small requests per sign-in; sign-ins are rare.)
"""

from authlib.integrations.requests_client import OAuth2Session
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from app.auth.oidc import OidcError, discovery_url

TIMEOUT = 10  # seconds per request to the provider
SIGNING_ALGORITHMS = ("RS256",)  # what Entra ID signs ID tokens with
SCOPE = "openid profile email"


def _session(client_id: str, client_secret: str | None = None, redirect_uri: str | None = None):
    return OAuth2Session(
        client_id=client_id,
        client_secret=client_secret,
        scope=SCOPE,
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
        token_endpoint_auth_method="client_secret_post",
        default_timeout=TIMEOUT,
    )


def fetch_metadata(issuer: str) -> dict:
    """The provider's discovery document; its issuer must be exactly the registered one."""
    try:
        with _session("metadata") as http:
            response = http.get(discovery_url(issuer), timeout=TIMEOUT, withhold_token=True)
            response.raise_for_status()
            metadata = response.json()
    except (OSError, ValueError) as exc:
        raise OidcError("metadata", "The force's sign-in service cannot be reached.") from exc
    if metadata.get("issuer") != issuer:
        raise OidcError("metadata", "The force's sign-in service names another issuer.")
    return metadata


def authorization_url(
    metadata: dict, *, client_id: str, redirect_uri: str, state: str, nonce: str, code_verifier: str
) -> str:
    """Where to send the browser: the code flow with state, nonce and an S256 PKCE challenge."""
    with _session(client_id, redirect_uri=redirect_uri) as http:
        url, _ = http.create_authorization_url(
            metadata["authorization_endpoint"],
            state=state,
            code_verifier=code_verifier,
            nonce=nonce,
            response_mode="query",
        )
    return url


def exchange_code(
    metadata: dict, *, client_id: str, client_secret: str, redirect_uri: str, code: str, code_verifier: str
) -> str:
    """Trade the authorisation code (with the PKCE verifier) for tokens; return the ID token."""
    try:
        with _session(client_id, client_secret, redirect_uri) as http:
            token = http.fetch_token(
                metadata["token_endpoint"],
                grant_type="authorization_code",
                code=code,
                code_verifier=code_verifier,
                timeout=TIMEOUT,
            )
    except Exception as exc:  # Authlib raises OAuthError, requests its own; both mean "refused"
        raise OidcError("token", "The force's sign-in service did not accept this sign-in.") from exc
    id_token = token.get("id_token")
    if not isinstance(id_token, str):
        raise OidcError("token", "The force's sign-in service sent no ID token.")
    return id_token


def verified_claims(metadata: dict, id_token: str) -> dict:
    """The ID token's claims once its RS256 signature checks against the provider's JWKS."""
    try:
        with _session("keys") as http:
            response = http.get(metadata["jwks_uri"], timeout=TIMEOUT, withhold_token=True)
            response.raise_for_status()
            keys = KeySet.import_key_set(response.json())
    except (OSError, ValueError, JoseError) as exc:
        raise OidcError("jwks", "The force's sign-in keys cannot be read.") from exc
    try:
        token = jwt.decode(id_token, keys, algorithms=list(SIGNING_ALGORITHMS))
    except (JoseError, ValueError) as exc:
        raise OidcError("signature", "The sign-in token's signature is not valid.") from exc
    return dict(token.claims)
