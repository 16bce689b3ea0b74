"""The officer's training list, the lead's drill-down, CSV export, attention page and outbox."""

import csv
import io
from datetime import timedelta

from sqlalchemy import event

from app import clock
from app.assignments import queries
from app.clock import utcnow
from app.extensions import db
from app.formatting import uk_date
from app.mail.models import OutboxMessage
from tests.factories import UserFactory, make_course
from tests.integration.assignments.conftest import assign, certify, read_lesson


def test_my_training_lists_assigned_by_urgency_then_optional(place, client, login_as):
    ada = place["officers"][0]
    other = make_course(n_modules=1, title="Victim care", certificate_valid_months=None)
    optional = make_course(n_modules=1, title="Zeta optional course")
    assign(place, days=30, message="Before nights, please.")
    services_course = place["course"]
    from app.assignments import services

    services.create_assignment(
        actor=place["lead"],
        force=place["force"],
        course_id=other.id,
        scope="officers",
        user_ids=[ada.id],
        due_on=clock.today() + timedelta(days=2),
    )
    read_lesson(ada, services_course)
    login_as(ada)
    page = client.get("/training").get_data(as_text=True)
    assert "Victim care" in page
    assert services_course.title in page
    assert page.index("Victim care") < page.index(services_course.title)  # due soon first
    assert (
        page.index(services_course.title)
        < page.index("Optional courses")
        < page.index("Zeta optional course")
    )
    assert "Due soon" in page
    assert "Before nights, please." in page
    assert "Continue where you left off" in page
    # The next unread lesson, not the one just read.
    assert f"/modules/{services_course.course_modules[0].module.slug}/lessons/2" in page
    assert optional.title in page


def test_home_sends_officers_to_my_training(place, client, login_as):
    login_as(place["officers"][0])
    assert client.get("/").headers["Location"].endswith("/training")


def test_officer_sees_only_own_training(place, client, login_as):
    assign(place, scope="officers", user_ids=[place["officers"][0].id])
    login_as(place["officers"][1])
    assert place["course"].title.encode() not in client.get("/training").data.split(b"Optional courses")[0]
    assert client.get("/assignments").status_code == 403


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def test_drill_down_filters_by_team_and_status(place, client, login_as):
    ada, ben, cat = place["officers"]
    certify(ada, place["course"])
    assignment = assign(place, days=20)
    login_as(place["lead"])
    page = client.get(f"/assignments/{assignment.id}").get_data(as_text=True)
    for name in ("Ada Ash", "Ben Birch", "Cat Cedar", "Lee Lead"):
        assert name in page
    assert "1 of 4 (25%)" in page
    team_a = place["teams"][0]
    page = client.get(f"/assignments/{assignment.id}?team={team_a.id}&status=not_started").get_data(
        as_text=True
    )
    assert "Ben Birch" in page
    assert "Ada Ash" not in page
    assert "Cat Cedar" not in page


def test_csv_export_content_and_formula_injection_is_neutralised(place, client, login_as):
    ada, ben, _ = place["officers"]
    ben.name = '=HYPERLINK("http://evil","x")'
    certify(ada, place["course"])
    assignment = assign(place, days=10)
    clock.travel(timedelta(days=12))
    login_as(place["lead"])
    response = client.get(f"/assignments/{assignment.id}/export.csv?sort=name")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = _csv(response)
    assert rows[0][:6] == ["Name", "Service number", "Email", "Team", "Status", "Due date"]
    by_name = {r[0]: r for r in rows[1:]}
    assert by_name["Ada Ash"][4] == "Complete"
    assert by_name["Ada Ash"][3] == "Response Team A"
    assert by_name["Cat Cedar"][4] == "Overdue"
    assert by_name["Cat Cedar"][5] == assignment.due_on.isoformat()
    assert by_name["Cat Cedar"][6] == "'-2"  # days left, neutralised like any cell
    assert '\'=HYPERLINK("http://evil","x")' in by_name
    assert all(not cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r)
    overdue_only = _csv(client.get(f"/assignments/{assignment.id}/export.csv?status=overdue"))
    assert {r[4] for r in overdue_only[1:]} == {"Overdue"}
    assert len(overdue_only) == 4


def test_attention_shows_overdue_and_expiring_certificates(place, client, login_as):
    ada, ben, cat = place["officers"]
    certify(ada, place["course"], issued_at=utcnow() - timedelta(days=320), expires_in=45)
    renewed = certify(cat, place["course"], issued_at=utcnow() - timedelta(days=330), expires_in=30)
    certify(cat, place["course"], cycle=2)
    assign(place, days=1)
    clock.travel(timedelta(days=3))
    login_as(place["lead"])
    page = client.get("/assignments/attention").get_data(as_text=True)
    overdue, expiring = page.split('id="expiring"')
    assert "Ben Birch" in overdue
    assert "Ada Ash" not in overdue
    assert "Ada Ash" in expiring
    assert "Cat Cedar" not in expiring
    assert uk_date(renewed.expires_on, short=True) not in expiring


def test_outbox_is_admin_only(place, client, login_as):
    db.session.add(OutboxMessage(to="a@example.police.uk", subject="Overdue training: X", body="Dear Ada"))
    db.session.flush()
    login_as(place["lead"])
    assert client.get("/admin/outbox").status_code == 403
    login_as(UserFactory(force=None, role="admin"))
    page = client.get("/admin/outbox")
    assert page.status_code == 200
    assert b"Overdue training: X" in page.data


def _count_queries(work) -> int:
    statements = []

    def before(conn, cursor, statement, *args):
        statements.append(statement)

    engine = db.session.get_bind()
    event.listen(engine, "before_cursor_execute", before)
    try:
        work()
    finally:
        event.remove(engine, "before_cursor_execute", before)
    return len(statements)


def test_status_queries_do_not_grow_with_officers_or_assignments(place):
    assignment = assign(place)
    assign(place, scope="teams", team_ids=[place["teams"][0].id])
    small = _count_queries(lambda: queries.officer_statuses(assignment))
    small_overview = _count_queries(lambda: queries.force_overview(place["force"].id))
    for i in range(30):
        user = UserFactory(force=place["force"], team=place["teams"][i % 2])
        certify(user, place["course"]) if i % 3 == 0 else read_lesson(user, place["course"])
    for _ in range(3):
        assign(place, scope="teams", team_ids=[place["teams"][1].id])
    assert _count_queries(lambda: queries.officer_statuses(assignment)) == small
    assert _count_queries(lambda: queries.force_overview(place["force"].id)) == small_overview
    assert small <= 8


def test_my_training_links_each_completed_courses_certificate(place, client, login_as):
    ada, ben = place["officers"][0], place["officers"][1]
    assign(place, days=30)
    certificate = certify(ada, place["course"])
    db.session.commit()
    login_as(ada)
    page = client.get("/training").get_data(as_text=True)
    assert f'href="/certificates/{certificate.serial}/pdf"' in page
    login_as(ben)
    assert "/pdf" not in client.get("/training").get_data(as_text=True)  # not completed: no link
