"""The metrics summary (officer_course_status) kept up to date by the features' events
(app.events), and the officer-state rollup (app.metrics.rollup) told whom they concern, inside the
transaction of the change that sent them, so no feature imports metrics."""

from app import events
from app.metrics import rollup, summary


def _on_module_started(_sender, user_id=None, module_id=None, at=None, **_):
    if summary.note_started(user_id, module_id, at):
        rollup.mark_users(user_id)


def _on_certificate_issued(_sender, certificate=None, **_):
    summary.note_certificate(certificate)
    rollup.mark_users(certificate.user_id)


def _on_certificate_revoked(_sender, user_id=None, course_id=None, **_):
    summary.refresh_certificates(user_id, course_id)
    rollup.mark_users(user_id)


def _on_course_modules_changed(_sender, course_id=None, **_):
    summary.rebuild(course_id)  # marks every officer for the rollup


def _on_officers_imported(_sender, force_ids=(), **_):
    rollup.mark_forces(*force_ids)


def connect() -> None:
    """Listen to the events that change an officer's status on a course (once: blinker keeps one
    connection per receiver)."""
    events.module_started.connect(_on_module_started)
    events.certificate_issued.connect(_on_certificate_issued)
    events.certificate_revoked.connect(_on_certificate_revoked)
    events.course_modules_changed.connect(_on_course_modules_changed)
    events.officers_imported.connect(_on_officers_imported)
    rollup.track()
