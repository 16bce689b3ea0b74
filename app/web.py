"""Cross-cutting web behaviour: error pages, security headers, template helpers."""

from flask import current_app, flash, g, redirect, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_limiter.errors import RateLimitExceeded
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from app import security_log
from app.errors import DomainError
from app.extensions import db, login_manager
from app.formatting import N_

# Marked N_: the error page translates them; the API's JSON errors stay English.
ERROR_TITLES = {
    400: N_("There is a problem with your request"),
    401: N_("Sign in to continue"),
    403: N_("You do not have access to this page"),
    404: N_("Page not found"),
    405: N_("That action is not allowed here"),
    413: N_("The file is too large"),
    429: N_("Too many requests"),
    500: N_("Sorry, there is a problem with the service"),
    503: N_("Sorry, the service is unavailable"),
}

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)


def register(app) -> None:
    """Install error handlers, headers and template globals."""
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(RateLimitExceeded, _rate_limited)
    app.register_error_handler(DomainError, _domain_error)
    app.register_error_handler(OperationalError, _database_down)
    app.register_error_handler(Exception, _unexpected)
    app.before_request(_refuse_nul_bytes)
    app.after_request(_security_headers)
    app.teardown_request(_rollback_on_error)
    app.jinja_env.policies["json.dumps_kwargs"] = {"sort_keys": True}
    warn_if_links_miss_the_server(app)


def warn_if_links_miss_the_server(app, server: tuple[str, int] | None = None) -> None:
    """In development, log a warning at start when PUBLIC_BASE_URL is not this server's address.

    The server's address is that of `flask run` (its --host and --port, read from the command
    being run); under any other server, or in testing and production, nothing is checked.
    """
    if app.config.get("ENV_NAME") != "development":
        return
    server = server or _flask_run_address()
    if server is None:
        return
    from app.urls import unreachable_links

    problem = unreachable_links(app.config["PUBLIC_BASE_URL"], *server)
    if problem:
        app.logger.warning(problem)


def _flask_run_address() -> tuple[str, int] | None:
    """(host, port) of the `flask run` command loading this app, else None."""
    import click

    context = click.get_current_context(silent=True)
    if context is None or context.info_name != "run":
        return None
    host, port = context.params.get("host"), context.params.get("port")
    return (host, int(port)) if host and port else None


def error_page(status: int, message: str | None = None):
    """Render the friendly error page for a status code."""
    try:
        return _render_error(status, message)
    except OperationalError as exc:  # the page itself needed the database
        return _database_down(exc)


def _render_error(status: int, message: str | None):
    return render_template(
        "errors/error.html",
        status=status,
        title=_(ERROR_TITLES.get(status, N_("Something went wrong"))),
        message=message,
    ), status


def _signed_in_user_id() -> int | None:
    return current_user.id if current_user.is_authenticated else None


def _http_error(exc: HTTPException):
    if exc.code is None or exc.code < 400:
        return exc
    if (
        exc.code == 404
        and request.view_args
        and request.endpoint != "static"
        and current_user.is_authenticated
    ):
        # A signed-in user asking for an object (an id or serial in the URL) that is not theirs
        # or does not exist: repeated, this is someone probing for other people's records.
        security_log.event(
            "not_found", user_id=current_user.id, role=current_user.role, endpoint=request.endpoint
        )
    if request.path.startswith("/api/") or request.path == "/healthz":
        return {"error": ERROR_TITLES.get(exc.code, exc.name)}, exc.code
    return error_page(exc.code)


def _csrf_error(exc: CSRFError):
    # The reason is Flask-WTF's fixed text ("The CSRF token is missing."), never the token.
    security_log.event("csrf.failed", user_id=_signed_in_user_id(), reason=exc.description)
    return error_page(
        400, _("The form had expired or was not sent from this site. Go back, reload the page and try again.")
    )


def _rate_limited(exc: RateLimitExceeded):
    security_log.event(
        "rate_limit.exceeded",
        user_id=_signed_in_user_id(),
        limit=str(exc.limit.limit),
        endpoint=request.endpoint,
    )
    return _http_error(exc)


def _domain_error(exc: DomainError):
    db.session.rollback()
    if request.method == "POST" and exc.status_code == 400 and request.referrer:
        flash(exc.message, "error")
        return redirect(request.referrer)
    return error_page(exc.status_code, exc.message)


