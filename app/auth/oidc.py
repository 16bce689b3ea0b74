"""OpenID Connect rules for force sign-in (pure): issuer checks, ID token claims, claim mapping.

The signature is checked first (app.auth.oidc_client, with the provider's JWKS); these functions
then decide whether the claims may sign someone in to *this* force. Entra ID signs every tenant's
tokens with the same keys, so a valid signature proves nothing about the tenant: `tid` and `iss`
must both name the force's registered tenant.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from app.roles import Role

LEAVE_SECONDS = 120  # clock skew allowed on exp/iat/nbf, as Authlib's default
SHARED_TENANTS = frozenset({"common", "organizations", "consumers", "{tenantid}"})
ALLOWED_ROLES = (Role.OFFICER, Role.TRAINING_LEAD)  # a provider never grants admin or commissioner
_TENANT = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.-]{0,63}$")


class OidcError(Exception):
    """An ID token or a provider setting was refused; `reason` is a short code for the logs."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


def check_issuer(issuer: str, tenant_id: str) -> str:
    """The tenant's own issuer, trimmed; refuse shared multi-tenant issuers and plain HTTP.

    Plain http is accepted for a provider on this machine only (127.0.0.1 or localhost: tests).
    """
    issuer = (issuer or "").strip().rstrip("/")
    tenant_id = (tenant_id or "").strip()
    if not _TENANT.match(tenant_id) or tenant_id.lower() in SHARED_TENANTS:
        raise OidcError("tenant", "Enter the tenant's own ID (a GUID), not common or organizations.")
    parts = urlsplit(issuer)
    local = parts.hostname in {"127.0.0.1", "localhost"}
    if parts.scheme != "https" and not (parts.scheme == "http" and local):
        raise OidcError("issuer", "The issuer must be an https:// address.")
    segments = [s.lower() for s in parts.path.split("/") if s]
    if any(s in SHARED_TENANTS for s in segments):
        raise OidcError("issuer", "Use the tenant's own issuer, not the shared multi-tenant one.")
    if tenant_id.lower() not in segments:
        raise OidcError(
            "issuer",
            "The issuer must contain the tenant ID, as in "
            "https://login.microsoftonline.com/<tenant ID>/v2.0.",
        )
    return issuer


def discovery_url(issuer: str) -> str:
    """Where the provider publishes its metadata (OpenID Connect Discovery 1.0)."""
    return issuer.rstrip("/") + "/.well-known/openid-configuration"


@dataclass(frozen=True)
class ClaimMapping:
    """Which claims fill which fields, and which provider roles (Entra app roles) give which role."""

    name: str = "name"
    service_number: str = ""
    team: str = ""
    role_claim: str = "roles"
    roles: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict | None) -> "ClaimMapping":
        """The mapping stored as JSON; unknown keys are ignored."""
        data = data or {}
        return cls(
            name=data.get("name") or "name",
            service_number=data.get("service_number") or "",
            team=data.get("team") or "",
            role_claim=data.get("role_claim") or "roles",
            roles=dict(data.get("roles") or {}),
        )

    def as_dict(self) -> dict:
        """The mapping as stored."""
        return {
            "name": self.name,
            "service_number": self.service_number,
            "team": self.team,
            "role_claim": self.role_claim,
            "roles": dict(self.roles),
        }


def parse_role_map(text: str) -> dict[str, str]:
    """Lines 'Provider.Value = role' into a dict; raise OidcError naming the bad line."""
    result = {}
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        value, sep, role = (part.strip() for part in line.partition("="))
        if not sep or not value or not role:
            raise OidcError("mapping", f"Line {number}: write it as 'App.Role = officer'.")
        if role not in ALLOWED_ROLES:
            raise OidcError(
                "mapping", f"Line {number}: the role must be officer or training_lead, not {role!r}."
            )
        result[value] = role
    return result


