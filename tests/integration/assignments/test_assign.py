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


def _dmy(day) -> list[str]:
    """A date as the day, month and year boxes post it."""
    return [str(day.day), str(day.month), str(day.year)]


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
            "due_on": _dmy(due),
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
            "due_on": _dmy(today()),
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
            "due_on": _dmy(today() - timedelta(days=1)),
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
            "/assignments/new",
            data={"course_id": str(place["course"].id), "due_on": ["1", "1", "2099"], **data},
        )
        assert response.status_code == 400
    assert _count(Assignment) == before
    assert db.session.get(type(assignment), assignment.id).due_on == assignment.due_on
    assert outsider.force_id == other.id


def test_admin_assigns_in_any_force(place, client, login_as):
    login_as(UserFactory(force=None, role="admin"))
    response = client.post(
        f"/assignments/new?force={place['force'].code}",
        data={"course_id": str(place["course"].id), "scope": "force", "due_on": ["1", "1", "2099"]},
    )
    assert response.status_code == 302
    assert db.session.scalar(select(Assignment.force_id)) == place["force"].id
    assert client.get("/assignments/new").status_code == 200  # chooses a force first


def test_due_date_change_is_audited_and_past_dates_refused(place, client, login_as):
    assignment = assign(place)
    login_as(place["lead"])
    new_due = today() + timedelta(days=60)
    response = client.post(f"/assignments/{assignment.id}/edit", data={"due_on": _dmy(new_due)})
    assert response.status_code == 302
    assert assignment.due_on == new_due
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "assignment.due_date"))
    assert event.actor_id == place["lead"].id
    assert new_due.isoformat() in event.details
    response = client.post(
        f"/assignments/{assignment.id}/edit", data={"due_on": _dmy(today() - timedelta(days=1))}
    )
    assert response.status_code == 400
    assert b"The due date must be today or in the future." in response.data
    assert assignment.due_on == new_due
    for due_on, message in (
        (["", "", ""], "Enter the new due date, for example 31 3 2027"),
        (["31", "2", "2099"], "The new due date must be a real date, for example 31 3 2027"),
    ):
        response = client.post(f"/assignments/{assignment.id}/edit", data={"due_on": due_on})
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)
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


def _post_new(client, place, **data):
    return client.post(
        "/assignments/new",
        data={"course_id": str(place["course"].id), "due_on": _dmy(today() + timedelta(days=14)), **data},
    )


def test_the_form_reveals_teams_and_officers_under_their_choice(place, client, login_as):
    login_as(place["lead"])
    page = client.get("/assignments/new").get_data(as_text=True)
    # Teams sit inside the "Teams" radio's conditional, the officer picker inside "Named officers".
    teams_at = page.index('id="conditional-scope-2"')
    officers_at = page.index('id="conditional-scope-3"')
    assert teams_at < page.index('name="team_ids"') < officers_at < page.index('name="service_numbers"')
    assert 'data-aria-controls="conditional-scope-2"' in page
    # The force is small, so its officers are suggested by name in a datalist.
    assert 'list="officer-suggestions"' in page
    ada = place["officers"][0]
    assert f'<option value="{ada.service_number}">Ada Ash</option>' in page
    # The due date is three boxes: day, month and year.
    for box in ('id="due_on"', 'id="due_on-month"', 'id="due_on-year"'):
        assert box in page


def test_teams_are_required_only_when_teams_are_chosen(place, client, login_as):
    login_as(place["lead"])
    response = _post_new(client, place, scope="teams")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert '<a href="#team_ids">Choose at least one team</a>' in page
    response = _post_new(client, place, scope="officers")
    assert response.status_code == 400
    assert (
        '<a href="#service_numbers">Enter at least one service number or email address</a>'
        in response.get_data(as_text=True)
    )
    assert _count(Assignment) == 0


