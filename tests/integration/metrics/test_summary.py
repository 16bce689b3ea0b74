"""officer_course_status is kept in step by every write path, and `rebuild` agrees with it."""

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from app import clock
from app.assessments import services as assessments
from app.certificates import services as certificates
from app.content.models import CourseModule
from app.courses.models import LessonProgress
from app.courses.services import record_reading
from app.extensions import db
from app.metrics import services, summary
from app.metrics.models import OfficerCourseStatus
from tests.factories import ForceFactory, UserFactory, make_course

COLUMNS = summary.COLUMNS


def _rows() -> list[tuple]:
    """The status table as (user, course, started, completed, latest issued, latest expiry)."""
    return [
        tuple(row)
        for row in db.session.execute(
            select(*(getattr(OfficerCourseStatus, name) for name in COLUMNS)).order_by(
                OfficerCourseStatus.user_id, OfficerCourseStatus.course_id
            )
        )
    ]


def _row(user, course):
    return db.session.get(OfficerCourseStatus, (user.id, course.id))


def _assert_rebuild_agrees() -> None:
    """What the hooks wrote equals what a rebuild computes from the source tables."""
    db.session.flush()
    kept = _rows()
    summary.rebuild()
    db.session.expire_all()
    assert _rows() == kept


def _pass(user, module):
    """Start and submit an attempt at a make_course module with every answer right."""
    attempt = assessments.start_attempt(user, module)
    answers = {entry["key"]: "a" for entry in attempt.question_keys}
    assessments.submit_attempt(user, attempt, answers, attempt.module_version_id)
    return attempt


@pytest.fixture
def world(database):
    force = ForceFactory(headcount=100)
    course = make_course(n_modules=2, questions=2, lessons=1, certificate_valid_months=12)
    other = make_course(n_modules=1, questions=2, lessons=1)
    # The first module is shared by both courses: starting it starts both.
    db.session.add(CourseModule(course_id=other.id, module_id=course.modules[0].id, position=1))
    db.session.flush()
    db.session.expire(other)
    return {
        "force": force,
        "course": course,
        "other": other,
        "officer": UserFactory(force=force, created_at=datetime(2026, 1, 1)),
    }


def test_reading_a_lesson_starts_every_course_holding_the_module(world):
    officer, course, other = world["officer"], world["course"], world["other"]
    lesson = course.modules[0].current_version.lessons[0]
    record_reading(officer.id, lesson.id, lesson.module_version_id)
    read_at = db.session.scalar(select(LessonProgress.first_read_at))
    assert _row(officer, course).started_at == read_at
    assert _row(officer, other).started_at == read_at
    assert _row(officer, course).completed_at is None
    # A re-read later does not move the start.
    clock.travel(timedelta(days=2))
    record_reading(officer.id, lesson.id, lesson.module_version_id)
    db.session.expire_all()
    assert _row(officer, course).started_at == read_at
    _assert_rebuild_agrees()


def test_starting_an_attempt_starts_the_course(world):
    officer, course = world["officer"], world["course"]
    attempt = assessments.start_attempt(officer, course.modules[1])
    assert _row(officer, course).started_at == attempt.started_at
    assert _row(officer, world["other"]) is None  # module 2 is only in the first course
    _assert_rebuild_agrees()  # an open attempt counts in the rebuild too


def test_submitting_attempts_and_completing_issues_into_the_summary(world):
    officer, course = world["officer"], world["course"]
    first = _pass(officer, course.modules[0])
    clock.travel(timedelta(days=3))
    _pass(officer, course.modules[1])
    [certificate] = db.session.scalars(select(certificates.Certificate)).all()
    row = _row(officer, course)
    assert row.started_at == first.started_at
    assert row.completed_at == certificate.issued_at
    assert (row.latest_issued_at, row.latest_expires_on) == (certificate.issued_at, certificate.expires_on)
    assert certificate.expires_on is not None
    _assert_rebuild_agrees()


