"""module_results keep the force and team where the quiz was sat; first attempt dated by its
submission; best attempt dated; item sums by month; snapshots under old definitions discarded

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 16:00:00

Until now each submission rewrote module_results.force_id to the officer's current force, and
first_attempt_at held when the first attempt was *started*. From this revision a result keeps the
force (the first attempt's own force_id, recorded when it was opened) and team where the first
attempt was sat, and is dated by that attempt's submission; nothing rewrites them later.

Backfill of existing rows, from the attempts:
- first_attempt_at: the submitted_at of the officer's earliest submitted attempt at the module;
  unchanged where no submitted attempt exists (rows written without attempts, e.g. by hand).
- force_id: that attempt's force_id where it recorded one; otherwise the row keeps its value.
- team_id: attempts do not record a team, so rows have no team history: they are attributed to
  the officer's team today when that team belongs to the row's force, and to no team otherwise.
  The lead's team breakdown of past months may therefore differ from what it showed before this
  migration for officers who changed team; every later result is recorded as it happens.

module_results.best_at (when the best attempt was submitted) is backfilled from best_attempt_id.
question_stats gains month (of the first attempt's submission); existing sums stay undated (NULL):
see the comment in upgrade(). Downgrading with dated sums for the same question, force and
several months fails on the old unique constraint: sum them by hand first.

metrics_snapshots are deleted: they hold counts computed under the old definitions (currently
certified, the boundaries of the status module, registered for one course) and are recomputed on
the next request or `flask metrics refresh`.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("module_results", schema=None) as batch_op:
        batch_op.add_column(sa.Column("team_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_module_results_team_id"), ["team_id"], unique=False)
        batch_op.create_foreign_key("fk_module_results_team_id_teams", "teams", ["team_id"], ["id"])

    first = """
        SELECT a.submitted_at FROM attempts a
        WHERE a.user_id = module_results.user_id AND a.module_id = module_results.module_id
          AND a.submitted_at IS NOT NULL
        ORDER BY a.submitted_at, a.id LIMIT 1
    """
    first_force = """
        SELECT a.force_id FROM attempts a
        WHERE a.user_id = module_results.user_id AND a.module_id = module_results.module_id
          AND a.submitted_at IS NOT NULL
        ORDER BY a.submitted_at, a.id LIMIT 1
    """
    op.execute(f"UPDATE module_results SET first_attempt_at = ({first}) WHERE EXISTS ({first})")
    op.execute(f"UPDATE module_results SET force_id = ({first_force}) WHERE ({first_force}) IS NOT NULL")
    op.execute("""
        UPDATE module_results SET team_id = (
            SELECT u.team_id FROM users u JOIN teams t ON t.id = u.team_id
            WHERE u.id = module_results.user_id AND t.force_id = module_results.force_id
        )
    """)
    op.execute("DELETE FROM metrics_snapshots")

    # When the best attempt was submitted, so a past period's mean best score leaves out
    # attempts made after it.
    with op.batch_alter_table("module_results", schema=None) as batch_op:
        batch_op.add_column(sa.Column("best_at", sa.DateTime(), nullable=True))
    op.execute("""
        UPDATE module_results SET best_at = (
            SELECT a.submitted_at FROM attempts a WHERE a.id = module_results.best_attempt_id
        )
    """)

    # Item sums by month of the first attempt's submission, so the knowledge gaps follow the
    # period filter. Existing sums cannot be split by month (the answers could be re-scored, but
    # the sums are all that metrics keep): they keep month NULL and count only in reports
    # without a start date.
    with op.batch_alter_table("question_stats", schema=None) as batch_op:
        batch_op.add_column(sa.Column("month", sa.String(length=7), nullable=True))
        batch_op.drop_constraint("uq_question_stats_module_id_question_key_force_id", type_="unique")
        batch_op.create_unique_constraint(
            "uq_question_stats_module_id_question_key_force_id_month",
            ["module_id", "question_key", "force_id", "month"],
        )


def downgrade():
    with op.batch_alter_table("question_stats", schema=None) as batch_op:
        batch_op.drop_constraint("uq_question_stats_module_id_question_key_force_id_month", type_="unique")
        batch_op.create_unique_constraint(
            "uq_question_stats_module_id_question_key_force_id", ["module_id", "question_key", "force_id"]
        )
        batch_op.drop_column("month")
    with op.batch_alter_table("module_results", schema=None) as batch_op:
        batch_op.drop_column("best_at")
    with op.batch_alter_table("module_results", schema=None) as batch_op:
        batch_op.drop_constraint("fk_module_results_team_id_teams", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_module_results_team_id"))
        batch_op.drop_column("team_id")
