"""The read-only API (/api/v1): a force system reads its own force's completions, nothing else;
the commissioner's system reads the national aggregates, as published, nothing else.

Every route needs a bearer token from the client credentials grant (app.api.oauth); the force is
the token's client's force, never a parameter, so no request can name another force. A national
client has no force and holds only the aggregates scope. A browser session never authorises the
API. Each read is audited and rate-limited per token.
"""

from authlib.integrations.flask_oauth2 import current_token
from flask import abort, current_app, request
from flask_smorest import Blueprint
from flask_smorest import abort as abort_with

from app import audit, clock
from app.access import public
from app.api import national, queries, scopes
from app.api.models import digest
from app.api.oauth import require_token
from app.api.schemas import Completion, CompletionsArgs, CompletionsPage, NationalArgs, NationalFigures
from app.certificates.serial import SerialError
from app.certificates.serial import parse as parse_serial
from app.extensions import db, limiter
from app.metrics import queries as metrics_queries

bp = Blueprint(
    "api", __name__, url_prefix="/api/v1", description="Read-only data of the calling force's officers."
)


def _json_error(error):
    """Errors of the API as JSON: code, status, message, and for bad parameters which and why."""
    body = {"code": error.code, "status": error.name, "message": error.description}
    messages = getattr(error, "data", {}).get("messages")
    if messages:
        body["errors"] = messages
    return body, error.code


for _code in (400, 403, 404, 422, 429):
    bp.register_error_handler(_code, _json_error)


def _per_token() -> str:
    header = request.headers.get("Authorization", "")
    return "api:" + digest(header) if header else "api-anon:" + (request.remote_addr or "")


def _rate() -> str:
    return current_app.config["API_RATE_LIMIT"]


def _force_id() -> int:
    """The calling client's force; a national client has none and reads no force's records."""
    force_id = current_token.client.force_id
    if force_id is None:
        abort(403, "A national client reads aggregates only.")
    return force_id


def _audit_read(endpoint: str, **details) -> None:
    client = current_token.client
    audit.record(
        "api.read",
        target_type="api_client",
        target_id=client.id,
        force_id=client.force_id,
        endpoint=endpoint,
        **details,
    )
    db.session.commit()


@bp.route("/completions")
@public
@limiter.limit(_rate, key_func=_per_token)
@require_token(scopes.COMPLETIONS)
@bp.arguments(CompletionsArgs, location="query", as_kwargs=True)
@bp.response(200, CompletionsPage)
@bp.doc(security=[{"oauth2": [scopes.COMPLETIONS]}])
def completions(completed_from=None, completed_to=None, page=1, per_page=50):
    """Course completions of your force's officers, oldest first, with certificate status."""
    result = queries.completions_page(
        _force_id(),
        since=completed_from,
        until=completed_to,
        page=page,
        per_page=per_page,
        today=clock.today(),
    )
    _audit_read("completions", page=page, items=len(result["items"]))
    return result


@bp.route("/certificates/<serial>")
@public
@limiter.limit(_rate, key_func=_per_token)
@require_token(scopes.CERTIFICATES)
@bp.response(200, Completion)
@bp.alt_response(404, description="No certificate of your force has that serial")
@bp.doc(security=[{"oauth2": [scopes.CERTIFICATES]}])
def certificate(serial: str):
    """One certificate of your force by serial: who, which course, and its status today."""
    try:
        canonical = parse_serial(serial[:60])
    except SerialError:
        canonical = None
    force_id = _force_id()
    found = canonical and queries.certificate(force_id, canonical, today=clock.today())
    _audit_read("certificate", found=bool(found))
    if not found:
        abort(404)
    return found


@bp.route("/national")
@public
@limiter.limit(_rate, key_func=_per_token)
@require_token(scopes.AGGREGATES)
@bp.arguments(NationalArgs, location="query", as_kwargs=True)
@bp.response(200, NationalFigures)
@bp.alt_response(422, description="A filter is not valid or names no nation, force type or course")
@bp.doc(security=[{"oauth2": [scopes.AGGREGATES]}])
def national_figures(date_from=None, date_to=None, course="", nation="", force_type=""):
    """Every force's figures, the national totals and the monthly trend, as the commissioner's
    national report publishes them: counts perturbed, under 10 withheld as "[c]" (docs/metrics.md)."""
    nations, types = metrics_queries.filter_choices()
    slugs = {c.slug for c in metrics_queries.courses()}
    unknown = {
        name: [f"No {name.replace('_', ' ')} is called {value!r}."]
        for name, value, known in (
            ("nation", nation, nations),
            ("force_type", force_type, types),
            ("course", course, slugs),
        )
        if value and value not in known
    }
    if unknown:
        abort_with(422, messages={"query": unknown})
    result = national.figures(
        date_from=date_from, date_to=date_to, course=course, nation=nation, force_type=force_type
    )
    _audit_read("national", forces=len(result["forces"]))
    return result
