"""Indexes for the adoption figures: covering ones for the statements that count per officer over events

- module_results (force_id, user_id), with the module figures' columns included on PostgreSQL:
  the module figures and "officers assessed and passed" read it alone, in force and officer order
  (an index-only scan and a streaming aggregate instead of a hash over every result). It replaces
  the index on force_id alone, which it covers.
- confidence_ratings (force_id, user_id) over the 'after' rows that carry a 'before' rating, with
  the ratings included: the confidence gain's rows, in the same order.
- officer_course_status (latest_issued_at): every report first asks whether an officer renewed
  after the period end (none, for a period ending today), which scanned the status rows.

At 200,000 officers on PostgreSQL these took the two statements from about 320 to 250 ms and
from 150 to 70 ms (docs/benchmarks.md). SQLite builds the plain two-column indexes (it has no
INCLUDE, and the partial index is PostgreSQL's alone here). No figure changes.

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-04 18:00:00
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None

MODULE_FIGURE_COLUMNS = [
    "module_id",
    "team_id",
    "first_attempt_at",
    "passed_at",
    "first_attempt_passed",
    "attempts_to_pass",
    "best_percent",
    "best_at",
    "record_key",
]
CONFIDENCE_GAIN_COLUMNS = ["module_id", "rated_at", "rating", "before_rating", "record_key"]
CONFIDENCE_GAIN_ROWS = "stage = 'after' AND before_rating IS NOT NULL"


def upgrade():
    op.drop_index("ix_module_results_force_id", table_name="module_results")
    op.create_index(
        "ix_module_results_force_id_user_id",
        "module_results",
        ["force_id", "user_id"],
        postgresql_include=MODULE_FIGURE_COLUMNS,
    )
    op.create_index(
        "ix_confidence_ratings_gains",
        "confidence_ratings",
        ["force_id", "user_id"],
        postgresql_include=CONFIDENCE_GAIN_COLUMNS,
        postgresql_where=sa.text(CONFIDENCE_GAIN_ROWS),
    )
    op.create_index(
        "ix_officer_course_status_latest_issued_at", "officer_course_status", ["latest_issued_at"]
    )


def downgrade():
    op.drop_index("ix_officer_course_status_latest_issued_at", table_name="officer_course_status")
    op.drop_index("ix_confidence_ratings_gains", table_name="confidence_ratings")
    op.drop_index("ix_module_results_force_id_user_id", table_name="module_results")
    op.create_index("ix_module_results_force_id", "module_results", ["force_id"])
