"""Derived training status and due-date rules (pure: plain values in, plain values out).

An officer's obligation is never stored: it is derived at read time from the assignment, the
officer's joining dates and the evidence of their work (certificates, module results, activity).
docs/assignments.md states the same rules in prose.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from app.formatting import N_

DUE_SOON_DAYS = 7  # due within this many days (today included) and not complete: "due soon"
RECERTIFY_DAYS = 60  # default: a certificate expiring this soon makes the course due again

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
DUE_SOON = "due_soon"
OVERDUE = "overdue"
COMPLETE = "complete"

# Most urgent first; the order of "My training" and of the lead's default sort.
URGENCY = (OVERDUE, DUE_SOON, IN_PROGRESS, NOT_STARTED, COMPLETE)
LABELS = {
    OVERDUE: N_("Overdue"),
    DUE_SOON: N_("Due soon"),
    IN_PROGRESS: N_("In progress"),
    NOT_STARTED: N_("Not started"),
    COMPLETE: N_("Complete"),
}
TAGS = {OVERDUE: "red", DUE_SOON: "orange", IN_PROGRESS: "blue", NOT_STARTED: "grey", COMPLETE: "green"}


@dataclass(frozen=True)
class Evidence:
    """What one officer has done towards one course (aggregated by the queries)."""

    modules_passed: int = 0
    last_passed_at: datetime | None = None
    has_certificate: bool = False  # any certificate, revoked ones included
    certificate_issued_at: datetime | None = None  # latest non-revoked certificate
    certificate_expires_on: date | None = None  # latest expiry among non-revoked certificates
    last_activity_at: datetime | None = None  # latest lesson read or quiz attempt started


NO_EVIDENCE = Evidence()


class _Labelled:
    """A status's label and tag colour (tag--<colour> in app.css), from LABELS and TAGS."""

    status: str

    @property
    def label(self) -> str:
        """Human label of the status."""
        return LABELS[self.status]

    @property
    def tag(self) -> str:
        """Colour of the status tag."""
        return TAGS[self.status]


@dataclass(frozen=True)
class Derived(_Labelled):
    """An officer's status for one assignment (or one assigned course)."""

    status: str
    due_on: date
    started: bool
    completed_on: date | None = None
    late: bool = False  # completed after the due date
    recertifying: bool = False  # due again because the certificate expires soon or has expired
    expires_on: date | None = None

    @property
    def rank(self) -> int:
        """Position in the urgency order (0 is most urgent)."""
        return URGENCY.index(self.status)

    def days_left(self, today: date) -> int:
        """Days until the due date (negative when overdue)."""
        return (self.due_on - today).days


def personal_due_on(due_on: date, created_on: date, joined_on: date | None) -> date:
    """The officer's due date: counted from when they joined, if that is after the assignment.

    A later joiner gets as long as the group had: joined_on + (due_on - created_on), and never
    less than the assignment's own due date.
    """
    if joined_on is None or joined_on <= created_on:
        return due_on
    return max(due_on, joined_on + (due_on - created_on))


def _completion(evidence: Evidence) -> tuple[datetime | None, date | None]:
    """When the course was completed and when that completion expires, or (None, None).

    A certificate is the one evidence of completion (it is issued in the transaction of the last
    pass; a revoked one counts for nothing), so every page, export and aggregate agrees: the SQL
    in `sql_certified` reads the same certificate rows. The expiry is the certificate's own, fixed
    at issue: one issued without an expiry date never expires, whatever the course says now.
    """
    if evidence.certificate_issued_at is None:
        return None, None
    return evidence.certificate_issued_at, evidence.certificate_expires_on


def _open_status(due_on: date, today: date, started: bool) -> str:
    if due_on < today:
        return OVERDUE
    if (due_on - today).days <= DUE_SOON_DAYS:
        return DUE_SOON
    return IN_PROGRESS if started else NOT_STARTED


def derive(*, due_on: date, today: date, evidence: Evidence, recertify_days: int = RECERTIFY_DAYS) -> Derived:
    """An officer's status for a course they must complete by `due_on`.

    - complete: a valid certificate (see _completion); flagged late if completed after due_on.
      Module passes alone do not complete a course.
    - recertification: if the completion expires within recertify_days (or has expired), the
      course is due again by the expiry date (never earlier than due_on); work started after the
      completion counts as in progress.
    - otherwise overdue (due date before today), due soon (0-7 days left), in progress (any lesson
      read or quiz attempt) or not started.
    """
    completed_at, expires_on = _completion(evidence)
    activity = evidence.last_activity_at
    if completed_at is None:
        started = activity is not None or evidence.modules_passed > 0
        return Derived(_open_status(due_on, today, started), due_on, started)
    completed_on = completed_at.date()
    late = completed_on > due_on
    if expires_on is not None and (expires_on - today).days <= recertify_days:
        renew_by = max(due_on, expires_on)
        started = activity is not None and activity > completed_at
        return Derived(
            _open_status(renew_by, today, started),
            renew_by,
            started,
            completed_on=completed_on,
            late=late,
            recertifying=True,
            expires_on=expires_on,
        )
    return Derived(COMPLETE, due_on, True, completed_on=completed_on, late=late, expires_on=expires_on)


def urgency_key(derived: Derived) -> tuple[int, date]:
    """Sort key: most urgent status first, then earliest due date."""
    return derived.rank, derived.due_on


def completion_percent(complete: int, total: int) -> int:
    """Whole-number percentage complete; 0 for an empty group (never a division by zero)."""
    return 0 if total == 0 else int(100 * complete / total)


