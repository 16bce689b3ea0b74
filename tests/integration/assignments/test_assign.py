"""Assigning courses: group scopes and later joiners, force scoping, refusals, edits, withdrawal."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app import clock
from app.assignments import queries, services
from app.assignments import status as rules
from app.assignments.models import Assignment, AssignmentTarget
from app.audit import AuditEvent
from app.clock import today, utcnow
from app.extensions import db
from tests.factories import ForceFactory, TeamFactory, UserFactory, make_course
from tests.integration.assignments.conftest import assign, certify, pass_module, read_lesson


def _statuses(assignment):
    return {o.person.name: o.derived for o in queries.officer_statuses(assignment)}


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_force_assignment_covers_later_joiners_with_due_date_from_joining(place):
    assignment = assign(place, scope="force", days=30)
    clock.travel(timedelta(days=10))
    joiner = UserFactory(force=place["force"], name="Dee Newcomer", force_joined_at=utcnow())
    statuses = _statuses(assignment)
    assert set(statuses) == {"Ada Ash", "Ben Birch", "Cat Cedar", "Lee Lead", "Dee Newcomer"}
    assert statuses["Ada Ash"].due_on == assignment.due_on
    assert statuses["Dee Newcomer"].due_on == joiner.force_joined_at.date() + timedelta(days=30)


def test_team_assignment_covers_current_members_only(place):
    team_a, team_b = place["teams"]
    assignment = assign(place, scope="teams", team_ids=[team_a.id])
    assert set(_statuses(assignment)) == {"Ada Ash", "Ben Birch"}
    clock.travel(timedelta(days=5))
    mover = place["officers"][2]
    mover.team, mover.team_joined_at = team_a, utcnow()
    place["officers"][0].team = team_b
    db.session.flush()
    statuses = _statuses(assignment)
    assert set(statuses) == {"Ben Birch", "Cat Cedar"}
    assert statuses["Cat Cedar"].due_on == assignment.due_on + timedelta(days=5)


def test_inactive_officers_are_not_covered(place):
    place["officers"][1].active = False
    db.session.flush()
    assert "Ben Birch" not in _statuses(assign(place))


def test_named_officers_by_id_and_service_number(place):
    ada, ben, _ = place["officers"]
    assignment = assign(place, scope="officers", user_ids=[ada.id], refs=[ben.service_number])
    assert set(_statuses(assignment)) == {"Ada Ash", "Ben Birch"}


def test_statuses_from_certificates_results_and_progress(place):
    ada, ben, cat = place["officers"]
    course = place["course"]
    assignment = assign(place, days=3)
    certify(ada, course)
    read_lesson(ben, course)
    for cm in course.course_modules:
        pass_module(cat, cm.module)
    statuses = _statuses(assignment)
    assert statuses["Ada Ash"].status == rules.COMPLETE
    assert statuses["Ben Birch"].status == rules.DUE_SOON
    assert statuses["Ben Birch"].started
    # Module results written without a certificate: a certificate is the evidence of completion.
    assert statuses["Cat Cedar"].status == rules.DUE_SOON
    clock.travel(timedelta(days=4))
    statuses = _statuses(assignment)
    assert statuses["Ben Birch"].status == rules.OVERDUE
    assert statuses["Lee Lead"].status == rules.OVERDUE


def test_revoked_certificate_is_not_completion(place):
    ada = place["officers"][0]
    certify(ada, place["course"], revoked=True)
    assert _statuses(assign(place))["Ada Ash"].status == rules.NOT_STARTED


def test_expiring_certificate_makes_course_due_again_at_expiry(place):
    ada = place["officers"][0]
    certify(ada, place["course"], issued_at=utcnow() - timedelta(days=340), expires_in=25)
    derived = _statuses(assign(place, days=10))["Ada Ash"]
    assert derived.recertifying
    assert derived.due_on == today() + timedelta(days=25)
    assert derived.status == rules.NOT_STARTED


def test_past_due_date_is_refused_and_nothing_stored(place):
    before = _count(Assignment)
    with pytest.raises(services.AssignmentError, match="today or in the future"):
        assign(place, days=-1)
    assert _count(Assignment) == before
    assert assign(place, days=0).due_on == today()  # today is allowed


@pytest.mark.parametrize("refs", [["NOPE123"], ["nobody@example.police.uk"]])
def test_unknown_officers_are_refused(place, refs):
    with pytest.raises(services.AssignmentError, match="No "):
        assign(place, scope="officers", refs=refs)
    assert _count(Assignment) == 0


def test_officers_and_teams_of_another_force_are_refused_and_nothing_stored(place):
    other = ForceFactory(name="Avon and Somerset")
    stranger = UserFactory(force=other, service_number="AS1")
    their_team = TeamFactory(force=other, name="Safeguarding Hub")
    with pytest.raises(services.AssignmentError, match="not an officer of West Yorkshire"):
        assign(place, scope="officers", user_ids=[stranger.id])
    with pytest.raises(services.AssignmentError, match="No officer of West Yorkshire"):
        assign(place, scope="officers", refs=[stranger.email])
    with pytest.raises(services.AssignmentError, match="No officer of West Yorkshire"):
        assign(place, scope="officers", refs=["AS1"])
    with pytest.raises(services.AssignmentError, match="A chosen team is not in West Yorkshire"):
        assign(place, scope="teams", team_ids=[place["teams"][0].id, their_team.id])
    assert _count(Assignment) == 0
    assert _count(AssignmentTarget) == 0


def test_unknown_or_unpublished_course_is_refused(place):
    with pytest.raises(services.AssignmentError, match="Choose a course"):
        services.create_assignment(
            actor=place["lead"], force=place["force"], course_id=999999, scope="force", due_on=today()
        )
    hidden = make_course(n_modules=1, published=False)
    with pytest.raises(services.AssignmentError, match="Choose a course"):
        services.create_assignment(
            actor=place["lead"], force=place["force"], course_id=hidden.id, scope="force", due_on=today()
        )


def test_create_is_audited(place):
    assignment = assign(place)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "assignment.create"))
    assert event.target_id == str(assignment.id)
    assert event.force_id == place["force"].id


def test_lead_assigns_through_the_form(place, client, login_as):
    login_as(place["lead"])
    team_a = place["teams"][0]
    due = today() + timedelta(days=14)
    response = client.post(
        "/assignments/new",
        data={
            "course_id": str(place["course"].id),
            "scope": "teams",
            "team_ids": [str(team_a.id)],
            "due_on": due.isoformat(),
            "message": "Before nights, please.",
        },
    )
    assert response.status_code == 302
    assignment = db.session.scalar(select(Assignment))
    assert assignment.scope == "teams"
    assert assignment.due_on == due
    assert [t.team_id for t in assignment.targets] == [team_a.id]


def test_form_refusal_shows_the_message_and_stores_nothing(place, client, login_as):
    login_as(place["lead"])
    response = client.post(
        "/assignments/new",
        data={
            "course_id": str(place["course"].id),
            "scope": "officers",
            "service_numbers": "XX999",
            "due_on": today().isoformat(),
        },
    )
    assert response.status_code == 400
    assert b"No officer of West Yorkshire Police has the service number XX999" in response.data
    assert b"error-summary" in response.data
    assert _count(Assignment) == 0
    response = client.post(
        "/assignments/new",
        data={
            "course_id": str(place["course"].id),
            "scope": "force",
            "due_on": (today() - timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 400
    assert b"today or in the future" in response.data
    assert _count(Assignment) == 0


def test_lead_of_another_force_gets_404_and_cannot_assign_there(place, client, login_as):
    assignment = assign(place)
    other = ForceFactory(code="other-force")
    outsider = login_as(UserFactory(force=other, role="training_lead"))
    for url in (
        f"/assignments/{assignment.id}",
        f"/assignments/{assignment.id}/export.csv",
        f"/assignments/{assignment.id}/edit",
        f"/assignments/new?force={place['force'].code}",
        f"/assignments?force={place['force'].code}",
        f"/assignments/attention?force={place['force'].code}",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/assignments/{assignment.id}/edit", data={"due_on": "2099-01-01"}).status_code == 404
    assert client.post(f"/assignments/{assignment.id}/withdraw").status_code == 404
    listing = client.get("/assignments")
    assert listing.status_code == 200
    assert place["course"].title.encode() not in listing.data
    # Posting the other force's officers and teams from their own form is refused.
    before = _count(Assignment)
    for data in (
        {"scope": "officers", "user_ids": [str(place["officers"][0].id)]},
        {"scope": "officers", "service_numbers": place["officers"][0].service_number},
        {"scope": "teams", "team_ids": [str(place["teams"][0].id)]},
    ):
        response = client.post(
            "/assignments/new", data={"course_id": str(place["course"].id), "due_on": "2099-01-01", **data}
        )
        assert response.status_code == 400
    assert _count(Assignment) == before
    assert db.session.get(type(assignment), assignment.id).due_on == assignment.due_on
    assert outsider.force_id == other.id


def test_admin_assigns_in_any_force(place, client, login_as):
    login_as(UserFactory(force=None, role="admin"))
    response = client.post(
        f"/assignments/new?force={place['force'].code}",
        data={"course_id": str(place["course"].id), "scope": "force", "due_on": "2099-01-01"},
    )
    assert response.status_code == 302
    assert db.session.scalar(select(Assignment.force_id)) == place["force"].id
    assert client.get("/assignments/new").status_code == 200  # chooses a force first


def test_due_date_change_is_audited_and_past_dates_refused(place, client, login_as):
    assignment = assign(place)
    login_as(place["lead"])
    new_due = today() + timedelta(days=60)
    response = client.post(f"/assignments/{assignment.id}/edit", data={"due_on": new_due.isoformat()})
    assert response.status_code == 302
    assert assignment.due_on == new_due
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "assignment.due_date"))
    assert event.actor_id == place["lead"].id
    assert new_due.isoformat() in event.details
    response = client.post(
        f"/assignments/{assignment.id}/edit", data={"due_on": (today() - timedelta(days=1)).isoformat()}
    )
    assert response.status_code == 400
    assert assignment.due_on == new_due


def test_withdrawal_is_audited_and_completed_work_stays(place, client, login_as):
    ada = place["officers"][0]
    cert = certify(ada, place["course"])
    assignment = assign(place)
    login_as(place["lead"])
    response = client.post(f"/assignments/{assignment.id}/withdraw", data={"reason": "Merged"})
    assert response.status_code == 302
    assert assignment.withdrawn_at is not None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "assignment.withdraw"))
    assert event.actor_id == place["lead"].id
    assert event.details_dict["reason"] == "Merged"
    assert db.session.get(type(cert), cert.id).revoked_at is None
    assert queries.covering_assignments(ada) == []
    assert client.post(f"/assignments/{assignment.id}/withdraw").status_code == 302  # harmless
    assert _count(AuditEvent) == 2  # create + one withdrawal
