"""The audit log: who did what to whom, and when, for every administrative action."""

import json
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.clock import utcnow
from app.extensions import db


class AuditEvent(db.Model):
    """One administrative action; never updated or deleted by the application."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(80), index=True)
    target_type: Mapped[str] = mapped_column(String(40), default="")
    target_id: Mapped[str] = mapped_column(String(80), default="")
    force_id: Mapped[int | None] = mapped_column(ForeignKey("forces.id"), index=True)
    details: Mapped[str] = mapped_column(Text, default="{}")

    @property
    def details_dict(self) -> dict[str, Any]:
        """The details as a dictionary."""
        return json.loads(self.details or "{}")


def record(
    action: str,
    *,
    actor=None,
    target=None,
    target_type: str = "",
    target_id: str | int = "",
    force_id: int | None = None,
    **details: Any,
) -> AuditEvent:
    """Add an audit event to the session (the request commits it with the change it records)."""
    if target is not None:
        target_type = target_type or type(target).__name__.lower()
        target_id = target_id or getattr(target, "id", "")
        if force_id is None:
            force_id = getattr(target, "force_id", None)
    event = AuditEvent(
        actor_id=getattr(actor, "id", None),
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        force_id=force_id,
        details=json.dumps(details, default=str, sort_keys=True),
    )
    db.session.add(event)
    return event
