"""Routes of the assignments feature: the officer's list, the lead's views and the outbox."""

from datetime import timedelta

from app.assignments.models import Assignment
from app.clock import today
from app.mail.models import MailJob
from tests.access.rules import ADMIN, LEAD, OFFICER, Route
from tests.factories import make_course

LEADS = frozenset({LEAD, ADMIN})
LEARNERS = frozenset({OFFICER, LEAD})

ROUTES = [
    Route("assignments.my_training", "/training", LEARNERS),
    Route("assignments.lead_assignments", "/assignments", LEADS),
    Route("assignments.new_assignment", "/assignments/new?force={force_code}", LEADS),
    Route(
        "assignments.new_assignment",
        "/assignments/new?force={force_code}",
        LEADS,
        method="POST",
        ok=(302, 400),
        data={"scope": "force", "due_on": ["1", "1", "2099"]},
    ),
    Route("assignments.assignment_detail", "/assignments/{assignment_id}", LEADS),
    Route("assignments.export_csv", "/assignments/{assignment_id}/export.csv", LEADS),
    Route("assignments.edit_assignment", "/assignments/{assignment_id}/edit", LEADS),
    Route(
        "assignments.edit_assignment",
        "/assignments/{assignment_id}/edit",
        LEADS,
        method="POST",
        ok=(302, 400),
        data={"due_on": ["1", "2", "2099"]},
    ),
    Route(
        "assignments.withdraw_assignment",
        "/assignments/{assignment_id}/withdraw",
        LEADS,
        method="POST",
        ok=(302,),
    ),
    Route("assignments.attention", "/assignments/attention", LEADS),
    Route("assignments.officer_record", "/officers/{officer_id}", LEADS),
    Route("assignments.attention_csv", "/assignments/attention.csv", LEADS),
    Route(
        "assignments.attention_remind",
        "/assignments/attention/remind",
        LEADS,
        method="POST",
        ok=(302,),
        data={"scope": "all"},
    ),
    Route("assignments.outbox", "/admin/outbox", frozenset({ADMIN})),
    Route(
        "assignments.retry_mail_job",
        "/admin/outbox/jobs/{mail_job_id}/retry",
        frozenset({ADMIN}),
        method="POST",
        ok=(302,),
    ),
]


def build(world: dict) -> None:
    """A course and a whole-force assignment in the world's force."""
    from app.extensions import db

    course = make_course(n_modules=1, questions=1, lessons=1)
    assignment = Assignment(
        force_id=world["force"].id,
        course_id=course.id,
        scope="force",
        due_on=today() + timedelta(days=30),
        message="",
    )
    db.session.add(assignment)
    dead = MailJob(key="access-dead-letter", kind="password_reset", payload='{"email": "x@police.uk"}')
    dead.status = "dead"
    db.session.add(dead)
    db.session.flush()
    world["mail_job_id"] = dead.id
    world["course_id"] = course.id
    world["assignment_id"] = assignment.id
