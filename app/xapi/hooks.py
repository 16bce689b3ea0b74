"""Statements from the platform's learning events (app.events), written to the outbox."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import current_app

from app import events
from app.extensions import db
from app.xapi import delivery, statements


def _base() -> str:
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/")


def _aware(at: datetime) -> datetime:
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at


def _on_lesson_read(_sender, user_id=None, lesson_id=None, module_version_id=None, at=None, **_):
    from app.auth.models import User
    from app.content.models import Lesson

    user, lesson = db.session.get(User, user_id), db.session.get(Lesson, lesson_id)
    if user is None or lesson is None or user.force_id is None:
        return
    actor = delivery.actor_name(user.id)
    statement = statements.build(
        base=_base(),
        actor_name=actor,
        verb="experienced",
        event_key=f"{_base()}|lesson-read:{actor}:{lesson.id}:{_aware(at).isoformat()}",
        kind="lessons",
        slug=f"{lesson.id}-{lesson.slug}",
        title=lesson.title,
        activity_type="lesson",
        at=_aware(at),
    )
    delivery.record(user.force_id, statement)


def _on_attempt_submitted(_sender, user=None, attempt=None, passed=False, **_):
    from app.content.models import Module

    module = db.session.get(Module, attempt.module_id)
    if user.force_id is None or module is None:
        return
    actor = delivery.actor_name(user.id)
    statement = statements.build(
        base=_base(),
        actor_name=actor,
        verb="passed" if passed else "failed",
        # The event: this platform, this officer, this attempt, when submitted (ids alone could
        # repeat across databases pointed at one LRS).
        event_key=f"{_base()}|attempt:{actor}:{attempt.id}:{_aware(attempt.submitted_at).isoformat()}",
        kind="modules",
        slug=module.slug,
        title=module.current_version.title if module.current_version else module.slug,
        activity_type="assessment",
        at=_aware(attempt.submitted_at),
        score=(float(attempt.percent or 0), 100.0),
        success=bool(passed),
        completion=True,
    )
    delivery.record(user.force_id, statement)


def _on_certificate_issued(_sender, certificate=None, **_):
    statement = statements.build(
        base=_base(),
        actor_name=delivery.actor_name(certificate.user_id),
        verb="completed",
        event_key=f"{_base()}|certificate:{certificate.serial}",
        kind="courses",
        slug=certificate.course_slug,
        title=certificate.course_title,
        activity_type="course",
        at=_aware(certificate.issued_at),
        success=True,
        completion=True,
    )
    delivery.record(certificate.force_id, statement)


def connect() -> None:
    """Listen to the learning events (once)."""
    events.lesson_read.connect(_on_lesson_read)
    events.attempt_submitted.connect(_on_attempt_submitted)
    events.certificate_issued.connect(_on_certificate_issued)
