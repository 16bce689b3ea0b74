"""Copies on the event rows that the national figures read, so they need not join users

- module_results.record_key and confidence_ratings.record_key: the officer's record key
  (users.record_key, which never changes), for the disclosure control's key sums;
- confidence_ratings.before_rating, on an 'after' row: the officer's 'before' rating of the same
  module (NULL when they gave none), so a confidence gain needs no self-join.

Backfilled here from users and the 'before' rows; afterwards the models' events keep them
(app.assessments.models). The figures do not change, so no snapshot is discarded.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-03 19:50:00
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("module_results") as batch:
        batch.add_column(sa.Column("record_key", sa.SmallInteger(), nullable=False, server_default="0"))
    with op.batch_alter_table("confidence_ratings") as batch:
        batch.add_column(sa.Column("record_key", sa.SmallInteger(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("before_rating", sa.Integer(), nullable=True))
    for table in ("module_results", "confidence_ratings"):
        op.execute(
            f"UPDATE {table} SET record_key = "
            f"(SELECT users.record_key FROM users WHERE users.id = {table}.user_id)"
        )
    op.execute(
        "UPDATE confidence_ratings SET before_rating = ("
        "SELECT b.rating FROM confidence_ratings AS b WHERE b.user_id = confidence_ratings.user_id"
        " AND b.module_id = confidence_ratings.module_id AND b.stage = 'before')"
        " WHERE stage = 'after'"
    )


def downgrade():
    with op.batch_alter_table("confidence_ratings") as batch:
        batch.drop_column("before_rating")
        batch.drop_column("record_key")
    with op.batch_alter_table("module_results") as batch:
        batch.drop_column("record_key")
