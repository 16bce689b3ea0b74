"""Reads for assignments: who an assignment covers and their derived status, set-based.

Status is computed from a handful of grouped queries (people in scope, module passes, certificates,
lesson reads, quiz attempts), each aggregated per officer and course, then derived in Python by
the pure rules of app.assignments.status. The number of queries does not grow with the number of
officers or assignments (only with the number of distinct courses).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import case, func, select

from app.assessments.models import Attempt, ModuleResult
from app.assignments import status as rules
from app.assignments.models import Assignment, AssignmentTarget, Reminder
from app.auth.models import User
from app.certificates.models import Certificate
from app.clock import today as clock_today
from app.content.models import Course, CourseModule, ModuleVersion
from app.courses.models import LessonProgress
from app.extensions import db
from app.forces.models import Force, Team
from app.mail.models import OutboxMessage
from app.roles import FORCE_ROLES

EXPIRING_DAYS = rules.RECERTIFY_DAYS  # the lead's "certificates expiring soon" window (the status module's)


def recertify_days() -> int:
    """Days before expiry that a course becomes due again (config RECERTIFY_DAYS)."""
    return int(current_app.config.get("RECERTIFY_DAYS", rules.RECERTIFY_DAYS))


@dataclass(frozen=True)
class Person:
    """An officer as the lead's views need them."""

    id: int
    name: str
    email: str
    service_number: str
    force_id: int
    team_id: int | None
    team_name: str
    force_joined_at: datetime
    team_joined_at: datetime | None


@dataclass(frozen=True)
class OfficerStatus:
    """One officer's derived status for one assignment."""

    person: Person
    derived: rules.Derived
    evidence: rules.Evidence = rules.NO_EVIDENCE  # modules passed and last activity, for the lead


@dataclass
class Summary:
    """An assignment with its course, force, target names and completion counts."""

    assignment: Assignment
    course: Course
    force: Force
    targets: str
    total: int = 0
    complete: int = 0
    overdue: int = 0
    due_soon: int = 0

    @property
    def percent(self) -> int:
        """Whole-number completion percentage."""
        return rules.completion_percent(self.complete, self.total)


# --- people ---------------------------------------------------------------------------------


def _eligible():
    """Users an assignment can cover: active officers and leads (leads are officers too)."""
    return (User.active.is_(True), User.role.in_([r.value for r in FORCE_ROLES]))


def scope_condition(assignment: Assignment):
    """SQL condition selecting the users an assignment covers today."""
    conditions = [User.force_id == assignment.force_id, *_eligible()]
    targets = select(AssignmentTarget).where(AssignmentTarget.assignment_id == assignment.id)
    if assignment.scope == "teams":
        conditions.append(User.team_id.in_(targets.with_only_columns(AssignmentTarget.team_id)))
    elif assignment.scope == "officers":
        conditions.append(User.id.in_(targets.with_only_columns(AssignmentTarget.user_id)))
    return db.and_(*conditions)


def _people(condition) -> list[Person]:
    rows = db.session.execute(
        select(
            User.id,
            User.name,
            User.email,
            User.service_number,
            User.force_id,
            User.team_id,
            Team.name,
            User.force_joined_at,
            User.team_joined_at,
        )
        .outerjoin(Team, Team.id == User.team_id)
        .where(condition)
    )
    return [Person(r[0], r[1], r[2], r[3] or "", r[4], r[5], r[6] or "", r[7], r[8]) for r in rows]


# --- evidence -------------------------------------------------------------------------------


