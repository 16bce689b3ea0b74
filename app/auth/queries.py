"""Reads for the auth package: user search and the audit log."""

from sqlalchemy import or_
from sqlalchemy.orm import joinedload

from app.audit import AuditEvent
from app.auth.models import User, UserSession
from app.extensions import db


def search_users(q: str, page: int = 1, per_page: int = 50):
    """Users matching a search on name, email or service number, paginated."""
    stmt = db.select(User).options(joinedload(User.force), joinedload(User.team)).order_by(User.name)
    if q:
        like = f"%{q.lower()}%"
        stmt = stmt.where(
            or_(
                db.func.lower(User.name).like(like),
                User.email.like(like),
                db.func.lower(User.service_number).like(like),
            )
        )
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


def audit_for_user(user_id: int, limit: int = 20) -> list[AuditEvent]:
    """Recent audit events about a user."""
    return db.session.scalars(
        db.select(AuditEvent)
        .where(AuditEvent.target_type == "user", AuditEvent.target_id == str(user_id))
        .order_by(AuditEvent.at.desc())
        .limit(limit)
    ).all()


def audit_page(page: int, per_page: int = 100):
    """The audit log, newest first."""
    stmt = db.select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


def count_sessions(user_id: int) -> int:
    """How many signed-in sessions the user has (idle ones included until they are next used)."""
    return db.session.scalar(
        db.select(db.func.count()).select_from(UserSession).where(UserSession.user_id == user_id)
    )
