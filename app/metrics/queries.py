"""Reads for the metrics: SQL aggregates grouped by force, team or month, never officer rows.

Every function returns a handful of rows per force (or team, or month), computed by the database.
They rely on the small summary tables kept up to date by the writes (officer_course_status, see
app.metrics.summary; module_results, question_stats, confidence_ratings), so their cost grows with
officers, not with quiz attempts.
The formulas are applied afterwards by the pure module `app.metrics.definitions`.

Officer-state figures (registered, started, completed, overdue, certificates, trend) group officers
by their current force and team (users.force_id / team_id). Event figures (module results, confidence
ratings, item statistics) group by the force recorded on the event row when it happened.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from sqlalchemy import Integer, and_, case, cast, func, literal, literal_column, or_, select, text, union_all
from sqlalchemy.orm import aliased

from app.assessments.models import Attempt, ConfidenceRating, ModuleResult, QuestionStat
from app.assessments.statistics import ItemSums, stats_from_sums
from app.assignments import status as rules
from app.assignments.models import Assignment, AssignmentTarget
from app.assignments.queries import recertify_days as window_days
from app.auth.models import User
from app.auth.workforce import WorkforceType
from app.certificates.models import Certificate
from app.clock import utcnow
from app.content.models import Course
from app.extensions import db
from app.forces.models import Force, Team
from app.law_updates.models import LawUpdate
from app.metrics import background, reference, rollup
from app.metrics.definitions import ForceCounts, ModuleCounts, histogram_median, merge_modules
from app.metrics.disclosure import THRESHOLD
from app.metrics.memo import built_once, per_request
from app.metrics.models import STATE_FIELDS, CoverageSpan, OfficerCourseStatus
from app.metrics.question_catalogue import question_info
from app.roles import Role

POLICE_OFFICER = WorkforceType.POLICE_OFFICER.value
REPORT_WORK_MEM = "32MB"
# A question or topic is ranked only when at least this many different officers answered it
# (the disclosure threshold, on officers, never on answers).
MIN_OFFICERS = THRESHOLD
OFFICER_ROLES = (Role.OFFICER.value, Role.TRAINING_LEAD.value)


@dataclass(frozen=True)
class Scope:
    """What a report covers: one course (or all), a period [start, end) and a force filter."""

    end: datetime
    start: datetime | None = None
    course_id: int | None = None
    nation: str = ""
    force_type: str = ""
    # The forces whose officers a statement may read (None: every force). force_counts sets it
    # from the grouping, so a one-force view reads that force's rows, not the country's.
    force_ids: tuple[int, ...] | None = None

    @property
    def end_date(self) -> date:
        """The first day after the period."""
        return self.end.date()

    @property
    def day(self) -> date:
        """The reference day: the last day of the period, which the officer states describe."""
        return self.end_date - timedelta(days=1)


@dataclass(frozen=True)
class Grouping:
    """Group by force (optionally only some forces) or by team within one force."""

    force_ids: tuple[int, ...] | None = None
    team_force_id: int | None = None

    @property
    def by_team(self) -> bool:
        """True when rows are teams of one force."""
        return self.team_force_id is not None

    @property
    def forces(self) -> tuple[int, ...] | None:
        """The forces whose officers the rows cover (None: every force)."""
        return (self.team_force_id,) if self.by_team else self.force_ids


@dataclass(frozen=True)
class Group:
    """A row label for ForceCounts: a force from the forces table, or a team."""

    id: int | None
    code: str
    name: str
    nation: str = ""
    force_type: str = ""
    headcount: int | None = None
    headcount_measure: str = ""
    headcount_as_of: str = ""


@dataclass(frozen=True)
class QuestionGap:
    """Item statistics for one question (or a tag when question_key is empty)."""

    module_title: str
    question_key: str
    text: str
    tags: tuple[str, ...]
    responses: int  # answers (first attempts); never shown
    facility: float | None
    discrimination: float | None = None
    # Different officers who answered, at least: exact for a question (one first attempt each);
    # for a topic, its most-answered question's (an officer may answer several of its questions).
    officers: int = 0


@dataclass(frozen=True)
class OverdueOfficer:
    """An officer past the due date of an assignment, for the training lead (names allowed)."""

    user_id: int
    name: str
    team: str  # "" for an officer without a team (the page says so in its language)
    course_title: str
    due_on: date


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _month(column):
    """The month of a timestamp as 'YYYY-MM' (UTC, as stored)."""
    if _dialect() == "postgresql":
        return func.to_char(column, "YYYY-MM")
    return func.strftime("%Y-%m", column)


def _days_between(earlier, later):
    """Whole calendar days from one timestamp's date to another's."""
    if _dialect() == "postgresql":
        return cast(func.date(later), db.Date) - cast(func.date(earlier), db.Date)
    return cast(func.julianday(func.date(later)) - func.julianday(func.date(earlier)), Integer)


# --- scope helpers ---------------------------------------------------------------------------


def forces_in_scope(scope: Scope) -> list[Force]:
    """The forces the filters select, by name."""
    stmt = select(Force).order_by(Force.name)
    if scope.nation:
        stmt = stmt.where(Force.nation == scope.nation)
    if scope.force_type:
        stmt = stmt.where(Force.type == scope.force_type)
    return list(db.session.scalars(stmt))


@per_request
def filter_choices() -> tuple[list[str], list[str]]:
    """The nations and force types present in the forces table."""
    nations = db.session.scalars(select(Force.nation).distinct().order_by(Force.nation)).all()
    types = db.session.scalars(select(Force.type).distinct().order_by(Force.type)).all()
    return list(nations), list(types)


@per_request
def courses() -> list[Course]:
    """Courses for the course filter."""
    return list(db.session.scalars(select(Course).order_by(Course.title)))


def module_ids(scope: Scope) -> list[int]:
    """Modules in scope: the course's, or those of every course."""
    return reference.module_ids(scope.course_id)


def module_titles(modules: list[int]) -> dict[int, tuple[str, str]]:
    """module id -> (slug, current title)."""
    return reference.module_titles(modules)


def _registered(user=User, scope: Scope | None = None):
    """Officers (and training leads) on the platform and active at the period end."""
    conditions = [user.role.in_(OFFICER_ROLES), user.active.is_(True)]
    if scope is not None:
        conditions.append(user.created_at < scope.end)
    return and_(*conditions)


def _officer_key(grouping: Grouping, user=User):
    return user.team_id if grouping.by_team else user.force_id


def _officer_filter(grouping: Grouping, user=User):
    if grouping.by_team:
        return user.force_id == grouping.team_force_id
    if grouping.force_ids is not None:
        return user.force_id.in_(grouping.force_ids)
    return user.force_id.is_not(None)


