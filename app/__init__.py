"""The application package: `create_app()` builds a configured Flask app.

Flask is imported inside the factory so that the pure modules under app/ (content loading, scoring,
statistics, PDF rendering, metric formulas) import without Flask.
"""


def create_app(config_class=None):
    """Build the Flask application for a config class (from APP_ENV by default)."""
    from flask import Flask

    from config import ProductionConfig, config_from_env

    config_class = config_class or config_from_env()
    production = issubclass(config_class, ProductionConfig)
    if production:
        config_class.check()
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(config_class)
    if production:
        for message in config_class.warnings():
            app.logger.warning(message)
    _ensure_instance_dir(app)
    register_converters(app)
    register_proxy_fix(app)
    register_extensions(app)
    register_blueprints(app)
    register_api(app)
    register_commands(app)
    register_template_helpers(app)
    from app import web

    web.register(app)
    return app


def register_template_helpers(app) -> None:
    """Every Jinja global and filter, in one place (the functions live with their features)."""
    from flask_login import current_user

    from app.audit_words import detail_words, in_words
    from app.auth.account_routes import session_seconds_left
    from app.content.localised import course_text
    from app.courses.routes import duration
    from app.formatting import plural, uk_date, uk_datetime, uk_time
    from app.i18n import current_language
    from app.metrics.routes import metric_display, release_cell
    from app.web import GOVUK_FRONTEND_VERSION, choice_items, has_endpoint, nav_items

    register_govuk_frontend(app)
    # {% do list.append(x) %}: `_` is gettext (app.i18n), never a throwaway name in templates.
    app.jinja_env.add_extension("jinja2.ext.do")
    # current_user as a global too: macros imported without context (certificates/_macros.html)
    # do not see context processors, and a revoked certificate in a list was a 500.
    app.jinja_env.globals.update(
        current_user=current_user,
        nav_items=nav_items,
        has_endpoint=has_endpoint,
        govuk_frontend_version=GOVUK_FRONTEND_VERSION,
        choice_items=choice_items,
        session_seconds_left=session_seconds_left,
        metric_display=metric_display,
        release_cell=release_cell,
    )
    app.jinja_env.filters["duration"] = duration
    app.jinja_env.filters["audit_words"] = in_words
    app.jinja_env.filters["audit_detail"] = detail_words
    # {{ n | plural('officer') }}, {{ d | uk_date }}, {{ at | uk_datetime }}: app/formatting.py
    # Dates and times in the request's language (app.i18n); plural is English only: translated
    # templates use ngettext, which follows Welsh's six plural forms.
    app.jinja_env.filters.update(
        plural=plural,
        uk_date=lambda day, **kw: uk_date(day, language=current_language(), **kw),
        uk_datetime=lambda moment, **kw: uk_datetime(moment, language=current_language(), **kw),
        uk_time=lambda moment, **kw: uk_time(moment, language=current_language(), **kw),
    )
    app.jinja_env.filters["topic"] = _topic_filter(app)
    # {{ course.title | course_text | english }}: a course's text in the page's language where its
    # translation is current (content/cy/courses.yml, app.content.localised), else marked English.
    app.jinja_env.filters["course_text"] = lambda english: course_text(english, current_language())


def _topic_filter(app):
    """{{ tag | topic }}: the tag's name from topics.yml, read once per request (a dashboard names
    a hundred tags; each lookup outside a request reads the file's state again)."""
    from flask import has_request_context, request

    from app.content.topics import topic_names

    def topic(tag: str) -> str:
        if not has_request_context():
            return topic_names(app.config["CONTENT_DIR"]).get(tag, tag)
        # On the request, not on g: an app context (and its g) may outlive a request.
        names = request.environ.get("app.topic_names")
        if names is None:
            names = request.environ["app.topic_names"] = topic_names(app.config["CONTENT_DIR"])
        return names.get(tag, tag)

    return topic


def register_govuk_frontend(app) -> None:
    """The GOV.UK Frontend macros (govuk-frontend-jinja) under the prefix its own templates use:
    `{% from "govuk_frontend_jinja/components/button/macro.html" import govukButton %}`."""
    from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader

    # Flask's environment asks app.jinja_loader (app/templates) on every lookup, then blueprints.
    app.jinja_loader = ChoiceLoader(
        [
            app.jinja_loader,
            PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
        ]
    )


def _ensure_instance_dir(app) -> None:
    import os

    os.makedirs(app.instance_path, exist_ok=True)


def register_converters(app) -> None:
    """URL converters, before any route is added: `<int:...>` is bounded (app.bounds)."""
    from app.bounds import BoundedIntConverter

    app.url_map.converters["int"] = BoundedIntConverter


