"""Database connection settings that SQLAlchemy does not apply by itself, and how a request's
transaction ends."""

import re
import sqlite3

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

# Set on a connection (Connection.info) once its transaction runs anything but a read, or fails.
_NOT_READ_ONLY = "transaction_not_read_only"
# A data-modifying statement inside a WITH (a CTE may insert, update or delete).
_WRITES = re.compile(r"\b(?:INSERT|UPDATE|DELETE|MERGE)\b", re.IGNORECASE)


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


# --- a transaction that only read ends with COMMIT -------------------------------------------
#
# For the database, committing a transaction that only read is the same as rolling it back. For
# psycopg it is not: every ROLLBACK empties its cache of prepared statements (psycopg/_preparing.py),
# and a statement is prepared only after its fifth run on a connection. A request's session used to
# end with a rollback, so no statement was ever prepared, and PostgreSQL planned every statement of
# every page afresh: about 5 ms of the training lead's dashboard was planning. A request whose
# transaction ran only reads now ends with COMMIT; one that wrote anything (and did not commit it),
# failed, or holds unflushed changes still rolls back, exactly as before.


def is_read(statement: str) -> bool:
    """Whether SQL text only reads: a SELECT, or a WITH whose parts are all SELECTs. A SELECT
    calling a function that writes (none in this app: its SQL is SQLAlchemy's, plus SELECT 1 and
    set_config) would count as a read and be committed; write such a call as its own committed
    step."""
    head = statement.lstrip()[:6].upper()
    if head == "SELECT":
        return True
    return head.startswith("WITH") and not _WRITES.search(statement)


def _begun(connection, *_args) -> None:
    connection.info.pop(_NOT_READ_ONLY, None)


def _statement(connection, _cursor, statement, _parameters, _context, _executemany) -> None:
    if not is_read(statement):
        connection.info[_NOT_READ_ONLY] = True


def _failed(context) -> None:
    if context.connection is not None:
        context.connection.info[_NOT_READ_ONLY] = True


def track_read_only_transactions() -> None:
    """Note, on every connection any engine opens, whether its transaction has only read
    (idempotent)."""
    for name, listener in (
        ("begin", _begun),
        ("before_cursor_execute", _statement),
        ("handle_error", _failed),
    ):
        if not event.contains(Engine, name, listener):
            event.listen(Engine, name, listener)


def only_read(session: Session) -> bool:
    """Whether the session's transaction has run nothing but reads, none failed, and it holds no
    change waiting to be flushed (which a commit would write)."""
    transaction = session.get_transaction()
    if transaction is None or session.new or session.dirty or session.deleted:
        return False
    connections = transaction.connections
    return bool(connections) and not any(c.info.get(_NOT_READ_ONLY) for c in connections)


def end_read_only_transaction(session: Session) -> None:
    """Commit the session's transaction when it only read (see above); otherwise leave it for the
    rollback that closing the session makes. The commit leaves the loaded objects as they were
    (nothing was written, so nothing is stale): code that reads an object after its app context
    ends, as a CLI command may, sees what it saw before, as after a rollback-and-close."""
    if not only_read(session):
        return
    expire_on_commit = session.expire_on_commit
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expire_on_commit