def test_a_renewal_moves_the_latest_but_not_the_completion(world):
    officer, course = world["officer"], world["course"]
    for module in course.modules:
        _pass(officer, module)
    first = _row(officer, course).completed_at
    clock.travel(timedelta(days=340))  # inside the renewal window
    for module in course.modules:
        _pass(officer, module)
    renewed = certificates.latest_certificate(officer.id, course.id)
    assert renewed.cycle == 2
    db.session.expire_all()
    row = _row(officer, course)
    assert row.completed_at == first
    assert (row.latest_issued_at, row.latest_expires_on) == (renewed.issued_at, renewed.expires_on)
    _assert_rebuild_agrees()


def test_revoking_recomputes_from_the_remaining_certificates(world):
    officer, course = world["officer"], world["course"]
    admin = UserFactory(role="admin", force=None)
    for module in course.modules:
        _pass(officer, module)
    first = certificates.latest_certificate(officer.id, course.id)
    clock.travel(timedelta(days=340))
    for module in course.modules:
        _pass(officer, module)
    second = certificates.latest_certificate(officer.id, course.id)
    certificates.revoke(second, actor=admin, reason="Issued in error")
    db.session.expire_all()
    row = _row(officer, course)
    assert (row.completed_at, row.latest_issued_at, row.latest_expires_on) == (
        first.issued_at,
        first.issued_at,
        first.expires_on,
    )
    _assert_rebuild_agrees()
    certificates.revoke(first, actor=admin, reason="Issued in error")
    db.session.expire_all()
    row = _row(officer, course)
    assert (row.completed_at, row.latest_issued_at, row.latest_expires_on) == (None, None, None)
    assert row.started_at is not None  # still started
    _assert_rebuild_agrees()


def test_merges_keep_the_earliest_start_and_the_latest_certificate(world):
    """The hooks commute: an older event arriving late changes nothing it should not."""
    officer, course = world["officer"], world["course"]
    module = course.modules[1]
    summary.note_started(officer.id, module.id, datetime(2026, 2, 10))
    summary.note_started(officer.id, module.id, datetime(2026, 2, 1))
    summary.note_started(officer.id, module.id, datetime(2026, 2, 20))
    db.session.expire_all()
    assert _row(officer, course).started_at == datetime(2026, 2, 1)
    newer = certificates.Certificate(
        user_id=officer.id, course_id=course.id, issued_at=datetime(2026, 2, 15), expires_on=date(2027, 2, 15)
    )
    older = certificates.Certificate(
        user_id=officer.id, course_id=course.id, issued_at=datetime(2026, 2, 5), expires_on=None
    )
    summary.note_certificate(newer)
    summary.note_certificate(older)
    db.session.expire_all()
    row = _row(officer, course)
    assert row.completed_at == datetime(2026, 2, 5)
    assert (row.latest_issued_at, row.latest_expires_on) == (datetime(2026, 2, 15), date(2027, 2, 15))


def test_rebuild_of_one_course_after_its_modules_change(world):
    officer, course, other = world["officer"], world["course"], world["other"]
    attempt = assessments.start_attempt(officer, course.modules[1])
    assert _row(officer, other) is None
    db.session.add(CourseModule(course_id=other.id, module_id=course.modules[1].id, position=2))
    db.session.flush()
    assert summary.rebuild(other.id) == 1
    assert _row(officer, other).started_at == attempt.started_at
    _assert_rebuild_agrees()


