"""The lead's attention list: officers overdue or due soon, filtered by team, course and status,
with when each was last reminded; and reminders a lead sends from it.

Every status comes from the status module through `queries.force_overview`, as on the assignment
pages and the dashboards.
"""

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app import audit
from app.assignments import queries
from app.assignments import status as rules
from app.assignments.models import Reminder
from app.extensions import db

FLAGGED = (rules.OVERDUE, rules.DUE_SOON)
STATUS_CHOICES = {
    rules.OVERDUE: _l("Overdue"),
    rules.DUE_SOON: _l("Due soon"),
    "any": _l("Overdue or due soon"),
}
# A reminder that went or is on its way; superseded and cancelled ones never reached the officer.
REMINDED = ("sent", "pending", "failed")


@dataclass(frozen=True)
class Filters:
    team_id: int | None = None
    course_id: int | None = None
    status: str = rules.OVERDUE  # a key of STATUS_CHOICES

    def statuses(self) -> tuple[str, ...]:
        return FLAGGED if self.status == "any" else (self.status,)

    def args(self) -> dict:
        """The filters as query arguments (for links and the pager)."""
        chosen = {"team": self.team_id, "course": self.course_id, "status": self.status}
        return {name: value for name, value in chosen.items() if value not in (None, "")}


def flagged(force_id: int | None, filters: Filters, today: date) -> list[tuple]:
    """[(Summary, OfficerStatus)] of the force's officers the filters pick, earliest due first."""
    _, rows = queries.force_overview(force_id, include_withdrawn=False, today=today, flag=frozenset(FLAGGED))
    wanted = filters.statuses()
    return [
        (summary, officer)
        for summary, officer in rows
        if officer.derived.status in wanted
        and (filters.team_id is None or officer.person.team_id == filters.team_id)
        and (filters.course_id is None or summary.course.id == filters.course_id)
    ]


def last_reminded(user_ids: list[int]) -> dict[int, date]:
    """The day each officer was last reminded (by the daily run or by a lead), if ever."""
    if not user_ids:
        return {}
    rows = db.session.execute(
        select(Reminder.user_id, func.max(Reminder.day))
        .where(Reminder.user_id.in_(user_ids), Reminder.status.in_(REMINDED))
        .group_by(Reminder.user_id)
    )
    return dict(rows.all())


def remind(
    chosen: list[tuple[int, int]], *, rows: list[tuple], actor, force_id: int | None, today: date
) -> dict[str, int]:
    """Plan a reminder for each chosen (assignment id, officer id) still flagged in `rows`.

    At most one reminder per officer per day, whoever sends it: an officer already reminded today
    (by the daily run or another lead) is skipped, and an officer chosen for two courses gets one
    reminder (for the earlier due date). Audited; the caller commits and queues the sending.
    """
    due = {(s.assignment.id, o.person.id): o.derived for s, o in rows}
    wanted = [key for key in dict.fromkeys(chosen) if key in due]
    stale = len(set(chosen)) - len(wanted)
    already = {
        user_id
        for (user_id,) in db.session.execute(
            select(Reminder.user_id).where(
                Reminder.day == today,
                Reminder.user_id.in_({user_id for _, user_id in wanted}),
                Reminder.status.in_(REMINDED),
            )
        )
    }
    counts = {"planned": 0, "already": 0, "stale": stale}
    for assignment_id, user_id in sorted(wanted, key=lambda key: due[key].due_on):
        if user_id in already:
            counts["already"] += 1
            continue
        kind = rules.reminder_kind(due[(assignment_id, user_id)]) or "due_soon"
        try:
            with db.session.begin_nested():
                db.session.add(
                    Reminder(
                        assignment_id=assignment_id, user_id=user_id, day=today, kind=kind, status="pending"
                    )
                )
        except IntegrityError:  # the daily run or another lead got there first
            counts["already"] += 1
            continue
        already.add(user_id)
        counts["planned"] += 1
    audit.record(
        "reminders.send",
        actor=actor,
        force_id=force_id,
        planned=counts["planned"],
        already_reminded_today=counts["already"],
        no_longer_due=counts["stale"],
    )
    db.session.flush()
    return counts