def register_proxy_fix(app) -> None:
    """Behind TRUSTED_PROXIES reverse proxies, take the client address, scheme and host from
    their X-Forwarded-* headers; with 0 (the default) those headers are ignored."""
    hops = app.config.get("TRUSTED_PROXIES", 0)
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def register_extensions(app) -> None:
    """Bind the extensions and load every model so migrations see the whole schema."""
    from app.access import enforce_access
    from app.database import (
        end_read_only_transaction,
        enforce_sqlite_foreign_keys,
        track_read_only_transactions,
    )
    from app.extensions import csrf, db, limiter, login_manager, migrate

    enforce_sqlite_foreign_keys()
    track_read_only_transactions()
    db.init_app(app)

    @app.teardown_appcontext
    def _close_session_safely(exc):
        # Runs before Flask-SQLAlchemy's own teardown. A transaction that only read ends with
        # COMMIT, which keeps psycopg's prepared statements (app.database); any other rolls back.
        # If the database went away mid-request (a restart), ending the transaction on the dead
        # connection raises; the response is already made, so drop the session instead of
        # turning it into a 500.
        from sqlalchemy.exc import SQLAlchemyError

        try:
            if exc is None and db.session.registry.has():
                end_read_only_transaction(db.session())
            db.session.remove()
        except SQLAlchemyError as error:
            app.logger.warning("discarded a session on a lost connection: %s", error)
            db.session.registry.clear()

    migrate.init_app(app, db, directory=str(_migrations_dir()), render_as_batch=True, compare_type=True)
    # Access is checked before CSRF, so a refused role gets 403 whatever it posts.
    app.before_request(enforce_access)

    csrf.init_app(app)
    limiter.init_app(app)
    from app import i18n

    i18n.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Sign in to continue."
    login_manager.session_protection = None  # server-side sessions; see auth.services
    import_models()
    from app import queue

    queue.init_app(app)
    from app.metrics import hooks as metrics_hooks
    from app.xapi import delivery, hooks

    delivery.init_app(app)
    hooks.connect()
    metrics_hooks.connect()

    @login_manager.user_loader
    def load_user(token: str):
        from app.auth.session_services import load_session

        return load_session(token)


def import_models() -> None:
    """Import every models module, so the metadata (and so migrations) see the whole schema."""
    import app.api.models  # noqa: F401
    import app.assessments.models  # noqa: F401
    import app.assignments.models
    import app.audit
    import app.auth.models
    import app.certificates.models
    import app.content.models
    import app.courses.models
    import app.forces.models
    import app.law_updates.models
    import app.mail.models
    import app.metrics.models
    import app.scim.models
    import app.xapi.models  # noqa: F401


def _migrations_dir():
    from pathlib import Path

    return Path(__file__).resolve().parent.parent / "migrations"


def register_blueprints(app) -> None:
    """Every feature's blueprint, named here so the factory shows the whole map of the site.

    No blueprint has a URL prefix: each declares its full paths, so public addresses already
    printed or mailed (/verify/<serial> on certificates' QR codes, /account/set-password/<token>
    in invitations and reset emails) stay where they are."""
    from app.assessments.routes import bp as assessments_bp
    from app.assignments.routes import bp as assignments_bp
    from app.auth import (  # noqa: F401  (their views, on auth's bp)
        account_routes,
        routes,
        sso_routes,
        team_routes,
    )
    from app.auth.blueprint import bp as auth_bp
    from app.certificates.routes import bp as certificates_bp
    from app.content.routes import bp as content_bp
    from app.courses.routes import bp as courses_bp
    from app.credentials.routes import bp as credentials_bp
    from app.forces.routes import bp as forces_bp
    from app.law_updates.routes import bp as law_updates_bp
    from app.main.routes import bp as main_bp
    from app.metrics.routes import bp as metrics_bp
    from app.scim.routes import bp as scim_bp
    from app.xapi.admin_routes import bp as xapi_admin_bp

    for blueprint in (
        main_bp,
        auth_bp,
        forces_bp,
        content_bp,
        courses_bp,
        assessments_bp,
        certificates_bp,
        assignments_bp,
        metrics_bp,
        scim_bp,
        xapi_admin_bp,
        credentials_bp,
        law_updates_bp,
    ):
        app.register_blueprint(blueprint)
    if app.config.get("ALLOW_TIME_TRAVEL"):
        from app.main.travel import bp as time_travel_bp

        app.register_blueprint(time_travel_bp)


def register_api(app) -> None:
    """The read-only API: OAuth 2.0 endpoints, /api/v1 routes and /api/openapi.json (flask-smorest)."""
    from app.api import admin_routes, oauth, oauth_routes, openapi
    from app.api.routes import bp as api_bp

    oauth.init_app(app)
    app.register_blueprint(oauth_routes.bp)
    app.register_blueprint(admin_routes.bp)
    openapi.init_app(app, api_bp)


def register_commands(app) -> None:
    """Each feature's CLI commands (flask users ..., flask content ..., flask demo ...)."""
    from app.assignments import cli as assignments_cli
    from app.auth import cli as auth_cli
    from app.content import cli as content_cli
    from app.credentials import cli as credentials_cli
    from app.demo import cli as demo_cli
    from app.forces import cli as forces_cli
    from app.metrics import cli as metrics_cli
    from app.xapi import cli as xapi_cli

    for commands in (
        demo_cli,
        auth_cli,
        forces_cli,
        content_cli,
        assignments_cli,
        metrics_cli,
        xapi_cli,
        credentials_cli,
    ):
        commands.register(app)
    from app.queue_cli import queue_cli

    app.cli.add_command(queue_cli)
