"""Course translations: a course's title, audience and description in Welsh, from content sync

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-03 17:00:00
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "course_translations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("audience", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("source_hash", sa.String(length=16), nullable=False),
        sa.Column("out_of_date", sa.Boolean(), nullable=False),
        sa.Column("machine_drafted", sa.Boolean(), nullable=False),
        sa.Column("synced_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["course_id"], ["courses.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("course_id", "language"),
    )
    with op.batch_alter_table("course_translations") as batch_op:
        batch_op.create_index(batch_op.f("ix_course_translations_course_id"), ["course_id"], unique=False)


def downgrade():
    with op.batch_alter_table("course_translations") as batch_op:
        batch_op.drop_index(batch_op.f("ix_course_translations_course_id"))
    op.drop_table("course_translations")
