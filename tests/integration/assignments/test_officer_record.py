"""The lead's record page for one officer: courses, modules, attempts, certificates, reminders."""

import re
from datetime import timedelta

from sqlalchemy import select

from app.assessments.models import Attempt
from app.assignments import queries
from app.assignments.models import Reminder
from app.clock import today, utcnow
from app.content.models import CourseModule, Module
from app.extensions import db
from tests.factories import ForceFactory, UserFactory
from tests.integration.assignments.conftest import assign, certify, pass_module


def _modules(course) -> list[Module]:
    return list(
        db.session.scalars(
            select(Module)
            .join(CourseModule, CourseModule.module_id == Module.id)
            .where(CourseModule.course_id == course.id)
            .order_by(CourseModule.position)
        )
    )


def _attempt(user, module, number, percent, *, submitted=True, days_ago=1):
    at = utcnow() - timedelta(days=days_ago)
    attempt = Attempt(
        user_id=user.id,
        module_id=module.id,
        module_version_id=module.current_version_id,
        force_id=user.force_id,
        number=number,
        seed=number,
        question_keys=[],
        started_at=at,
        submitted_at=at if submitted else None,
        percent=percent if submitted else None,
        passed=(percent >= 80) if submitted else None,
    )
    db.session.add(attempt)
    db.session.flush()
    return attempt


def test_record_shows_courses_modules_attempts_certificates_and_reminders(place, client, login_as):
    ada = place["officers"][0]
    first, second = _modules(place["course"])
    assignment = assign(place, days=10)
    _attempt(ada, first, 1, 60.0, days_ago=5)
    _attempt(ada, first, 2, 90.0, days_ago=4)
    _attempt(ada, second, 1, 0, submitted=False, days_ago=2)
    pass_module(ada, first, at=utcnow() - timedelta(days=4))
    cert = certify(ada, place["course"], issued_at=utcnow() - timedelta(days=400), expires_in=-35)
    db.session.add(
        Reminder(assignment_id=assignment.id, user_id=ada.id, day=today(), kind="due_soon", status="sent")
    )
    db.session.flush()

    login_as(place["lead"])
    response = client.get(f"/officers/{ada.id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Ada Ash" in page
    assert "Response Team A" in page
    courses = page.split('id="courses"')[1].split('id="modules"')[0]
    assert place["course"].title in courses
    # The status is the status module's, as on the officer's own My training page.
    (item,), _ = queries.my_training(ada)
    # Worked out by hand: her certificate expired 35 days ago, so the course is due again by the
    # assignment's date (10 days away), and she has attempted since: in progress.
    assert item.derived.label == "In progress"
    assert re.search(rf'class="govuk-tag[^"]*">\s*{item.derived.label}\s*</strong>', courses)
    assert "10 days left" in courses
    attempts = page.split('id="attempts"')[1].split('id="certificates"')[0]
    assert attempts.count('<tr class="govuk-table__row"><th scope="row"') == 3
    assert "60%" in attempts
    assert "90%" in attempts
    assert "In progress" in attempts
    certificates = page.split('id="certificates"')[1].split('id="reminders"')[0]
    assert f"/verify/{cert.serial}" in certificates
    assert "Expired" in certificates
    reminders = page.split('id="reminders"')[1]
    assert "due soon reminder for" in reminders
    # The last activity is the latest attempt started (2 days ago).
    assert (utcnow() - timedelta(days=2)).strftime("%-d %B %Y") in page


def test_lists_link_each_officer_to_their_record(place, client, login_as):
    assign(place, days=1)
    from app import clock

    clock.travel(timedelta(days=3))
    login_as(place["lead"])
    attention = client.get("/assignments/attention").get_data(as_text=True)
    for officer in place["officers"]:
        assert f'href="/officers/{officer.id}"' in attention


def test_another_forces_officer_is_not_found_for_a_lead(place, client, login_as):
    stranger = UserFactory(force=ForceFactory(name="Kent Police"), name="Sam Stranger")
    login_as(place["lead"])
    assert client.get(f"/officers/{stranger.id}").status_code == 404
    assert client.get("/officers/99999999").status_code == 404


def test_officer_with_nothing_yet_reads_plainly(place, client, login_as):
    ben = place["officers"][1]
    login_as(place["lead"])
    page = client.get(f"/officers/{ben.id}").get_data(as_text=True)
    assert "No course is assigned to Ben Birch" in page
    assert "No quiz attempts." in page
    assert "No activity yet" in page


def test_assignment_progress_shows_modules_passed_and_last_activity(place, client, login_as):
    ada, ben, _cat = place["officers"]
    first, _second = _modules(place["course"])
    assignment = assign(place, days=20)
    _attempt(ada, first, 1, 90.0, days_ago=3)
    pass_module(ada, first, at=utcnow() - timedelta(days=3))
    login_as(place["lead"])
    page = client.get(f"/assignments/{assignment.id}").get_data(as_text=True)
    ada_row = page.split(f'href="/officers/{ada.id}"')[1].split("</tr>")[0]
    ben_row = page.split(f'href="/officers/{ben.id}"')[1].split("</tr>")[0]
    assert "1 of 2 modules passed" in ada_row
    assert f"Last active {(utcnow() - timedelta(days=3)).strftime('%-d %B %Y')}" in ada_row
    assert "0 of 2 modules passed" in ben_row
    assert "No activity yet" in ben_row
