"""The mail outbox (every email sent or written) and the durable mail jobs of the worker."""

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.clock import utcnow
from app.extensions import db


class OutboxMessage(db.Model):
    """An email written to the outbox (development) or sent via SMTP (kept as a record)."""

    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    to: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


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
    kind: Mapped[str] = mapped_column(String(30))  # 'link' | 'password_reset' | 'reminders' | 'feedback'
    payload: Mapped[str] = mapped_column(Text)  # JSON: ids, an address or feedback text; never a token
    status: Mapped[str] = mapped_column(String(20), default="queued", index=True)
    tries: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
