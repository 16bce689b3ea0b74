"""One officer's states on every day, as the days they change: the officer-state rollup's unit.

Pure: no database. `app.metrics.rollup` loads an officer's records, calls `deltas()` for each
course scope and keeps the result summed by force, team, course and day, so that a count on any
reference day is the sum of the deltas up to it (overdue and expiry happen at midnight with no
write: they are days in the timeline, not updates).

`state_on()` is the rule for one officer on one day and must say exactly what the SQL of
`app.metrics.queries.officer_state_counts` says (the property test in
tests/integration/metrics/test_state_rollup.py compares them on random data and random days). The
boundaries are the status module's (`app.assignments.status`).

Days: every period ends at midnight, so a timestamp before the period end is one whose day is on
or before the reference day, and a withdrawal or completion "at or after the end" is one whose day
is after it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from app.assignments import status as rules

# The counts: the eleven of queries.STATE_FIELDS (registered ... law_up_to_date), in order, then
# "first completed" (has completed a course in scope: its first day is the completion's, which
# queries.completion_months counts by month; unlike the states, it does not wait for the officer's
# account to exist).
STATES = 11
WIDTH = STATES + 1
ZERO = (0,) * WIDTH
ALL_COURSES = 0  # the course key of the all-courses scope


@dataclass(frozen=True)
class Obligation:
    """An assignment covering the officer: its course, first live day, first day no longer live
    (withdrawn; None while live) and the officer's own due date."""

    course_id: int
    from_day: date
    until_day: date | None
    due_on: date
    covered_at: datetime | None = None  # when the officer became covered (made, or joined later)


@dataclass(frozen=True)
class Status:
    """The officer's officer_course_status row for a course, as days."""

    course_id: int
    started_on: date | None
    completed_on: date | None
    latest_issued_on: date | None
    latest_expires_on: date | None


@dataclass(frozen=True)
class Held:
    """A certificate (revoked ones included: the law-update rule reads them)."""

    id: int
    course_id: int
    cycle: int
    issued_on: date
    issued_key: tuple  # (issued_at, id): the order of "latest"
    expires_on: date | None
    revoked_on: date | None
    revoked: bool


@dataclass(frozen=True)
class Owed:
    """A law-change update on a certificate: assigned and completed days."""

    certificate_id: int
    assigned_on: date
    completed_on: date | None


@dataclass
class Officer:
    """What the rule reads about one officer (current force, team, type and status)."""

    user_id: int
    force_id: int
    team_id: int | None
    record_key: int
    police: bool
    created_on: date
    obligations: list[Obligation] = field(default_factory=list)
    statuses: list[Status] = field(default_factory=list)
    certificates: list[Held] = field(default_factory=list)
    updates: list[Owed] = field(default_factory=list)


def _expiry_on(officer: Officer, status: Status, day: date) -> date | None:
    """The expiry of the latest unrevoked certificate of the course issued by `day`."""
    if status.latest_issued_on is not None and status.latest_issued_on <= day:
        return status.latest_expires_on
    held = [
        c
        for c in officer.certificates
        if c.course_id == status.course_id and not c.revoked and c.issued_on <= day
    ]
    return max(held, key=lambda c: c.issued_key).expires_on if held else None


def _owes_update(officer: Officer, course_id: int, day: date) -> bool:
    """A law-change update assigned by `day`, not completed by then, on a certificate of the
    scope not revoked by then and not superseded by a newer cycle issued by then."""
    by_id = {c.id: c for c in officer.certificates}
    for update in officer.updates:
        certificate = by_id.get(update.certificate_id)
        if certificate is None or update.assigned_on > day:
            continue
        if update.completed_on is not None and update.completed_on <= day:
            continue
        if certificate.revoked_on is not None and certificate.revoked_on <= day:
            continue
        if course_id != ALL_COURSES and certificate.course_id != course_id:
            continue
        newer = any(
            c.course_id == certificate.course_id and c.cycle > certificate.cycle and c.issued_on <= day
            for c in officer.certificates
        )
        if not newer:
            return True
    return False


def state_on(officer: Officer, course_id: int, day: date, window_days: int) -> tuple[int, ...]:
    """The officer's twelve flags (0 or 1) on `day` for one course (or ALL_COURSES): registered,
    started, completed, overdue, certificates valid, expiring, expired, certified (police
    officers), certified (others), law update due, up to date; then first completed. ZERO when
    not counted."""
    return _state_on(officer, _scoped(officer, course_id), day, window_days)


@dataclass(frozen=True)
class _Scoped:
    """An officer's obligations and status rows for one scope (a course, or ALL_COURSES): the
    part of state_on that does not depend on the day, worked out once per scope by deltas()."""

    course_id: int
    one: bool
    obligations: tuple[Obligation, ...]
    statuses: dict[int, Status]


def _scoped(officer: Officer, course_id: int) -> _Scoped:
    one = course_id != ALL_COURSES
    return _Scoped(
        course_id,
        one,
        tuple(o for o in officer.obligations if not one or o.course_id == course_id),
        {s.course_id: s for s in officer.statuses if not one or s.course_id == course_id},
    )


