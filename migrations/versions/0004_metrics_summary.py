"""metrics summary: officer_course_status, one row per officer and course, backfilled

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 11:53:42.922064

The table is filled here from the source tables with the same rules as
`app.metrics.summary.status_rows` (and `flask metrics rebuild`); from then on the write paths keep
it in step. The SQL is written out (not imported from the app) so this revision keeps working
whatever the application code becomes.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

BACKFILL = """
INSERT INTO officer_course_status
    (user_id, course_id, started_at, completed_at, latest_issued_at, latest_expires_on)
SELECT user_id, course_id, MIN(at), MIN(issued_at),
       MAX(CASE WHEN rn = 1 THEN issued_at END), MAX(CASE WHEN rn = 1 THEN expires_on END)
FROM (
    SELECT mr.user_id AS user_id, cm.course_id AS course_id, mr.first_attempt_at AS at,
           CAST(NULL AS TIMESTAMP) AS issued_at, CAST(NULL AS DATE) AS expires_on, 0 AS rn
    FROM module_results mr JOIN course_modules cm ON cm.module_id = mr.module_id
    UNION ALL
    SELECT lp.user_id, cm.course_id, lp.first_read_at, NULL, NULL, 0
    FROM lesson_progress lp
    JOIN module_versions mv ON mv.id = lp.module_version_id
    JOIN course_modules cm ON cm.module_id = mv.module_id
    UNION ALL
    SELECT a.user_id, cm.course_id, a.started_at, NULL, NULL, 0
    FROM attempts a JOIN course_modules cm ON cm.module_id = a.module_id
    WHERE a.submitted_at IS NULL
    UNION ALL
    SELECT c.user_id, c.course_id, NULL, c.issued_at, c.expires_on,
           ROW_NUMBER() OVER (PARTITION BY c.user_id, c.course_id
                              ORDER BY c.issued_at DESC, c.id DESC)
    FROM certificates c WHERE c.revoked_at IS NULL
) events
GROUP BY user_id, course_id
"""


def upgrade():
    op.create_table('officer_course_status',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=True),
    sa.Column('completed_at', sa.DateTime(), nullable=True),
    sa.Column('latest_issued_at', sa.DateTime(), nullable=True),
    sa.Column('latest_expires_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_officer_course_status_course_id_courses')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_officer_course_status_user_id_users')),
    sa.PrimaryKeyConstraint('user_id', 'course_id', name=op.f('pk_officer_course_status'))
    )
    with op.batch_alter_table('officer_course_status', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_officer_course_status_course_id'), ['course_id'], unique=False)
    op.execute(BACKFILL)


def downgrade():
    with op.batch_alter_table('officer_course_status', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_officer_course_status_course_id'))

    op.drop_table('officer_course_status')
