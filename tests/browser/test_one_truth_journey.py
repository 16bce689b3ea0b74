"""One truth, as a user sees it: on the same data the force dashboard, its CSV, the assignment
page and the attention list give the same overdue and completion counts (issue 14).

A force of its own (so the other journeys' data does not move these numbers): a whole-force
assignment made 40 days ago, due 10 days ago; three officers with nothing, one with a valid
certificate, one whose certificate expired yesterday (overdue again), and one who joined five days
ago (a later joiner: their own due date is still ahead). An administrator opens every page.
"""

import csv
import io
import re

import pytest

from tests.browser.conftest import DEMO_PASSWORD, run_app

pytestmark = pytest.mark.browser

CODE = "one-truth-constabulary"

SETUP = f"""
import secrets
from datetime import datetime, time, timedelta
from app.assignments.models import Assignment
from app.auth.models import User
from app.certificates.models import Certificate
from app.clock import today
from app.content.models import Course
from app.forces.models import Force, Team
from app.metrics import summary
day = today()
at = lambda days_ago: datetime.combine(day - timedelta(days=days_ago), time(9))
course = db.session.scalar(db.select(Course).where(Course.slug == "first-responder"))
force = Force(code="{CODE}", name="One Truth Constabulary", nation="England", type="territorial",
              headcount=100, headcount_measure="fte")
db.session.add(force)
db.session.flush()
team = Team(force_id=force.id, name="Response")
db.session.add(team)
db.session.flush()
people = {{}}
for name, joined in (("Ann None", 60), ("Bob None", 60), ("Cal None", 60), ("Dee Valid", 60),
                     ("Eve Expired", 60), ("Fay Newcomer", 5)):
    user = User(email=name.replace(" ", ".").lower() + "@one-truth.example", name=name,
                force_id=force.id, team_id=team.id, role="officer", created_at=at(joined),
                force_joined_at=at(joined), team_joined_at=at(joined))
    db.session.add(user)
    people[name] = user
db.session.flush()
assignment = Assignment(force_id=force.id, course_id=course.id, scope="force",
                        due_on=day - timedelta(days=10), created_at=at(40))
db.session.add(assignment)
for name, issued, expires in (("Dee Valid", at(30), day + timedelta(days=300)),
                              ("Eve Expired", at(400), day - timedelta(days=1))):
    user = people[name]
    db.session.add(Certificate(serial="MSA-" + secrets.token_hex(4).upper(), user_id=user.id,
        course_id=course.id, force_id=force.id, cycle=1, holder_name=user.name,
        course_slug=course.slug, course_title=course.title, course_version="1", modules=[],
        issued_at=issued, expires_on=expires))
db.session.flush()
summary.rebuild(course.id)
db.session.commit()
print(assignment.id)
"""


def _number(text: str, pattern: str) -> int:
    found = re.search(pattern, text)
    assert found, f"{pattern!r} not in {text[:500]!r}"
    return int(found.group(1).replace(",", ""))


def test_every_page_gives_the_same_overdue_and_completion_counts(journey, server):
    assignment_id = int(run_app(server, SETUP).strip())
    j = journey
    j.sign_in("admin@demo.police.uk", DEMO_PASSWORD)

    # The force dashboard: headline figures and the named overdue list.
    j.goto(f"/metrics/force?force={CODE}&course=first-responder")
    headline = j.page.locator(".metrics-headline").inner_text()
    dashboard_overdue = _number(headline, r"Officers overdue\s+(\d+)")
    dashboard_certified = _number(headline, r"Police officers currently certified\s+(\d+)")
    listed = j.page.locator("#overdue + p").inner_text()
    assert _number(listed, r"^(\d+) officer") == dashboard_overdue
    assert "Officer figure 100 FTE" in j.page.locator("p.govuk-body-l").inner_text()

    # Its CSV (the force row).
    response = j.page.request.get(f"{server['base']}/metrics/force.csv?force={CODE}&course=first-responder")
    rows = list(csv.DictReader(io.StringIO(response.text())))
    assert int(rows[0]["officers_overdue"]) == dashboard_overdue
    assert int(rows[0]["officers_currently_certified"]) == dashboard_certified

    # The assignment page: overdue and complete by status.
    j.goto(f"/assignments/{assignment_id}")
    counts = j.page.locator(".app-status-counts").inner_text()
    assert _number(counts, r"Overdue:\s*(\d+)") == dashboard_overdue
    summary = j.page.locator(".govuk-summary-list").inner_text()
    assert _number(summary, r"Complete\s+(\d+) of") == dashboard_certified

    # The attention list.
    j.goto(f"/assignments/attention?force={CODE}")
    heading = j.page.locator("#overdue").inner_text()
    assert _number(heading, r"Overdue \((\d+)\)") == dashboard_overdue

    # And the numbers are the ones the rule gives: Ann, Bob, Cal and Eve (expired yesterday) are
    # overdue; Fay joined five days ago and has longer; Dee holds a valid certificate.
    assert (dashboard_overdue, dashboard_certified) == (4, 1)
    names = j.page.locator("main").inner_text()
    assert "Eve Expired" in names
    assert "Fay Newcomer" not in names
