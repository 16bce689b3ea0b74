"""app.database.is_read: which SQL text a request may end with COMMIT instead of ROLLBACK."""

import pytest

from app.database import is_read


@pytest.mark.parametrize(
    "statement",
    [
        "SELECT 1",
        "  \n select users.id FROM users WHERE users.id = %(id)s",
        "WITH recent AS (SELECT id FROM attempts) SELECT count(*) FROM recent",
        "with x as (select 1) select * from x",
        # a column named like a verb is still a read only when no verb word stands alone
        "SELECT updated_at, inserted_by FROM audit_events",
    ],
)
def test_reads(statement):
    assert is_read(statement)


@pytest.mark.parametrize(
    "statement",
    [
        "INSERT INTO forces (name) VALUES ('x')",
        "UPDATE users SET active = false",
        "DELETE FROM sessions",
        "SAVEPOINT sa_savepoint_1",
        "SET LOCAL work_mem = '64MB'",
        "LOCK TABLE users",
        "CREATE TEMP TABLE t (id int)",
        "WITH gone AS (DELETE FROM sessions RETURNING id) SELECT count(*) FROM gone",
        "WITH moved AS (update users set force_id = 2 returning id) SELECT 1",
        "WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x",
        "PRAGMA foreign_keys = ON",
        "",
    ],
)
def test_anything_else_is_not_a_read(statement):
    assert not is_read(statement)