def evidence_statements(course_ids: list[int], user_ids) -> dict[str, object]:
    """The grouped queries behind a status (also timed alone by bench/lead_view.py)."""
    cm = CourseModule
    mr, cert, lp, mv, at = ModuleResult, Certificate, LessonProgress, ModuleVersion, Attempt
    live = cert.revoked_at.is_(None)
    return {
        "passes": select(
            mr.user_id, cm.course_id, func.count(func.distinct(mr.module_id)), func.max(mr.passed_at)
        )
        .join(cm, cm.module_id == mr.module_id)
        .where(cm.course_id.in_(course_ids), mr.passed_at.is_not(None), mr.user_id.in_(user_ids))
        .group_by(mr.user_id, cm.course_id),
        "certificates": select(
            cert.user_id,
            cert.course_id,
            func.count(cert.id),
            func.max(case((live, cert.issued_at))),
            func.max(case((live, cert.expires_on))),
        )
        .where(cert.course_id.in_(course_ids), cert.user_id.in_(user_ids))
        .group_by(cert.user_id, cert.course_id),
        "reads": select(lp.user_id, cm.course_id, func.max(lp.last_read_at))
        .join(mv, mv.id == lp.module_version_id)
        .join(cm, cm.module_id == mv.module_id)
        .where(cm.course_id.in_(course_ids), lp.user_id.in_(user_ids))
        .group_by(lp.user_id, cm.course_id),
        "attempts": select(at.user_id, cm.course_id, func.max(at.started_at))
        .join(cm, cm.module_id == at.module_id)
        .where(cm.course_id.in_(course_ids), at.user_id.in_(user_ids))
        .group_by(at.user_id, cm.course_id),
    }


def _as_datetime(value) -> datetime | None:
    # SQLite returns aggregates of CASE expressions as text on some drivers.
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def _as_date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def evidence(course_ids: list[int], user_ids) -> dict[tuple[int, int], rules.Evidence]:
    """Evidence per (user id, course id) for the users selected by `user_ids` (a subquery)."""
    if not course_ids:
        return {}
    statements = evidence_statements(course_ids, user_ids)
    found: dict[tuple[int, int], dict] = defaultdict(dict)
    for uid, cid, passed, last in db.session.execute(statements["passes"]):
        found[(uid, cid)].update(modules_passed=passed, last_passed_at=_as_datetime(last))
    for uid, cid, count, issued, expires in db.session.execute(statements["certificates"]):
        found[(uid, cid)].update(
            has_certificate=count > 0,
            certificate_issued_at=_as_datetime(issued),
            certificate_expires_on=_as_date(expires),
        )
    for key in ("reads", "attempts"):
        for uid, cid, at in db.session.execute(statements[key]):
            at = _as_datetime(at)
            before = found[(uid, cid)].get("last_activity_at")
            found[(uid, cid)]["last_activity_at"] = max(filter(None, (before, at)), default=None)
    return {key: rules.Evidence(**values) for key, values in found.items()}


# --- derived status -------------------------------------------------------------------------


def joined_on(assignment: Assignment, person: Person) -> date | None:
    """When the officer joined the group the assignment targets (None for named officers)."""
    if assignment.scope == "force":
        return person.force_joined_at.date()
    if assignment.scope == "teams":
        return (person.team_joined_at or person.force_joined_at).date()
    return None


def _derive(
    assignment: Assignment, course: Course, person: Person, found: dict, today: date, rdays: int
) -> rules.Derived:
    due = rules.personal_due_on(
        assignment.due_on, assignment.created_at.date(), joined_on(assignment, person)
    )
    return rules.derive(
        due_on=due,
        today=today,
        evidence=found.get((person.id, course.id), rules.NO_EVIDENCE),
        recertify_days=rdays,
    )


def officer_statuses(assignment: Assignment, today: date | None = None) -> list[OfficerStatus]:
    """Every officer an assignment covers, with their status (five queries whatever the size)."""
    today = today or clock_today()
    course = db.session.get(Course, assignment.course_id)
    condition = scope_condition(assignment)
    people = _people(condition)
    found = evidence([course.id], select(User.id).where(condition))
    rdays = recertify_days()
    return [
        OfficerStatus(
            p,
            _derive(assignment, course, p, found, today, rdays),
            found.get((p.id, course.id), rules.NO_EVIDENCE),
        )
        for p in people
    ]


