"""The officer-state rollup: every officer's state changes (app.metrics.timeline) summed by force,
team, course scope and day in `state_rollups`, kept in the transaction of every write.

A count on a reference day is SUM(delta) over the rows on or before it, so the states that change
with the date alone (overdue, expiring, expired at midnight) need no write, and any period end
can be asked. The national view reads a few thousand rows instead of grouping every officer's
assignments and status rows per request.

Kept true by:
- `track()` (session events): a flush that adds, changes or deletes an officer's force, team,
  role, status, type or joining dates, an assignment or its targets, a certificate, a law-change
  update or a status row marks the officers it concerns; the summary's events (app.metrics.hooks)
  mark theirs; a bulk import marks its forces.
- Each officer's changes are added to their team's rows (team key 0: no team) and to their
  force's total rows (team key FORCE_TOTAL), so a national or force figure reads the totals.
- `apply_pending()`: before the transaction commits (and before a read in it), each marked
  officer's timelines are worked out again; where they or the spans changed, the old timeline rows
  are taken out of the sums and the new ones put in (an officer whose rows come out the same is
  left untouched), under a lock on the officer's row (PostgreSQL), so two writers to one officer
  follow each other.
- `rebuild()` (`flask metrics rebuild`): everything from the records; a test holds the kept
  rollup equal to a rebuild after every kind of write.

`usable()` is false while a migration has marked the rollup stale or RECERTIFY_DAYS differs from
the one it was built with; the metrics then fall back to the SQL statements of
app.metrics.queries (same figures, slower).
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, datetime

from sqlalchemy import delete, event, func, inspect, select
from sqlalchemy.orm import Session

from app.assignments.models import Assignment, AssignmentTarget
from app.assignments.queries import recertify_days
from app.auth.models import User
from app.auth.workforce import WorkforceType
from app.certificates.models import Certificate
from app.clock import utcnow
from app.extensions import db
from app.law_updates.models import LawUpdate
from app.metrics import timeline
from app.metrics.memo import built_once, per_request
from app.metrics.models import (
    STATE_COLUMNS,
    CoverageSpan,
    OfficerCourseStatus,
    OfficerTimeline,
    RollupStatus,
    StateRollup,
)
from app.roles import Role

NAME = "officer_states"
OFFICER_ROLES = (Role.OFFICER.value, Role.TRAINING_LEAD.value)
USER_FIELDS = (
    "force_id",
    "team_id",
    "role",
    "active",
    "workforce_type",
    "created_at",
    "force_joined_at",
    "team_joined_at",
    "record_key",
)
BATCH = 2000
# The team key of a force's total rows: a force (or the country) is read from a force's totals,
# not summed over its teams' rows (about 20 times fewer rows at 200,000 officers).
FORCE_TOTAL = -1
COLUMNS = [getattr(StateRollup, name) for name in STATE_COLUMNS] + [
    getattr(StateRollup, f"{name}_keys") for name in STATE_COLUMNS
]
# What state_counts() returns: the eleven states (queries.STATE_FIELDS), then their key sums.
STATE_SUMS = COLUMNS[: timeline.STATES] + COLUMNS[timeline.WIDTH : timeline.WIDTH + timeline.STATES]

# --- marking what changed ------------------------------------------------------------------


def _pending(session) -> dict:
    return session.info.setdefault(
        "rollup_pending",
        {
            "users": set(),
            "new": [],
            "forces": set(),
            "teams": set(),
            "assignments": set(),
            "all": False,
        },
    )


def mark_users(*user_ids) -> None:
    """Officers whose states may have changed in this transaction."""
    _pending(db.session)["users"].update(uid for uid in user_ids if uid is not None)


def mark_forces(*force_ids) -> None:
    """Every officer of these forces (a bulk import)."""
    _pending(db.session)["forces"].update(fid for fid in force_ids if fid is not None)


def mark_all() -> None:
    """Every officer (a course's modules changed: every status row was rebuilt)."""
    _pending(db.session)["all"] = True


def _changed(obj, names) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


def _before_flush(session, _context, _instances) -> None:
    pending = None
    for obj in (*session.new, *session.dirty, *session.deleted):
        if not isinstance(
            obj, User | Assignment | AssignmentTarget | Certificate | LawUpdate | OfficerCourseStatus
        ):
            continue
        pending = pending or _pending(session)
        if isinstance(obj, User):
            if obj.id is None:
                pending["new"].append(obj)
            elif obj in session.deleted or _changed(obj, USER_FIELDS):
                pending["users"].add(obj.id)
        elif isinstance(obj, Assignment):
            if obj.scope == "force" or _changed(obj, ("scope",)):
                pending["forces"].add(obj.force_id)
            if obj.id is not None:
                pending["assignments"].add(obj.id)
            else:
                pending["new"].append(obj)  # resolved after the flush, like a new user
        elif isinstance(obj, AssignmentTarget):
            if obj.team_id is not None:
                pending["teams"].add(obj.team_id)
            pending["users"].add(obj.user_id)
        else:
            pending["users"].add(obj.user_id)


def _before_commit(session) -> None:
    if session.info.get("rollup_pending"):
        apply_pending(session)


def _forget(session, *_args) -> None:
    session.info.pop("rollup_pending", None)


def track() -> None:
    """Listen to every session's flushes and commits (once)."""
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "before_commit", _before_commit)
        event.listen(Session, "after_rollback", _forget)
        event.listen(Session, "after_soft_rollback", _forget)


