"""One officer's training record as their force's lead sees it: courses with their status (the
status module's, as on My training), modules passed, attempts and scores, certificates, the
reminders sent and when the officer was last active."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select

from app.assessments.models import Attempt, ModuleResult
from app.assignments.models import Assignment, Reminder
from app.assignments.queries import TrainingItem, my_training
from app.auth.models import User
from app.certificates.models import Certificate
from app.clock import today as clock_today
from app.content.models import Course, Module, ModuleVersion
from app.courses.models import LessonProgress
from app.extensions import db
from app.forces.models import Team

ATTEMPTS_SHOWN = 50


@dataclass(frozen=True)
class ModuleLine:
    """One module the officer has sat: attempts, best score, when passed."""

    title: str
    attempts: int
    best_percent: float
    passed_at: datetime | None


@dataclass(frozen=True)
class AttemptLine:
    title: str
    number: int
    started_at: datetime
    submitted_at: datetime | None
    percent: float | None
    passed: bool | None


@dataclass(frozen=True)
class ReminderLine:
    course_title: str
    day: date
    kind: str
    status: str


@dataclass(frozen=True)
class OfficerRecord:
    user: User
    team_name: str
    training: list[TrainingItem]
    modules: list[ModuleLine]
    attempts: list[AttemptLine]
    attempts_total: int
    certificates: list[Certificate]
    reminders: list[ReminderLine]
    last_activity: datetime | None


def _title(module_id_column):
    """The module's current title (a correlated subquery on its current version)."""
    return (
        select(ModuleVersion.title)
        .join(Module, Module.current_version_id == ModuleVersion.id)
        .where(Module.id == module_id_column)
        .scalar_subquery()
    )


def officer_record(user: User, today: date | None = None) -> OfficerRecord:
    """Everything the lead's record page shows, in a fixed number of queries."""
    today = today or clock_today()
    assigned, _optional = my_training(user, today)
    team_name = db.session.scalar(select(Team.name).where(Team.id == user.team_id)) if user.team_id else ""
    modules = [
        ModuleLine(*row)
        for row in db.session.execute(
            select(
                _title(ModuleResult.module_id),
                ModuleResult.attempts,
                ModuleResult.best_percent,
                ModuleResult.passed_at,
            )
            .where(ModuleResult.user_id == user.id)
            .order_by(ModuleResult.first_attempt_at, ModuleResult.id)
        )
    ]
    attempts = [
        AttemptLine(*row)
        for row in db.session.execute(
            select(
                _title(Attempt.module_id),
                Attempt.number,
                Attempt.started_at,
                Attempt.submitted_at,
                Attempt.percent,
                Attempt.passed,
            )
            .where(Attempt.user_id == user.id)
            .order_by(Attempt.started_at.desc(), Attempt.id.desc())
            .limit(ATTEMPTS_SHOWN)
        )
    ]
    attempts_total = db.session.scalar(select(func.count()).where(Attempt.user_id == user.id))
    certificates = list(
        db.session.scalars(
            select(Certificate).where(Certificate.user_id == user.id).order_by(Certificate.issued_at.desc())
        )
    )
    reminders = [
        ReminderLine(*row)
        for row in db.session.execute(
            select(Course.title, Reminder.day, Reminder.kind, Reminder.status)
            .join(Assignment, Assignment.id == Reminder.assignment_id)
            .join(Course, Course.id == Assignment.course_id)
            .where(Reminder.user_id == user.id)
            .order_by(Reminder.day.desc(), Reminder.id.desc())
        )
    ]
    activity = [
        db.session.scalar(
            select(func.max(LessonProgress.last_read_at)).where(LessonProgress.user_id == user.id)
        ),
        db.session.scalar(select(func.max(Attempt.started_at)).where(Attempt.user_id == user.id)),
        db.session.scalar(select(func.max(Attempt.submitted_at)).where(Attempt.user_id == user.id)),
    ]
    seen = [moment for moment in activity if moment is not None]
    return OfficerRecord(
        user=user,
        team_name=team_name or "",
        training=assigned,
        modules=modules,
        attempts=attempts,
        attempts_total=attempts_total or 0,
        certificates=certificates,
        reminders=reminders,
        last_activity=max(seen) if seen else None,
    )
