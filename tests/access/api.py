"""Routes of the force API. A browser session never authorises the API: every role, signed in or
not, gets 401 without a bearer token (tests/integration/api checks tokens of every kind)."""

from app.api import services
from tests.access.rules import ADMIN, PUBLIC, Route

ROUTES = [
    Route("api-docs.openapi_json", "/api/openapi.json", PUBLIC),
    Route("api_oauth.token", "/api/oauth/token", PUBLIC, method="POST", ok=(400, 401)),
    Route("api_oauth.revoke", "/api/oauth/revoke", PUBLIC, method="POST", ok=(400, 401)),
    Route("api.completions", "/api/v1/completions", PUBLIC, ok=(401,)),
    Route("api.certificate", "/api/v1/certificates/{serial}", PUBLIC, ok=(401,)),
    Route("api.national_figures", "/api/v1/national", PUBLIC, ok=(401,)),
    Route("api_admin.clients", "/admin/api-clients", frozenset({ADMIN})),
    Route("api_admin.clients", "/admin/api-clients", frozenset({ADMIN}), method="POST", ok=(400,)),
    Route(
        "api_admin.revoke",
        "/admin/api-clients/{api_client_id}/revoke",
        frozenset({ADMIN}),
        method="POST",
        ok=(302,),
    ),
]


def build(world: dict) -> None:
    """An API client of the home force."""
    client, _ = services.create_client(
        world["force"], name="Matrix HR", scope="completions:read", actor=world["users"]["admin"]
    )
    world["api_client_id"] = client.id
