"""single sign-on and the force API: a force's OpenID Connect provider, user identities (tid + oid),
pending sign-ins; API clients and their bearer tokens

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 18:30:00

Five new tables, all empty at first: nothing existing changes.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'force_identity_providers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('force_id', sa.Integer(), nullable=False),
        sa.Column('tenant_id', sa.String(length=64), nullable=False),
        sa.Column('issuer', sa.String(length=300), nullable=False),
        sa.Column('client_id', sa.String(length=200), nullable=False),
        sa.Column('client_secret', sa.String(length=1000), nullable=False),
        sa.Column('claim_mapping', sa.JSON(), nullable=False),
        sa.Column('enabled', sa.Boolean(), nullable=False),
        sa.Column('sso_only', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column('mfa_enforced', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column('allow_new_accounts', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['force_id'], ['forces.id'], name=op.f('fk_force_identity_providers_force_id_forces')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_force_identity_providers')),
        sa.UniqueConstraint('force_id', name=op.f('uq_force_identity_providers_force_id')),
        sa.UniqueConstraint('tenant_id', name=op.f('uq_force_identity_providers_tenant_id')),
    )
    op.create_table(
        'user_identities',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('force_id', sa.Integer(), nullable=False),
        sa.Column('tenant_id', sa.String(length=64), nullable=False),
        sa.Column('object_id', sa.String(length=64), nullable=True),
        sa.Column('invited_by_id', sa.Integer(), nullable=True),
        sa.Column('invited_at', sa.DateTime(), nullable=True),
        sa.Column('linked_at', sa.DateTime(), nullable=True),
        sa.Column('last_sign_in_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['force_id'], ['forces.id'], name=op.f('fk_user_identities_force_id_forces')),
        sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], name=op.f('fk_user_identities_invited_by_id_users')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_identities_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_user_identities')),
        sa.UniqueConstraint('tenant_id', 'object_id', name=op.f('uq_user_identities_tenant_id_object_id')),
        sa.UniqueConstraint('user_id', name=op.f('uq_user_identities_user_id')),
    )
    with op.batch_alter_table('user_identities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_identities_force_id'), ['force_id'], unique=False)
    op.create_table(
        'oidc_sign_ins',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('state_hash', sa.String(length=64), nullable=False),
        sa.Column('force_id', sa.Integer(), nullable=False),
        sa.Column('nonce', sa.String(length=100), nullable=False),
        sa.Column('code_verifier', sa.String(length=200), nullable=False),
        sa.Column('next_url', sa.String(length=500), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('used_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['force_id'], ['forces.id'], name=op.f('fk_oidc_sign_ins_force_id_forces')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_oidc_sign_ins')),
        sa.UniqueConstraint('state_hash', name=op.f('uq_oidc_sign_ins_state_hash')),
    )

    op.create_table(
        'api_clients',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('client_id', sa.String(length=64), nullable=False),
        sa.Column('secret_hash', sa.String(length=64), nullable=False),
        sa.Column('force_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('scope', sa.String(length=200), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('revoked_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_api_clients_created_by_id_users')),
        sa.ForeignKeyConstraint(['force_id'], ['forces.id'], name=op.f('fk_api_clients_force_id_forces')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_api_clients')),
        sa.UniqueConstraint('client_id', name=op.f('uq_api_clients_client_id')),
    )
    with op.batch_alter_table('api_clients', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_clients_force_id'), ['force_id'], unique=False)
    op.create_table(
        'api_tokens',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('client_id', sa.Integer(), nullable=False),
        sa.Column('scope', sa.String(length=200), nullable=False),
        sa.Column('issued_at', sa.DateTime(), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.Column('revoked_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['client_id'], ['api_clients.id'], name=op.f('fk_api_tokens_client_id_api_clients')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash')),
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_tokens_client_id'), ['client_id'], unique=False)


def downgrade():
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_tokens_client_id'))
    op.drop_table('api_tokens')
    with op.batch_alter_table('api_clients', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_clients_force_id'))
    op.drop_table('api_clients')
    op.drop_table('oidc_sign_ins')
    with op.batch_alter_table('user_identities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_identities_force_id'))
    op.drop_table('user_identities')
    op.drop_table('force_identity_providers')
