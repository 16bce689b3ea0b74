"""The national figures' module statement on a second connection (app.metrics.background).

The parallel path needs committed data (another connection cannot see a test's open
transaction), so those tests run on their own PostgreSQL schema (skipped on SQLite).
"""

import threading
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import text

from app.demo.synthetic import generate_national
from app.extensions import db
from app.forces.services import read_forces_csv, sync_forces
from app.metrics import background, queries, services, snapshots
from tests.conftest import committed_app, postgres_url

ROOT = Path(__file__).resolve().parents[3]


def _backend() -> tuple[str, int | None]:
    """(the thread it ran on, the PostgreSQL server process of its connection, None on SQLite)."""
    pid = None
    if db.engine.dialect.name == "postgresql":
        pid = db.session.execute(text("SELECT pg_backend_pid()")).scalar()
    return threading.current_thread().name, pid


@pytest.fixture
def parallel_app(tmp_path):
    app, cleanup = committed_app("postgresql", tmp_path, METRICS_PARALLEL=True)
    yield app
    cleanup()


@pytest.mark.skipif(postgres_url() is not None, reason="the suite runs on PostgreSQL")
def test_runs_in_the_request_on_sqlite_even_when_enabled(app, database):
    app.config["METRICS_PARALLEL"] = True
    try:
        assert not background.enabled()
        assert background.start(_backend).result() == _backend()
    finally:
        app.config["METRICS_PARALLEL"] = False


def test_runs_on_another_connection_on_postgresql(parallel_app):
    with parallel_app.app_context():
        here = _backend()
        there = background.start(_backend).result()
        assert there[0] != here[0]
        assert there[0].startswith("metrics")
        assert there[1] != here[1]


def test_runs_in_the_request_when_the_setting_is_off(parallel_app):
    parallel_app.config["METRICS_PARALLEL"] = False
    with parallel_app.app_context():
        assert background.start(_backend).result() == _backend()


def test_prepare_runs_in_the_statements_own_transaction(parallel_app):
    with parallel_app.app_context():

        def settings():
            return db.session.execute(text("SHOW jit")).scalar(), _backend()[0]

        jit, thread = background.start(settings, prepare=queries.tune_for_reports).result()
        assert (jit, thread.startswith("metrics")) == ("off", True)
        # SET LOCAL ended with that transaction: the connection went back to the pool as it was.
        assert background.start(settings).result()[0] == "on"


def test_no_free_slot_runs_it_in_the_request(parallel_app):
    with parallel_app.app_context():
        taken = 0
        try:
            while background._slots.acquire(blocking=False):
                taken += 1
            assert taken == background.BACKGROUND_LIMIT
            assert background.start(_backend).result() == _backend()
        finally:
            for _ in range(taken):
                background._slots.release()


def test_an_error_reaches_the_request_and_frees_its_slot(parallel_app):
    def broken():
        db.session.execute(text("SELECT 1 / 0"))

    with parallel_app.app_context():
        for _ in range(background.BACKGROUND_LIMIT + 1):  # a slot that leaked would run out
            with pytest.raises(Exception, match="division by zero"):
                background.start(broken).result()
        assert background.start(_backend).result()[0].startswith("metrics")


@pytest.mark.parametrize("course", [False, True])
def test_the_national_figures_are_the_same_either_way(parallel_app, course, monkeypatch):
    threads = []
    module_counts = queries.module_counts

    def recorded(*args):
        threads.append(threading.current_thread().name)
        return module_counts(*args)

    monkeypatch.setattr(queries, "module_counts", recorded)
    with parallel_app.app_context():
        sync_forces(read_forces_csv(ROOT / "content" / "forces.csv"))
        db.session.commit()
        generate_national(600, 12, seed=14)
        scope, _course = services.scope_for(services.Filters())
        if course:
            scope = replace(scope, course_id=queries.courses()[0].id)
        forces = queries.forces_in_scope(scope)
        parallel_app.config["METRICS_PARALLEL"] = False
        alone = snapshots.compute(scope, forces)
        db.session.rollback()
        parallel_app.config["METRICS_PARALLEL"] = True
        together = snapshots.compute(scope, forces)
        db.session.rollback()
        assert [name.startswith("metrics") for name in threads] == [False, True]
        assert sum(row.officers_assessed for row in alone.counts) > 0
        assert sum(len(row.modules) for row in alone.counts) > 0
        assert replace(together, computed_at=None) == replace(alone, computed_at=None)