def _pending_users(session, pending: dict) -> set[int]:
    users = {uid for uid in pending["users"] if uid is not None}
    assignments = set(pending["assignments"])
    for obj in pending["new"]:
        if isinstance(obj, User):
            users.add(obj.id)
        elif isinstance(obj, Assignment):
            assignments.add(obj.id)
            if obj.scope == "force":
                pending["forces"].add(obj.force_id)
    assignments.discard(None)
    queries = []
    if pending["forces"]:
        queries.append(select(User.id).where(User.force_id.in_(pending["forces"])))
    if pending["teams"]:
        queries.append(select(User.id).where(User.team_id.in_(pending["teams"])))
    if assignments:
        target = select(AssignmentTarget.team_id, AssignmentTarget.user_id).where(
            AssignmentTarget.assignment_id.in_(assignments)
        )
        teams, named = set(), set()
        for team_id, user_id in session.execute(target):
            (teams if team_id is not None else named).add(team_id if team_id is not None else user_id)
        users |= named
        if teams:
            queries.append(select(User.id).where(User.team_id.in_(teams)))
    for query in queries:
        users.update(session.scalars(query))
    users.discard(None)
    return users


def apply_pending(session=None) -> None:
    """Bring the rollup up to date with this transaction's writes (see the module's docstring)."""
    session = session or db.session
    pending = session.info.pop("rollup_pending", None)
    if not pending:
        return
    session.flush()
    session.info.pop("rollup_pending", None)  # the flush may have marked again: already in hand
    status = session.get(RollupStatus, NAME)
    if status is not None and status.stale:
        return  # rebuilt as a whole by `flask metrics rebuild`
    if pending["all"]:
        rebuild(session)
        return
    users = _pending_users(session, pending)
    if users:
        refresh(sorted(users), session)


# --- loading an officer's records ------------------------------------------------------------


def _stamp(value) -> datetime | None:
    if isinstance(value, str):
        return datetime.fromisoformat(value)
    return value


def _day(value) -> date | None:
    if value is None:
        return None
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    return value.date() if isinstance(value, datetime) else value