def _covers(assignment: Assignment, person: Person, targets: dict[int, tuple[set, set]]) -> bool:
    if person.force_id != assignment.force_id:
        return False
    if assignment.scope == "force":
        return True
    teams, users = targets.get(assignment.id, (set(), set()))
    if assignment.scope == "teams":
        return person.team_id in teams
    return person.id in users


def _targets(assignment_ids: list[int]) -> dict[int, tuple[set, set]]:
    found: dict[int, tuple[set, set]] = defaultdict(lambda: (set(), set()))
    if assignment_ids:
        for aid, team_id, user_id in db.session.execute(
            select(AssignmentTarget.assignment_id, AssignmentTarget.team_id, AssignmentTarget.user_id).where(
                AssignmentTarget.assignment_id.in_(assignment_ids)
            )
        ):
            if team_id is not None:
                found[aid][0].add(team_id)
            if user_id is not None:
                found[aid][1].add(user_id)
    return found


def _target_names(assignments: list[Assignment], targets: dict) -> dict[int, str]:
    team_ids = {t for teams, _ in targets.values() for t in teams}
    names = (
        dict(db.session.execute(select(Team.id, Team.name).where(Team.id.in_(team_ids))).all())
        if team_ids
        else {}
    )
    labels = {}
    for a in assignments:
        teams, users = targets.get(a.id, (set(), set()))
        if a.scope == "force":
            labels[a.id] = _("Whole force")
        elif a.scope == "teams":
            labels[a.id] = ", ".join(sorted(names.get(t, "?") for t in teams))
        else:
            labels[a.id] = ngettext("%(num)s named officer", "%(num)s named officers", len(users))
    return labels


def force_overview(
    force_id: int | None,
    *,
    include_withdrawn: bool = True,
    today: date | None = None,
    flag: frozenset[str] = frozenset({rules.OVERDUE}),
) -> tuple[list[Summary], list[tuple]]:
    """Assignments of a force (or all forces) with completion counts, and the officers flagged.

    Returns (summaries, flagged) where flagged is [(Summary, OfficerStatus)] for officers whose
    status is in `flag` (overdue by default), earliest due date first.
    Queries: assignments, targets, people, then the evidence queries once per distinct course.
    """
    today = today or clock_today()
    query = (
        select(Assignment, Course, Force)
        .join(Course, Course.id == Assignment.course_id)
        .join(Force, Force.id == Assignment.force_id)
        .order_by(Assignment.withdrawn_at.is_not(None), Assignment.due_on, Assignment.id)
    )
    if force_id is not None:
        query = query.where(Assignment.force_id == force_id)
    if not include_withdrawn:
        query = query.where(Assignment.withdrawn_at.is_(None))
    rows = db.session.execute(query).all()
    if not rows:
        return [], []
    assignments = [a for a, _, _ in rows]
    targets = _targets([a.id for a in assignments])
    labels = _target_names(assignments, targets)
    summaries = [Summary(a, c, f, labels[a.id]) for a, c, f in rows]
    live = [s for s in summaries if s.assignment.withdrawn_at is None]
    if not live:
        return summaries, []
    force_ids = sorted({s.assignment.force_id for s in live})
    condition = db.and_(User.force_id.in_(force_ids), *_eligible())
    people: dict[int, list[Person]] = defaultdict(list)
    for person in _people(condition):
        people[person.force_id].append(person)
    course_ids = sorted({s.course.id for s in live})
    found = evidence(course_ids, select(User.id).where(condition))
    rdays = recertify_days()
    overdue = []
    for summary in live:
        a, course = summary.assignment, summary.course
        for person in people[a.force_id]:
            if not _covers(a, person, targets):
                continue
            derived = _derive(a, course, person, found, today, rdays)
            summary.total += 1
            summary.complete += derived.status == rules.COMPLETE
            summary.due_soon += derived.status == rules.DUE_SOON
            summary.overdue += derived.status == rules.OVERDUE
            if derived.status in flag:
                overdue.append(
                    (
                        summary,
                        OfficerStatus(person, derived, found.get((person.id, course.id), rules.NO_EVIDENCE)),
                    )
                )
    overdue.sort(key=lambda item: (item[1].derived.due_on, item[1].person.name))
    return summaries, overdue


