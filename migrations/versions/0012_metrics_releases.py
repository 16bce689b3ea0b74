"""metrics releases: each month's national figures, frozen when published

Revision ID: 0012
Revises: 0010
Create Date: 2026-12-02 15:40:00

One row per published revision of a month (`flask metrics publish --month YYYY-MM`): the
methodology version, when and by whom, the reason for a revision, and the tables as the
commissioner saw them, as JSON (aggregates only). Rows are never updated or deleted; a correction
is a new revision. The table starts empty.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'metrics_releases',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('month', sa.String(length=7), nullable=False),
        sa.Column('revision', sa.Integer(), nullable=False),
        sa.Column('methodology_version', sa.String(length=20), nullable=False),
        sa.Column('published_at', sa.DateTime(), nullable=False),
        sa.Column('published_by', sa.String(length=254), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('payload', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_metrics_releases')),
        sa.UniqueConstraint('month', 'revision', name='uq_metrics_releases_month_revision'),
    )
    with op.batch_alter_table('metrics_releases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_metrics_releases_month'), ['month'], unique=False)


def downgrade():
    with op.batch_alter_table('metrics_releases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_metrics_releases_month'))
    op.drop_table('metrics_releases')
