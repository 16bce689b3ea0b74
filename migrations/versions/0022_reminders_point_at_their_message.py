"""A reminder points at the email it became, not the other way round

The mail package (outbox_messages) no longer knows about assignments' reminders: the link moves
from outbox_messages.reminder_id to reminders.outbox_message_id, copied for every sent reminder.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-03 10:30:00
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("reminders") as batch_op:
        batch_op.add_column(sa.Column("outbox_message_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_reminders_outbox_message_id_outbox_messages"),
            "outbox_messages",
            ["outbox_message_id"],
            ["id"],
        )
    op.execute(
        "UPDATE reminders SET outbox_message_id = "
        "(SELECT MAX(o.id) FROM outbox_messages o WHERE o.reminder_id = reminders.id)"
    )
    with op.batch_alter_table("outbox_messages") as batch_op:
        batch_op.drop_constraint("fk_outbox_messages_reminder_id_reminders", type_="foreignkey")
        batch_op.drop_column("reminder_id")


def downgrade():
    with op.batch_alter_table("outbox_messages") as batch_op:
        batch_op.add_column(sa.Column("reminder_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_outbox_messages_reminder_id_reminders"), "reminders", ["reminder_id"], ["id"]
        )
    op.execute(
        "UPDATE outbox_messages SET reminder_id = "
        "(SELECT r.id FROM reminders r WHERE r.outbox_message_id = outbox_messages.id)"
    )
    with op.batch_alter_table("reminders") as batch_op:
        batch_op.drop_constraint("fk_reminders_outbox_message_id_outbox_messages", type_="foreignkey")
        batch_op.drop_column("outbox_message_id")
