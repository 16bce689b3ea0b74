"""The metrics summary (officer_course_status) kept up to date by the features' events
(app.events), inside the transaction of the change that sent them, so no feature imports metrics."""

from app import events
from app.metrics import summary


def _on_module_started(_sender, user_id=None, module_id=None, at=None, **_):
    summary.note_started(user_id, module_id, at)


def _on_certificate_issued(_sender, certificate=None, **_):
    summary.note_certificate(certificate)


def _on_certificate_revoked(_sender, user_id=None, course_id=None, **_):
    summary.refresh_certificates(user_id, course_id)


def _on_course_modules_changed(_sender, course_id=None, **_):
    summary.rebuild(course_id)


def connect() -> None:
    """Listen to the events that change an officer's status on a course (once: blinker keeps one
    connection per receiver)."""
    events.module_started.connect(_on_module_started)
    events.certificate_issued.connect(_on_certificate_issued)
    events.certificate_revoked.connect(_on_certificate_revoked)
    events.course_modules_changed.connect(_on_course_modules_changed)
