"""The application package: `create_app()` builds a configured Flask app.

Flask is imported inside the factory so that the pure modules under app/ (content loading, scoring,
statistics, PDF rendering, metric formulas) import without Flask.
"""

import importlib
import importlib.util

# Feature packages; each may have routes.py (a blueprint `bp`) and cli.py (a `register(app)`).
FEATURES = (
    "main",
    "auth",
    "forces",
    "content",
    "courses",
    "assessments",
    "certificates",
    "assignments",
    "metrics",
    "law_updates",
)
URL_PREFIXES: dict[str, str] = {}


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
    register_commands(app)
    from app import web

    web.register(app)
    return app


def _ensure_instance_dir(app) -> None:
    import os

    os.makedirs(app.instance_path, exist_ok=True)


def _feature_module(feature: str, name: str):
    """Import app.<feature>.<name> if that file exists."""
    module_name = f"app.{feature}.{name}"
    if importlib.util.find_spec(module_name) is None:
        return None
    return importlib.import_module(module_name)


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
    from app.auth.access import enforce_access
    from app.extensions import csrf, db, limiter, login_manager, migrate

    db.init_app(app)

    @app.teardown_appcontext
    def _close_session_safely(_exc):
        # Runs before Flask-SQLAlchemy's own teardown. If the database went away mid-request
        # (a restart), rolling back the dead connection raises; the response is already made,
        # so drop the session instead of turning it into a 500.
        from sqlalchemy.exc import SQLAlchemyError

        try:
            db.session.remove()
        except SQLAlchemyError as exc:
            app.logger.warning("discarded a session on a lost connection: %s", exc)
            db.session.registry.clear()

    migrate.init_app(app, db, directory=str(_migrations_dir()), render_as_batch=True, compare_type=True)
    # Access is checked before CSRF, so a refused role gets 403 whatever it posts.
    app.before_request(enforce_access)

    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Sign in to continue."
    login_manager.session_protection = None  # server-side sessions; see auth.services
    import_models()
    from app import queue

    queue.init_app(app)

    @login_manager.user_loader
    def load_user(token: str):
        from app.auth.services import load_session

        return load_session(token)


def import_models() -> None:
    """Import every models module (app/audit.py and app/<feature>/models.py)."""
    import app.audit  # noqa: F401

    for feature in FEATURES:
        _feature_module(feature, "models")


def _migrations_dir():
    from pathlib import Path

    return Path(__file__).resolve().parent.parent / "migrations"


def register_blueprints(app) -> None:
    """Register the blueprint of every feature package that has routes."""
    for feature in FEATURES:
        module = _feature_module(feature, "routes")
        if module is not None:
            app.register_blueprint(module.bp, url_prefix=URL_PREFIXES.get(feature))


def register_commands(app) -> None:
    """Add each feature's CLI commands (flask users ..., flask content ..., flask demo ...)."""
    for feature in FEATURES:
        module = _feature_module(feature, "cli")
        if module is not None:
            module.register(app)
    from app.queue_cli import queue_cli

    app.cli.add_command(queue_cli)
