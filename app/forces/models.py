"""Forces (reference data with headcounts) and their teams."""

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import utcnow
from app.extensions import db


class Force(db.Model):
    """A UK police force; headcount is the denominator for uptake and may be unknown."""

    __tablename__ = "forces"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    nation: Mapped[str] = mapped_column(String(40))
    type: Mapped[str] = mapped_column(String(40))
    headcount: Mapped[int | None]
    headcount_as_of: Mapped[date | None]
    headcount_source: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    teams: Mapped[list["Team"]] = relationship(
        back_populates="force", order_by="Team.name", cascade="all, delete-orphan"
    )

    @property
    def headcount_label(self) -> str:
        """Headcount for display: 'unknown' when missing, never zero."""
        return "unknown" if self.headcount is None else f"{self.headcount:,}"


class Team(db.Model):
    """A team or unit within a force (e.g. 'Response Team B'), used to assign courses."""

    __tablename__ = "teams"
    __table_args__ = (UniqueConstraint("force_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    force_id: Mapped[int] = mapped_column(ForeignKey("forces.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    force: Mapped[Force] = relationship(back_populates="teams")
