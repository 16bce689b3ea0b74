"""Assignments of courses to officers, teams or a whole force, and their reminders."""

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import utcnow
from app.extensions import db


class Assignment(db.Model):
    """A course assigned within a force with a due date; its targets say to whom.

    scope is 'force' (everyone in the force, joiners included), 'teams' or 'officers'. An officer's
    obligation is derived from the targets at read time, so later joiners are covered.
    """

    __tablename__ = "assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    force_id: Mapped[int] = mapped_column(ForeignKey("forces.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    scope: Mapped[str] = mapped_column(String(20))
    due_on: Mapped[date]
    message: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    withdrawn_at: Mapped[datetime | None]

    targets: Mapped[list["AssignmentTarget"]] = relationship(cascade="all, delete-orphan")


class AssignmentTarget(db.Model):
    """A team or an officer an assignment names (none for a whole-force assignment)."""

    __tablename__ = "assignment_targets"
    __table_args__ = (UniqueConstraint("assignment_id", "team_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)


class Reminder(db.Model):
    """At most one reminder per officer, assignment and day; failed sends are retried."""

    __tablename__ = "reminders"
    __table_args__ = (UniqueConstraint("assignment_id", "user_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    day: Mapped[date]
    kind: Mapped[str] = mapped_column(String(20))  # 'due_soon' | 'overdue' | 'recertify'
    status: Mapped[str] = mapped_column(String(20), default="pending")  # pending | sent | failed
    tries: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    # The email it became (the mail package knows nothing of reminders).
    outbox_message_id: Mapped[int | None] = mapped_column(ForeignKey("outbox_messages.id"))