def _result_source(grouping: Grouping):
    """(key, condition) for module results: grouped by the force and team recorded on the result
    where the first attempt was sat (never the officer's current ones)."""
    mr = ModuleResult
    if grouping.by_team:
        return mr.team_id, mr.force_id == grouping.team_force_id
    if grouping.force_ids is not None:
        return mr.force_id, mr.force_id.in_(grouping.force_ids)
    return mr.force_id, mr.force_id.is_not(None)


def _period(column, scope: Scope):
    conditions = [column < scope.end]
    if scope.start is not None:
        conditions.append(column >= scope.start)
    return and_(*conditions)


def _live_certificate(scope: Scope, certificate=Certificate):
    conditions = [certificate.revoked_at.is_(None), certificate.issued_at < scope.end]
    if scope.course_id is not None:
        conditions.append(certificate.course_id == scope.course_id)
    return and_(*conditions)


# --- per force (or team) aggregates ------------------------------------------------------------


def _status_in_scope(scope: Scope):
    """Conditions selecting the officer_course_status rows of the courses in scope."""
    if scope.course_id is not None:
        return (OfficerCourseStatus.course_id == scope.course_id,)
    return ()


def _renewed_later(scope: Scope) -> bool:
    """Whether some officer with a status row in scope completed before the period end and was
    issued a certificate on or after it (never so for a period ending today): _expiry_at_end's
    question, asked of the database by its callers (a statement builder reads no rows). A period
    ending after now needs no asking: no certificate is issued after now."""
    if scope.end > utcnow():
        return False
    s = OfficerCourseStatus
    return bool(
        db.session.scalar(
            select(
                select(s.user_id)
                .where(s.latest_issued_at >= scope.end, s.completed_at < scope.end, *_status_in_scope(scope))
                .exists()
            )
        )
    )