def format_role_map(roles: dict[str, str]) -> str:
    """The inverse of parse_role_map, for the form."""
    return "\n".join(f"{value} = {role}" for value, role in sorted(roles.items()))


@dataclass(frozen=True)
class ProviderIdentity:
    """Who the provider vouches for, after every check."""

    tenant_id: str
    object_id: str
    email: str
    name: str
    service_number: str
    team: str
    role: str | None  # None: the token cannot say (a groups claim over Entra's 200-group limit)


def _str_claim(claims: dict, name: str) -> str:
    value = claims.get(name) if name else None
    return value.strip() if isinstance(value, str) else ""


def groups_overage(claims: dict, mapping: ClaimMapping) -> bool:
    """Whether roles are mapped from groups and the token left its groups out: Entra ID puts at
    most 200 groups in a token; above that it sends `_claim_names` pointing to Microsoft Graph
    (or `hasgroups`) instead. The platform does not call Graph, so such a token cannot say the role."""
    if mapping.role_claim != "groups":
        return False
    names = claims.get("_claim_names")
    return (isinstance(names, dict) and "groups" in names) or claims.get("hasgroups") in (True, "true")


def map_role(claims: dict, mapping: ClaimMapping) -> str | None:
    """The platform role the provider's roles give: training lead beats officer; default officer;
    None when the token's groups overflowed (groups_overage), so the role cannot be known."""
    if groups_overage(claims, mapping):
        return None
    values = claims.get(mapping.role_claim) or []
    if isinstance(values, str):
        values = [values]
    granted = {mapping.roles.get(v) for v in values if isinstance(v, str)}
    return Role.TRAINING_LEAD.value if Role.TRAINING_LEAD in granted else Role.OFFICER.value


def validate_claims(
    claims: dict,
    *,
    issuer: str,
    tenant_id: str,
    client_id: str,
    nonce: str,
    now: float,
    mapping: ClaimMapping,
) -> ProviderIdentity:
    """Check a signature-verified ID token's claims for this force; return the identity.

    Raises OidcError for: wrong tenant (tid), wrong issuer, wrong audience or authorised party,
    missing or wrong nonce, expired or not yet valid, or no stable object id.
    """
    tid = claims.get("tid")
    if not isinstance(tid, str) or tid.lower() != tenant_id.lower():
        raise OidcError("tid", "The token is from another tenant than this force's.")
    if claims.get("iss") != issuer:
        raise OidcError("iss", "The token was not issued by this force's provider.")
    aud = claims.get("aud")
    audiences = aud if isinstance(aud, list) else [aud]
    if client_id not in audiences:
        raise OidcError("aud", "The token is meant for another application.")
    if len(audiences) > 1 and claims.get("azp") != client_id:
        raise OidcError("azp", "The token is meant for another application.")
    if not nonce or claims.get("nonce") != nonce:
        raise OidcError("nonce", "The token does not answer this sign-in (nonce).")
    exp, iat = claims.get("exp"), claims.get("iat")
    if not isinstance(exp, int | float) or exp + LEAVE_SECONDS < now:
        raise OidcError("exp", "The token has expired.")
    if not isinstance(iat, int | float) or iat - LEAVE_SECONDS > now:
        raise OidcError("iat", "The token was issued in the future.")
    nbf = claims.get("nbf")
    if isinstance(nbf, int | float) and nbf - LEAVE_SECONDS > now:
        raise OidcError("nbf", "The token is not valid yet.")
    oid = _str_claim(claims, "oid")
    if not oid:
        raise OidcError("oid", "The token has no object id (oid) to bind the account to.")
    return ProviderIdentity(
        tenant_id=tid.lower(),
        object_id=oid.lower(),
        email=_str_claim(claims, "email") or _str_claim(claims, "preferred_username"),
        name=_str_claim(claims, mapping.name),
        service_number=_str_claim(claims, mapping.service_number),
        team=_str_claim(claims, mapping.team),
        role=map_role(claims, mapping),
    )
