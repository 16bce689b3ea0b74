"""The training lead's pages in the pseudo-locale: every word on them goes through the catalogue.

The lead of the `people` fixture's force (Gwent Police) has an assignment of a course to the whole
force, an officer overdue (with a failed reminder, module results and a quiz attempt), an officer
complete (with a certificate expiring soon and a law update), a team, so every table, tag, list
and summary of these pages renders. The course, module and law change titles are English content
(no Welsh version yet): shown with |english where markup allows, and passed as data where it
cannot (a <title>, a select's options).
"""

from datetime import timedelta

import pytest
from babel.dates import get_month_names

from app.assessments.models import Attempt, ModuleResult
from app.assignments import services
from app.assignments.models import Reminder
from app.clock import today, utcnow
from app.extensions import db
from app.law_updates.models import LawChange, LawUpdate
from tests.factories import UserFactory, make_course
from tests.integration.certificates.conftest import insert_certificate
from tests.integration.welsh.conftest import assert_all_translated

COURSE = "Modern slavery first responders"
LAW_CHANGE = "Duty to notify wording changed"
# Dates are written in Welsh on a Welsh page ("28 Tach 2026"): the month names are Welsh, not
# English left (the shared conftest could allow them for every page).
WELSH_MONTHS = tuple(
    name for width in ("wide", "abbreviated") for name in get_month_names(width, locale="cy").values()
)
# Strings of files other areas convert, shown on these pages (drop each once its file is done):
# app/forces/forms.py TeamForm (/teams), certificates/_macros.html (status tag, download link,
# expiring notice on /force/certificates), app/auth/workforce.py labels (the officer record).
OTHER_AREAS = {"officer": ()}
OVERDUE = "Owain Overdue"
COMPLETE = "Carys Complete"


@pytest.fixture
def lead_world(people):
    lead = people["training_lead"]
    force, team = lead.force, people["officer"].team
    joined = utcnow() - timedelta(days=400)
    course = make_course(n_modules=2, questions=1, lessons=1, title=COURSE, certificate_valid_months=12)
    modules = [cm.module for cm in course.course_modules]
    overdue = UserFactory(
        force=force,
        team=team,
        name=OVERDUE,
        service_number="GW1001",
        force_joined_at=joined,
        team_joined_at=joined,
    )
    complete = UserFactory(
        force=force,
        team=team,
        name=COMPLETE,
        service_number="GW1002",
        force_joined_at=joined,
        team_joined_at=joined,
    )
    for module in modules:
        db.session.add(
            ModuleResult(
                user_id=complete.id,
                module_id=module.id,
                force_id=force.id,
                attempts=1,
                best_percent=90.0,
                passed_at=utcnow() - timedelta(days=300),
                first_attempt_at=utcnow() - timedelta(days=300),
            )
        )
    first = modules[0]
    db.session.add(
        ModuleResult(
            user_id=overdue.id,
            module_id=first.id,
            force_id=force.id,
            attempts=1,
            best_percent=40.0,
            passed_at=None,
            first_attempt_at=utcnow() - timedelta(days=20),
        )
    )
    db.session.add(
        Attempt(
            user_id=overdue.id,
            module_id=first.id,
            module_version_id=first.current_version_id,
            force_id=force.id,
            number=1,
            seed=1,
            question_keys=[],
            started_at=utcnow() - timedelta(days=20),
            submitted_at=utcnow() - timedelta(days=20),
            score=1,
            max_score=2,
            percent=40.0,
            passed=False,
        )
    )
    cert = insert_certificate(
        complete, course, issued_at=utcnow() - timedelta(days=300), expires_on=today() + timedelta(days=20)
    )
    assignment = services.create_assignment(
        actor=lead, force=force, course_id=course.id, scope="force", due_on=today(), message="Please finish."
    )
    assignment.due_on = today() - timedelta(days=5)
    db.session.add(
        Reminder(
            assignment_id=assignment.id, user_id=overdue.id, day=today(), kind="overdue", status="failed"
        )
    )
    change = LawChange(
        module_id=first.id,
        module_version_id=first.current_version_id,
        version_number=1,
        summary=LAW_CHANGE,
        sections=[],
        question_keys=[],
    )
    db.session.add(change)
    db.session.flush()
    db.session.add(
        LawUpdate(
            law_change_id=change.id,
            certificate_id=cert.id,
            user_id=complete.id,
            due_on=today() + timedelta(days=30),
        )
    )
    db.session.commit()
    titles = [COURSE, LAW_CHANGE, *(m.current_version.title for m in modules)]
    return {
        "assignment": assignment,
        "overdue": overdue,
        "complete": complete,
        "titles": titles,
        "cert": cert,
    }


def _check(client, login_as, people, world, url, *more, status=200):
    assert_all_translated(
        client,
        login_as,
        people,
        "training_lead",
        url,
        *world["titles"],
        OVERDUE,
        COMPLETE,
        "GW1001",
        "GW1002",
        "Please finish.",
        world["cert"].serial,
        *(u.service_number for u in people.values() if u.service_number),
        *WELSH_MONTHS,
        *more,
        status=status,
    )


@pytest.mark.parametrize(
    "url",
    [
        "/assignments",
        "/assignments/new",
        "/assignments/attention",
        "/assignments/attention?status=any",
        "/teams",
        "/force/certificates",
        "/force/law-updates",
    ],
)
def test_the_lead_pages_are_all_in_the_catalogue(client, login_as, people, pseudo_welsh, lead_world, url):
    _check(client, login_as, people, lead_world, url, *OTHER_AREAS.get(url, ()))


def test_an_assignment_and_its_edit_page_are_all_in_the_catalogue(
    client, login_as, people, pseudo_welsh, lead_world
):
    assignment_id = lead_world["assignment"].id
    _check(client, login_as, people, lead_world, f"/assignments/{assignment_id}")
    _check(client, login_as, people, lead_world, f"/assignments/{assignment_id}/edit")


@pytest.mark.parametrize("who", ["overdue", "complete"])
def test_an_officer_record_is_all_in_the_catalogue(client, login_as, people, pseudo_welsh, lead_world, who):
    _check(client, login_as, people, lead_world, f"/officers/{lead_world[who].id}", *OTHER_AREAS["officer"])


def test_the_new_assignment_errors_are_all_in_the_catalogue(
    client, login_as, people, pseudo_welsh, lead_world
):
    login_as(people["training_lead"])
    response = client.post(
        "/assignments/new",
        data={"scope": "officers", "service_numbers": "NOPE1\nnobody@example.org", "due_on-day": "31"},
    )
    assert response.status_code == 400
    from tests.integration.welsh.conftest import data_values
    from tests.support.pseudo import english_left

    html = response.get_data(as_text=True)
    allowed = data_values(
        people, *lead_world["titles"], OVERDUE, COMPLETE, "NOPE1", "nobody@example.org", "31", *WELSH_MONTHS
    )
    left = english_left(html, allowed)
    assert not left, "English left on the form's errors:\n" + "\n".join(left)


def test_the_force_dashboard_is_all_in_the_catalogue(client, login_as, people, pseudo_welsh, lead_world):
    _check(client, login_as, people, lead_world, "/metrics/force")
