"""Issue a certificate's credential as a VC-JWT, and verify one handed back."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC

from flask import current_app
from flask_babel import gettext as _
from joserfc import jwt
from joserfc.errors import JoseError
from sqlalchemy import select

from app.certificates.models import Certificate
from app.clock import utcnow
from app.credentials import badge, keys
from app.extensions import db
from app.formatting import uk_date
from app.i18n import current_language

ALGORITHM = "RS256"  # Open Badges 3.0 requires verifiers to support it
MAX_TOKEN = 20_000


def _base() -> str:
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/")


def issuer_name() -> str:
    return current_app.config.get("CREDENTIAL_ISSUER_NAME") or "Modern slavery training for UK police"


def credential_for(certificate: Certificate) -> dict:
    return badge.credential(
        base=_base(),
        issuer_name=issuer_name(),
        serial=certificate.serial,
        user_id=certificate.user_id,
        course_slug=certificate.course_slug,
        course_title=certificate.course_title,
        issued_at=certificate.issued_at,
        expires_on=certificate.expires_on,
    )


def issue_jwt(certificate: Certificate) -> str:
    """The certificate as a signed VC-JWT (header: alg, kid as a URL, typ only)."""
    key = keys.signing_key()
    header = {"alg": ALGORITHM, "kid": key.kid, "typ": "JWT"}
    return jwt.encode(header, badge.claims(credential_for(certificate)), key, algorithms=[ALGORITHM])


@dataclass(frozen=True)
class Verdict:
    """valid, expired, revoked, tampered or unknown; with a sentence for the page."""

    status: str
    detail: str
    certificate: Certificate | None = None


def verify(token: str) -> Verdict:
    """Check a credential: signature by one of the platform's keys (retired ones too), the VC-JWT
    claims against the credential inside, the record it names, revocation and expiry."""
    token = (token or "").strip()
    if not token or len(token) > MAX_TOKEN or token.count(".") != 2:
        return Verdict("unknown", _("This is not a credential in the VC-JWT form the platform issues."))
    try:
        decoded = jwt.decode(token, keys.key_set(), algorithms=[ALGORITHM])
    except (JoseError, ValueError, KeyError, json.JSONDecodeError):
        return Verdict(
            "tampered", _("The signature does not match: the credential was changed or not signed here.")
        )
    header, claims = decoded.header, decoded.claims
    if set(header) - {"alg", "kid", "typ", "jwk"}:
        return Verdict("tampered", _("The credential's header carries fields a VC-JWT may not."))
    expected = _expected_claims(claims)
    if expected is None or any(claims.get(k) != v for k, v in expected.items()):
        return Verdict("tampered", _("The credential's claims do not match the credential inside it."))
    serial = str(claims["jti"]).rsplit("/", 1)[-1]
    certificate = db.session.scalar(select(Certificate).where(Certificate.serial == serial))
    if certificate is None or claims["jti"] != badge.credential_id(_base(), serial):
        return Verdict("unknown", _("No certificate of this platform matches this credential."))
    if badge.claims(credential_for(certificate)) != claims:
        return Verdict("tampered", _("The credential does not match the certificate on record."))
    if certificate.revoked_at is not None:
        return Verdict(
            "revoked", _("Revoked on %(date)s.", date=_date(certificate.revoked_at.date())), certificate
        )
    if "exp" in claims and claims["exp"] < utcnow().replace(tzinfo=UTC).timestamp():
        return Verdict("expired", _("Expired on %(date)s.", date=_date(certificate.expires_on)), certificate)
    issued_on = _date(certificate.issued_at.date())
    detail = _("Valid: %(title)s, issued %(date)s.", title=certificate.course_title, date=issued_on)
    return Verdict("valid", detail, certificate)


def _date(day) -> str:
    """A date as the page's language writes it."""
    return uk_date(day, language=current_language())


def _expected_claims(claims: dict) -> dict | None:
    try:
        body = {k: v for k, v in claims.items() if k not in ("iss", "jti", "nbf", "sub", "exp")}
        return badge.claims(body)
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def revocation_list() -> dict:
    """The 1EdTechRevocationList: every revoked credential's id."""
    base = _base()
    rows = db.session.execute(
        select(Certificate.serial, Certificate.revoked_at)
        .where(Certificate.revoked_at.is_not(None))
        .order_by(Certificate.revoked_at)
    )
    return {
        "id": f"{base}/credentials/revocations",
        "issuer": f"{base}/credentials/issuer",
        "revokedCredentials": [
            {"id": badge.credential_id(base, serial), "revocationDate": f"{at:%Y-%m-%dT%H:%M:%SZ}"}
            for serial, at in rows
        ],
    }


def issuer_profile() -> dict:
    base = _base()
    return {
        "@context": badge.CONTEXT,
        "id": f"{base}/credentials/issuer",
        "type": ["Profile"],
        "name": issuer_name(),
        "url": base,
    }
