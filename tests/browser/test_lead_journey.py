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


# GOV.UK Frontend puts aria-expanded on a radio that reveals content, which ARIA does not yet allow
# on role radio, so axe reports the assign form's "Teams" and "Named officers" radios. The package
# keeps the attribute on purpose, because screen readers announce it (alphagov/govuk-frontend#979,
# listed in its known issues); this one finding, and only on these two radios, is set aside.
REVEAL_FINDING = (
    "/assignments/new: axe aria-allowed-attr (critical): Elements must only use supported ARIA "
    "attributes at [['#scope-2'], ['#scope-3']]"
)


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
    assert j.problems.count(REVEAL_FINDING) == 1, j.problems
    j.problems.remove(REVEAL_FINDING)
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
