"""How a request's transaction ends (app/database.py, app/__init__.py _close_session_safely).

A transaction that only read ends with COMMIT, so psycopg keeps its prepared statements; anything
that wrote without committing, failed, holds unflushed changes, or ended in an exception is rolled
back as before. Checked on its own database (no test transaction around it) on SQLite and, when
TEST_DATABASE_URL names one, PostgreSQL.
"""

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import OperationalError, ProgrammingError

from app.extensions import db
from app.forces.models import Force
from tests.conftest import committed_app


@pytest.fixture(params=["sqlite", "postgresql"])
def own_app(request, tmp_path):
    application, cleanup = committed_app(request.param, tmp_path)
    yield application
    cleanup()


@pytest.fixture
def endings(own_app):
    """The list of 'commit' and 'rollback' calls the app's engine makes from here on."""
    seen: list[str] = []
    with own_app.app_context():
        engine = db.engine
    listeners = {name: (lambda *_a, name=name: seen.append(name)) for name in ("commit", "rollback")}
    for name, listener in listeners.items():
        event.listen(engine, name, listener)
    yield seen
    for name, listener in listeners.items():
        event.remove(engine, name, listener)


def _forces(application) -> list[str]:
    with application.app_context():
        names = list(db.session.scalars(db.select(Force.name).order_by(Force.name)))
    return names


def test_a_request_that_only_read_ends_with_commit(own_app, endings):
    response = own_app.test_client().get("/healthz")
    assert response.status_code == 200
    assert endings == ["commit"]


def test_an_app_context_that_only_read_ends_with_commit(own_app, endings):
    with own_app.app_context():
        db.session.execute(text("SELECT 1"))
        db.session.scalars(db.select(Force)).all()
    assert endings == ["commit"]


def test_objects_read_in_an_app_context_stay_readable_after_it(own_app, endings):
    with own_app.app_context():
        db.session.add(Force(name="Kept", code="kp", nation="Wales", type="territorial"))
        db.session.commit()
    with own_app.app_context():
        force = db.session.scalars(db.select(Force)).one()
    assert endings == ["commit", "commit"]
    assert (force.name, force.nation) == ("Kept", "Wales")  # not expired by the read's commit


def test_an_app_context_that_ran_nothing_ends_nothing(own_app, endings):
    with own_app.app_context():
        pass
    assert endings == []


def test_a_write_left_uncommitted_is_rolled_back(own_app, endings):
    with own_app.app_context():
        db.session.execute(
            db.insert(Force).values(name="Left", code="lu", nation="England", type="territorial")
        )  # a Core INSERT, not the unit of work: the session has nothing pending after it
        db.session.execute(text("SELECT 1"))  # a read after it does not make it a read-only one
    assert endings == ["rollback"]
    assert _forces(own_app) == []


def test_an_unflushed_change_is_not_written(own_app, endings):
    with own_app.app_context():
        db.session.execute(text("SELECT 1"))
        db.session.add(Force(name="Never Flushed", code="nf", nation="England", type="territorial"))
    assert endings == ["rollback"]
    assert _forces(own_app) == []


def test_a_failed_statement_rolls_back(own_app, endings):
    with own_app.app_context():
        with pytest.raises(ProgrammingError if db.engine.dialect.name == "postgresql" else OperationalError):
            db.session.execute(text("SELECT * FROM no_such_table"))
    assert endings == ["rollback"]


def test_an_exception_in_the_context_rolls_back(own_app, endings):
    def failing_request():
        with own_app.app_context():
            db.session.execute(text("SELECT 1"))
            raise ValueError("the request failed")

    with pytest.raises(ValueError, match="the request failed"):
        failing_request()
    assert endings == ["rollback"]


def test_a_committed_write_then_reads_commits_the_reads(own_app, endings):
    with own_app.app_context():
        db.session.add(Force(name="Committed", code="cm", nation="England", type="territorial"))
        db.session.commit()
        db.session.execute(text("SELECT 1"))  # a new transaction that only reads
    assert endings == ["commit", "commit"]
    assert _forces(own_app) == ["Committed"]


def test_statements_stay_prepared_across_requests_on_postgresql(own_app):
    """The reason for all of this: after its fifth run on a connection psycopg prepares a
    statement, and the commit at the end of each request keeps it prepared."""
    with own_app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("prepared statements are psycopg's")
    marker = "SELECT count(*) AS prepared_marker FROM forces WHERE code = :code"
    for _ in range(7):
        with own_app.app_context():
            db.session.execute(text(marker), {"code": "x"}).scalar_one()
    with own_app.app_context():
        prepared = db.session.execute(
            text("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%prepared_marker%'")
        ).scalar_one()
    assert prepared == 1
