"""An Open Badges 3.0 OpenBadgeCredential for a certificate, and its VC-JWT claims. Pure."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time

CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
SUBJECT_NAMESPACE = uuid.UUID("6b0d3c2e-9a51-5f0e-8d7c-2b4f1a9e0c13")


def subject_id(base: str, user_id: int) -> str:
    """The holder as an opaque URN (never an email): stable per platform and person."""
    return f"urn:uuid:{uuid.uuid5(SUBJECT_NAMESPACE, f'{base}|user:{user_id}')}"


def credential_id(base: str, serial: str) -> str:
    return f"{base}/credentials/{serial}"


def _stamp(moment: datetime) -> str:
    return moment.replace(tzinfo=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def credential(
    *,
    base: str,
    issuer_name: str,
    serial: str,
    user_id: int,
    course_slug: str,
    course_title: str,
    issued_at: datetime,
    expires_on: date | None,
) -> dict:
    """The credential (VCDM 2.0 / OB 3.0)."""
    body = {
        "@context": CONTEXT,
        "id": credential_id(base, serial),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": f"{base}/credentials/issuer", "type": ["Profile"], "name": issuer_name},
        "validFrom": _stamp(issued_at),
        "name": course_title,
        "credentialSubject": {
            "id": subject_id(base, user_id),
            "type": ["AchievementSubject"],
            "achievement": {
                "id": f"{base}/credentials/achievements/{course_slug}",
                "type": ["Achievement"],
                "name": course_title,
                "description": f"Completed the course {course_title}: every module's scenario quiz passed.",
                "criteria": {"narrative": "Pass the scenario quiz of every module of the course."},
            },
        },
        "credentialStatus": {
            "id": f"{base}/credentials/revocations",
            "type": "1EdTechRevocationList",
        },
    }
    if expires_on is not None:
        body["validUntil"] = _stamp(datetime.combine(expires_on, time(23, 59, 59)))
    return body


def _epoch(stamp: str) -> int:
    return int(datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC).timestamp())


def claims(body: dict) -> dict:
    """VC-JWT claims (OB 3.0 section 8): the credential plus iss, jti, nbf, sub (and exp)."""
    out = {
        **body,
        "iss": body["issuer"]["id"],
        "jti": body["id"],
        "nbf": _epoch(body["validFrom"]),
        "sub": body["credentialSubject"]["id"],
    }
    if "validUntil" in body:
        out["exp"] = _epoch(body["validUntil"])
    return out
