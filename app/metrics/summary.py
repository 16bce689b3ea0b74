"""Keep `officer_course_status` (one row per officer and course) in step with the writes.

Called inside the writer's transaction, so the summary commits or rolls back with the change:

- `note_started(user_id, module_id, at)`: a lesson of the module was read, or a quiz attempt at it
  was started or submitted. started_at becomes the earlier of the stored and the new time, for
  every course containing the module.
- `note_certificate(certificate)`: a certificate was issued. completed_at becomes the earlier
  issue time; latest_* take the new certificate if it is the latest.
- `refresh_certificates(user_id, course_id)`: a certificate was revoked; recompute the certificate
  fields of that row from the certificates table (under a row lock).
- `rebuild(course_id=None)`: recompute every row (or one course's rows) from the source tables:
  `flask metrics rebuild`, after content sync changes a course's modules, and after bulk loads.

The hot-path updates are merges (earliest / latest wins) written as one
INSERT ... ON CONFLICT DO UPDATE, so they commute: two transactions touching the same row in either
order leave the same result, and neither needs to read the other's uncommitted rows.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import case, delete, func, literal, null, or_, select, union_all

from app.assessments.models import Attempt, ModuleResult
from app.certificates.models import Certificate
from app.content.models import CourseModule, ModuleVersion
from app.courses.models import LessonProgress
from app.extensions import db
from app.metrics import rollup
from app.metrics.models import OfficerCourseStatus

Status = OfficerCourseStatus
KEY = ["user_id", "course_id"]


def _insert():
    """The dialect's INSERT with on_conflict_do_update (SQLite and PostgreSQL both have it)."""
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(Status)


def _earliest(stored, new):
    """The earlier of two nullable times (NULL means none)."""
    return case((stored.is_(None), new), (new.is_(None), stored), (new < stored, new), else_=stored)


def _merged(statement, where=None):
    """INSERT ... ON CONFLICT DO UPDATE merging the new values into a stored row: earliest start,
    earliest completion, and the latest certificate (the later issue time wins; NULL never does)."""
    new = statement.excluded
    newer = or_(Status.latest_issued_at.is_(None), new.latest_issued_at >= Status.latest_issued_at)
    return statement.on_conflict_do_update(
        index_elements=KEY,
        where=where,
        set_={
            "started_at": _earliest(Status.started_at, new.started_at),
            "completed_at": _earliest(Status.completed_at, new.completed_at),
            "latest_issued_at": case((newer, new.latest_issued_at), else_=Status.latest_issued_at),
            "latest_expires_on": case((newer, new.latest_expires_on), else_=Status.latest_expires_on),
        },
    )


def note_started(user_id: int, module_id: int, at: datetime) -> bool:
    """The officer started on a module at `at`: the courses containing it are started by then.
    True when a row changed (a first start, or an earlier one)."""
    rows = select(literal(user_id), CourseModule.course_id, literal(at, Status.started_at.type)).where(
        CourseModule.module_id == module_id
    )
    statement = _insert().from_select(["user_id", "course_id", "started_at"], rows)
    # Only write when the start is earlier (a re-read or a retake changes nothing).
    earlier = or_(Status.started_at.is_(None), statement.excluded.started_at < Status.started_at)
    changed = db.session.execute(_merged(statement, where=earlier)).rowcount
    return changed is None or changed != 0  # -1 (unknown) counts as a change


def note_certificate(certificate: Certificate) -> None:
    """A certificate was issued: merge it into its officer's row for the course."""
    if certificate.revoked_at is not None:
        refresh_certificates(certificate.user_id, certificate.course_id)
        return
    db.session.execute(
        _merged(
            _insert().values(
                user_id=certificate.user_id,
                course_id=certificate.course_id,
                completed_at=certificate.issued_at,
                latest_issued_at=certificate.issued_at,
                latest_expires_on=certificate.expires_on,
            )
        )
    )


