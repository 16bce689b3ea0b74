"""Module translations: a module version's text in Welsh, rendered at content sync

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-03 14:20:00
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "module_translations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("module_version_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("objectives", sa.JSON(), nullable=False),
        sa.Column("intro_html", sa.Text(), nullable=False),
        sa.Column("lessons", sa.JSON(), nullable=False),
        sa.Column("questions", sa.JSON(), nullable=False),
        sa.Column("out_of_date", sa.JSON(), nullable=False),
        sa.Column("machine_drafted", sa.Boolean(), nullable=False),
        sa.Column("synced_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["module_version_id"], ["module_versions.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("module_version_id", "language"),
    )
    with op.batch_alter_table("module_translations") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_module_translations_module_version_id"), ["module_version_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("module_translations") as batch_op:
        batch_op.drop_index(batch_op.f("ix_module_translations_module_version_id"))
    op.drop_table("module_translations")
