"""A law change recorded from a synced module version, and the update each certificate holder owes."""

from datetime import date, datetime

from sqlalchemy import JSON, Float, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import utcnow
from app.extensions import db


class LawChange(db.Model):
    """A change in the law, marked on a module version; recorded once per module and summary.

    sections holds the changed sections as rendered for that version ([{"ref", "title", "lesson",
    "html"}]), so an update shows exactly what the change introduced, however the module moves on.
    """

    __tablename__ = "law_changes"
    __table_args__ = (UniqueConstraint("module_id", "summary"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id"), index=True)
    module_version_id: Mapped[int] = mapped_column(ForeignKey("module_versions.id"))
    version_number: Mapped[int]
    summary: Mapped[str] = mapped_column(String(200))
    sections: Mapped[list] = mapped_column(JSON)
    question_keys: Mapped[list] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class LawUpdate(db.Model):
    """The update one certificate's holder owes for one law change.

    The certificate is never changed: this row links to it. completed_at is set when the holder
    passes the update (which completes every update they owe on the same module at once).
    """

    __tablename__ = "law_updates"
    __table_args__ = (UniqueConstraint("law_change_id", "certificate_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    law_change_id: Mapped[int] = mapped_column(ForeignKey("law_changes.id"), index=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificates.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    due_on: Mapped[date]
    assigned_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None]
    percent: Mapped[float | None] = mapped_column(Float)

    law_change: Mapped[LawChange] = relationship()
