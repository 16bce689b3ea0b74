"""Languages: each person's chosen language, each force's default, each attempt's language

users.language is NULL until the person chooses (then the force's default applies, else English);
forces.default_language is "en" for every force until an administrator sets it; attempts record
the language they were taken in (NULL for attempts before this revision: English then).

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-03 14:00:00
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=5), nullable=True))
    with op.batch_alter_table("forces") as batch_op:
        batch_op.add_column(
            sa.Column("default_language", sa.String(length=5), nullable=False, server_default="en")
        )
    with op.batch_alter_table("attempts") as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=5), nullable=True))


def downgrade():
    with op.batch_alter_table("attempts") as batch_op:
        batch_op.drop_column("language")
    with op.batch_alter_table("forces") as batch_op:
        batch_op.drop_column("default_language")
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("language")
