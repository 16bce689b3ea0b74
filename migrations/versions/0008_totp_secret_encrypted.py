"""users.totp_secret widened to hold an encrypted value (Fernet token)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28 14:55:00

The application encrypts TOTP secrets from now on (app.auth.secret_box). Secrets stored before
stay readable as they are and are sealed at their next use, or all at once with
`flask users seal-totp-secrets` (the key lives in the application's configuration, not here).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('totp_secret', existing_type=sa.String(length=64),
                              type_=sa.String(length=255), existing_nullable=True)


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('totp_secret', existing_type=sa.String(length=255),
                              type_=sa.String(length=64), existing_nullable=True)
