"""users.workforce_type and forces.headcount_measure

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

forces.headcount_measure ('headcount', 'fte', or NULL) says what each force's officer figure
counts. It is left NULL here: the migration does not guess a measure from free text. The next
`flask forces sync` sets it for every force that still holds the reference file's figure (same
number, date and source); a figure an admin entered keeps NULL until an admin sets its measure.

Downgrade drops both columns (the values are lost).
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
    with op.batch_alter_table('forces', schema=None) as batch_op:
        batch_op.add_column(sa.Column('headcount_measure', sa.String(length=20), nullable=True))


def downgrade():
    with op.batch_alter_table('forces', schema=None) as batch_op:
        batch_op.drop_column('headcount_measure')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('workforce_type')
