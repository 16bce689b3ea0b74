"""metrics snapshots: the national figures per filter set, as last computed

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 13:55:00

Aggregates only (see app.metrics.snapshots); the table starts empty and fills as the national
view is visited or `flask metrics refresh` runs.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'metrics_snapshots',
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('computed_at', sa.DateTime(), nullable=False),
        sa.Column('payload', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_metrics_snapshots')),
    )
    with op.batch_alter_table('metrics_snapshots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_metrics_snapshots_computed_at'), ['computed_at'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('metrics_snapshots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_metrics_snapshots_computed_at'))
    op.drop_table('metrics_snapshots')
