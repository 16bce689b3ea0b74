"""Demo data: the first responder course assigned to West Yorkshire's Response Team B."""

from datetime import timedelta

from sqlalchemy import select

from app.assignments.models import Assignment, AssignmentTarget
from app.auth.models import User
from app.clock import today
from app.content.models import Course
from app.extensions import db
from app.forces.models import Force, Team

COURSE_SLUG = "first-responder"
FORCE_CODE = "west-yorkshire"
TEAM_NAME = "Response Team B"
DUE_IN_DAYS = 30


def load() -> None:
    """Assign the course (due in 30 days) once; skip quietly if content has not been synced."""
    from app.assignments.services import create_assignment

    course = db.session.scalar(select(Course).where(Course.slug == COURSE_SLUG))
    force = db.session.scalar(select(Force).where(Force.code == FORCE_CODE))
    if course is None or force is None:
        return
    team = db.session.scalar(select(Team).where(Team.force_id == force.id, Team.name == TEAM_NAME))
    if team is None:
        return
    exists = db.session.scalar(
        select(Assignment.id)
        .join(AssignmentTarget)
        .where(
            Assignment.course_id == course.id,
            Assignment.force_id == force.id,
            Assignment.withdrawn_at.is_(None),
            AssignmentTarget.team_id == team.id,
        )
    )
    if exists:
        return
    lead = db.session.scalar(select(User).where(User.email == "lead@demo.police.uk"))
    create_assignment(
        actor=lead,
        force=force,
        course_id=course.id,
        scope="teams",
        team_ids=[team.id],
        due_on=today() + timedelta(days=DUE_IN_DAYS),
        message="Please complete this before your next set of night shifts.",
    )
