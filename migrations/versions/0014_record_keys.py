"""record keys: a fixed secret random number (0-255) per person, for cell-key perturbation

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 18:30:00

Each person gets a record key drawn at random once (app.metrics.disclosure). The key never
changes and never leaves the server: the cell key of a published count is the sum of the keys of
the people counted, modulo 256, and chooses the count's noise from the p-table, so the same people
always get the same noise. Existing people get their keys here, drawn by the database.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('record_key', sa.SmallInteger(), nullable=False, server_default='0'))
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('UPDATE users SET record_key = floor(random() * 256)::int')
    else:
        op.execute('UPDATE users SET record_key = abs(random()) % 256')


def downgrade():
    with op.batch_alter_table('users') as batch:
        batch.drop_column('record_key')
