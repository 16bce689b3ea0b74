"""Between a SCIM User (scim2-models) and the platform's fields: pure, no database."""

from __future__ import annotations

import re
from dataclasses import dataclass

from scim2_models import EnterpriseUser, User

from app.auth.identity import IdentityError, check_email, clean_service_number

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE_SCHEMA = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"
LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
ScimUser = User[EnterpriseUser]
NAME_MAX = 120


class ScimError(Exception):
    """A SCIM error response: HTTP status, scimType (RFC 7644 3.12) and a plain detail."""

    def __init__(self, status: int, detail: str, scim_type: str | None = None) -> None:
        super().__init__(detail)
        self.status, self.detail, self.scim_type = status, detail, scim_type

    def body(self) -> dict:
        body = {"schemas": [ERROR_SCHEMA], "status": str(self.status), "detail": self.detail}
        if self.scim_type:
            body["scimType"] = self.scim_type
        return body


@dataclass(frozen=True)
class Person:
    """The fields a SCIM User sets on a platform account."""

    email: str
    name: str
    active: bool
    external_id: str | None
    service_number: str | None
    team_name: str | None


def person_from(user: ScimUser) -> Person:
    """Validate and map a SCIM User; raise ScimError (400 invalidValue) for what cannot be stored."""
    try:
        email = check_email(user.user_name)
        service_number = clean_service_number(_enterprise(user, "employee_number"))
    except IdentityError as exc:
        raise ScimError(400, f"userName or employeeNumber: {exc}", "invalidValue") from exc
    name = (user.display_name or _formatted(user) or "").strip()
    if not name:
        raise ScimError(400, "a displayName or name is required.", "invalidValue")
    if len(name) > NAME_MAX or any(ch in name for ch in "\r\n\t\x00"):
        raise ScimError(400, f"the name must be one line of at most {NAME_MAX} characters.", "invalidValue")
    team = (_enterprise(user, "department") or "").strip() or None
    return Person(
        email=email,
        name=name,
        active=True if user.active is None else bool(user.active),
        external_id=(user.external_id or "").strip() or None,
        service_number=service_number,
        team_name=team,
    )


def _formatted(user: ScimUser) -> str | None:
    if user.name is None:
        return None
    if user.name.formatted:
        return user.name.formatted
    parts = [user.name.given_name, user.name.family_name]
    return " ".join(p for p in parts if p) or None


def _enterprise(user: ScimUser, field: str) -> str | None:
    extension = user[EnterpriseUser]
    return getattr(extension, field, None) if extension is not None else None


def resource(account, team_name: str | None, location: str) -> dict:
    """The SCIM representation of a platform account (what GET returns)."""
    enterprise = {}
    if account.service_number:
        enterprise["employeeNumber"] = account.service_number
    if team_name:
        enterprise["department"] = team_name
    body = {
        "schemas": [USER_SCHEMA, *([ENTERPRISE_SCHEMA] if enterprise else [])],
        "id": str(account.id),
        "userName": account.email,
        "displayName": account.name,
        "name": {"formatted": account.name},
        "emails": [{"value": account.email, "type": "work", "primary": True}],
        "active": bool(account.active),
        "meta": {
            "resourceType": "User",
            "created": f"{account.created_at:%Y-%m-%dT%H:%M:%SZ}",
            "location": location,
        },
    }
    if account.scim_external_id:
        body["externalId"] = account.scim_external_id
    if enterprise:
        body[ENTERPRISE_SCHEMA] = enterprise
    return body


_FILTER = re.compile(r'^\s*(userName|externalId)\s+eq\s+"((?:[^"\\]|\\.)*)"\s*$', re.IGNORECASE)


def parse_filter(text: str | None) -> tuple[str, str] | None:
    """('userName'|'externalId', value) for the `attr eq "value"` filters Entra sends; None for no
    filter; ScimError (400 invalidFilter) for anything else."""
    if not text or not text.strip():
        return None
    match = _FILTER.match(text)
    if match is None:
        raise ScimError(
            400, 'only userName eq "…" and externalId eq "…" filters are supported.', "invalidFilter"
        )
    attribute = "userName" if match.group(1).lower() == "username" else "externalId"
    return attribute, match.group(2).replace('\\"', '"').replace("\\\\", "\\")