def refresh_certificates(user_id: int, course_id: int) -> None:
    """Recompute a row's certificate fields from the certificates table (after a revocation).

    The row is locked first, so a certificate issued concurrently either committed before (and
    is read here, in a later statement) or merges its own values in after this transaction.
    """
    db.session.flush()
    db.session.execute(
        select(Status.user_id)
        .where(Status.user_id == user_id, Status.course_id == course_id)
        .with_for_update()
    )
    live = (
        Certificate.user_id == user_id,
        Certificate.course_id == course_id,
        Certificate.revoked_at.is_(None),
    )
    first = db.session.scalar(select(func.min(Certificate.issued_at)).where(*live))
    latest = db.session.execute(
        select(Certificate.issued_at, Certificate.expires_on)
        .where(*live)
        .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
        .limit(1)
    ).first()
    values = {
        "completed_at": first,
        "latest_issued_at": latest[0] if latest else None,
        "latest_expires_on": latest[1] if latest else None,
    }
    statement = _insert().values(user_id=user_id, course_id=course_id, **values)
    db.session.execute(statement.on_conflict_do_update(index_elements=KEY, set_=values))


# --- rebuild -------------------------------------------------------------------------------------

COLUMNS = ["user_id", "course_id", "started_at", "completed_at", "latest_issued_at", "latest_expires_on"]


def status_rows(course_id: int | None = None):
    """SELECT computing every status row (or one course's) from the source tables, with the
    columns in COLUMNS order. The same rules as the hooks: started = earliest of module results'
    first attempts, lessons' first reads and open attempts' starts over the course's modules;
    completed = earliest unrevoked certificate; latest = the last unrevoked certificate."""
    cm = CourseModule
    course = [cm.course_id == course_id] if course_id is not None else []
    no_time = null().cast(Status.started_at.type)
    no_day = null().cast(Status.latest_expires_on.type)
    starts = [
        select(ModuleResult.user_id, cm.course_id, ModuleResult.first_attempt_at)
        .join(cm, cm.module_id == ModuleResult.module_id)
        .where(*course),
        select(LessonProgress.user_id, cm.course_id, LessonProgress.first_read_at)
        .join(ModuleVersion, ModuleVersion.id == LessonProgress.module_version_id)
        .join(cm, cm.module_id == ModuleVersion.module_id)
        .where(*course),
        # First attempts (module results date the first submission, not its start) and attempts
        # opened but never submitted.
        select(Attempt.user_id, cm.course_id, Attempt.started_at)
        .join(cm, cm.module_id == Attempt.module_id)
        .where(or_(Attempt.number == 1, Attempt.submitted_at.is_(None)), *course),
    ]
    c = Certificate
    ranked = (
        select(
            c.user_id,
            c.course_id,
            c.issued_at,
            c.expires_on,
            func.row_number()
            .over(partition_by=(c.user_id, c.course_id), order_by=(c.issued_at.desc(), c.id.desc()))
            .label("rn"),
        )
        .where(c.revoked_at.is_(None), *([c.course_id == course_id] if course_id is not None else []))
        .subquery("ranked")
    )
    events = union_all(
        *(
            s.add_columns(no_time.label("issued_at"), no_day.label("expires_on"), literal(0).label("rn"))
            for s in starts
        ),
        select(
            ranked.c.user_id,
            ranked.c.course_id,
            no_time,
            ranked.c.issued_at,
            ranked.c.expires_on,
            ranked.c.rn,
        ),
    ).subquery("events")
    user_id, course_col, at, issued, expires, rn = events.c
    latest = rn == 1
    return select(
        user_id,
        course_col,
        func.min(at),
        func.min(issued),
        func.max(case((latest, issued))),
        func.max(case((latest, expires))),
    ).group_by(user_id, course_col)


def rebuild(course_id: int | None = None) -> int:
    """Recompute the status rows (of one course, or all) from the source tables and return how
    many there are now. Deletes, then inserts; a row written meanwhile by a concurrent hook is
    merged, not overwritten."""
    stale = delete(Status)
    if course_id is not None:
        stale = stale.where(Status.course_id == course_id)
    db.session.execute(stale.execution_options(synchronize_session=False))
    db.session.execute(_merged(_insert().from_select(COLUMNS, status_rows(course_id))))
    rollup.mark_all()  # every officer's status rows may have changed: the rollup is rebuilt
    count = select(func.count()).select_from(Status)
    if course_id is not None:
        count = count.where(Status.course_id == course_id)
    return int(db.session.scalar(count) or 0)