def _database_down(exc: OperationalError):
    try:
        db.session.rollback()
    except OperationalError:
        pass
    current_app.logger.error("database unavailable: %s", exc.orig if exc.orig else exc)
    # A page that needs nothing from the database; no user lookup while rendering it either.
    g._login_user = login_manager.anonymous_user()
    body = render_template("errors/unavailable.html")
    return body, 503, {"Retry-After": "30"}


def _unexpected(exc: Exception):
    if isinstance(exc, HTTPException):
        return _http_error(exc)
    db.session.rollback()
    from app.auth.links import redact_path

    current_app.logger.exception("unhandled error on %s %s", request.method, redact_path(request.path))
    return error_page(500)


def _rollback_on_error(exc):
    if exc is not None:
        db.session.rollback()


def _refuse_nul_bytes():
    """400 for a NUL byte in the query, the form or the path: no honest client sends one, and
    PostgreSQL text cannot hold it (the query would fail with a 500)."""
    values = [v for _key, vs in request.args.lists() for v in vs]
    if request.method == "POST" and request.mimetype in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        values += [v for _key, vs in request.form.lists() for v in vs]
    values += [v for v in (request.view_args or {}).values() if isinstance(v, str)]
    if any("\x00" in v for v in values):
        return error_page(400, _("The request contained a character that is not allowed."))
    return None


def _security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if current_app.config.get("HSTS"):
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    # Only a user already loaded by this request: never query the database here.
    user = g.get("_login_user")
    if user is not None and not user.is_anonymous:  # is_anonymous reads no column
        headers.setdefault("Cache-Control", "no-store")
    return response


# The GOV.UK Frontend release built into app/static/govuk/ by `make frontend` (its file names carry
# the version, so a new release is never served from a browser's cache of the old one).
GOVUK_FRONTEND_VERSION = "6.6.0"


def has_endpoint(endpoint: str) -> bool:
    """Whether the app has a view for `endpoint`, so a template links only pages that exist."""
    return endpoint in current_app.view_functions


# (label, endpoint, roles): shown when the endpoint exists and the role may use it.
# Labels are lazy: each request shows them in its own language (app.i18n).
NAV = (
    (_l("My training"), "assignments.my_training", {"officer", "training_lead"}),
    (_l("Courses"), "courses.catalogue", {"officer", "training_lead", "admin"}),
    (_l("Glossary"), "content.glossary", {"officer", "training_lead", "admin"}),
    (_l("My certificates"), "certificates.mine", {"officer", "training_lead"}),
    (_l("Assignments"), "assignments.lead_assignments", {"training_lead", "admin"}),
    (_l("Force dashboard"), "metrics.force_dashboard", {"training_lead"}),
    (_l("Teams"), "auth.teams", {"training_lead"}),
    (_l("National view"), "metrics.national", {"commissioner", "admin"}),
    (_l("Monthly releases"), "metrics.releases", {"commissioner", "admin"}),
    (_l("Forces"), "forces.list_forces", {"commissioner", "admin"}),
    (_l("Users"), "auth.admin_users", {"admin"}),
    (_l("Provisioning"), "scim.admin_tokens", {"admin"}),
    (_l("Content"), "content.admin_content", {"admin"}),
    (_l("Certificates"), "certificates.admin_list", {"admin"}),
    (_l("Audit log"), "auth.admin_audit", {"admin"}),
)


def nav_items() -> list[tuple[str, str, bool]]:
    """Navigation links for the signed-in user's role: (label, url, is_current)."""
    from flask import url_for

    if not current_user.is_authenticated:
        return []
    items = []
    for label, endpoint, allowed in NAV:
        if current_user.role not in allowed:
            continue
        items.append((label, url_for(endpoint), request.endpoint == endpoint))
    return items


def choice_items(field, item_hints=None, conditional=None) -> list[dict]:
    """A WTForms choice field's options as GOV.UK radios or checkboxes items: value, text, checked,
    and a hint or a conditional reveal where the template gives one for that value."""
    items = []
    for value, label, selected, _render_kw in field.iter_choices():
        item = {"value": value, "text": label, "checked": selected}
        if item_hints and value in item_hints:
            item["hint"] = {"text": item_hints[value]}
        if conditional and value in conditional:
            item["conditional"] = {"html": conditional[value]}
        items.append(item)
    return items
