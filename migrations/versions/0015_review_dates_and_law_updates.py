"""review dates of lessons; law changes and the updates they assign to certified officers

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 18:30:00

Lessons gain reviewed_on and sources, set by every content sync from the lesson's front matter
(outside the version hash, so they never make a new module version). Existing rows stay empty
until the next sync.

law_changes records a module version marked `supersedes_for_law` (once per module and summary);
law_updates holds the update each current, valid certificate's holder owes for it, linked to the
certificate, which is never changed. Both start empty.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('lessons', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reviewed_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('sources', sa.JSON(), nullable=True))
    op.create_table(
        'law_changes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('module_id', sa.Integer(), nullable=False),
        sa.Column('module_version_id', sa.Integer(), nullable=False),
        sa.Column('version_number', sa.Integer(), nullable=False),
        sa.Column('summary', sa.String(length=200), nullable=False),
        sa.Column('sections', sa.JSON(), nullable=False),
        sa.Column('question_keys', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['module_id'], ['modules.id'], name=op.f('fk_law_changes_module_id_modules')),
        sa.ForeignKeyConstraint(
            ['module_version_id'], ['module_versions.id'],
            name=op.f('fk_law_changes_module_version_id_module_versions'),
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_law_changes')),
        sa.UniqueConstraint('module_id', 'summary', name=op.f('uq_law_changes_module_id_summary')),
    )
    with op.batch_alter_table('law_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_law_changes_module_id'), ['module_id'], unique=False)
    op.create_table(
        'law_updates',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('law_change_id', sa.Integer(), nullable=False),
        sa.Column('certificate_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('due_on', sa.Date(), nullable=False),
        sa.Column('assigned_at', sa.DateTime(), nullable=False),
        sa.Column('completed_at', sa.DateTime(), nullable=True),
        sa.Column('percent', sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ['certificate_id'], ['certificates.id'], name=op.f('fk_law_updates_certificate_id_certificates')
        ),
        sa.ForeignKeyConstraint(
            ['law_change_id'], ['law_changes.id'], name=op.f('fk_law_updates_law_change_id_law_changes')
        ),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_law_updates_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_law_updates')),
        sa.UniqueConstraint('law_change_id', 'certificate_id', name=op.f('uq_law_updates_law_change_id_certificate_id')),
    )
    with op.batch_alter_table('law_updates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_law_updates_certificate_id'), ['certificate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_law_updates_law_change_id'), ['law_change_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_law_updates_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('law_updates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_law_updates_user_id'))
        batch_op.drop_index(batch_op.f('ix_law_updates_law_change_id'))
        batch_op.drop_index(batch_op.f('ix_law_updates_certificate_id'))
    op.drop_table('law_updates')
    with op.batch_alter_table('law_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_law_changes_module_id'))
    op.drop_table('law_changes')
    with op.batch_alter_table('lessons', schema=None) as batch_op:
        batch_op.drop_column('sources')
        batch_op.drop_column('reviewed_on')
