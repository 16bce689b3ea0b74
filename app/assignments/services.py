"""Writes for assignments: assign, change the due date, withdraw (all audited), plan reminders."""

import re
from collections.abc import Iterable
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app import audit
from app.assignments import queries
from app.assignments import status as rules
from app.assignments.models import Assignment, AssignmentTarget, Reminder
from app.auth.models import User
from app.clock import today as clock_today
from app.clock import utcnow
from app.content.models import Course
from app.errors import DomainError
from app.extensions import db
from app.forces.models import Force, Team
from app.roles import FORCE_ROLES

SCOPES = ("force", "teams", "officers")
MAX_MESSAGE = 2000


class AssignmentError(DomainError):
    """An assignment was refused; nothing was stored."""


def _check_due(due_on: date | None) -> date:
    if due_on is None:
        raise AssignmentError(_("Enter a due date."))
    if due_on < clock_today():
        raise AssignmentError(_("The due date must be today or in the future."))
    return due_on


def split_refs(text: str) -> list[str]:
    """Service numbers or email addresses typed one per line or separated by commas/spaces."""
    return [part for part in re.split(r"[\s,;]+", text or "") if part]


def resolve_officers(force: Force, user_ids: Iterable[int], refs: Iterable[str]) -> list[User]:
    """The named officers, all of the force; any unknown or foreign one refuses the whole lot."""
    ids = {int(i) for i in user_ids}
    refs = list(dict.fromkeys(refs))
    found = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))} if ids else {}
    # Another force's officers are named by the id or email that was sent, never by their name,
    # and an email of another force gets the same answer as an unknown one (no enumeration).
    problems = [
        _("Officer %(id)s is not an officer of %(force_name)s.", id=i, force_name=force.name)
        for i in sorted(ids)
        if i not in found or found[i].force_id != force.id
    ]
    for ref in refs:
        if "@" in ref:
            user = db.session.scalar(select(User).where(User.email == ref.strip().lower()))
            if user is None or user.force_id != force.id:
                problems.append(
                    _(
                        "No officer of %(force_name)s has the email address %(email)s.",
                        force_name=force.name,
                        email=ref,
                    )
                )
                user = None
        else:
            user = db.session.scalar(
                select(User).where(User.force_id == force.id, User.service_number == ref)
            )
            if user is None:
                problems.append(
                    _(
                        "No officer of %(force_name)s has the service number %(number)s.",
                        force_name=force.name,
                        number=ref,
                    )
                )
        if user is not None:
            found[user.id] = user
    for u in found.values():
        if u.force_id == force.id and (not u.active or u.role not in FORCE_ROLES):
            problems.append(
                _("%(name)s is not an active officer and cannot be assigned training.", name=u.name)
            )
    if problems:
        raise AssignmentError(" ".join(dict.fromkeys(problems)))
    if not found:
        raise AssignmentError(_("Choose at least one officer, or enter their service numbers."))
    return sorted(found.values(), key=lambda u: u.id)


def _resolve_teams(force: Force, team_ids: Iterable[int]) -> list[Team]:
    ids = {int(i) for i in team_ids}
    if not ids:
        raise AssignmentError(_("Choose at least one team."))
    # Only the force's own teams are looked up, and an unknown id gets the same answer as another
    # force's team: a refusal never names, nor confirms, a team of another force.
    teams = list(db.session.scalars(select(Team).where(Team.id.in_(ids), Team.force_id == force.id)))
    if len(teams) != len(ids):
        raise AssignmentError(
            _("A chosen team is not in %(force_name)s. Choose from the teams listed.", force_name=force.name)
        )
    return sorted(teams, key=lambda t: t.id)


def create_assignment(
    *,
    actor,
    force: Force,
    course_id: int | None,
    scope: str,
    due_on: date | None,
    message: str = "",
    team_ids: Iterable[int] = (),
    user_ids: Iterable[int] = (),
    refs: Iterable[str] = (),
) -> Assignment:
    """Assign a course within a force (audited). Raises AssignmentError and stores nothing."""
    course = db.session.get(Course, course_id) if course_id else None
    if course is None or not course.published:
        raise AssignmentError(_("Choose a course from the list."))
    if scope not in SCOPES:
        raise AssignmentError(_("Choose who the course is for."))
    due_on = _check_due(due_on)
    message = (message or "").strip()
    if len(message) > MAX_MESSAGE:
        raise AssignmentError(_("The message must be %(max)s characters or fewer.", max=MAX_MESSAGE))
    assignment = Assignment(
        force_id=force.id,
        course_id=course.id,
        scope=scope,
        due_on=due_on,
        message=message,
        created_by_id=getattr(actor, "id", None),
        created_at=utcnow(),
    )
    named: list = []
    if scope == "teams":
        named = _resolve_teams(force, team_ids)
        assignment.targets = [AssignmentTarget(team_id=t.id) for t in named]
    elif scope == "officers":
        named = resolve_officers(force, user_ids, refs)
        assignment.targets = [AssignmentTarget(user_id=u.id) for u in named]
    db.session.add(assignment)
    db.session.flush()
    audit.record(
        "assignment.create",
        actor=actor,
        target=assignment,
        force_id=force.id,
        course=course.slug,
        scope=scope,
        due_on=due_on,
        targets=[t.id for t in named],
    )
    return assignment


def change_due_date(assignment: Assignment, due_on: date | None, *, actor) -> None:
    """Move an assignment's due date (audited with old and new); completed work is untouched."""
    if assignment.withdrawn_at is not None:
        raise AssignmentError(_("This assignment has been withdrawn; its due date cannot change."))
    due_on = _check_due(due_on)
    audit.record("assignment.due_date", actor=actor, target=assignment, old=assignment.due_on, new=due_on)
    assignment.due_on = due_on


def withdraw(assignment: Assignment, *, actor, reason: str = "") -> None:
    """Withdraw an assignment (audited): nobody is asked to do it any more; their work stays."""
    if assignment.withdrawn_at is not None:
        raise AssignmentError(_("This assignment has already been withdrawn."))
    assignment.withdrawn_at = utcnow()
    audit.record(
        "assignment.withdraw",
        actor=actor,
        target=assignment,
        course_id=assignment.course_id,
        reason=reason.strip(),
    )


def plan_reminders(today: date | None = None) -> dict[str, int]:
    """Add today's reminders (one per officer, assignment and day) for due-soon and overdue work.

    Idempotent: officers already holding a reminder for today are skipped, and the unique
    constraint settles a race between two runs.
    """
    today = today or clock_today()
    _, flagged = queries.force_overview(
        None, include_withdrawn=False, today=today, flag=frozenset({rules.OVERDUE, rules.DUE_SOON})
    )
    existing = set(
        db.session.execute(
            select(Reminder.assignment_id, Reminder.user_id).where(Reminder.day == today)
        ).all()
    )
    counts = {"due_soon": 0, "overdue": 0, "already": 0}
    for summary, officer in flagged:
        kind = rules.reminder_kind(officer.derived)
        key = (summary.assignment.id, officer.person.id)
        if kind is None or key in existing:
            counts["already"] += kind is not None
            continue
        try:
            with db.session.begin_nested():
                db.session.add(
                    Reminder(assignment_id=key[0], user_id=key[1], day=today, kind=kind, status="pending")
                )
        except IntegrityError:  # another run got there first
            counts["already"] += 1
            continue
        existing.add(key)
        counts[kind] += 1
    db.session.flush()
    return counts
