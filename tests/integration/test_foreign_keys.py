"""Foreign keys hold on SQLite as on PostgreSQL: app/database.py turns them on per connection."""

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.forces.models import Force, Team
from tests.conftest import committed_app


def _dangling_team(session) -> None:
    missing = (session.scalar(db.select(db.func.max(Force.id))) or 0) + 1000
    session.add(Team(force_id=missing, name="Nowhere team"))
    session.flush()


def test_a_team_of_a_force_that_does_not_exist_is_refused(database):
    with pytest.raises(IntegrityError), db.session.begin_nested():
        _dangling_team(db.session)


def test_every_sqlite_connection_of_the_app_refuses_dangling_keys(tmp_path):
    application, cleanup = committed_app("sqlite", tmp_path)
    try:
        with application.app_context():
            with db.engine.connect() as connection:
                assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            with pytest.raises(IntegrityError):
                _dangling_team(db.session)
            db.session.rollback()
            assert db.session.scalar(db.select(db.func.count(Team.id))) == 0
    finally:
        cleanup()


def test_engines_made_outside_the_app_check_foreign_keys_too(app, tmp_path):
    """The listener is on every Engine, so scripts and migrations opening their own get it."""
    engine = create_engine(f"sqlite:///{tmp_path / 'other.db'}")
    try:
        with engine.begin() as connection:
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    finally:
        engine.dispose()