def load(
    user_ids: list[int] | None, session=None, *, first_id: int | None = None, last_id: int | None = None
):
    """{user id: timeline.Officer} for the counted officers among user_ids (or ids in
    [first_id, last_id]): officers and training leads, active, in a force."""
    from app.metrics.queries import coverage_selects

    session = session or db.session

    def restrict(column):
        if user_ids is not None:
            return (column.in_(user_ids),)
        return (column >= first_id, column <= last_id)

    police = WorkforceType.POLICE_OFFICER.value
    officers = {}
    rows = session.execute(
        select(
            User.id, User.force_id, User.team_id, User.record_key, User.workforce_type, User.created_at
        ).where(
            User.role.in_(OFFICER_ROLES),
            User.active.is_(True),
            User.force_id.is_not(None),
            *restrict(User.id),
        )
    )
    for uid, force_id, team_id, key, kind, created in rows:
        officers[uid] = timeline.Officer(uid, force_id, team_id, int(key or 0), kind == police, _day(created))
    if not officers:
        return officers
    for select_ in coverage_selects(restrict(User.id), spans=True):
        for row in session.execute(select_):
            officer = officers.get(row.user_id)
            if officer is not None:
                officer.obligations.append(
                    timeline.Obligation(
                        row.course_id,
                        _day(row.made_at),
                        _day(row.withdrawn_at),
                        _day(row.due_on),
                        _stamp(row.assigned_at),
                    )
                )
    s = OfficerCourseStatus
    statuses = select(
        s.user_id, s.course_id, s.started_at, s.completed_at, s.latest_issued_at, s.latest_expires_on
    ).where(*restrict(s.user_id))
    for uid, course_id, started, completed, issued, expires in session.execute(statuses):
        officer = officers.get(uid)
        if officer is not None:
            officer.statuses.append(
                timeline.Status(course_id, _day(started), _day(completed), _day(issued), _day(expires))
            )
    c = Certificate
    certificates = select(
        c.id, c.user_id, c.course_id, c.cycle, c.issued_at, c.expires_on, c.revoked_at
    ).where(*restrict(c.user_id))
    for cid, uid, course_id, cycle, issued, expires, revoked in session.execute(certificates):
        officer = officers.get(uid)
        if officer is not None:
            officer.certificates.append(
                timeline.Held(
                    cid,
                    course_id,
                    int(cycle or 1),
                    _day(issued),
                    (issued, cid),
                    _day(expires),
                    _day(revoked),
                    revoked is not None,
                )
            )
    lu = LawUpdate
    updates = select(lu.user_id, lu.certificate_id, lu.assigned_at, lu.completed_at).where(
        *restrict(lu.user_id)
    )
    for uid, cid, assigned, completed in session.execute(updates):
        officer = officers.get(uid)
        if officer is not None:
            officer.updates.append(timeline.Owed(cid, _day(assigned), _day(completed)))
    return officers


# --- computing and writing ---------------------------------------------------------------------


def _add(sums: dict, force_id, team_key, course_id, key, changes, sign: int) -> None:
    """Add an officer's changes to their team's rows and to their force's total rows."""
    width = timeline.WIDTH
    for day, delta in changes:
        changed = [(index, sign * value) for index, value in enumerate(delta) if value]
        for group in (team_key, FORCE_TOTAL):
            row = sums[(force_id, group, course_id, day)]
            for index, value in changed:
                row[index] += value
                row[width + index] += value * key


def _encode(changes) -> str:
    return json.dumps([[day.toordinal(), list(delta)] for day, delta in changes], separators=(",", ":"))


def _decode(text: str):
    return [(date.fromordinal(day), tuple(delta)) for day, delta in json.loads(text)]


