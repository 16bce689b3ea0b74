"""Writes for course delivery: recording that a lesson was read (idempotent upsert)."""

from __future__ import annotations

from datetime import datetime, timedelta

from app.clock import utcnow
from app.courses.models import LessonProgress
from app.extensions import db

# A re-read within this time does not touch last_read_at again (saves a write per page view).
TOUCH_INTERVAL = timedelta(seconds=60)


def record_reading(
    user_id: int, lesson_id: int, module_version_id: int, last_read_at: datetime | None = None
) -> bool:
    """Record that a user read a lesson: one row per user and lesson; a re-read updates last_read_at.

    `last_read_at` is the reader's previous read of this lesson if the caller already knows it
    (None: not read, or unknown). Returns True if anything was written. Safe under concurrent
    requests: the insert is an INSERT ... ON CONFLICT DO UPDATE on SQLite and PostgreSQL.
    """
    now = utcnow()
    if last_read_at is not None and now - last_read_at < TOUCH_INTERVAL:
        return False
    dialect = db.session.get_bind().dialect.name
    values = {
        "user_id": user_id,
        "lesson_id": lesson_id,
        "module_version_id": module_version_id,
        "first_read_at": now,
        "last_read_at": now,
    }
    if dialect in ("sqlite", "postgresql"):
        if dialect == "sqlite":
            from sqlalchemy.dialects.sqlite import insert
        else:
            from sqlalchemy.dialects.postgresql import insert
        statement = (
            insert(LessonProgress)
            .values(**values)
            .on_conflict_do_update(index_elements=["user_id", "lesson_id"], set_={"last_read_at": now})
        )
        db.session.execute(statement)
        _note_started(user_id, module_version_id, now)
        _first_read(user_id, lesson_id, module_version_id, now, last_read_at)
        return True
    row = db.session.scalar(
        db.select(LessonProgress).where(
            LessonProgress.user_id == user_id, LessonProgress.lesson_id == lesson_id
        )
    )
    if row is None:
        db.session.add(LessonProgress(**values))
    else:
        row.last_read_at = now
    db.session.flush()
    _note_started(user_id, module_version_id, now)
    _first_read(user_id, lesson_id, module_version_id, now, last_read_at)
    return True


def _first_read(user_id: int, lesson_id: int, module_version_id: int, now: datetime, before) -> None:
    """Tell listeners (learning records) about a first read (before: the caller's previous read)."""
    if before is None:
        from app import events

        events.lesson_read.send(
            None, user_id=user_id, lesson_id=lesson_id, module_version_id=module_version_id, at=now
        )


def _note_started(user_id: int, module_version_id: int, now: datetime) -> None:
    """Reading a lesson starts the module's courses (the metrics summary listens)."""
    from app.content.models import ModuleVersion
    from app.events import module_started

    module_id = db.session.get(ModuleVersion, module_version_id).module_id
    module_started.send(None, user_id=user_id, module_id=module_id, at=now)
