"""The OpenAPI description at /api/openapi.json, built by flask-smorest from the API's schemas.

flask-smorest would turn every HTTP error of the whole app into JSON; here its error handler is
replaced by the API blueprint's own JSON errors (app.api.routes), so the HTML pages keep their error pages.
"""

from flask_smorest import Api

from app.access import PUBLIC
from app.api import scopes


class ScopedApi(Api):
    """flask-smorest's Api without the app-wide error handler."""

    def _register_error_handlers(self):
        pass


def init_app(app, api_bp) -> ScopedApi:
    """Register the API blueprint and its description; the JSON description is public."""
    api = ScopedApi(app)
    api.spec.components.security_scheme(
        "oauth2",
        {
            "type": "oauth2",
            "flows": {"clientCredentials": {"tokenUrl": "/api/oauth/token", "scopes": dict(scopes.SCOPES)}},
        },
    )
    api.register_blueprint(api_bp)
    served = app.view_functions["api-docs.openapi_json"]  # a bound method: no attributes of its own

    def openapi_json():
        """The OpenAPI description of the API (public: it describes, it holds no data)."""
        return served()

    openapi_json.access = PUBLIC
    app.view_functions["api-docs.openapi_json"] = openapi_json
    return api
