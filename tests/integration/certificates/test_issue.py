"""Issuing: all modules passed, one certificate per cycle, snapshots, expiry and renewal."""

from datetime import date, timedelta

import pytest

from app import clock
from app.certificates import services
from app.certificates.models import Certificate
from app.certificates.serial import is_valid
from app.events import module_passed
from app.extensions import db
from tests.factories import CourseFactory, CourseModuleFactory, UserFactory, make_course

from .conftest import complete, pass_module


def _certificates(user):
    return db.session.query(Certificate).filter_by(user_id=user.id).order_by(Certificate.cycle).all()


def test_no_certificate_until_every_module_is_passed(officer, course):
    first, second = course.modules
    pass_module(officer, first, 95)
    assert services.issue_completed_courses(officer, first.id) == []
    pass_module(officer, second, 60, passed=False)
    assert services.issue_completed_courses(officer, second.id) == []
    assert _certificates(officer) == []


def test_completing_a_course_issues_a_self_contained_record(officer, course):
    clock.travel(timedelta(0))
    [certificate] = complete(officer, course, percents=[95.0, 82.5])
    assert is_valid(certificate.serial)
    assert certificate.cycle == 1
    assert certificate.holder_name == "Siobhán Ní Dhuibhir"
    assert certificate.service_number == "PC 4471"
    assert certificate.force_name == "West Midlands Police"
    assert certificate.force_id == officer.force_id
    assert (certificate.course_slug, certificate.course_title, certificate.course_version) == (
        course.slug,
        "Modern Slavery Awareness",
        "3",
    )
    versions = [m.current_version for m in course.modules]
    assert certificate.modules == [
        {"slug": versions[0].module.slug, "title": versions[0].title, "version": 1, "percent": 95.0},
        {"slug": versions[1].module.slug, "title": versions[1].title, "version": 1, "percent": 82.5},
    ]
    assert certificate.issued_at.date() == clock.today()
    assert certificate.expires_on == services.add_months(clock.today(), 12)
    assert certificate.pdf is None  # rendered on first download


def test_completing_again_does_not_issue_a_second(officer, course):
    complete(officer, course)
    assert services.issue_completed_courses(officer, course.modules[0].id) == []
    pass_module(officer, course.modules[0], 100)
    assert services.issue_completed_courses(officer, course.modules[0].id) == []
    assert len(_certificates(officer)) == 1


def test_module_in_two_courses_issues_each_completed_course(officer, course):
    shared = course.modules[0]
    other = CourseFactory(title="Refresher")
    CourseModuleFactory(course=other, module=shared, position=0)
    db.session.flush()
    db.session.refresh(other)
    for module in course.modules:
        pass_module(officer, module)
    issued = services.issue_completed_courses(officer, shared.id)
    assert {c.course_title for c in issued} == {"Modern Slavery Awareness", "Refresher"}


def test_unpublished_course_issues_nothing(officer, course):
    course.published = False
    assert complete(officer, course) == []


def test_course_without_validity_never_expires(officer):
    course = make_course(n_modules=1, certificate_valid_months=None)
    [certificate] = complete(officer, course)
    assert certificate.expires_on is None


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2026, 3, 7), 36, date(2029, 3, 7)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
    ],
)
def test_expiry_adds_calendar_months_and_clamps_the_day(day, months, expected):
    assert services.add_months(day, months) == expected


def test_module_passed_signal_issues_the_certificate(officer, course, app):
    for module in course.modules:
        pass_module(officer, module)
    module_passed.send(app, user=officer, module_id=course.modules[-1].id)
    module_passed.send(app, user=officer, module_id=course.modules[-1].id)
    assert len(_certificates(officer)) == 1


def test_receiver_is_connected_exactly_once():
    import importlib
    import weakref

    import app.certificates.routes  # noqa: F401 - what registering the blueprint imports

    importlib.import_module("app.certificates.services")
    receivers = [r() if isinstance(r, weakref.ref) else r for r in module_passed.receivers.values()]
    assert receivers.count(services._on_module_passed) == 1
    assert not [
        r
        for r in receivers
        if getattr(r, "__qualname__", "") == "_on_module_passed" and r is not services._on_module_passed
    ]


