"""The OAuth 2.0 endpoints of the API: token (client credentials) and revocation (RFC 7009)."""

from flask import Blueprint, current_app, request

from app.access import public
from app.api.models import digest
from app.extensions import csrf, limiter

bp = Blueprint("api_oauth", __name__, url_prefix="/api/oauth")


def _per_client() -> str:
    # Basic auth or a form field names the client; either way count per client.
    who = request.authorization.username if request.authorization else request.form.get("client_id", "")
    return "api-token:" + digest(who or (request.remote_addr or ""))


def _rate() -> str:
    return current_app.config["API_TOKEN_RATE_LIMIT"]


@bp.route("/token", methods=["POST"])
@public
@csrf.exempt
@limiter.limit(_rate, key_func=_per_client)
def token():
    """Issue a short-lived bearer token to an authenticated client (grant_type=client_credentials)."""
    return current_app.extensions["api_oauth_server"].create_token_response()


@bp.route("/revoke", methods=["POST"])
@public
@csrf.exempt
@limiter.limit(_rate, key_func=_per_client)
def revoke():
    """A client revokes one of its tokens (token=...); the answer is 200 whether or not it existed."""
    return current_app.extensions["api_oauth_server"].create_endpoint_response("revocation")