def _insert(session):
    """The dialect's INSERT with on_conflict_do_update (SQLite and PostgreSQL both have it)."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(StateRollup)


def _upsert(sums: dict, session) -> None:
    """Add the sums to state_rollups (sorted, so concurrent writers lock rows in one order)."""
    rows = [
        {
            "force_id": force_id,
            "team_key": team_key,
            "course_id": course_id,
            "day": day,
            **{column.key: value for column, value in zip(COLUMNS, values, strict=True)},
        }
        for (force_id, team_key, course_id, day), values in sorted(sums.items())
        if any(values)
    ]
    if not rows:
        return
    statement = _insert(session)
    statement = statement.on_conflict_do_update(
        index_elements=["force_id", "team_key", "course_id", "day"],
        set_={column.key: column + statement.excluded[column.key] for column in COLUMNS},
    )
    for start in range(0, len(rows), 500):
        session.execute(statement, rows[start : start + 500])


# The columns that say whether an officer's coverage spans changed (all but user_id).
SPAN_COLUMNS = (
    "course_id",
    "from_day",
    "until_day",
    "force_id",
    "team_key",
    "record_key",
    "assigned_day",
    "completed_day",
    "done_days",
)


def _officer_rows(officer: timeline.Officer, window: int) -> tuple[list, list]:
    """(timeline rows with their changes, span rows) of one officer, as written."""
    team_key = officer.team_id or 0
    days = timeline.change_days(officer, window)  # the same for every scope
    timelines = []
    for course_id in sorted(timeline.course_scopes(officer)):
        changes = timeline.deltas(officer, course_id, window, days)
        if changes:
            row = {
                "user_id": officer.user_id,
                "course_id": course_id,
                "force_id": officer.force_id,
                "team_key": team_key,
                "record_key": officer.record_key,
                "deltas": _encode(changes),
            }
            timelines.append((row, changes))
    spans = []
    for span in timeline.coverage_spans(officer):
        done = span.completed_day
        spans.append(
            {
                "user_id": officer.user_id,
                "course_id": span.course_id,
                "from_day": span.from_day,
                "until_day": span.until_day,
                "force_id": officer.force_id,
                "team_key": team_key,
                "record_key": officer.record_key,
                "assigned_day": span.assigned_day,
                "completed_day": done,
                "done_days": None if done is None else (done - span.assigned_day).days,
            }
        )
    return timelines, spans


def _add_rows(sums: dict, timelines: list, sign: int) -> None:
    for row, changes in timelines:
        _add(sums, row["force_id"], row["team_key"], row["course_id"], row["record_key"], changes, sign)


def _insert_rows(timelines: list, spans: list, session) -> None:
    if timelines:
        session.execute(OfficerTimeline.__table__.insert(), [row for row, _changes in timelines])
    if spans:
        session.execute(CoverageSpan.__table__.insert(), spans)


def _write(officers: dict, sums: dict, window: int, session) -> int:
    """Insert the officers' timelines and coverage spans, adding the timelines to the sums;
    returns the timelines written."""
    timelines, spans = [], []
    for officer in officers.values():
        rows, officer_spans = _officer_rows(officer, window)
        timelines += rows
        spans += officer_spans
    _add_rows(sums, timelines, 1)
    _insert_rows(timelines, spans, session)
    return len(timelines)


def refresh(user_ids: list[int], session=None) -> None:
    """Recompute these officers' timelines and coverage spans; for each officer whose timelines
    or spans changed, move the sums from the old timelines to the new and rewrite their rows.
    An officer whose rows come out the same is left untouched (most of a force, when a
    whole-force assignment changes nothing for those already covered by an earlier due date)."""
    session = session or db.session
    window = recertify_days()
    t, cs = OfficerTimeline, CoverageSpan
    for start in range(0, len(user_ids), 1000):
        chunk = user_ids[start : start + 1000]
        if session.get_bind().dialect.name == "postgresql":  # one writer per officer at a time
            session.execute(
                select(User.id).where(User.id.in_(chunk)).order_by(User.id).with_for_update(key_share=True)
            )
        old_timelines: dict = defaultdict(dict)
        columns = select(t.user_id, t.course_id, t.force_id, t.team_key, t.record_key, t.deltas)
        for uid, course_id, force_id, team_key, key, text in session.execute(
            columns.where(t.user_id.in_(chunk))
        ):
            old_timelines[uid][course_id] = (force_id, team_key, key, text)
        old_spans: dict = defaultdict(set)
        span_columns = [getattr(cs, name) for name in SPAN_COLUMNS]
        for row in session.execute(select(cs.user_id, *span_columns).where(cs.user_id.in_(chunk))):
            old_spans[row[0]].add(tuple(row[1:]))
        officers = load(chunk, session)
        sums = defaultdict(lambda: [0] * (2 * timeline.WIDTH))
        changed, timelines, spans = [], [], []
        for uid in chunk:
            officer = officers.get(uid)
            rows, officer_spans = _officer_rows(officer, window) if officer is not None else ([], [])
            fresh = {
                row["course_id"]: (row["force_id"], row["team_key"], row["record_key"], row["deltas"])
                for row, _changes in rows
            }
            if fresh == old_timelines.get(uid, {}) and {
                tuple(span[name] for name in SPAN_COLUMNS) for span in officer_spans
            } == old_spans.get(uid, set()):
                continue
            changed.append(uid)
            for course_id, (force_id, team_key, key, text) in old_timelines.get(uid, {}).items():
                _add(sums, force_id, team_key, course_id, key, _decode(text), -1)
            timelines += rows
            spans += officer_spans
        if changed:
            session.execute(delete(t).where(t.user_id.in_(changed)))
            session.execute(delete(cs).where(cs.user_id.in_(changed)))
            _add_rows(sums, timelines, 1)
            _insert_rows(timelines, spans, session)
        _upsert(sums, session)


def rebuild(session=None) -> int:
    """Recompute every timeline, coverage span and the rollup from the records; returns the
    timelines written."""
    session = session or db.session
    session.info.pop("rollup_pending", None)
    window = recertify_days()
    for model in (OfficerTimeline, StateRollup, CoverageSpan):
        session.execute(delete(model))
    sums = defaultdict(lambda: [0] * (2 * timeline.WIDTH))
    written = 0
    first, last = session.execute(select(func.min(User.id), func.max(User.id))).one()
    for start in range(first or 0, (last or -1) + 1, BATCH):
        officers = load(None, session, first_id=start, last_id=start + BATCH - 1)
        written += _write(officers, sums, window, session)
    _upsert(sums, session)
    status = session.get(RollupStatus, NAME)
    if status is None:
        status = RollupStatus(name=NAME)
        session.add(status)
    status.stale, status.window_days, status.built_at = False, window, utcnow()
    session.flush()
    session.info.pop("rollup_pending", None)
    return written


# --- reading -------------------------------------------------------------------------------------


def ready(session=None) -> bool:
    """usable(), after bringing the rollup up to date with the transaction's writes."""
    session = session or db.session
    apply_pending(session)
    return usable(session)