def test_a_failing_issue_does_not_break_the_quiz_submission(officer, course, app, monkeypatch, caplog):
    for module in course.modules:
        pass_module(officer, module)

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "issue_completed_courses", broken)
    module_passed.send(app, user=officer, module_id=course.modules[0].id)  # does not raise
    assert "issuing certificates failed" in caplog.text


def test_snapshot_does_not_change_when_the_user_or_course_changes(officer, course, client, login_as):
    [certificate] = complete(officer, course)
    before = (
        certificate.holder_name,
        certificate.service_number,
        certificate.force_name,
        certificate.course_title,
        certificate.course_version,
        list(certificate.modules),
    )
    officer.name = "Someone Else"
    officer.service_number = "PC 9999"
    officer.force.name = "Renamed Constabulary"
    course.title = "Renamed Course"
    course.version = 4
    course.modules[0].current_version.title = "Rewritten module"
    db.session.flush()
    db.session.expire_all()
    stored = db.session.get(Certificate, certificate.id)
    assert (
        stored.holder_name,
        stored.service_number,
        stored.force_name,
        stored.course_title,
        stored.course_version,
        stored.modules,
    ) == before
    login_as(officer)
    from .conftest import pdf_text

    _, text = pdf_text(client.get(f"/certificates/{stored.serial}/pdf").data)
    assert "Siobhán Ní Dhuibhir" in text
    assert "Someone Else" not in text
    assert "Modern Slavery Awareness" in text
    assert "Renamed" not in text


# --- renewal ------------------------------------------------------------------------------------


def test_no_renewal_before_the_window_even_after_passing_again(officer, course):
    complete(officer, course)
    clock.travel(timedelta(days=200))  # 12-month certificate: window opens 60 days before expiry
    assert complete(officer, course) == []
    assert len(_certificates(officer)) == 1


def test_renewal_in_the_window_needs_fresh_passes(officer, course):
    [first] = complete(officer, course)
    clock.travel(timedelta(days=330))  # inside the 60-day window
    assert services.issue_completed_courses(officer, course.modules[0].id) == []  # old passes only
    pass_module(officer, course.modules[0], 100)
    assert services.issue_completed_courses(officer, course.modules[0].id) == []  # one of two
    pass_module(officer, course.modules[1], 85)
    [renewed] = services.issue_completed_courses(officer, course.modules[1].id)
    assert renewed.cycle == 2
    assert renewed.serial != first.serial
    assert [m["percent"] for m in renewed.modules] == [100.0, 85.0]
    assert renewed.expires_on == services.add_months(clock.today(), 12)
    assert services.issue_completed_courses(officer, course.modules[1].id) == []


def test_renewal_after_expiry(officer, course):
    complete(officer, course)
    clock.travel(timedelta(days=500))
    [renewed] = complete(officer, course, percents=[81.0, 99.0])
    assert renewed.cycle == 2


def test_passes_before_the_window_do_not_count_towards_renewal(officer, course):
    complete(officer, course)
    clock.travel(timedelta(days=100))
    pass_module(officer, course.modules[0], 100)  # long before the window
    clock.travel(timedelta(days=250))  # now inside it
    pass_module(officer, course.modules[1], 100)
    assert services.issue_completed_courses(officer, course.modules[1].id) == []


def test_revoked_certificate_can_be_earned_again_by_passing_again(officer, course):
    [first] = complete(officer, course)
    admin = UserFactory(role="admin", force=None)
    services.revoke(first, actor=admin, reason="Completed by someone else")
    assert services.issue_completed_courses(officer, course.modules[0].id) == []
    clock.travel(timedelta(minutes=5))
    [again] = complete(officer, course)
    assert again.cycle == 2
    assert again.revoked_at is None
