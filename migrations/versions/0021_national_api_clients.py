"""API clients without a force: the commissioner's systems read national aggregates only

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-03 07:20:00
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("api_clients") as batch_op:
        batch_op.alter_column("force_id", existing_type=sa.Integer(), nullable=True)


def downgrade():
    op.execute(
        "DELETE FROM api_tokens WHERE client_id IN (SELECT id FROM api_clients WHERE force_id IS NULL)"
    )
    op.execute("DELETE FROM api_clients WHERE force_id IS NULL")
    with op.batch_alter_table("api_clients") as batch_op:
        batch_op.alter_column("force_id", existing_type=sa.Integer(), nullable=False)
