"""mail jobs: emails handed to the queue worker, with their idempotency keys

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 16:30:00

One row per email job (an invitation or reset link, a forgotten-password request). The worker
claims a row before sending, so a retried job never sends twice; rows whose retries ran out are
the dead letters listed in the admin outbox. The table starts empty.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'mail_jobs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('kind', sa.String(length=30), nullable=False),
        sa.Column('payload', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('tries', sa.Integer(), nullable=False),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.Column('note', sa.String(length=200), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_jobs')),
        sa.UniqueConstraint('key', name=op.f('uq_mail_jobs_key')),
    )
    with op.batch_alter_table('mail_jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mail_jobs_status'), ['status'], unique=False)


def downgrade():
    with op.batch_alter_table('mail_jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mail_jobs_status'))
    op.drop_table('mail_jobs')