def test_content_sync_rebuilds_a_course_whose_modules_changed(database, tmp_path):
    from app.content.models import Course, Module
    from tests.integration.content.helpers import example_tree, sync, write_courses

    root = example_tree(tmp_path, "alpha", "beta")
    write_courses(root, {"one": ("alpha",), "two": ("beta",)})
    sync(root)
    beta = db.session.scalar(select(Module).where(Module.slug == "beta"))
    one = db.session.scalar(select(Course).where(Course.slug == "one"))
    officer = UserFactory()
    attempt = assessments.start_attempt(officer, beta)
    assert _row(officer, one) is None
    write_courses(root, {"one": ("alpha", "beta"), "two": ("beta",)})  # beta joins course one
    sync(root)
    assert _row(officer, one).started_at == attempt.started_at
    write_courses(root, {"one": ("alpha",), "two": ("beta",)})  # and leaves it
    sync(root)
    assert _row(officer, one) is None
    _assert_rebuild_agrees()


def test_dashboard_counts_follow_the_write_paths(world, database):
    """Registered, started, completed and certificate states from real submissions."""
    officer, course = world["officer"], world["course"]
    starter = UserFactory(force=world["force"], created_at=datetime(2026, 1, 1))
    # On the platform, but neither assigned the course nor started it: not registered for it.
    UserFactory(force=world["force"], created_at=datetime(2026, 1, 1))
    for module in course.modules:
        _pass(officer, module)
    assessments.start_attempt(starter, course.modules[0])
    report = services.force_report(world["force"], services.Filters(course=course.slug), private=True)
    m = report.totals_metrics
    assert (m.registered, m.started, m.completed, m.certified) == (2, 2, 1, 1)
    assert (m.certificates_valid, m.certificates_expiring, m.certificates_expired) == (1, 0, 0)


def test_past_period_uses_the_certificate_current_at_its_end(world):
    """A renewal after the period end does not change the state at the end."""
    officer, course = world["officer"], world["course"]
    for module in course.modules:
        _pass(officer, module)
    first = certificates.latest_certificate(officer.id, course.id)
    clock.travel(timedelta(days=340))
    for module in course.modules:
        _pass(officer, module)
    renewed = certificates.latest_certificate(officer.id, course.id)
    assert renewed.cycle == 2
    # Five days before the renewal, the first certificate was within 60 days of its expiry.
    end = renewed.issued_at.date() - timedelta(days=5)
    assert timedelta(0) < first.expires_on - end < timedelta(days=60)
    filters = services.Filters(course=course.slug, date_to=end)
    m = services.force_report(world["force"], filters, private=True).totals_metrics
    assert (m.certificates_valid, m.certificates_expiring, m.certificates_expired) == (0, 1, 0)
    assert m.completed == 1
    today = services.force_report(
        world["force"], services.Filters(course=course.slug), private=True
    ).totals_metrics
    assert (today.certificates_valid, today.certificates_expiring) == (1, 0)


def test_a_past_periods_overdue_list_follows_a_renewal_made_after_it(world):
    """The overdue list's statement is kept per scope (app.metrics.memo.built_once); whether anyone
    renewed after the period end is asked each time, so the same past period's list, asked again
    after a renewal, still reads the certificate current at its end (expired: overdue)."""
    from app.assignments.models import Assignment

    officer, course, force = world["officer"], world["course"], world["force"]
    db.session.add(
        Assignment(
            force_id=force.id,
            course_id=course.id,
            scope="force",
            due_on=clock.today() + timedelta(days=30),
            created_at=clock.utcnow(),
        )
    )
    for module in course.modules:
        _pass(officer, module)
    first = certificates.latest_certificate(officer.id, course.id)
    clock.travel(timedelta(days=400))
    end = clock.today() - timedelta(days=5)
    assert first.expires_on < end  # expired by the period end, long past the due date
    filters = services.Filters(course=course.slug, date_to=end)

    def overdue_at_end() -> list[str]:
        report = services.force_report(force, filters, private=True)
        assert report.overdue_total == report.totals_metrics.overdue
        return [row.name for row in report.overdue]

    assert overdue_at_end() == [officer.name]
    for module in course.modules:
        _pass(officer, module)
    assert certificates.latest_certificate(officer.id, course.id).issued_at.date() > end
    assert overdue_at_end() == [officer.name]