def expiring_certificates(
    force_id: int | None, today: date | None = None, days: int = EXPIRING_DAYS
) -> list[tuple]:
    """Live certificates of a force's active officers expiring within `days` and not yet renewed.

    Returns rows (Certificate, User, team name), soonest expiry first.
    """
    today = today or clock_today()
    newer = db.aliased(Certificate)
    renewed = (
        select(newer.id)
        .where(
            newer.user_id == Certificate.user_id,
            newer.course_id == Certificate.course_id,
            newer.revoked_at.is_(None),
            newer.issued_at > Certificate.issued_at,
        )
        .exists()
    )
    query = (
        select(Certificate, User, Team.name)
        .join(User, User.id == Certificate.user_id)
        .outerjoin(Team, Team.id == User.team_id)
        .where(
            Certificate.revoked_at.is_(None),
            Certificate.expires_on.is_not(None),
            Certificate.expires_on >= today,
            Certificate.expires_on <= rules.window_end(today, days),
            User.active.is_(True),
            ~renewed,
        )
        .order_by(Certificate.expires_on, User.name)
    )
    if force_id is not None:
        query = query.where(User.force_id == force_id)
    return db.session.execute(query).all()


# --- the officer's own view -----------------------------------------------------------------


@dataclass(frozen=True)
class TrainingItem:
    """A course on an officer's list, with its derived status."""

    course: Course
    derived: rules.Derived
    messages: tuple[str, ...] = ()


def covering_assignments(user: User) -> list[Assignment]:
    """The live assignments that cover an officer today."""
    if user.force_id is None:
        return []
    mine = select(AssignmentTarget.assignment_id).where(
        db.or_(
            AssignmentTarget.user_id == user.id,
            db.and_(AssignmentTarget.team_id.is_not(None), AssignmentTarget.team_id == user.team_id),
        )
    )
    return list(
        db.session.scalars(
            select(Assignment)
            .where(
                Assignment.force_id == user.force_id,
                Assignment.withdrawn_at.is_(None),
                db.or_(Assignment.scope == "force", Assignment.id.in_(mine)),
            )
            .order_by(Assignment.due_on)
        )
    )


def my_training(user: User, today: date | None = None) -> tuple[list[TrainingItem], list[TrainingItem]]:
    """An officer's assigned courses (most urgent first) and the optional published ones."""
    today = today or clock_today()
    person = Person(
        user.id,
        user.name,
        user.email,
        user.service_number or "",
        user.force_id or 0,
        user.team_id,
        "",
        user.force_joined_at or datetime.min,
        user.team_joined_at,
    )
    assignments = covering_assignments(user)
    courses = {
        c.id: c
        for c in db.session.scalars(
            select(Course)
            .where(db.or_(Course.published.is_(True), Course.id.in_({a.course_id for a in assignments})))
            .order_by(Course.title)
        )
    }
    ids = list(courses)
    found = evidence(ids, select(User.id).where(User.id == user.id))
    rdays = recertify_days()
    by_course: dict[int, tuple[rules.Derived, list[str]]] = {}
    for a in assignments:
        course = courses[a.course_id]
        derived = _derive(a, course, person, found, today, rdays)
        kept = by_course.get(course.id)
        messages = (kept[1] if kept else []) + ([a.message] if a.message else [])
        if kept is None or derived.due_on < kept[0].due_on:
            kept = (derived, messages)
        by_course[course.id] = (kept[0], messages)
    assigned = sorted(
        (TrainingItem(courses[cid], d, tuple(m)) for cid, (d, m) in by_course.items()),
        key=lambda i: (*rules.urgency_key(i.derived), i.course.title),
    )
    optional = [
        TrainingItem(
            c,
            rules.derive(
                due_on=date.max,
                today=today,
                evidence=found.get((user.id, c.id), rules.NO_EVIDENCE),
                recertify_days=rdays,
            ),
        )
        for c in courses.values()
        if c.id not in by_course and c.published
    ]
    return assigned, optional