def _expiry_at_end(scope: Scope, renewed_later: bool):
    """The expiry date of the latest unrevoked certificate issued before the period end, for a
    status row whose officer holds one by then: the row's own latest certificate when it was
    issued before the end. For a past period in which some officer renewed after its end, those
    rows look the certificate current at the end up by index (a correlated sub-query, left out
    when no row needs it, renewed_later False (_renewed_later): always so for a period ending today,
    so the plan stays simple)."""
    s, c = OfficerCourseStatus, Certificate
    if not renewed_later:
        return s.latest_expires_on
    at_end = (
        select(c.expires_on)
        .where(
            c.user_id == s.user_id,
            c.course_id == s.course_id,
            c.revoked_at.is_(None),
            c.issued_at < scope.end,
        )
        .order_by(c.issued_at.desc(), c.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    return case((s.latest_issued_at < scope.end, s.latest_expires_on), else_=at_end)


def _officers_of_forces(user_id, scope: Scope) -> tuple:
    """A condition keeping rows of officers of scope.force_ids (none when every force)."""
    if scope.force_ids is None:
        return ()
    return (user_id.in_(select(User.id).where(User.force_id.in_(scope.force_ids))),)


def obligations(scope: Scope):
    """Who must do which course and by when: (user_id, force_id, team_id, course_id, assigned_at,
    due_on, record_key) per live assignment, expanded set-wise from force, team and officer targets.
    assigned_at is when the officer became covered: the assignment's creation, or a later
    joiner's joining (so days to completion count from then).

    due_on is the officer's own due date (rules.sql_personal_due_on): a later joiner of the force
    or team gets as long as the group had, as on the assignment pages."""
    live = [
        Assignment.created_at < scope.end,
        or_(Assignment.withdrawn_at.is_(None), Assignment.withdrawn_at >= scope.end),
    ]
    if scope.course_id is not None:
        live.append(Assignment.course_id == scope.course_id)
    if scope.force_ids is not None:  # an officer is covered only by their own force's assignments
        live.append(Assignment.force_id.in_(scope.force_ids))
    return union_all(*coverage_selects(live)).subquery("obligations")


def coverage_selects(conditions, *, spans: bool = False) -> tuple:
    """The three selects (whole force, teams, named officers) behind obligations(), each with
    the extra conditions given; spans=True adds the assignment's created_at and withdrawn_at (the
    officer-state rollup works out every day from them: app.metrics.rollup)."""
    dialect = _dialect()

    def columns(joined_at):
        due = rules.sql_personal_due_on(Assignment.due_on, Assignment.created_at, joined_at, dialect)
        # Covered from: when the assignment was made, or when a later joiner joined.
        covered = (
            Assignment.created_at
            if joined_at is None
            else case((joined_at > Assignment.created_at, joined_at), else_=Assignment.created_at)
        )
        extra = (Assignment.created_at.label("made_at"), Assignment.withdrawn_at.label("withdrawn_at"))
        return (
            User.id.label("user_id"),
            User.force_id.label("force_id"),
            User.team_id.label("team_id"),
            Assignment.course_id.label("course_id"),
            covered.label("assigned_at"),
            due.label("due_on"),
            User.record_key.label("record_key"),
            *(extra if spans else ()),
        )

    whole_force = (
        select(*columns(User.force_joined_at))
        .select_from(Assignment)
        .join(User, User.force_id == Assignment.force_id)
        .where(Assignment.scope == "force", _registered(), *conditions)
    )
    teams = (
        select(*columns(func.coalesce(User.team_joined_at, User.force_joined_at)))
        .select_from(Assignment)
        .join(AssignmentTarget, AssignmentTarget.assignment_id == Assignment.id)
        .join(User, and_(User.team_id == AssignmentTarget.team_id, User.force_id == Assignment.force_id))
        .where(Assignment.scope == "teams", _registered(), *conditions)
    )
    officers = (
        select(*columns(None))
        .select_from(Assignment)
        .join(AssignmentTarget, AssignmentTarget.assignment_id == Assignment.id)
        .join(User, and_(User.id == AssignmentTarget.user_id, User.force_id == Assignment.force_id))
        .where(Assignment.scope == "officers", _registered(), *conditions)
    )
    return whole_force, teams, officers


def _overdue_obligations(scope: Scope, renewed_later: bool):
    """Obligations overdue on the reference day (rules.is_overdue): due before it, and no
    certificate of the course valid on it (none issued by then, or the latest one expired).
    renewed_later: _renewed_later(scope)."""
    o = obligations(scope)
    s = OfficerCourseStatus
    certified = (
        select(s.user_id)
        .where(
            s.user_id == o.c.user_id,
            s.course_id == o.c.course_id,
            s.completed_at < scope.end,
            rules.sql_certified(None, _expiry_at_end(scope, renewed_later), scope.end_date),
        )
        .exists()
    )
    return o, and_(o.c.due_on < scope.day, ~certified)


def _officer_states(scope: Scope):
    """Per officer with a status row or an obligation in scope, in one pass over the obligations
    fully joined to the status rows (officer_course_status) by officer and course, then grouped
    by officer (1 or 0 each; with all courses, as said below). The boundaries are the status
    module's (app.assignments.status).

    - started: has started a course in scope;
    - completed and certified: completed (ever), and certified on the reference day, for every
      course of theirs; with all courses, an obligation with no status row (assigned a course
      they have not begun: a gap) makes both 0; with one course, such a row counts for neither;
    - valid, expiring, expired: holds a certificate in that state on the reference day (any course);
    - overdue (rules.is_overdue for any obligation): its own due date before the reference day and
      no certificate of that course valid on it;
    - gap: as above.
    An officer covered twice for a course (force and team assignments) meets the same status row
    twice; every flag is a minimum or a maximum, so that changes nothing."""
    s = OfficerCourseStatus
    o = obligations(scope)
    done = s.completed_at < scope.end
    expiry = case((done, _expiry_at_end(scope, _renewed_later(scope))))
    valid, expiring, expired = rules.sql_certificate_state(expiry, scope.day, window_days())
    certified = and_(done, rules.sql_certified(None, expiry, scope.end_date))

    def flag(condition):
        return case((condition, 1), else_=0)

    st = (
        select(
            s.user_id,
            s.course_id,
            flag(s.started_at < scope.end).label("started"),
            flag(done).label("done"),
            flag(certified).label("certified"),
            flag(and_(done, valid)).label("valid"),
            flag(and_(done, expiring)).label("expiring"),
            flag(and_(done, expired)).label("expired"),
        )
        .where(*_status_in_scope(scope), *_officers_of_forces(s.user_id, scope))
        .subquery("status_rows")
    )
    gap = and_(o.c.user_id.is_not(None), st.c.user_id.is_(None))
    # With one course a gap row counts for neither completed nor certified (NULL: not a 0).
    unbegun = literal(0) if scope.course_id is None else literal(None)
    user_id = func.coalesce(o.c.user_id, st.c.user_id)
    overdue = and_(o.c.user_id.is_not(None), o.c.due_on < scope.day, func.coalesce(st.c.certified, 0) == 0)
    return (
        select(
            user_id.label("user_id"),
            func.max(st.c.started).label("started"),
            func.min(case((gap, unbegun), else_=st.c.done)).label("completed"),
            func.min(case((gap, unbegun), else_=st.c.certified)).label("certified"),
            func.max(st.c.valid).label("valid"),
            func.max(st.c.expiring).label("expiring"),
            func.max(st.c.expired).label("expired"),
            func.max(flag(overdue)).label("overdue"),
        )
        .select_from(o)
        .join(st, and_(st.c.user_id == o.c.user_id, st.c.course_id == o.c.course_id), full=True)
        .group_by(user_id)
        .subquery("officer_states")
    )


def _law_update_owed(scope: Scope):
    """Per officer owing one: a law-change update (app.law_updates) assigned by the period end and
    not completed by then, on their latest unrevoked certificate of a course in scope (an update
    left on a certificate since superseded by a new cycle is owed no more)."""
    newer = aliased(Certificate)
    stmt = (
        select(LawUpdate.user_id, literal(1).label("owed"))
        .join(Certificate, Certificate.id == LawUpdate.certificate_id)
        .where(
            LawUpdate.assigned_at < scope.end,
            or_(LawUpdate.completed_at.is_(None), LawUpdate.completed_at >= scope.end),
            or_(Certificate.revoked_at.is_(None), Certificate.revoked_at >= scope.end),
            ~select(newer.id)
            .where(
                newer.user_id == Certificate.user_id,
                newer.course_id == Certificate.course_id,
                newer.cycle > Certificate.cycle,
                newer.issued_at < scope.end,
            )
            .exists(),
        )
    )
    if scope.course_id is not None:
        stmt = stmt.where(Certificate.course_id == scope.course_id)
    return stmt.group_by(LawUpdate.user_id).subquery("law_owed")


def officer_state_counts(scope: Scope, grouping: Grouping) -> dict:
    """key -> (registered, started, completed, overdue, certificates valid, expiring, expired,
    certified, others certified, law update due, up to date, then the same eleven counts'
    record-key sums) on the reference day.

    Law update due and up to date split the certified police officers: those who owe a law-change
    update on a certificate in scope, and those who owe none.

    For one course, registered means assigned it (an obligation) or enrolled (started or
    certified); for all courses, every active officer. Completed and certified with all courses
    mean every course the officer is on. An officer holding certificates of several courses counts
    once per state held.

    Read from the officer-state rollup (app.metrics.rollup) when it is usable; computed from the
    records (sql_officer_state_counts) otherwise: the same figures, which a property test holds."""
    counts = rollup.state_counts(scope.course_id, scope.day, grouping.forces, grouping.team_force_id)
    return sql_officer_state_counts(scope, grouping) if counts is None else counts


def sql_officer_state_counts(scope: Scope, grouping: Grouping) -> dict:
    """officer_state_counts() computed from the records in one statement: users joined to the
    per-officer states (_officer_states: status rows and obligations) and the law updates owed."""
    states = _officer_states(scope)
    owed = _law_update_owed(scope)
    key = _officer_key(grouping)
    police = User.workforce_type == POLICE_OFFICER
    registered = [_registered(scope=scope), _officer_filter(grouping)]
    if scope.course_id is not None:
        registered.append(states.c.user_id.is_not(None))
    flags_per_officer = (
        literal(1),
        states.c.started,
        states.c.completed,
        states.c.overdue,
        states.c.valid,
        states.c.expiring,
        states.c.expired,
        case((police, states.c.certified), else_=0),
        case((police, 0), else_=states.c.certified),
        case((and_(police, owed.c.owed.is_not(None)), states.c.certified), else_=0),
        case((and_(police, owed.c.owed.is_(None)), states.c.certified), else_=0),
    )
    stmt = (
        select(
            key.label("key"),
            *(func.sum(flag) for flag in flags_per_officer),
            # The same counts' key sums (app.metrics.disclosure): each flag times the record key.
            *(func.sum(flag * User.record_key) for flag in flags_per_officer),
        )
        .select_from(User)
        .outerjoin(states, states.c.user_id == User.id)
        .outerjoin(owed, owed.c.user_id == User.id)
        .where(*registered)
        .group_by(key)
    )
    return {row[0]: tuple(int(v or 0) for v in row[1:]) for row in db.session.execute(stmt)}


def _best_at_end(scope: Scope):
    """Each result's best score among attempts submitted before the period end: the stored best
    when it was made before the end (always so for a period ending today), else looked up in the
    officer's attempts at the module by index (a past period, improved on since)."""
    mr, at = ModuleResult, Attempt
    earlier = (
        select(func.max(at.percent))
        .where(
            at.user_id == mr.user_id,
            at.module_id == mr.module_id,
            at.submitted_at.is_not(None),
            at.submitted_at < scope.end,
        )
        .scalar_subquery()
    )
    return case((or_(mr.best_at.is_(None), mr.best_at < scope.end), mr.best_percent), else_=earlier)


def module_counts(scope: Scope, grouping: Grouping) -> tuple[dict, dict]:
    """(key -> [ModuleCounts], key -> (officers_assessed, officers_passed and their two key sums))
    from module_results, over officers whose first attempt at a module fell in the period."""
    return module_rows(scope, grouping), officers_assessed(scope, grouping)


def _module_results_in_scope(scope: Scope, grouping: Grouping, modules: tuple[int, ...]):
    """(key column, conditions, 'passed by the period end') for a grouping's module results."""
    mr = ModuleResult
    key, condition = _result_source(grouping)  # the result row carries force, team and record key
    passed = and_(mr.passed_at.is_not(None), mr.passed_at < scope.end)
    where = (mr.module_id.in_(modules), _period(mr.first_attempt_at, scope), condition)
    return key, where, passed


def module_rows(scope: Scope, grouping: Grouping) -> dict:
    """key -> [ModuleCounts] in course order. The counts add up: a result row has one force and
    one team, so a force's rows are the sums of its teams' (merge_modules)."""
    modules = module_ids(scope)
    titles = module_titles(modules)
    per_key: dict = {}
    for row in db.session.execute(_module_rows_statement(scope, grouping, tuple(modules))):
        slug, title = titles.get(row[1], (str(row[1]), str(row[1])))
        per_key.setdefault(row[0], []).append(
            ModuleCounts(
                module_code=slug,
                module_title=title,
                officers_attempted=int(row[2]),
                first_attempt_passes=int(row[3] or 0),
                passes=int(row[4] or 0),
                attempts_to_pass_sum=int(row[5] or 0),
                best_score_sum=float(row[6] or 0),
                keys={
                    "officers_attempted": int(row[7] or 0),
                    "first_attempt_passes": int(row[8] or 0),
                    "passes": int(row[9] or 0),
                },
            )
        )
    position = _course_positions(modules, titles)
    for value in per_key.values():
        value.sort(key=position)
    return per_key


@built_once
def _module_rows_statement(scope: Scope, grouping: Grouping, modules: tuple[int, ...]):
    mr = ModuleResult
    key, where, passed = _module_results_in_scope(scope, grouping, modules)
    rk = mr.record_key
    first_passed = mr.first_attempt_passed.is_(True)
    return (
        select(
            key.label("key"),
            mr.module_id,
            func.count(),
            func.sum(case((first_passed, 1), else_=0)),
            func.sum(case((passed, 1), else_=0)),
            func.sum(case((passed, mr.attempts_to_pass), else_=0)),
            func.sum(_best_at_end(scope)),
            func.sum(rk),
            func.sum(case((first_passed, rk), else_=0)),
            func.sum(case((passed, rk), else_=0)),
        )
        .select_from(mr)
        .where(*where)
        .group_by(key, mr.module_id)
    )


def _course_positions(modules: list[int], titles: dict):
    """A sort key putting module rows in their modules' order within their courses."""
    order = {mid: position for position, mid in enumerate(reference.module_order(modules))}
    slug_order = {titles[mid][0]: order[mid] for mid in titles if mid in order}
    return lambda m: slug_order.get(m.module_code, 999)


def officers_assessed(scope: Scope, grouping: Grouping) -> dict:
    """key -> (officers assessed, officers passed, their two key sums): distinct officers, so not
    additive across teams (an officer's results may lie in two teams)."""
    stmt = _officers_assessed_statement(scope, grouping, tuple(module_ids(scope)))
    return {row[0]: _assessed(row[1:]) for row in db.session.execute(stmt)}


def _assessed(values) -> tuple:
    return tuple(int(v or 0) for v in values)


@built_once
def _officers_assessed_statement(scope: Scope, grouping: Grouping, modules: tuple[int, ...]):
    mr = ModuleResult
    key, where, passed = _module_results_in_scope(scope, grouping, modules)
    per_officer = (
        select(
            key.label("key"),
            func.max(case((passed, 1), else_=0)).label("passed"),
            func.max(mr.record_key).label("rk"),
        )
        .select_from(mr)
        .where(*where)
        .group_by(key, mr.user_id)
        .subquery()
    )
    p = per_officer.c
    sums = (func.count(), func.sum(p.passed), func.sum(p.rk), func.sum(p.passed * p.rk))
    return select(p.key, *sums).group_by(p.key)


def confidence_counts(scope: Scope, grouping: Grouping) -> dict:
    """key -> (sum of per-officer mean gains, officers, their key sum): gain = after - before per
    module, where the 'after' rating fell in the period, averaged per officer over the modules in scope.
    Read from the 'after' rows alone: each carries its 'before' rating and the officer's record key."""
    stmt = _confidence_statement(scope, grouping, tuple(module_ids(scope)))
    return {row[0]: _confidence(row[1:]) for row in db.session.execute(stmt)}


def _confidence(values) -> tuple:
    gain_sum, officers, key_sum = values
    return float(gain_sum or 0), int(officers), int(key_sum or 0)


def _paired(builder, convert, scope: Scope, first: Grouping, second: Grouping) -> tuple[dict, dict]:
    """A statement's rows for two groupings (key -> convert(the other columns) for each), in one
    round trip."""
    stmt = _paired_statement(builder, scope, first, second, tuple(module_ids(scope)))
    found: tuple[dict, dict] = ({}, {})
    for row in db.session.execute(stmt):
        found[row[0]][row[1]] = convert(row[2:])
    return found


@built_once
def _paired_statement(builder, scope: Scope, first: Grouping, second: Grouping, modules: tuple[int, ...]):
    """builder's statements for the two groupings as one: UNION ALL, the first column telling
    them apart (0: first, 1: second)."""
    parts = []
    for part, grouping in enumerate((first, second)):
        rows = builder(scope, grouping, modules).subquery()
        parts.append(select(literal_column(str(part)).label("part"), *rows.c))
    return union_all(*parts)


@built_once
def _confidence_statement(scope: Scope, grouping: Grouping, modules: tuple[int, ...]):
    after = ConfidenceRating
    if grouping.by_team:
        key = User.team_id
        condition = and_(after.force_id == grouping.team_force_id, User.force_id == grouping.team_force_id)
    else:
        key = after.force_id
        condition = (
            after.force_id.in_(grouping.force_ids)
            if grouping.force_ids is not None
            else after.force_id.is_not(None)
        )
    per_officer = select(
        key.label("key"),
        func.avg(cast(after.rating - after.before_rating, db.Float)).label("gain"),
        func.max(after.record_key).label("rk"),
    ).select_from(after)
    if grouping.by_team:
        per_officer = per_officer.join(User, User.id == after.user_id)
    per_officer = (
        per_officer.where(
            after.stage == "after",
            after.before_rating.is_not(None),
            after.module_id.in_(modules),
            _period(after.rated_at, scope),
            condition,
        )
        .group_by(key, after.user_id)
        .subquery()
    )
    p = per_officer.c
    return select(p.key, func.sum(p.gain), func.count(p.gain), func.sum(p.rk)).group_by(p.key)


def _coverage(scope: Scope):
    """(user_id, force_id, team_id, assigned_at, completed_at, record_key) per officer and assigned
    course: when the officer was first covered (the earliest obligation: an assignment's creation
    or a later joiner's joining) and the first unrevoked certificate issued on or after it (NULL
    if none).

    From officer_course_status: that certificate is the first one (completed_at) when it was
    issued on or after the assignment; when the officer completed before being assigned and has
    renewed since (latest_issued_at on or after it), it is looked up by index; otherwise there is
    none."""
    o = obligations(scope)
    assigned = (
        select(
            o.c.user_id,
            o.c.course_id,
            func.min(o.c.force_id).label("force_id"),
            func.min(o.c.team_id).label("team_id"),
            func.min(o.c.assigned_at).label("assigned_at"),
            func.min(o.c.record_key).label("record_key"),
        )
        .group_by(o.c.user_id, o.c.course_id)
        .subquery("assigned")
    )
    st, c = OfficerCourseStatus, Certificate
    renewal = (
        select(func.min(c.issued_at))
        .where(
            c.user_id == assigned.c.user_id,
            c.course_id == assigned.c.course_id,
            c.revoked_at.is_(None),
            c.issued_at >= assigned.c.assigned_at,
        )
        .scalar_subquery()
    )
    completed_at = case(
        (st.completed_at >= assigned.c.assigned_at, st.completed_at),
        (st.latest_issued_at >= assigned.c.assigned_at, renewal),
    )
    return (
        select(
            assigned.c.user_id,
            assigned.c.force_id,
            assigned.c.team_id,
            assigned.c.assigned_at,
            completed_at.label("completed_at"),
            assigned.c.record_key,
        )
        .select_from(assigned)
        .outerjoin(st, and_(st.user_id == assigned.c.user_id, st.course_id == assigned.c.course_id))
        .subquery("coverage")
    )


def _coverage_key(coverage, grouping: Grouping):
    if grouping.by_team:
        return coverage.c.team_id, coverage.c.force_id == grouping.team_force_id
    condition = (
        coverage.c.force_id.in_(grouping.force_ids)
        if grouping.force_ids is not None
        else coverage.c.force_id.is_not(None)
    )
    return coverage.c.force_id, condition


WITHIN_DAYS = (30, 60, 90)
POOLED = "pooled"  # the key of the median over every group together


def completion_counts(scope: Scope, grouping: Grouping, *, pooled: bool = False) -> tuple[dict, dict]:
    """(within, medians) from one pass over the coverage (see _coverage): per officer and assigned
    course, when they were covered and when they completed.

    within: key -> (covered 30, completed within 30, covered 60, within 60, covered 90, within 90,
    then the same six counts' record-key sums): for each t, the officers (per assigned course)
    covered on or before the reference day minus t days (and, with a start date, not before it),
    so every one of them had t days; and of them, those who completed within t days of being
    covered, by the period end. Officers covered less than t days ago are left out of that t, not
    counted as not completed (censoring).

    medians: key -> (median days, count) per group, over the completions in the period (days
    from being covered to the first certificate after it); with pooled=True also POOLED -> the
    median over every group together (a median cannot be made from the groups' medians).

    The database returns a histogram: per group, how many full windows the officer had (0 to 3),
    whether covered after the start, days to completion by the end, and whether that completion
    fell in the period; the sums and medians are taken from it here (a few thousand rows at
    200,000 officers).
    """
    stmt = _span_histogram(scope, grouping) if rollup.ready() else _coverage_histogram(scope, grouping)
    within: dict = {}
    histograms: dict = {}
    for group, windows_had, counted, days, completed_in_period, n, keys in db.session.execute(stmt):
        if grouping.by_team and group == 0:
            group = None  # coverage_spans' team key of an officer in no team
        n, keys = int(n), int(keys or 0)
        row = within.setdefault(group, [0] * 12)
        if counted:
            for index, t in enumerate(WITHIN_DAYS):
                if windows_had > index:
                    row[2 * index] += n
                    row[6 + 2 * index] += keys
                    if days is not None and days <= t:
                        row[2 * index + 1] += n
                        row[6 + 2 * index + 1] += keys
        if completed_in_period:
            for name in (group, POOLED) if pooled else (group,):
                histogram = histograms.setdefault(name, {})
                histogram[int(days)] = histogram.get(int(days), 0) + n
    medians = {
        name: (histogram_median(histogram), sum(histogram.values())) for name, histogram in histograms.items()
    }
    return {group: tuple(row) for group, row in within.items()}, medians


@built_once
def _coverage_histogram(scope: Scope, grouping: Grouping):
    """completion_counts' histogram from the records (the coverage statement, _coverage)."""
    coverage = _coverage(scope)
    key, condition = _coverage_key(coverage, grouping)
    c = coverage.c
    cutoffs = [datetime.combine(scope.day - timedelta(days=t - 1), time()) for t in WITHIN_DAYS]
    windows = case(
        *((c.assigned_at < cutoff, n) for n, cutoff in reversed(list(enumerate(cutoffs, start=1)))), else_=0
    )
    after_start = literal(1) if scope.start is None else case((c.assigned_at >= scope.start, 1), else_=0)
    done_days = case((c.completed_at < scope.end, _days_between(c.assigned_at, c.completed_at)))
    in_period = case((and_(c.completed_at.is_not(None), _period(c.completed_at, scope)), 1), else_=0)
    expressions = (key, windows, after_start, done_days, in_period)
    grouped = [e for e in expressions if e is not after_start or scope.start is not None]  # no constant
    return select(*expressions, func.count(), func.sum(c.record_key)).where(condition).group_by(*grouped)


@built_once
def _span_histogram(scope: Scope, grouping: Grouping):
    """The same histogram from the officers' coverage spans (app.metrics.rollup): the span of each
    officer and assigned course that holds the reference day, its days already worked out."""
    cs = CoverageSpan
    day = scope.day
    if grouping.by_team:
        key, conditions = cs.team_key, [cs.force_id == grouping.team_force_id]
    else:
        key, conditions = (
            cs.force_id,
            [cs.force_id.in_(grouping.force_ids)] if grouping.force_ids is not None else [],
        )
    conditions += [cs.from_day <= day, or_(cs.until_day.is_(None), cs.until_day > day)]
    if scope.course_id is not None:
        conditions.append(cs.course_id == scope.course_id)
    windows = case(
        *(
            (cs.assigned_day <= day - timedelta(days=t), n)
            for n, t in reversed(list(enumerate(WITHIN_DAYS, 1)))
        ),
        else_=0,
    )
    start = scope.start.date() if scope.start is not None else None
    after_start = literal(1) if start is None else case((cs.assigned_day >= start, 1), else_=0)
    done_days = case((cs.completed_day <= day, cs.done_days))
    completed = [cs.completed_day.is_not(None), cs.completed_day <= day]
    if start is not None:
        completed.append(cs.completed_day >= start)
    in_period = case((and_(*completed), 1), else_=0)
    expressions = (key, windows, after_start, done_days, in_period)
    grouped = [e for e in expressions if e is not after_start or start is not None]
    return select(*expressions, func.count(), func.sum(cs.record_key)).where(*conditions).group_by(*grouped)


_SETTINGS = (
    "SELECT set_config('jit', 'off', true), "
    f"set_config('work_mem', '{REPORT_WORK_MEM}', true), "
    "set_config('max_parallel_workers_per_gather', '0', true), "
    "set_config('random_page_cost', '1.1', true), "
)
_REPORT_SETTINGS = {
    True: text(_SETTINGS + "set_config('plan_cache_mode', 'auto', true)"),
    False: text(_SETTINGS + "set_config('plan_cache_mode', 'force_custom_plan', true)"),
}


def tune_for_reports(one_force: bool = False) -> None:
    """PostgreSQL settings for the report's transaction (SET LOCAL: they end with it).

    JIT off: the aggregates' cost estimates are high enough to trigger JIT compilation, which
    took 2-3 s of a 4 s statement at 200,000 officers to save a few milliseconds of execution.
    A larger work_mem lets the per-officer sorts and hashes (a few MB at 200,000 officers) run in
    memory instead of spilling to disk at the default 4 MB. No parallel workers: in the parallel
    plans every worker builds the same hash tables (per-officer status, overdue set) again, three
    times the work on a two-core machine. A random page costed near a sequential one (1.1, the
    usual value for SSDs and for data held in memory): one force's figures then look its officers'
    rows up by index instead of hashing every officer's (about 90 to 65 ms for a large force's
    officer states at 200,000 officers; the national plans are unchanged).

    Plans: a request that only read ends with COMMIT (app.database), so psycopg prepares a
    statement run often, and after five runs PostgreSQL may reuse a generic plan, made once
    without the statement's values, when it costs no more than the plans made for them. Across
    many forces (the national figures) that plan was up to a third slower at 200,000 officers (the
    national page with a course filter 380 to 500 ms), so those always plan for their values. For
    one force (one_force: the lead's dashboard, a force's drill-down) the generic plan ran as fast
    at the largest forces and saves the planning, about a quarter of a small force's page
    (docs/benchmarks.md), so PostgreSQL chooses as it does by default.
    """
    if _dialect() == "postgresql":
        # One round trip; set_config(..., true) is SET LOCAL.
        db.session.execute(_REPORT_SETTINGS[one_force])


@dataclass(frozen=True)
class _Figures:
    """The statements' results for one grouping, each a dict keyed by force or team id."""

    state: dict
    modules: dict
    assessed: dict
    confidence: dict
    within: dict
    medians: dict


def _figures(scope: Scope, grouping: Grouping, *, pooled: bool, parallel: bool = False) -> _Figures:
    """The statements for one grouping; with parallel, the module figures on a second connection
    while this one runs the rest (app.metrics.background: PostgreSQL, METRICS_PARALLEL)."""
    if parallel:
        pending = background.start(module_counts, scope, grouping, prepare=tune_for_reports)
    within, medians = completion_counts(scope, grouping, pooled=pooled)
    state = officer_state_counts(scope, grouping)
    confidence = confidence_counts(scope, grouping)
    modules, assessed = pending.result() if parallel else module_counts(scope, grouping)
    return _Figures(
        state=state,
        modules=modules,
        assessed=assessed,
        confidence=confidence,
        within=within,
        medians=medians,
    )


def force_counts(
    scope: Scope,
    groups: list[Group],
    grouping: Grouping,
    medians: dict | None = None,
    *,
    parallel: bool = False,
) -> list[ForceCounts]:
    """One ForceCounts per group (force or team), in the order given; pass a dict as medians to
    receive the medians of completion_counts(), pooled median included. parallel: see _figures
    (the national figures)."""
    forces = grouping.forces
    tune_for_reports(one_force=forces is not None and len(forces) == 1)
    scope = replace(scope, force_ids=grouping.forces)
    figures = _figures(scope, grouping, pooled=medians is not None, parallel=parallel)
    if medians is not None:
        medians.update(figures.medians)
    return _rows(groups, figures)


def _column_sums(rows) -> tuple:
    return tuple(sum(column) for column in zip(*rows, strict=True))


def force_and_team_counts(
    scope: Scope, force: Group, teams: list[Group]
) -> tuple[ForceCounts, list[ForceCounts]]:
    """The lead's dashboard: (the force's ForceCounts, one per team), equal to force_counts() for
    each grouping, with fewer statements. Every officer of the force is in one of its teams or in
    none (the key None), and the coverage rows carry the officer's force and team, so the force's
    officer states and completed-within counts (and their key sums) are the sums of its teams',
    and its median is the teams' pooled one. So are its module figures (each result row carries
    one force and one team). The officers assessed and the confidence gain are counted for the
    force again: an officer's results may lie in two teams (moved between modules), and the
    ratings are grouped by the force recorded on them."""
    tune_for_reports(one_force=True)
    scope = replace(scope, force_ids=(force.id,))
    team, whole = Grouping(team_force_id=force.id), Grouping(force_ids=(force.id,))
    # The teams' and the force's officers assessed (and confidence ratings) in one statement each.
    assessed, force_assessed = _paired(_officers_assessed_statement, _assessed, scope, team, whole)
    confidence, force_confidence = _paired(_confidence_statement, _confidence, scope, team, whole)
    within, medians = completion_counts(scope, team, pooled=True)
    by_team = _Figures(
        state=officer_state_counts(scope, team),
        modules=module_rows(scope, team),
        assessed=assessed,
        confidence=confidence,
        within=within,
        medians=medians,
    )
    state, within = by_team.state.values(), by_team.within.values()
    modules = list(merge_modules(by_team.modules.values()))
    ids = module_ids(scope)
    modules.sort(key=_course_positions(ids, module_titles(ids)))
    figures = _Figures(
        state={force.id: _column_sums(state)} if state else {},
        modules={force.id: modules} if modules else {},
        assessed=force_assessed,
        confidence=force_confidence,
        within={force.id: _column_sums(within)} if within else {},
        medians={force.id: by_team.medians[POOLED]} if POOLED in by_team.medians else {},
    )
    return _rows([force], figures)[0], _rows(teams, by_team)


def _rows(groups: list[Group], figures: _Figures) -> list[ForceCounts]:
    """ForceCounts per group, from the statements' results."""
    state, modules, assessed = figures.state, figures.modules, figures.assessed
    confidence, within, found = figures.confidence, figures.within, figures.medians
    rows = []
    for group in groups:
        state_row = state.get(group.id, (0,) * 2 * len(STATE_FIELDS))
        registered, started, completed, overdue, valid, expiring, expired, certified, others, due, current = (
            state_row[: len(STATE_FIELDS)]
        )
        gain_sum, gain_count, gain_keys = confidence.get(group.id, (0.0, 0, 0))
        median, median_count = found.get(group.id, (None, 0))
        officers_assessed, officers_passed, assessed_keys, passed_keys = assessed.get(group.id, (0,) * 4)
        within_row = within.get(group.id, (0,) * 12)
        c30, w30, c60, w60, c90, w90 = within_row[:6]
        keys = dict(zip(STATE_FIELDS, state_row[len(STATE_FIELDS) :], strict=True))
        keys.update(zip(WITHIN_FIELDS, within_row[6:], strict=True))
        keys.update(
            officers_assessed=assessed_keys, officers_passed=passed_keys, confidence_gain_count=gain_keys
        )
        rows.append(
            ForceCounts(
                force_code=group.code,
                force_name=group.name,
                nation=group.nation,
                force_type=group.force_type,
                headcount=group.headcount or None,
                headcount_measure=group.headcount_measure,
                headcount_as_of=group.headcount_as_of,
                registered=registered,
                started=started,
                completed=completed,
                certified=certified,
                certified_other=others,
                law_update_due=due,
                law_up_to_date=current,
                officers_assessed=officers_assessed,
                officers_passed=officers_passed,
                modules=tuple(modules.get(group.id, ())),
                overdue=overdue,
                certificates_valid=valid,
                certificates_expiring=expiring,
                certificates_expired=expired,
                confidence_gain_sum=gain_sum,
                confidence_gain_count=gain_count,
                median_days_to_completion=median,
                days_to_completion_count=median_count,
                covered_30=c30,
                within_30=w30,
                covered_60=c60,
                within_60=w60,
                covered_90=c90,
                within_90=w90,
                keys=keys,
            )
        )
    return rows


# The ForceCounts fields of officer_state_counts' and completion_counts' within columns, in order
# (STATE_FIELDS: app.metrics.models, whose state_rollups hold them).
WITHIN_FIELDS = ("covered_30", "within_30", "covered_60", "within_60", "covered_90", "within_90")


def month_before(scope: Scope) -> Scope:
    """The scope whose reference day is the last day of the month before the reference day's
    (same period start, course and force filters): "last month" for the headline."""
    first_of_month = scope.day.replace(day=1)
    return replace(scope, end=datetime.combine(first_of_month, time()))


def certified_counts(scope: Scope, grouping: Grouping) -> dict:
    """key -> (police officers certified, their record-key sum) on the scope's reference day: the
    officer-state statement's headline column alone, read with the fewest joins (the headline's
    month-earlier figure). An officer counts when registered by the period end, a police officer,
    certified (app.assignments.status) for every course in scope they have a status row for, and,
    with all courses, holding a status row for every course they are assigned (no gap).
    From the officer-state rollup when usable (its certified column)."""
    scope = replace(scope, force_ids=grouping.forces)
    counts = rollup.state_counts(scope.course_id, scope.day, grouping.forces, grouping.team_force_id)
    if counts is not None:
        at = STATE_FIELDS.index("certified")
        width = len(STATE_FIELDS)
        return {key: (row[at], row[width + at]) for key, row in counts.items() if row[at]}
    s = OfficerCourseStatus
    expiry = _expiry_at_end(scope, _renewed_later(scope))
    certified_row = and_(s.completed_at < scope.end, rules.sql_certified(None, expiry, scope.end_date))
    certified = (
        select(s.user_id)
        .where(*_status_in_scope(scope), *_officers_of_forces(s.user_id, scope))
        .group_by(s.user_id)
        .having(func.min(case((certified_row, 1), else_=0)) == 1)
        .subquery("certified")
    )
    key = _officer_key(grouping)
    stmt = (
        select(key.label("key"), func.count(), func.sum(User.record_key))
        .select_from(User)
        .join(certified, certified.c.user_id == User.id)
        .where(_registered(scope=scope), _officer_filter(grouping), User.workforce_type == POLICE_OFFICER)
        .group_by(key)
    )
    if scope.course_id is None:  # every course the officer is assigned must have a status row
        o = obligations(scope)
        gaps = (
            select(o.c.user_id)
            .select_from(o)
            .outerjoin(s, and_(s.user_id == o.c.user_id, s.course_id == o.c.course_id))
            .where(s.user_id.is_(None))
        )
        stmt = stmt.where(User.id.not_in(gaps))
    return {row[0]: (int(row[1]), int(row[2] or 0)) for row in db.session.execute(stmt)}


def force_groups(forces: list[Force]) -> list[Group]:
    """Row labels for forces."""
    return [
        Group(
            f.id,
            f.code,
            f.name,
            f.nation,
            f.type,
            f.headcount,
            f.headcount_measure or "",
            f.headcount_as_of.isoformat() if f.headcount_as_of else "",
        )
        for f in forces
    ]


def team_groups(force_id: int) -> list[Group]:
    """Row labels for a force's teams, plus officers without a team (id None)."""
    teams = db.session.scalars(select(Team).where(Team.force_id == force_id).order_by(Team.name)).all()
    return [*(Group(t.id, str(t.id), t.name) for t in teams), Group(None, "", "No team")]


# --- trend --------------------------------------------------------------------------------------


def completion_months(scope: Scope, grouping: Grouping) -> list[tuple]:
    """(key, 'YYYY-MM', officers, their record-key sum) by the month of each officer's first
    unrevoked certificate in scope, for every month up to the period end (months before the start
    make the opening total). From the officer-state rollup when usable (its first-completed
    column); otherwise from the status rows."""
    months = rollup.completion_months(scope.course_id, scope.day, grouping.forces, grouping.team_force_id)
    if months is not None:
        return months
    return sql_completion_months(scope, grouping)


def sql_completion_months(scope: Scope, grouping: Grouping) -> list[tuple]:
    """completion_months() from officer_course_status: each officer's earliest completion."""
    s = OfficerCourseStatus
    key = _officer_key(grouping)
    first = (
        select(
            key.label("key"),
            func.min(s.completed_at).label("first_at"),
            func.max(User.record_key).label("rk"),
        )
        .select_from(s)
        .join(User, User.id == s.user_id)
        .where(s.completed_at < scope.end, *_status_in_scope(scope), _registered(), _officer_filter(grouping))
        .group_by(key, s.user_id)
        .subquery()
    )
    month = _month(first.c.first_at)
    stmt = (
        select(first.c.key, month.label("month"), func.count(), func.sum(first.c.rk))
        .group_by(first.c.key, month)
        .order_by(month)
    )
    return [(row[0], row[1], int(row[2]), int(row[3] or 0)) for row in db.session.execute(stmt)]


# --- knowledge gaps -----------------------------------------------------------------------------


def _months(column, scope: Scope) -> tuple:
    """Conditions keeping monthly rows ('YYYY-MM') that fall in the period, by whole months.
    Undated rows (before monthly tracking) count only when the period has no start."""
    last = column <= scope.day.strftime("%Y-%m")
    if scope.start is None:
        return (or_(column.is_(None), last),)
    return (column >= scope.start.strftime("%Y-%m"), last)


def question_sums(scope: Scope, force_ids: tuple[int, ...] | None, by_force: bool = False) -> list[tuple]:
    """(force id or None, module id, question key, ItemSums) summed from question_stats."""
    stmt = _question_sums_statement(scope, force_ids, by_force, tuple(module_ids(scope)))
    return [
        (row[0], row[1], row[2], ItemSums(int(row[3] or 0), *(float(v or 0) for v in row[4:])))
        for row in db.session.execute(stmt)
    ]


@built_once
def _question_sums_statement(
    scope: Scope, force_ids: tuple[int, ...] | None, by_force: bool, modules: tuple[int, ...]
):
    qs = QuestionStat
    columns = [
        qs.module_id,
        qs.question_key,
        func.sum(qs.n),
        func.sum(qs.sum_x),
        func.sum(qs.sum_x2),
        func.sum(qs.sum_y),
        func.sum(qs.sum_y2),
        func.sum(qs.sum_xy),
        func.max(qs.max_points),
    ]
    group = [qs.module_id, qs.question_key]
    if by_force:
        columns.insert(0, qs.force_id)
        group.insert(0, qs.force_id)
    else:
        columns.insert(0, literal(None))
    stmt = select(*columns).where(qs.module_id.in_(modules), *_months(qs.month, scope)).group_by(*group)
    if force_ids is not None:
        stmt = stmt.where(qs.force_id.in_(force_ids))
    return stmt


def knowledge_gaps(
    scope: Scope, force_ids: tuple[int, ...] | None, limit: int = 10
) -> tuple[list[QuestionGap], list[QuestionGap]]:
    """(weakest questions, tags by facility), lowest facility first, each with enough responses."""
    rows = question_sums(scope, force_ids)
    info = question_info({(row[1], row[2]) for row in rows})
    return _gaps(rows, limit, info, module_titles(module_ids(scope)))  # the titles the page has read


def gaps_by_force(scope: Scope, force_ids: tuple[int, ...] | None) -> dict[int, QuestionGap]:
    """force id -> its weakest tag (lowest facility with enough responses)."""
    by_force: dict[int, list] = {}
    rows = question_sums(scope, force_ids, by_force=True)
    for row in rows:
        by_force.setdefault(row[0], []).append(row)
    info, titles = question_info({(row[1], row[2]) for row in rows}), module_titles(module_ids(scope))
    weakest = {}
    for force_id, force_rows in by_force.items():
        _questions, tags = _gaps(force_rows, 1, info, titles)
        if tags:
            weakest[force_id] = tags[0]
    return weakest


def _gaps(rows, limit: int, info: dict, titles: dict) -> tuple[list, list]:
    """Rank questions and tags by facility from summed rows (per (module, question), n is the
    officers answering: question_stats holds first attempts only). A question's facility is its
    mean mark (stats_from_sums' facility); the rest of its statistics are worked out only for
    the `limit` listed. A tag's sums are added up in the rows' order, as merge() would."""
    ranked, tag_sums, tag_officers = [], {}, {}
    for _force, module_id, key, sums in rows:
        text, tags = info.get((module_id, key), (key, ()))
        for tag in tags:
            total = tag_sums.get(tag)
            if total is None:
                tag_sums[tag] = total = [0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]
            total[0] += sums.n
            total[1] += sums.sum_x
            total[2] += sums.sum_x2
            total[3] += sums.sum_y
            total[4] += sums.sum_y2
            total[5] += sums.sum_xy
            total[6] = max(total[6], sums.max_points)
            tag_officers[tag] = max(tag_officers.get(tag, 0), sums.n)
        if sums.n >= MIN_OFFICERS:
            title = titles.get(module_id, ("", ""))[1]
            ranked.append((sums.sum_x / sums.n, title, key, text, tags, sums))
    ranked.sort(key=lambda r: r[:3])
    questions = []
    for facility, title, key, text, tags, sums in ranked[:limit]:
        discrimination = stats_from_sums(sums).discrimination_index
        questions.append(QuestionGap(title, key, text, tags, sums.n, facility, discrimination, sums.n))
    tags_out = []
    for tag, total in tag_sums.items():
        stats, officers = stats_from_sums(ItemSums(*total)), tag_officers[tag]
        if officers >= MIN_OFFICERS and stats.facility is not None:
            tags_out.append(
                QuestionGap(
                    "",
                    "",
                    tag,
                    (tag,),
                    total[0],
                    stats.facility,
                    stats.discrimination_index,
                    officers,
                )
            )
    tags_out.sort(key=lambda g: (g.facility, g.text))
    return questions, tags_out


# --- named officers (training leads only) -----------------------------------------------------


def overdue_officers(scope: Scope, force_id: int, limit: int = 500) -> tuple[list, int]:
    """(officers overdue in a force with course and earliest due date, how many in all)."""
    scope = replace(scope, force_ids=(force_id,))
    rows = db.session.execute(_overdue_statement(scope, force_id, limit, _renewed_later(scope))).all()
    total = rows[0][5] if rows else 0
    return [OverdueOfficer(r[0], r[1], r[2] or "", r[3], r[4]) for r in rows], int(total or 0)


@built_once
def _overdue_statement(scope: Scope, force_id: int, limit: int, renewed_later: bool):
    o, condition = _overdue_obligations(scope, renewed_later)
    per = (
        select(o.c.user_id, o.c.course_id, func.min(o.c.due_on).label("due_on"))
        .where(condition, o.c.force_id == force_id)
        .group_by(o.c.user_id, o.c.course_id)
        .cte("per")
        .prefix_with("MATERIALIZED")  # computed once for the rows and their total
    )
    total = select(func.count(func.distinct(per.c.user_id))).scalar_subquery()
    # The first `limit` by due date and name, then their team and course: every overdue officer
    # needs a name to be sorted, only those listed need the rest. The force's officers are read
    # by force (all of them are of it), which lets PostgreSQL hash them once rather than look
    # each overdue officer up by id.
    first = (
        select(per.c.user_id, per.c.course_id, per.c.due_on, User.name, User.team_id)
        .join(User, and_(User.id == per.c.user_id, User.force_id == force_id))
        .order_by(per.c.due_on, User.name)
        .limit(limit)
        .subquery()
    )
    return (
        select(first.c.user_id, first.c.name, Team.name, Course.title, first.c.due_on, total)
        .select_from(first)
        .outerjoin(Team, Team.id == first.c.team_id)
        .join(Course, Course.id == first.c.course_id)
        .order_by(first.c.due_on, first.c.name)
    )
