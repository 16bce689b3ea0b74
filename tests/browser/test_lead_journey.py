"""Journey 2, the training lead: assign a course to a team with a due date, follow the officers'
status, see it change when one completes, export the CSV."""

import csv
import io
import re
from datetime import date, timedelta

import pytest

from app.formatting import uk_date
from tests.browser.conftest import DEMO_PASSWORD, complete_course

pytestmark = pytest.mark.browser

COURSE = "Modern slavery: first responder"
TEAM = "CID"
OFFICER = "Priya Shah"  # officer2@demo.police.uk, West Yorkshire CID


def officer_row(j, name):
    return j.page.locator(".app-assignments-table tbody tr").filter(has_text=name)


def test_lead_assigns_a_course_to_a_team_and_follows_it_to_completion(journey, server):
    j = journey
    due = date.today() + timedelta(days=21)

    # The lead starts on their force's assignments.
    j.sign_in("lead@demo.police.uk", DEMO_PASSWORD)
    assert j.page.url.endswith("/assignments")

    # Assign the first responder course to CID, due in three weeks.
    j.click("text=Assign a course")
    assert j.page.url.endswith("/assignments/new")
    j.page.select_option("#course_id", label=COURSE)
    # Teams and the officer picker show only under their choice (conditional reveal).
    assert not j.page.get_by_label(TEAM, exact=True).is_visible()
    assert not j.page.locator("#service_numbers").is_visible()
    j.page.check("input[name=scope][value=officers]")
    assert j.page.locator("#service_numbers").is_visible()
    j.page.check("input[name=scope][value=teams]")
    assert not j.page.locator("#service_numbers").is_visible()
    j.page.get_by_label(TEAM, exact=True).check()
    j.page.fill("#due_on", str(due.day))
    j.page.fill("#due_on-month", str(due.month))
    j.page.fill("#due_on-year", str(due.year))
    j.page.fill("#message", "CID: please complete before the operation briefing.")
    j.click("button[type=submit][value='Assign course']")
    assert re.search(r"/assignments/\d+$", j.page.url), j.page.url
    banner = j.page.locator(".govuk-notification-banner").inner_text()
    assert f"Assigned {COURSE}, due {uk_date(due)}." in banner
    assignment_url = j.page.url.split(server["base"], 1)[-1]

    # The officers it covers, each with a status: Priya has not started.
    row = officer_row(j, OFFICER)
    assert row.count() == 1
    assert TEAM in row.inner_text()
    assert "Not started" in row.inner_text()
    assert "Sam Taylor" not in j.page.locator(".app-assignments-table").inner_text()  # not in CID

    # Priya passes the three modules' quizzes (through the quiz services, as the officer journey
    # does through the pages), which completes the course and earns her a certificate.
    serial = complete_course(server, "officer2@demo.police.uk")
    assert serial.startswith("MSA-")

    # Reload: Priya is complete, and the count says so.
    j.goto(assignment_url)
    row = officer_row(j, OFFICER)
    assert "Complete" in row.inner_text()
    assert "Certificate to" in row.inner_text()
    total = len(j.page.locator(".app-assignments-table tbody tr").all())
    assert f"1 of {total}" in j.page.locator(".govuk-summary-list").inner_text()

    # Export the CSV: one row per officer, Priya's with today's completion date.
    path = j.download(j.page.get_by_role("link", name=re.compile("Download CSV")))
    assert path.suffix == ".csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert len(rows) == total
    priya = next(r for r in rows if r["Name"] == OFFICER)
    assert priya["Email"] == "officer2@demo.police.uk"
    assert priya["Team"] == TEAM
    assert priya["Status"] == "Complete"
    assert priya["Due date"] == due.isoformat()
    assert date.fromisoformat(priya["Completed on"]) >= date.today()
    assert priya["Completed late"] == ""
    assert date.fromisoformat(priya["Certificate expires on"]) > due
    assert all(r["Team"] == TEAM for r in rows)


OVERDUE_OFFICER = "Robin Reminder"
_OVERDUE_SETUP = """
from datetime import timedelta
from app.assignments.models import Assignment, AssignmentTarget
from app.auth.models import User
from app.clock import today, utcnow
from app.content.models import Course
from app.forces.models import Team
lead = db.session.scalar(db.select(User).where(User.email == "lead@demo.police.uk"))
in_force = Team.force_id == lead.force_id
team = db.session.scalar(db.select(Team).where(in_force, Team.name == "Response Team B"))
course = db.session.scalar(db.select(Course).where(Course.slug == "first-responder"))
joined = utcnow() - timedelta(days=90)
officer = User(email="robin.reminder@demo.police.uk", name="Robin Reminder", role="officer",
               force_id=lead.force_id, team_id=team.id, service_number="WY1999",
               force_joined_at=joined, team_joined_at=joined)
db.session.add(officer)
db.session.flush()
assignment = Assignment(force_id=lead.force_id, course_id=course.id, scope="officers", message="",
                        due_on=today() - timedelta(days=5), created_at=utcnow() - timedelta(days=40),
                        created_by_id=lead.id)
assignment.targets.append(AssignmentTarget(user_id=officer.id))
db.session.add(assignment)
db.session.commit()
"""


def test_lead_reminds_an_overdue_officer_and_opens_their_record(journey, server):
    """The attention list: filter by team, tick an overdue officer, remind them through the mail
    queue (once a day), see when they were last reminded, and open their training record."""
    from tests.browser.conftest import run_app

    run_app(server, _OVERDUE_SETUP)  # an officer 5 days overdue on a course assigned to them
    j = journey
    j.sign_in("lead@demo.police.uk", DEMO_PASSWORD)
    j.goto("/assignments/attention")
    j.page.select_option("#team", label="Response Team B")
    j.click("button:has-text('Show')")
    assert "team=" in j.page.url
    row = j.page.locator("tbody tr").filter(has_text=OVERDUE_OFFICER)
    assert row.count() == 1
    assert "Overdue" in row.inner_text()
    assert "Never" in row.inner_text()
    row.locator("input[type=checkbox]").check()
    j.click("button:has-text('Remind the officers ticked')")
    assert "1 reminder on the way." in j.page.locator(".govuk-notification-banner").inner_text()
    row = j.page.locator("tbody tr").filter(has_text=OVERDUE_OFFICER)
    assert "Today" in row.inner_text()

    # Once a day, whoever asks: reminding everyone in the list again skips Robin.
    j.click("button:has-text('Remind all')")
    assert "Already reminded today" in j.page.locator(".govuk-notification-banner").inner_text()

    # The record: the course overdue, no attempts yet, the reminder sent.
    j.click(j.page.get_by_role("link", name=OVERDUE_OFFICER))
    assert OVERDUE_OFFICER in j.page.locator("h1").inner_text()
    assert "Overdue" in j.page.locator("#courses + *").inner_text()
    assert "overdue reminder for" in j.page.locator("#reminders + *").inner_text()
