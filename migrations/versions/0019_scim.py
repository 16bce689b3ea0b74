"""SCIM provisioning: a bearer token per force (its hash), and the client's id for each person

Revision ID: 0019
Revises: 0016
Create Date: 2026-12-02 19:00:00
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'scim_tokens',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('force_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('last_used_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id']),
        sa.ForeignKeyConstraint(['force_id'], ['forces.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('force_id'),
        sa.UniqueConstraint('token_hash'),
    )
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('scim_external_id', sa.String(length=255), nullable=True))
        batch.create_index('ix_users_scim_external_id', ['scim_external_id'])


def downgrade():
    with op.batch_alter_table('users') as batch:
        batch.drop_index('ix_users_scim_external_id')
        batch.drop_column('scim_external_id')
    op.drop_table('scim_tokens')
