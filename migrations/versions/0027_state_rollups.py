"""The officer-state rollup: per-officer timelines and their sums by force, team, course and day

- officer_timelines: one row per officer and course scope (0: all courses), the days on which the
  officer's state flags change, as JSON, with the force, team and record key they were summed
  under;
- state_rollups: those changes summed by force, team (0: none; -1: the force's total), course
  scope and day; a count on a reference day is the sum of the rows on or before it
  (app.metrics.rollup);
- coverage_spans: per officer and assigned course, the days over which when they were covered and
  when they completed stay the same (the completed-within-30/60/90-days figures);
- rollup_status: whether the rollup may be read.

The tables start empty. When the database already holds officers, the rollup is marked stale
here and the metrics compute the officer states from the records (the same figures, slower)
until `flask metrics rebuild` fills it (about 2 minutes at 200,000 officers: see
docs/benchmarks.md). The figures do not change, so no snapshot is discarded.

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-04 08:00:00
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None

STATES = (
    "registered",
    "started",
    "completed",
    "overdue",
    "certificates_valid",
    "certificates_expiring",
    "certificates_expired",
    "certified",
    "certified_other",
    "law_update_due",
    "law_up_to_date",
    "first_completed",
)


def upgrade():
    op.create_table(
        "officer_timelines",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("force_id", sa.Integer(), nullable=False),
        sa.Column("team_key", sa.Integer(), nullable=False),
        sa.Column("record_key", sa.Integer(), nullable=False),
        sa.Column("deltas", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "course_id", name=op.f("pk_officer_timelines")),
    )
    columns = []
    for name in STATES:
        columns.append(sa.Column(name, sa.BigInteger(), nullable=False))
        columns.append(sa.Column(f"{name}_keys", sa.BigInteger(), nullable=False))
    op.create_table(
        "state_rollups",
        sa.Column("force_id", sa.Integer(), nullable=False),
        sa.Column("team_key", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        *columns,
        sa.PrimaryKeyConstraint("force_id", "team_key", "course_id", "day", name=op.f("pk_state_rollups")),
    )
    op.create_table(
        "coverage_spans",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("from_day", sa.Date(), nullable=False),
        sa.Column("until_day", sa.Date(), nullable=True),
        sa.Column("force_id", sa.Integer(), nullable=False),
        sa.Column("team_key", sa.Integer(), nullable=False),
        sa.Column("record_key", sa.Integer(), nullable=False),
        sa.Column("assigned_day", sa.Date(), nullable=False),
        sa.Column("completed_day", sa.Date(), nullable=True),
        sa.Column("done_days", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("user_id", "course_id", "from_day", name=op.f("pk_coverage_spans")),
    )
    op.create_index("ix_coverage_spans_force_id_course_id", "coverage_spans", ["force_id", "course_id"])
    op.create_table(
        "rollup_status",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("stale", sa.Boolean(), nullable=False),
        sa.Column("window_days", sa.Integer(), nullable=True),
        sa.Column("built_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_rollup_status")),
    )
    officers = op.get_bind().execute(sa.text("SELECT count(*) FROM users")).scalar()
    if officers:
        op.execute("INSERT INTO rollup_status (name, stale) VALUES ('officer_states', true)")


def downgrade():
    op.drop_table("rollup_status")
    op.drop_index("ix_coverage_spans_force_id_course_id", table_name="coverage_spans")
    op.drop_table("coverage_spans")
    op.drop_table("state_rollups")
    op.drop_table("officer_timelines")
