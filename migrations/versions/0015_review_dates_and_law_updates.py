"""review dates of lessons; law changes and the updates they assign to certified officers

Revision ID: 0015
Revises: 0013
Create Date: 2026-12-02 18:30:00

Lessons gain reviewed_on and sources, set by every content sync from the lesson's front matter
(outside the version hash, so they never make a new module version). Existing rows stay empty
until the next sync.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('lessons', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reviewed_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('sources', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('lessons', schema=None) as batch_op:
        batch_op.drop_column('sources')
        batch_op.drop_column('reviewed_on')
