"""Shared fixtures: one schema per session, a rolled-back transaction per test (Indico's pattern)."""

import os
from contextlib import contextmanager

import pytest
from sqlalchemy import event
from sqlalchemy.orm import scoped_session, sessionmaker

from app import create_app
from app.extensions import db, limiter
from config import TestingConfig


def _sqlite_savepoint_fix(engine) -> None:
    """pysqlite needs this for SAVEPOINT-based test isolation (SQLAlchemy docs recipe)."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(conn):
        conn.exec_driver_sql("BEGIN")


def _worker_schema():
    """Under pytest-xdist on PostgreSQL, each worker's tables live in a schema of its own (the
    workers would otherwise create and drop the same tables); None otherwise."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    url = postgres_url()
    if not worker or url is None:
        return None, None
    from sqlalchemy import create_engine, text

    if "+" not in url.split(":")[0]:
        url = url.replace("postgresql://", "postgresql+psycopg://", 1)
    schema = f"xdist_{worker}"
    admin = create_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    config = type(
        "WorkerConfig",
        (TestingConfig,),
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SQLALCHEMY_ENGINE_OPTIONS": {
                **TestingConfig.SQLALCHEMY_ENGINE_OPTIONS,
                "connect_args": {"options": f"-csearch_path={schema}"},
            },
        },
    )
    return config, (admin, schema)


@pytest.fixture(scope="session")
def app():
    """The application on the test database with the schema created once."""
    worker_config, worker_schema = _worker_schema()
    application = create_app(worker_config or TestingConfig)

    @application.teardown_request
    def _forget_cached_user(_exc):
        # Tests hold one app context across requests, so `g` outlives a request here (it never
        # does in production): drop Flask-Login's cached user so each request loads it afresh.
        from flask import g

        g.pop("_login_user", None)
        g.pop("_flask_babel", None)  # and Flask-Babel's locale, chosen per request

    with application.app_context():
        _sqlite_savepoint_fix(db.engine)
        db.drop_all()
        db.create_all()
    yield application
    with application.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()
    if worker_schema is not None:
        from sqlalchemy import text

        admin, schema = worker_schema
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def database(app):
    """An app context whose session works inside a transaction rolled back after the test."""
    from app import clock

    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        original = db.session
        # A plain session: Flask-SQLAlchemy's own would pick the engine over this connection.
        db.session = scoped_session(sessionmaker(bind=connection, join_transaction_mode="create_savepoint"))
        try:
            yield db
        finally:
            db.session.remove()
            db.session = original
            outer.rollback()
            connection.close()
            clock.reset()


@pytest.fixture
def client(app, database):
    """A test client sharing the test's transaction."""
    return app.test_client()


@pytest.fixture
def login_as(client, database):
    """Sign a user in on the test client without a password round trip."""
    from app.auth.session_services import start_session

    def _login(user):
        token = start_session(user)
        # Commit (a savepoint release here), so a view's rollback keeps the test's data.
        database.session.commit()
        with client.session_transaction() as session:
            session.clear()
            session["_user_id"] = token
            session["_fresh"] = True
        return user

    return _login


@contextmanager
def rate_limited_app(config_base=TestingConfig, **settings):
    """A fresh app with Flask-Limiter on (memory storage) and its own in-memory database.

    The Limiter object is shared by every app (app/extensions.py) and init_app sets its `enabled`
    flag, so the flag is put back afterwards, and the counters cleared, or the rest of the suite
    would be rate limited.
    """
    was_enabled = limiter.enabled
    config = type(
        "LimitedConfig",
        (config_base,),
        {
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": "memory://",
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            **settings,
        },
    )
    application = create_app(config)
    with application.app_context():
        db.create_all()
    try:
        yield application
    finally:
        with application.app_context():
            limiter.reset()
            limiter.enabled = was_enabled
            db.session.remove()
            # In-memory: disposing the engine drops the database (no drop_all, which cannot order
            # the modules <-> module_versions cycle once rows exist and foreign keys are on).
            db.engine.dispose()


def postgres_url() -> str | None:
    """The PostgreSQL test URL when the suite runs against PostgreSQL."""
    url = os.environ.get("TEST_DATABASE_URL", "")
    return url if url.startswith("postgres") else None


def committed_app(kind: str, tmp_path, *, engine_options=None, **settings):
    """An app on its own real database, for tests that need several connections (races).

    kind "sqlite" uses a temporary file; "postgresql" a fresh schema in TEST_DATABASE_URL (skipped
    when that is not PostgreSQL). The schema is made with create_all. Returns (app, cleanup).
    """
    import uuid

    from sqlalchemy import create_engine, text

    options = dict(engine_options or {})
    schema, admin = None, None
    if kind == "sqlite":
        url = f"sqlite:///{tmp_path / 'committed.db'}"
        # Writers wait for each other instead of failing at once.
        options.setdefault("connect_args", {"timeout": 30})
    else:
        url = postgres_url()
        if url is None:
            pytest.skip("TEST_DATABASE_URL does not name a PostgreSQL database")
        if "+" not in url.split(":")[0]:
            url = url.replace("postgresql://", "postgresql+psycopg://", 1)
        schema = f"t_{uuid.uuid4().hex[:12]}"
        admin = create_engine(url)
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        options["connect_args"] = {"options": f"-csearch_path={schema}"}
    config = type(
        "CommittedConfig",
        (TestingConfig,),
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, **options},
            **settings,
        },
    )
    application = create_app(config)
    with application.app_context():
        db.create_all()

    def cleanup():
        with application.app_context():
            db.session.remove()
            if schema is None:
                # SQLite: the file goes with tmp_path. drop_all cannot order the tables of the
                # modules <-> module_versions cycle, and with foreign keys on a DROP of a
                # referenced table holding rows is refused.
                db.engine.dispose()
                return
            db.drop_all()
            db.engine.dispose()
        if schema:
            with admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()

    return application, cleanup


@pytest.fixture(autouse=True)
def _limiter_flag_restored():
    """Put Flask-Limiter's process-wide `enabled` flag back after each test: create_app() with a
    production config (several app and security tests) switches it on for every later test in the
    process, which, in whatever order pytest-xdist runs the modules, rate-limits the sign-in tests."""
    was_enabled = limiter.enabled
    yield
    limiter.enabled = was_enabled


def pytest_xdist_make_scheduler(config, log):
    """Under pytest-xdist (TEST_WORKERS=2), send each test module to one worker as a unit, and every
    browser test (tests/browser/) to the same worker: they share one live server and one set of page
    titles. pytest-xdist 3.8's own --dist loadgroup groups nothing under pytest 9."""
    from xdist.scheduler import LoadScopeScheduling

    class BrowserTogether(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            return "tests/browser" if module.startswith("tests/browser/") else module

    # In collection order, so the browser tests (tests/browser, collected first and the longest
    # unit: a live server and Chromium) start at once beside the rest, not last on their own.
    config.option.loadscopereorder = False
    return BrowserTogether(config, log)
