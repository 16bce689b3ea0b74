"""The metrics summary: one status row per officer and course, kept up to date by the writes.

The national and force dashboards aggregate this narrow table instead of scanning module results,
lesson progress, open attempts and certificates for every officer. `app.metrics.summary` keeps it
in step inside the transaction of each write (lesson read, attempt started or submitted,
certificate issued or revoked, course modules changed); `flask metrics rebuild` recomputes it.
"""

from datetime import date, datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column

from app.clock import utcnow
from app.extensions import db


class OfficerCourseStatus(db.Model):
    """Where one officer stands on one course, as timestamps (so any period end can be asked).

    - started_at: earliest first read of a lesson, first attempt at the quiz, or start of a still
      open attempt, over the course's modules.
    - completed_at: issue time of the earliest unrevoked certificate of the course.
    - latest_issued_at, latest_expires_on: the latest unrevoked certificate (expires_on NULL for a
      certificate without expiry; both NULL when the officer holds none).
    """

    __tablename__ = "officer_course_status"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), primary_key=True, index=True)
    started_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    # Indexed: "did anyone renew after the period end?" (app.metrics.queries._expiry_at_end) is
    # asked by every report and finds nothing for a period ending today (migration 0028).
    latest_issued_at: Mapped[datetime | None] = mapped_column(index=True)
    latest_expires_on: Mapped[date | None]


# The eleven officer states (the ForceCounts fields officer_state_counts fills, in order) and the
# columns of state_rollups: the states, then "first completed" (the trend's completions by month).
STATE_FIELDS = (
    "registered",
    "started",
    "completed",
    "overdue",
    "certificates_valid",
    "certificates_expiring",
    "certificates_expired",
    "certified",
    "certified_other",
    "law_update_due",
    "law_up_to_date",
)
STATE_COLUMNS = (*STATE_FIELDS, "first_completed")


class OfficerTimeline(db.Model):
    """One officer's state changes for one course scope (course_id 0: all courses), as JSON
    [[ordinal day, [twelve deltas]], ...] with the force, team and record key they were summed
    under, so a write can take exactly them back out of state_rollups (app.metrics.rollup)."""

    __tablename__ = "officer_timelines"

    user_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    course_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    force_id: Mapped[int] = mapped_column()
    team_key: Mapped[int] = mapped_column()  # 0: no team
    record_key: Mapped[int] = mapped_column()
    deltas: Mapped[str] = mapped_column(Text)


class StateRollup(db.Model):
    """The officers' state changes summed by force, team (0: none; -1: the force's total), course
    scope (0: all) and day: a count on a reference day is the sum of the rows on or before it
    (app.metrics.rollup)."""

    __tablename__ = "state_rollups"

    force_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    team_key: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    course_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    day: Mapped[date] = mapped_column(primary_key=True)


for _name in STATE_COLUMNS:  # twelve counts and their record-key sums
    setattr(StateRollup, _name, mapped_column(_name, BigInteger, nullable=False, default=0))
    setattr(
        StateRollup, f"{_name}_keys", mapped_column(f"{_name}_keys", BigInteger, nullable=False, default=0)
    )


class CoverageSpan(db.Model):
    """An officer's coverage by an assigned course over days [from_day, until_day): when they were
    covered and when they completed it (app.metrics.timeline.Span), with their force, team (0:
    none) and record key; kept with officer_timelines, read by queries.completion_counts."""

    __tablename__ = "coverage_spans"
    __table_args__ = (Index("ix_coverage_spans_force_id_course_id", "force_id", "course_id"),)

    user_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    course_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    from_day: Mapped[date] = mapped_column(primary_key=True)
    until_day: Mapped[date | None] = mapped_column()
    force_id: Mapped[int] = mapped_column()
    team_key: Mapped[int] = mapped_column()
    record_key: Mapped[int] = mapped_column()
    assigned_day: Mapped[date] = mapped_column()
    completed_day: Mapped[date | None] = mapped_column()
    done_days: Mapped[int | None] = mapped_column()  # completed_day - assigned_day


class RollupStatus(db.Model):
    """Whether state_rollups may be read: a migration over existing data marks it stale until
    `flask metrics rebuild`; window_days is the RECERTIFY_DAYS it was built with."""

    __tablename__ = "rollup_status"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    stale: Mapped[bool] = mapped_column(default=False)
    window_days: Mapped[int | None]
    built_at: Mapped[datetime | None]


class MetricsSnapshot(db.Model):
    """The national figures for one filter set, as computed at computed_at (aggregates only).

    The commissioner's national view reads its figures from here while they are younger than
    METRICS_SNAPSHOT_SECONDS instead of aggregating every officer again (see
    app.metrics.snapshots); `flask metrics refresh` recomputes the usual views ahead of time.
    """

    __tablename__ = "metrics_snapshots"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    computed_at: Mapped[datetime] = mapped_column(index=True)
    payload: Mapped[str] = mapped_column(Text)


class MetricsRelease(db.Model):
    """One published revision of a month's national figures: frozen, never updated or deleted.

    payload is the JSON of app.metrics.release_data.payload(): the tables exactly as the
    commissioner's national view showed them at publication (aggregates only). A correction is a
    new row with the next revision number and a reason; the earlier rows stay (app.metrics.releases).
    """

    __tablename__ = "metrics_releases"
    __table_args__ = (UniqueConstraint("month", "revision", name="uq_metrics_releases_month_revision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[str] = mapped_column(String(7), index=True)  # 'YYYY-MM'
    revision: Mapped[int] = mapped_column(default=1)
    methodology_version: Mapped[str] = mapped_column(String(20))
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_by: Mapped[str] = mapped_column(String(254))  # an email address, or 'system'
    reason: Mapped[str] = mapped_column(Text, default="")  # why a revision was published
    payload: Mapped[str] = mapped_column(Text)


@event.listens_for(MetricsRelease, "before_update")
def _refuse_update(_mapper, _connection, target: MetricsRelease) -> None:
    raise ValueError(f"release {target.month} revision {target.revision} is published and cannot change")


@event.listens_for(MetricsRelease, "before_delete")
def _refuse_delete(_mapper, _connection, target: MetricsRelease) -> None:
    raise ValueError(f"release {target.month} revision {target.revision} is published and cannot be deleted")
