"""Reads for the auth package: user search and the audit log."""

from dataclasses import dataclass

from sqlalchemy import func, or_
from sqlalchemy.orm import joinedload

from app.audit import AuditEvent
from app.auth.models import User, UserSession
from app.extensions import db
from app.forces.models import Force, Team


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


def audit_events(action: str = "", actor: str = ""):
    """(event, actor or None, force or None) rows of the audit log, newest first, filtered by
    action (exact) and by the actor's email or name (contains, any case)."""

    stmt = (
        db.select(AuditEvent, User, Force)
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .outerjoin(Force, Force.id == AuditEvent.force_id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    )
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    if actor:
        like = f"%{actor.lower()}%"
        stmt = stmt.where(or_(db.func.lower(User.email).like(like), db.func.lower(User.name).like(like)))
    return stmt


@dataclass(frozen=True)
class AuditPage:
    """One page of audit rows (event, actor, force) and where it sits; `people` names the users
    the page's events are about (target id -> name)."""

    items: list
    page: int
    pages: int
    total: int
    people: dict


def audit_targets(events) -> dict[str, str]:
    """The names of the users some audit events are about (target id -> name), in one query."""
    ids = {int(e.target_id) for e in events if e.target_type == "user" and str(e.target_id).isdigit()}
    if not ids:
        return {}
    return {
        str(uid): name
        for uid, name in db.session.execute(db.select(User.id, User.name).where(User.id.in_(ids)))
    }


def audit_page(page: int, per_page: int = 100, *, action: str = "", actor: str = "") -> AuditPage:
    """A page of the filtered audit log (see audit_events)."""
    stmt = audit_events(action, actor)
    total = db.session.scalar(db.select(db.func.count()).select_from(stmt.order_by(None).subquery()))
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    items = db.session.execute(stmt.limit(per_page).offset((page - 1) * per_page)).all()
    return AuditPage(items, page, pages, total, audit_targets([event for event, _, _ in items]))


def audit_actions() -> list[str]:
    """Every action recorded so far, for the filter."""
    return list(db.session.scalars(db.select(AuditEvent.action).distinct().order_by(AuditEvent.action)))


def count_sessions(user_id: int) -> int:
    """How many signed-in sessions the user has (idle ones included until they are next used)."""
    return db.session.scalar(
        db.select(db.func.count()).select_from(UserSession).where(UserSession.user_id == user_id)
    )


def team_sizes(force_id: int) -> list[tuple[Team, int]]:
    """Teams of a force with their number of active users."""
    rows = db.session.execute(
        db.select(Team, func.count(User.id))
        .outerjoin(User, (User.team_id == Team.id) & User.active)
        .where(Team.force_id == force_id)
        .group_by(Team.id)
        .order_by(Team.name)
    )
    return [(team, count) for team, count in rows]