def test_a_hidden_fields_value_is_ignored(place, client, login_as):
    login_as(place["lead"])
    their_team = TeamFactory(force=ForceFactory(name="Kent Police"), name="Kent Team")
    # Whole force, with teams and officers left over from choices not taken (even nonsense).
    response = _post_new(
        client, place, scope="force", team_ids=[str(their_team.id)], service_numbers="XX999\n" + "x" * 20_001
    )
    assert response.status_code == 302
    assignment = db.session.scalar(select(Assignment))
    assert (assignment.scope, assignment.targets) == ("force", [])
    # Teams, with an unknown officer typed before the lead changed their mind.
    team_a = place["teams"][0]
    response = _post_new(client, place, scope="teams", team_ids=[str(team_a.id)], service_numbers="XX999")
    assert response.status_code == 302
    assignment = db.session.scalars(select(Assignment).order_by(Assignment.id.desc())).first()
    assert [t.team_id for t in assignment.targets] == [team_a.id]
    # Named officers, with a team ticked before.
    ada = place["officers"][0]
    response = _post_new(
        client, place, scope="officers", team_ids=[str(their_team.id)], service_numbers=ada.service_number
    )
    assert response.status_code == 302
    assignment = db.session.scalars(select(Assignment).order_by(Assignment.id.desc())).first()
    assert [t.user_id for t in assignment.targets] == [ada.id]


def test_named_officers_by_line_and_by_name(place, client, login_as):
    ada, ben, cat = place["officers"]
    login_as(place["lead"])
    response = _post_new(
        client,
        place,
        scope="officers",
        service_numbers=f"{ada.service_number}\n\n {ben.email.upper()} ",
        add_officer=cat.service_number,
    )
    assert response.status_code == 302
    assignment = db.session.scalar(select(Assignment))
    assert sorted(t.user_id for t in assignment.targets) == sorted([ada.id, ben.id, cat.id])


def test_each_line_matching_nobody_is_named_without_naming_other_forces_people(place, client, login_as):
    stranger = UserFactory(force=ForceFactory(name="Kent Police"), name="Sam Stranger", service_number="KT1")
    ada = place["officers"][0]
    login_as(place["lead"])
    response = _post_new(
        client,
        place,
        scope="officers",
        service_numbers=f"{ada.service_number}\nXX999\n{stranger.email}\nKT1",
        add_officer="nobody@example.police.uk",
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    force = "West Yorkshire Police"
    for anchor, message in (
        ("service_numbers", f"Line 2: No officer of {force} has the service number XX999."),
        ("service_numbers", f"Line 3: No officer of {force} has the email address {stranger.email}."),
        ("service_numbers", f"Line 4: No officer of {force} has the service number KT1."),
        ("add_officer", f"No officer of {force} has the email address nobody@example.police.uk."),
    ):
        assert f'<a href="#{anchor}">{message}</a>' in page
    assert "Line 1" not in page
    # The lines come back as typed (line breaks as &#10;, not indented by the reveal).
    assert f"{ada.service_number}&#10;XX999&#10;{stranger.email}&#10;KT1</textarea>" in page
    assert "Sam Stranger" not in page
    assert "Kent" not in page
    assert _count(Assignment) == 0


def test_due_date_is_entered_as_day_month_and_year(place, client, login_as):
    login_as(place["lead"])
    for due_on, message in (
        (["", "", ""], "Enter a due date, for example 31 3 2027"),
        (["31", "2", "2099"], "The due date must be a real date, for example 31 3 2027"),
        (["1", "13", "2099"], "The due date must be a real date, for example 31 3 2027"),
        (["1", "1", "99"], "The due date must be a real date, for example 31 3 2027"),
        (
            [(today() + timedelta(days=20)).isoformat()],
            "The due date must be a real date, for example 31 3 2027",
        ),
        (_dmy(today() - timedelta(days=1)), "The due date must be today or in the future."),
    ):
        response = _post_new(client, place, scope="force", due_on=due_on)
        assert response.status_code == 400, due_on
        page = response.get_data(as_text=True)
        assert f'<a href="#due_on">{message}</a>' in page, due_on
    # The boxes keep what was typed.
    assert 'id="due_on-year" name="due_on" type="text" value="99"' in client.post(
        "/assignments/new", data={"scope": "force", "due_on": ["1", "1", "99"]}
    ).get_data(as_text=True)
    assert _count(Assignment) == 0
