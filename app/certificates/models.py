"""Certificates: immutable, self-contained records of a completed course."""

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column

from app.clock import utcnow
from app.extensions import db


class Certificate(db.Model):
    """One completion of a course by an officer, as it was at issue; `cycle` counts re-completions.

    The unique (user, course, cycle) constraint is what makes two racing requests issue one
    certificate: the loser's insert fails and it reads the winner's row.
    """

    __tablename__ = "certificates"
    __table_args__ = (UniqueConstraint("user_id", "course_id", "cycle"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    serial: Mapped[str] = mapped_column(String(32), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    force_id: Mapped[int | None] = mapped_column(ForeignKey("forces.id"), index=True)
    cycle: Mapped[int] = mapped_column(default=1)
    holder_name: Mapped[str] = mapped_column(String(120))
    service_number: Mapped[str] = mapped_column(String(40), default="")
    force_name: Mapped[str] = mapped_column(String(120), default="")
    course_slug: Mapped[str] = mapped_column(String(80))
    course_title: Mapped[str] = mapped_column(String(200))
    course_version: Mapped[str] = mapped_column(String(40))
    # [{"slug": ..., "title": ..., "version": n, "percent": 92.5}]
    modules: Mapped[list] = mapped_column(JSON)
    issued_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    expires_on: Mapped[date | None] = mapped_column(index=True)
    revoked_at: Mapped[datetime | None]
    revoked_reason: Mapped[str | None] = mapped_column(Text)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    pdf: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
