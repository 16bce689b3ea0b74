"""Where each force's statements go (its LRS) and the outbox of statements to send."""

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.clock import utcnow
from app.extensions import db


class LrsEndpoint(db.Model):
    """A force's Learning Record Store: its base URL (…/xAPI/ is appended) and Basic credentials."""

    __tablename__ = "lrs_endpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    force_id: Mapped[int] = mapped_column(ForeignKey("forces.id"), unique=True)
    url: Mapped[str] = mapped_column(String(500))
    username: Mapped[str] = mapped_column(String(200))
    password: Mapped[str] = mapped_column(String(500))  # sealed like the two-factor secrets
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class XapiStatement(db.Model):
    """One statement to send: written with the record it describes, sent by the worker."""

    __tablename__ = "xapi_statements"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # the statement id
    force_id: Mapped[int] = mapped_column(ForeignKey("forces.id"), index=True)
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(
        String(20), default="queued", index=True
    )  # queued sending sent failed dead
    tries: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
