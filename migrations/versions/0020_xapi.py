"""xAPI: each force's Learning Record Store, and the outbox of statements to send

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-02 19:10:00
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'lrs_endpoints',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('force_id', sa.Integer(), nullable=False),
        sa.Column('url', sa.String(length=500), nullable=False),
        sa.Column('username', sa.String(length=200), nullable=False),
        sa.Column('password', sa.String(length=500), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['force_id'], ['forces.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('force_id'),
    )
    op.create_table(
        'xapi_statements',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('force_id', sa.Integer(), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('tries', sa.Integer(), nullable=False),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('sent_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['force_id'], ['forces.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_xapi_statements_force_id', 'xapi_statements', ['force_id'])
    op.create_index('ix_xapi_statements_status', 'xapi_statements', ['status'])


def downgrade():
    op.drop_index('ix_xapi_statements_status', table_name='xapi_statements')
    op.drop_index('ix_xapi_statements_force_id', table_name='xapi_statements')
    op.drop_table('xapi_statements')
    op.drop_table('lrs_endpoints')
