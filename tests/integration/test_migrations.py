"""The Alembic migrations build exactly the schema the models describe."""

import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from app import create_app
from app.extensions import db
from config import TestingConfig
from tests.conftest import postgres_url


@pytest.fixture
def empty_database_url(tmp_path):
    """A brand-new empty database: a SQLite file, or a fresh PostgreSQL database."""
    pg = postgres_url()
    if not pg:
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    name = f"msa_mig_{uuid.uuid4().hex[:8]}"
    admin = create_engine(pg, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(pg).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _app_for(url):
    class MigrationConfig(TestingConfig):
        SQLALCHEMY_DATABASE_URI = url

    return create_app(MigrationConfig)


def test_migrations_match_the_models(empty_database_url):
    app = _app_for(empty_database_url)
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            diff = compare_metadata(
                MigrationContext.configure(conn, opts={"compare_type": True}), db.metadata
            )
        db.engine.dispose()
    assert diff == [], f"models and migrations differ; run `flask db migrate`: {diff}"


def test_migrations_downgrade_to_nothing_and_back(empty_database_url):
    app = _app_for(empty_database_url)
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert "users" in inspect(db.engine).get_table_names()
        db.engine.dispose()


def test_0009_backfills_workforce_type_from_the_role(empty_database_url):
    """Officers become police officers and every other role police staff; raw inserts still work."""
    app = _app_for(empty_database_url)
    with app.app_context():
        upgrade(revision="0008")
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO forces (code, name, nation, type, headcount, headcount_source, updated_at) "
                    "VALUES ('kent', 'Kent Police', 'England', 'territorial', 4168, 'x', '2026-01-01')"
                )
            )
            for email, role in [
                ("officer@p.uk", "officer"),
                ("lead@p.uk", "training_lead"),
                ("commissioner@p.uk", "commissioner"),
                ("admin@p.uk", "admin"),
            ]:
                conn.execute(
                    text(
                        "INSERT INTO users (email, name, role, active, created_at, force_joined_at) "
                        "VALUES (:email, 'Someone', :role, :active, '2026-01-01', '2026-01-01')"
                    ),
                    {"email": email, "role": role, "active": True},
                )
        upgrade()
        with db.engine.begin() as conn:
            kinds = dict(conn.execute(text("SELECT email, workforce_type FROM users")).all())
            measure = conn.execute(text("SELECT headcount_measure FROM forces")).scalar_one()
            conn.execute(
                text(
                    "INSERT INTO users (email, name, role, active, created_at, force_joined_at) "
                    "VALUES ('raw@p.uk', 'Raw', 'officer', :active, '2026-01-01', '2026-01-01')"
                ),
                {"active": True},
            )
            raw = conn.execute(text("SELECT workforce_type FROM users WHERE email = 'raw@p.uk'")).scalar_one()
        db.engine.dispose()
    assert kinds == {
        "officer@p.uk": "police_officer",
        "lead@p.uk": "police_staff",
        "commissioner@p.uk": "police_staff",
        "admin@p.uk": "police_staff",
    }
    assert measure is None  # not guessed: `flask forces sync` sets it from the reference file
    assert raw == "police_officer"


def test_0026_copies_record_keys_and_before_ratings_onto_the_event_rows(empty_database_url):
    """Module results and confidence ratings get their officer's record key, and an 'after' rating
    its 'before' rating (NULL when there was none; a 'before' row keeps NULL)."""
    app = _app_for(empty_database_url)
    with app.app_context():
        upgrade(revision="0025")
        with db.engine.begin() as conn:
            for user_id, key in ((1, 77), (2, 201)):
                conn.execute(
                    text(
                        "INSERT INTO users (id, email, name, role, active, created_at, force_joined_at,"
                        " record_key) VALUES (:id, :email, 'Someone', 'officer', :active, '2026-01-01',"
                        " '2026-01-01', :key)"
                    ),
                    {"id": user_id, "email": f"o{user_id}@p.uk", "active": True, "key": key},
                )
            for module_id in (1, 2):
                conn.execute(
                    text(
                        "INSERT INTO modules (id, slug, published, created_at)"
                        " VALUES (:id, :slug, :p, '2026-01-01')"
                    ),
                    {"id": module_id, "slug": f"m{module_id}", "p": True},
                )
            conn.execute(
                text(
                    "INSERT INTO module_results (user_id, module_id, attempts, best_percent,"
                    " first_attempt_passed, updated_at) VALUES (2, 1, 1, 80, :f, '2026-01-01')"
                ),
                {"f": False},
            )
            for user_id, module_id, stage, rating in (
                (1, 1, "before", 2),
                (1, 1, "after", 5),
                (1, 2, "after", 4),
            ):
                conn.execute(
                    text(
                        "INSERT INTO confidence_ratings (user_id, module_id, stage, rating, rated_at)"
                        " VALUES (:u, :m, :s, :r, '2026-01-01')"
                    ),
                    {"u": user_id, "m": module_id, "s": stage, "r": rating},
                )
        upgrade()
        with db.engine.begin() as conn:
            result_key = conn.execute(text("SELECT record_key FROM module_results")).scalar_one()
            ratings = conn.execute(
                text(
                    "SELECT module_id, stage, record_key, before_rating FROM confidence_ratings"
                    " ORDER BY module_id, stage"
                )
            ).all()
        db.engine.dispose()
    assert result_key == 201
    assert [tuple(row) for row in ratings] == [
        (1, "after", 77, 2),
        (1, "before", 77, None),
        (2, "after", 77, None),
    ]