def _state_on(officer: Officer, scope: _Scoped, day: date, window_days: int) -> tuple[int, ...]:
    one, statuses = scope.one, scope.statuses
    first = int(any(s.completed_on is not None and s.completed_on <= day for s in statuses.values()))
    if officer.created_on > day:
        return (*ZERO[:STATES], first)
    live = [o for o in scope.obligations if o.from_day <= day and (o.until_day is None or o.until_day > day)]
    if one and not live and not statuses:
        return ZERO  # neither assigned the course nor enrolled on it

    # Per status row: (started, done, certified, valid, expiring, expired).
    flags = {}
    for s in statuses.values():
        done = s.completed_on is not None and s.completed_on <= day
        if done:
            expiry = _expiry_on(officer, s, day)
            state = rules.certificate_state(expiry, day, window_days)
            certified = expiry is None or expiry >= day
        else:
            state, certified = None, False
        flags[s.course_id] = (
            int(s.started_on is not None and s.started_on <= day),
            int(done),
            int(certified),
            int(state == rules.VALID),
            int(state == rules.EXPIRING),
            int(state == rules.EXPIRED),
        )
    # The full join: one row per live obligation (with its course's status row, or none: a gap),
    # and one per status row no obligation met. "Done" and "certified" are the least over the
    # rows (a gap counts 0 across all courses, and is left out for one course); started, valid,
    # expiring and expired the most over the status rows; overdue when any live obligation is
    # past due without a certificate.
    overdue, gap, met, rows = 0, False, set(), []
    for o in live:
        met.add(o.course_id)
        f = flags.get(o.course_id)
        if f is None:
            overdue, gap = overdue or int(o.due_on < day), True
        else:
            overdue = overdue or int(o.due_on < day and not f[2])
            rows.append(f)
    rows += [f for cid, f in flags.items() if cid not in met]
    started = valid = expiring = expired = 0
    done = certified = 0 if gap and not one else None  # None: no value yet
    for f in rows:
        started, valid, expiring, expired = (
            max(started, f[0]),
            max(valid, f[3]),
            max(expiring, f[4]),
            max(expired, f[5]),
        )
        done = f[1] if done is None else min(done, f[1])
        certified = f[2] if certified is None else min(certified, f[2])
    done, certified = done or 0, certified or 0
    owed = officer.police and certified and _owes_update(officer, scope.course_id, day)
    return (
        1,
        started,
        done,
        overdue,
        valid,
        expiring,
        expired,
        certified if officer.police else 0,
        0 if officer.police else certified,
        int(bool(owed)),
        int(bool(officer.police and certified and not owed)),
        first,
    )


def change_days(officer: Officer, window_days: int) -> list[date]:
    """Every day on which one of the officer's flags can change, in order."""
    one_day = timedelta(days=1)
    days = {officer.created_on}
    for o in officer.obligations:
        days.update((o.from_day, o.due_on + one_day))
        if o.until_day is not None:
            days.add(o.until_day)
    for s in officer.statuses:
        days.update(d for d in (s.started_on, s.completed_on, s.latest_issued_on) if d is not None)
    for c in officer.certificates:
        days.add(c.issued_on)
        if c.revoked_on is not None:
            days.add(c.revoked_on)
        if c.expires_on is not None:
            days.update((c.expires_on - timedelta(days=window_days), c.expires_on + one_day))
    for s in officer.statuses:
        if s.latest_expires_on is not None:
            days.update((s.latest_expires_on - timedelta(days=window_days), s.latest_expires_on + one_day))
    for u in officer.updates:
        days.add(u.assigned_on)
        if u.completed_on is not None:
            days.add(u.completed_on)
    return sorted(days)


def course_scopes(officer: Officer) -> set[int]:
    """The scopes the officer can count in: all courses, and each course assigned or begun."""
    return {
        ALL_COURSES,
        *(o.course_id for o in officer.obligations),
        *(s.course_id for s in officer.statuses),
    }


def deltas(
    officer: Officer, course_id: int, window_days: int, days: list[date] | None = None
) -> list[tuple[date, tuple[int, ...]]]:
    """(day, change of the twelve flags from the day before) for each day they change; `days`:
    change_days(officer, window_days), when the caller has it already."""
    out, before = [], ZERO
    scope = _scoped(officer, course_id)
    for day in change_days(officer, window_days) if days is None else days:
        now = _state_on(officer, scope, day, window_days)
        if now != before:
            out.append((day, tuple(a - b for a, b in zip(now, before, strict=True))))
            before = now
    return out


@dataclass(frozen=True)
class Span:
    """Days [from_day, until_day) over which an officer's coverage by a course stays the same:
    covered on assigned_day (the earliest live obligation's covered_at), and completed on
    completed_day (the first unrevoked certificate issued at or after that moment; None if none).
    What queries.completion_counts reads, as its coverage statement would work it out on any
    reference day in the span."""

    course_id: int
    from_day: date
    until_day: date | None
    assigned_day: date
    completed_day: date | None


def coverage_spans(officer: Officer) -> list[Span]:
    """The officer's coverage spans for each course assigned to them (see Span)."""
    spans: list[Span] = []
    for course_id in sorted({o.course_id for o in officer.obligations}):
        held = [o for o in officer.obligations if o.course_id == course_id]
        issued = sorted(
            c.issued_key[0] for c in officer.certificates if c.course_id == course_id and not c.revoked
        )
        bounds = sorted({o.from_day for o in held} | {o.until_day for o in held if o.until_day is not None})
        for index, day in enumerate(bounds):
            until = bounds[index + 1] if index + 1 < len(bounds) else None
            live = [o for o in held if o.from_day <= day and (o.until_day is None or o.until_day > day)]
            if not live:
                continue
            at = min(o.covered_at for o in live)
            done = next((t for t in issued if t >= at), None)
            span = Span(course_id, day, until, at.date(), done.date() if done is not None else None)
            last = spans[-1] if spans else None
            if (
                last is not None
                and last.course_id == course_id
                and last.until_day == day
                and (last.assigned_day, last.completed_day) == (span.assigned_day, span.completed_day)
            ):
                spans[-1] = Span(course_id, last.from_day, until, last.assigned_day, last.completed_day)
            else:
                spans.append(span)
    return spans