def reminder_kind(derived: Derived) -> str | None:
    """'overdue' or 'due_soon' for an officer who should be reminded today, else None."""
    if derived.status == OVERDUE:
        return "overdue"
    if derived.status == DUE_SOON:
        return "due_soon"
    return None


def window_end(today: date, days: int) -> date:
    """The last day of a look-ahead window of `days` days from today."""
    return today + timedelta(days=days)


# --- certificate states and overdue, for one person ------------------------------------------
#
# The reference day is the day the figures describe (today on live pages; the last day of the
# period on a report). Boundaries, stated once:
# - a certificate is valid through its expiry date: expiring today is still held today;
# - it is "expiring" from RECERTIFY_DAYS days before its expiry date, that day included;
# - a due date is met through the day itself: due today is not yet overdue.

VALID = "valid"
EXPIRING = "expiring"
EXPIRED = "expired"


def certificate_state(expires_on: date | None, today: date, window_days: int = RECERTIFY_DAYS) -> str:
    """valid, expiring (within window_days of the expiry date, today included) or expired."""
    if expires_on is None or (expires_on - today).days > window_days:
        return VALID
    return EXPIRING if expires_on >= today else EXPIRED


def is_certified(issued_on: date | None, expires_on: date | None, today: date) -> bool:
    """Holds a valid certificate on `today`: issued by then and not yet expired."""
    return issued_on is not None and issued_on <= today and (expires_on is None or expires_on >= today)


def is_overdue(due_on: date, today: date, *, issued_on: date | None, expires_on: date | None) -> bool:
    """Past the due date without a certificate valid today (derive() says OVERDUE exactly then)."""
    return due_on < today and not is_certified(issued_on, expires_on, today)


# --- the same rules as SQL expressions, for the aggregates ------------------------------------
#
# Built from the caller's columns; nothing here touches a database. `dialect` is the SQLAlchemy
# dialect name ("sqlite" or "postgresql"): SQLite keeps dates as ISO text, so date arithmetic goes
# through date() and julianday(). SQLAlchemy is imported inside each function so that the rules
# above load without it (the page code and unit tests use them alone).


def sql_day(column, dialect: str):
    """The calendar day of a timestamp column (UTC, as stored)."""
    from sqlalchemy import Date, cast, func

    return func.date(column) if dialect == "sqlite" else cast(column, Date)


def sql_personal_due_on(due_on, created_at, joined_at, dialect: str):
    """personal_due_on() in SQL: a later joiner gets as long as the group had, never less than
    the assignment's due date. joined_at None (named officers) keeps the assignment's date."""
    from sqlalchemy import case, func

    if joined_at is None:
        return due_on
    joined, created = sql_day(joined_at, dialect), sql_day(created_at, dialect)
    if dialect == "sqlite":
        span = func.julianday(due_on) - func.julianday(created)
        later = func.max(due_on, func.date(func.julianday(joined) + span))
    else:
        later = func.greatest(due_on, joined + (due_on - created))
    return case((joined > created, later), else_=due_on)


def sql_certified(issued_at, expires_on, day_after):
    """SQL for is_certified(): a certificate issued before `day_after` (the day after the
    reference day) and expiring on or after the reference day. Pass issued_at None when the
    caller has already selected certificates issued by then."""
    from sqlalchemy import and_, or_

    today = day_after - timedelta(days=1)
    valid = or_(expires_on.is_(None), expires_on >= today)
    return valid if issued_at is None else and_(issued_at < day_after, valid)


def sql_certificate_state(expires_on, today: date, window_days: int = RECERTIFY_DAYS):
    """(valid, expiring, expired) SQL conditions matching certificate_state() for held
    certificates."""
    from sqlalchemy import and_, or_

    soon = today + timedelta(days=window_days)
    return (
        or_(expires_on.is_(None), expires_on > soon),
        and_(expires_on >= today, expires_on <= soon),
        expires_on < today,
    )


# --- law-change updates (app/law_updates) -----------------------------------------------------
#
# A certificate stays as issued; when the law a module teaches changes, its holder owes a short
# update. One certificate's standing on law updates, derived from its update rows:
# - none assigned: None (nothing to say);
# - any update not yet done: "update due" (by the earliest due date among them);
# - every update done: "updated" (on the day the last one was done).
# An update past its due date is still "update due"; update_overdue() says whether it is late.

UPDATE_DUE = "update_due"
UPDATED = "updated"
LABELS[UPDATE_DUE] = N_("Update due")
LABELS[UPDATED] = N_("Updated")
TAGS[UPDATE_DUE] = "orange"
TAGS[UPDATED] = "green"


@dataclass(frozen=True)
class LawUpdateState(_Labelled):
    """A certificate's standing on the law updates assigned to it."""

    status: str  # UPDATE_DUE or UPDATED
    due_on: date | None = None  # earliest due date of an outstanding update
    updated_on: date | None = None  # day the last update was done (when all are done)


def law_update_state(updates: list[tuple[date, date | None]]) -> LawUpdateState | None:
    """From (due_on, completed_on or None) per assigned update: due, updated, or None if none."""
    if not updates:
        return None
    outstanding = [due for due, done in updates if done is None]
    if outstanding:
        return LawUpdateState(UPDATE_DUE, due_on=min(outstanding))
    return LawUpdateState(UPDATED, updated_on=max(done for _, done in updates if done is not None))


def update_overdue(state: LawUpdateState | None, today: date) -> bool:
    """True when an update is outstanding past its due date (due today is not yet overdue)."""
    return (
        state is not None and state.status == UPDATE_DUE and state.due_on is not None and state.due_on < today
    )
