"""Assignments of courses to officers, teams or a whole force; reminders and the mail outbox."""

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


class OutboxMessage(db.Model):
    """An email written to the outbox (development) or sent via SMTP (kept as a record)."""

    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    to: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    reminder_id: Mapped[int | None] = mapped_column(ForeignKey("reminders.id"))


class MailJob(db.Model):
    """One email handed to the worker (app/queue.py): the durable record of the job.

    `key` is the idempotency key: the worker claims a job by moving it from queued or failed to
    sending in one conditional UPDATE, so a job delivered twice (a retry, a second worker, the
    retry button pressed twice) sends once. `status`: queued | sending | sent | skipped (nothing to
    send, for example a reset asked for an unknown address) | failed (will be retried) | dead
    (retries exhausted; the admin outbox lists these with a retry button).
    """

    __tablename__ = "mail_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(30))  # 'link' | 'password_reset' | 'reminders'
    payload: Mapped[str] = mapped_column(Text)  # JSON: ids and an address, never a token
    status: Mapped[str] = mapped_column(String(20), default="queued", index=True)
    tries: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
