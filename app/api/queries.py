"""Reads for the API: one force's course completions (certificates), paged, and one certificate."""

from datetime import date, datetime, time, timedelta

from sqlalchemy import func

from app.assignments.status import certificate_state
from app.certificates.models import Certificate
from app.extensions import db

REVOKED = "revoked"

_COLUMNS = (
    Certificate.serial,
    Certificate.service_number,
    Certificate.holder_name,
    Certificate.course_slug,
    Certificate.course_title,
    Certificate.course_version,
    Certificate.cycle,
    Certificate.issued_at,
    Certificate.expires_on,
    Certificate.revoked_at,
)


def _row(row, today: date) -> dict:
    status = REVOKED if row.revoked_at is not None else certificate_state(row.expires_on, today)
    return {
        "serial": row.serial,
        "officer": {"service_number": row.service_number, "name": row.holder_name},
        "course": {"slug": row.course_slug, "title": row.course_title, "version": row.course_version},
        "cycle": row.cycle,
        "completed_at": row.issued_at,
        "expires_on": row.expires_on,
        "revoked_at": row.revoked_at,
        "status": status,
    }


def completions_page(
    force_id: int, *, since: date | None, until: date | None, page: int, per_page: int, today: date
) -> dict:
    """The force's completions issued between the dates (both included), oldest first."""
    where = [Certificate.force_id == force_id]
    if since is not None:
        where.append(Certificate.issued_at >= datetime.combine(since, time.min))
    if until is not None:
        where.append(Certificate.issued_at < datetime.combine(until + timedelta(days=1), time.min))
    total = db.session.scalar(db.select(func.count()).select_from(Certificate).where(*where))
    rows = db.session.execute(
        db.select(*_COLUMNS)
        .where(*where)
        .order_by(Certificate.issued_at, Certificate.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return {
        "items": [_row(r, today) for r in rows],
        "page": page,
        "per_page": per_page,
        "total": total,
        "pages": max(1, -(-total // per_page)),
    }


def certificate(force_id: int, serial: str, *, today: date) -> dict | None:
    """One certificate of the force by serial; None for an unknown serial or another force's."""
    row = db.session.execute(
        db.select(*_COLUMNS).where(Certificate.force_id == force_id, Certificate.serial == serial)
    ).first()
    return None if row is None else _row(row, today)
