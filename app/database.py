"""Database connection settings that SQLAlchemy does not apply by itself."""

import sqlite3

from sqlalchemy import event
from sqlalchemy.engine import Engine


def _sqlite_foreign_keys_on(dbapi_connection, _record) -> None:
    """SQLite ignores FOREIGN KEY clauses unless each connection asks; PostgreSQL always checks."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def enforce_sqlite_foreign_keys() -> None:
    """Turn foreign keys on for every SQLite connection any engine opens (idempotent)."""
    if not event.contains(Engine, "connect", _sqlite_foreign_keys_on):
        event.listen(Engine, "connect", _sqlite_foreign_keys_on)
