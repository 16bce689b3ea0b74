"""Learner progress through lessons, per user and module version."""

from datetime import datetime

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.clock import utcnow
from app.extensions import db


class LessonProgress(db.Model):
    """That a user has read a lesson (recorded once; re-reading updates last_read_at)."""

    __tablename__ = "lesson_progress"
    __table_args__ = (UniqueConstraint("user_id", "lesson_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lessons.id"), index=True)
    module_version_id: Mapped[int] = mapped_column(ForeignKey("module_versions.id"), index=True)
    first_read_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_read_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
