"""Forces (reference data with headcounts) and their teams."""

from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import utcnow
from app.extensions import db
from app.formatting import N_, uk_date

# What a force's officer figure counts: people (headcount) or full-time equivalents (FTE).
MEASURE_LABELS = {"headcount": N_("headcount"), "fte": N_("FTE")}


class Force(db.Model):
    """A UK police force; its officer figure is the denominator for uptake and may be unknown.

    The figure (`headcount`, a historical name) is a headcount or an FTE, as `headcount_measure`
    says: 'headcount', 'fte', or None when the figure is unknown or its source does not say.
    """

    __tablename__ = "forces"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    nation: Mapped[str] = mapped_column(String(40))
    type: Mapped[str] = mapped_column(String(40))
    headcount: Mapped[int | None]
    headcount_as_of: Mapped[date | None]
    headcount_source: Mapped[str] = mapped_column(Text, default="")
    headcount_measure: Mapped[str | None] = mapped_column(String(20))
    # The language its people start in until they choose (app.i18n): "en" or "cy".
    default_language: Mapped[str] = mapped_column(String(5), default="en", server_default="en")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    teams: Mapped[list["Team"]] = relationship(
        back_populates="force", order_by="Team.name", cascade="all, delete-orphan"
    )

    @property
    def headcount_label(self) -> str:
        """Headcount for display: 'unknown' when missing, never zero."""
        return _("unknown") if self.headcount is None else f"{self.headcount:,}"

    @property
    def measure_label(self) -> str:
        """'FTE', 'headcount', or '' when the measure is not known."""
        label = MEASURE_LABELS.get(self.headcount_measure or "", "")
        return _(label) if label else ""

    @property
    def figure_label(self) -> str:
        """The denominator as a reader needs it: '3,327 FTE, 31 March 2025', or 'unknown'."""
        if self.headcount is None:
            return _("unknown")
        measure = self.measure_label or _("(measure unknown)")
        from app.i18n import current_language

        when = uk_date(self.headcount_as_of, language=current_language()) or _("date unknown")
        return f"{self.headcount:,} {measure}, {when}"


class Team(db.Model):
    """A team or unit within a force (e.g. 'Response Team B'), used to assign courses."""

    __tablename__ = "teams"
    __table_args__ = (UniqueConstraint("force_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    force_id: Mapped[int] = mapped_column(ForeignKey("forces.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    force: Mapped[Force] = relationship(back_populates="teams")
