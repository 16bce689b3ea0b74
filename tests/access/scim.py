"""Routes of SCIM provisioning: the per-force endpoints (bearer token only: a session gives nothing)
and the admin token page."""

from tests.access.rules import ADMIN, Route

_USERS = "/scim/v2/forces/{force_code}/Users"
_USER = _USERS + "/{officer_id}"
ROUTES = [
    Route("scim.users", _USERS, frozenset(), bearer=True),
    Route("scim.users", _USERS, frozenset(), method="POST", bearer=True),
    Route("scim.user", _USER, frozenset(), bearer=True),
    *(Route("scim.user", _USER, frozenset(), method=m, bearer=True) for m in ("PUT", "PATCH", "DELETE")),
    Route(
        "scim.api_service_provider_config",
        "/scim/v2/forces/{force_code}/ServiceProviderConfig",
        frozenset(),
        bearer=True,
    ),
    Route("scim.api_resource_types", "/scim/v2/forces/{force_code}/ResourceTypes", frozenset(), bearer=True),
    Route("scim.admin_tokens", "/admin/scim", frozenset({ADMIN})),
    Route(
        "scim.admin_rotate", "/admin/scim/{force_code}/rotate", frozenset({ADMIN}), method="POST", ok=(200,)
    ),
    Route(
        "scim.admin_revoke", "/admin/scim/{force_code}/revoke", frozenset({ADMIN}), method="POST", ok=(302,)
    ),
]