# --- forms and admin ------------------------------------------------------------------------


def assignable_courses() -> list[Course]:
    """Published courses, by title."""
    return list(db.session.scalars(select(Course).where(Course.published.is_(True)).order_by(Course.title)))


def force_teams(force_id: int) -> list[Team]:
    """A force's teams, by name."""
    return list(db.session.scalars(select(Team).where(Team.force_id == force_id).order_by(Team.name)))


def force_officers(force_id: int, limit: int) -> list[User] | None:
    """The force's assignable officers by name, or None when there are more than `limit`."""
    users = list(
        db.session.scalars(
            select(User).where(User.force_id == force_id, *_eligible()).order_by(User.name).limit(limit + 1)
        )
    )
    return None if len(users) > limit else users


def outbox_page(page: int, per_page: int = 50):
    """Outbox messages, newest first."""
    return db.paginate(
        select(OutboxMessage).order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc()),
        page=page,
        per_page=per_page,
        error_out=False,
    )


def undelivered_reminders(limit: int = 100) -> list[tuple]:
    """Reminders not (yet) sent, failed first, with their officer: (Reminder, User)."""
    return db.session.execute(
        select(Reminder, User)
        .join(User, User.id == Reminder.user_id)
        .where(Reminder.status.in_(("pending", "failed")))
        .order_by(Reminder.status != "failed", Reminder.day.desc())
        .limit(limit)
    ).all()


# --- the drill-down -------------------------------------------------------------------------

SORTS = {
    "urgency": _l("Most urgent first"),
    "due": _l("Due date, earliest first"),
    "due_desc": _l("Due date, latest first"),
    "name": _l("Name"),
}


def status_counts(officers: list[OfficerStatus]) -> dict[str, int]:
    """Number of officers in each status."""
    counts: dict[str, int] = defaultdict(int)
    for officer in officers:
        counts[officer.derived.status] += 1
    return dict(counts)


def filter_and_sort(
    officers: list[OfficerStatus], *, team: int | None = None, status: str = "", sort: str = "urgency"
) -> list[OfficerStatus]:
    """The drill-down's rows for a team and status filter, in the chosen order."""
    rows = [
        o
        for o in officers
        if (team is None or o.person.team_id == team) and (not status or o.derived.status == status)
    ]
    by_name = lambda o: (o.person.name.casefold(), o.person.id)  # noqa: E731
    if sort == "name":
        return sorted(rows, key=by_name)
    rows.sort(key=by_name)
    if sort == "due":
        rows.sort(key=lambda o: o.derived.due_on)
    elif sort == "due_desc":
        rows.sort(key=lambda o: o.derived.due_on, reverse=True)
    else:
        rows.sort(key=lambda o: rules.urgency_key(o.derived))
    return rows


def modules_in_course(course_id: int) -> int:
    """How many modules a course has (the "2 of 3 modules passed" of the lead's pages)."""
    return db.session.scalar(select(func.count()).where(CourseModule.course_id == course_id)) or 0


def target_label(assignment: Assignment) -> str:
    """Who an assignment names: "Whole force", team names, or the number of officers."""
    return _target_names([assignment], _targets([assignment.id]))[assignment.id]


def dead_mail_jobs(limit: int = 200):
    """Mail jobs whose retries ran out (the dead letters), newest first, with the error."""
    from app.mail.models import MailJob

    return list(
        db.session.scalars(
            db.select(MailJob)
            .where(MailJob.status == "dead")
            .order_by(MailJob.updated_at.desc())
            .limit(limit)
        )
    )
