"""Routes of verifiable credentials: the holder's download, the public keys, issuer, revocation
list and checker (the certificate is the one tests/access/certificates.py builds)."""

from tests.access.rules import ADMIN, LEAD, OFFICER, PUBLIC, Route

ROUTES = [
    Route("credentials.download", "/certificates/{serial}/credential.jwt", frozenset({OFFICER, LEAD, ADMIN})),
    Route("credentials.jwks", "/.well-known/jwks.json", PUBLIC),
    Route("credentials.key", "/credentials/keys/{credential_kid}", PUBLIC),
    Route("credentials.issuer", "/credentials/issuer", PUBLIC),
    Route("credentials.revocations", "/credentials/revocations", PUBLIC),
    Route("credentials.verify_credential", "/verify/credential", PUBLIC),
    Route(
        "credentials.verify_credential",
        "/verify/credential",
        PUBLIC,
        method="POST",
        data={"token": "not.a.credential"},
        ok=(200,),
    ),
]


def build(world: dict) -> None:
    """The signing key's id (made on first use)."""
    from app.credentials import keys

    world["credential_kid"] = keys.signing_key().kid.rsplit("/", 1)[-1]
