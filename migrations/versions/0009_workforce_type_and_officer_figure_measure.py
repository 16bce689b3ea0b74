"""users.workforce_type

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 15:40:00

users.workforce_type (police_officer, special_constable, pcso, police_staff; app.auth.workforce)
says what a person is in their force, apart from their role on the platform. Existing users are
backfilled from their role: role 'officer' becomes police_officer, every other role
(training_lead, commissioner, admin, and any other value) becomes police_staff. Nothing else is
known about them; an admin corrects individuals on the user page (for example a lead who is a
serving officer). The column keeps the server default 'police_officer', so raw inserts that do
not name it (bulk loaders, benchmarks) still work.

Downgrade drops the column (the values are lost).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('workforce_type', sa.String(length=20), nullable=False,
                                      server_default='police_officer'))
    users = sa.table('users', sa.column('role', sa.String), sa.column('workforce_type', sa.String))
    op.execute(users.update().where(users.c.role != 'officer').values(workforce_type='police_staff'))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('workforce_type')