@per_request
def usable(session=None) -> bool:
    """True when the rollup may answer (not stale; built with today's RECERTIFY_DAYS)."""
    session = session or db.session
    status = session.get(RollupStatus, NAME)
    if status is None:
        return True  # made with the schema and kept by every write since
    return not status.stale and (status.window_days is None or status.window_days == recertify_days())


def _rows_of(course_id: int | None, day: date, force_ids, team_force_id: int | None):
    """(the grouping's key column, conditions): a scope's rows on or before `day`, the force totals
    of the forces given (None: all) or, with team_force_id, that force's team rows."""
    r = StateRollup
    key = r.team_key if team_force_id is not None else r.force_id
    conditions = [r.course_id == (course_id or timeline.ALL_COURSES), r.day <= day]
    if team_force_id is not None:
        conditions += [r.force_id == team_force_id, r.team_key != FORCE_TOTAL]
    else:
        conditions.append(r.team_key == FORCE_TOTAL)
        if force_ids is not None:
            conditions.append(r.force_id.in_(force_ids))
    return key, conditions


def _group(key, team_force_id):
    return key if team_force_id is None or key else None  # team key 0: no team


def state_counts(course_id: int | None, day: date, force_ids, team_force_id: int | None) -> dict | None:
    """key -> the eleven counts and their record-key sums on `day`, as
    queries.officer_state_counts() returns them; None when the rollup is not usable."""
    session = db.session
    apply_pending(session)
    if not usable(session):
        return None
    out = {}
    for row in session.execute(_state_counts_statement(course_id, day, force_ids, team_force_id)):
        values = tuple(int(v or 0) for v in row[1:])
        if values[0]:  # no registered officer left: as the statement, no row
            out[_group(row[0], team_force_id)] = values
    return out


@built_once
def _state_counts_statement(course_id: int | None, day: date, force_ids, team_force_id: int | None):
    key, conditions = _rows_of(course_id, day, force_ids, team_force_id)
    return select(key, *(func.sum(column) for column in STATE_SUMS)).where(*conditions).group_by(key)


def completion_months(course_id: int | None, day: date, force_ids, team_force_id: int | None) -> list | None:
    """[(key, 'YYYY-MM', officers, record-key sum)] by the month of each officer's first completion
    of a course in scope, up to `day`, in month order, as queries.completion_months() returns
    them; None when the rollup is not usable."""
    session = db.session
    apply_pending(session)
    if not usable(session):
        return None
    stmt = _months_statement(course_id, day, force_ids, team_force_id)
    return [
        (_group(group, team_force_id), when, int(n), int(keys or 0))
        for group, when, n, keys in session.execute(stmt)
        if n
    ]


@built_once
def _months_statement(course_id: int | None, day: date, force_ids, team_force_id: int | None):
    r = StateRollup
    key, conditions = _rows_of(course_id, day, force_ids, team_force_id)
    if db.session.get_bind().dialect.name == "postgresql":
        month = func.to_char(r.day, "YYYY-MM")
    else:
        month = func.strftime("%Y-%m", r.day)
    return (
        select(key, month, func.sum(r.first_completed), func.sum(r.first_completed_keys))
        .where(*conditions, r.first_completed != 0)
        .group_by(key, month)
        .order_by(month)
    )
