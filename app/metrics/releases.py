"""Publish and read the monthly releases of the national figures.

`publish(month)` freezes, for a calendar month that has ended, the national report (all forces;
all courses and each course) exactly as the commissioner's national view shows it after its
disclosure control: the Report's shown values are read, never recomputed or suppressed here.
A release is immutable; a correction is a new revision with a reason (the earlier one stays).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app import audit, clock
from app.auth.models import User
from app.extensions import db
from app.formatting import N_, uk_datetime
from app.metrics import queries, release_data, services, snapshots
from app.metrics.models import MetricsRelease
from app.metrics.ods import ReleaseInfo
from app.metrics.release_data import METHODOLOGY_VERSION, ReleaseError

SYSTEM = "system"


def _section(
    slug: str, title: str, month_filters: services.Filters, series_filters: services.Filters
) -> dict:
    """One course's tables from the reports: the month's forces and modules, and the trend of
    every month up to the month's end (the same report without a start date)."""
    report = services.national_report(month_filters)
    series = services.national_report(series_filters)
    return release_data.section(
        slug,
        title,
        release_data.forces_table([r["shown"] for r in report.rows], report.totals),
        release_data.modules_table(report.modules),
        release_data.trend_table(series.trend),
    )


def freeze(month: str) -> dict:
    """The release data for a month: every course's tables as the commissioner sees them."""
    first, last = release_data.month_bounds(month)
    courses = [("", "all", "All courses"), *((c.slug, c.slug, c.title) for c in queries.courses())]
    month_filters = [services.Filters(course=slug, date_from=first, date_to=last) for slug, _s, _t in courses]
    series_filters = [services.Filters(course=slug, date_to=last) for slug, _s, _t in courses]
    if snapshots.max_age() > timedelta(0):
        # Fresh figures, not a snapshot stored minutes ago: refresh stores them, the reports read them.
        snapshots.refresh([services.scope_for(f)[0] for f in (*month_filters, *series_filters)])
    sections = [
        _section(slug, title, m, s)
        for (_key, slug, title), m, s in zip(courses, month_filters, series_filters, strict=True)
    ]
    calculated = clock.utcnow().strftime("%Y-%m-%dT%H:%M:%SZ")
    return release_data.payload(
        month, sections, calculated_at=calculated, break_in_series=_breaks_series(month)
    )


def _breaks_series(month: str) -> bool:
    """Whether the latest release of an earlier month used another methodology version."""
    previous = db.session.scalars(
        select(MetricsRelease)
        .where(MetricsRelease.month < month)
        .order_by(MetricsRelease.month.desc(), MetricsRelease.revision.desc())
        .limit(1)
    ).first()
    return previous is not None and previous.methodology_version != METHODOLOGY_VERSION


def _publisher(email: str | None) -> tuple[str, User | None]:
    if not email:
        return SYSTEM, None
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None:
        raise ReleaseError(
            f"No user has the email address {email!r}; give --by a user's address or leave it out."
        )
    return user.email, user


def publish(month: str, *, by: str | None = None, revise: str | None = None) -> MetricsRelease:
    """Freeze and store a month's figures (audited); the caller commits. A month already
    published is refused unless a revision reason is given."""
    release_data.check_month_ended(month, clock.today())
    published_by, actor = _publisher(by)
    latest = latest_revision(month)
    if latest and not (revise and revise.strip()):
        raise ReleaseError(
            f"{month} was published on {uk_datetime(latest.published_at)} (revision "
            f"{latest.revision}); published releases do not change. To publish a correction, run "
            f'again with --revise "the reason".'
        )
    if revise and not latest:
        raise ReleaseError(f"{month} has not been published yet, so there is nothing to revise.")
    data = freeze(month)
    release = MetricsRelease(
        month=month,
        revision=(latest.revision + 1) if latest else 1,
        methodology_version=METHODOLOGY_VERSION,
        published_at=clock.utcnow(),
        published_by=published_by,
        reason=(revise or "").strip(),
        payload=json.dumps(data, separators=(",", ":")),
    )
    try:
        with db.session.begin_nested():
            db.session.add(release)
    except IntegrityError as exc:  # another publisher took this revision number a moment ago
        raise ReleaseError(
            f"{month} revision {release.revision} was published at the same time; try again."
        ) from exc
    audit.record(
        "metrics.release_published" if release.revision == 1 else "metrics.release_revised",
        actor=actor,
        target_type="metrics_release",
        target_id=release.id,
        month=month,
        revision=release.revision,
        methodology_version=METHODOLOGY_VERSION,
        published_by=published_by,
        **({"reason": release.reason} if release.reason else {}),
    )
    return release


def latest_revision(month: str) -> MetricsRelease | None:
    """The newest revision of a month, or None."""
    return db.session.scalars(
        select(MetricsRelease)
        .where(MetricsRelease.month == month)
        .order_by(MetricsRelease.revision.desc())
        .limit(1)
    ).first()


def get_release(month: str, revision: int | None = None) -> MetricsRelease | None:
    """One revision of a month (the newest when revision is None)."""
    if revision is None:
        return latest_revision(month)
    return db.session.scalar(
        select(MetricsRelease).where(MetricsRelease.month == month, MetricsRelease.revision == revision)
    )


def all_releases() -> list[MetricsRelease]:
    """Every revision, newest month first, then newest revision first."""
    return list(
        db.session.scalars(
            select(MetricsRelease).order_by(MetricsRelease.month.desc(), MetricsRelease.revision.desc())
        )
    )


def revisions_of(month: str) -> list[MetricsRelease]:
    """Every revision of a month, oldest first."""
    return list(
        db.session.scalars(
            select(MetricsRelease).where(MetricsRelease.month == month).order_by(MetricsRelease.revision)
        )
    )


@dataclass(frozen=True)
class ReleaseView:
    """A release as its pages and downloads show it: the row and its frozen data."""

    release: MetricsRelease
    data: dict

    @property
    def status(self) -> str:
        """'Final' for a first publication, 'Revised' for a later revision."""
        return N_("Final") if self.release.revision == 1 else N_("Revised")

    @property
    def published_label(self) -> str:
        """'1 December 2026, 9am (UK time)'."""
        return uk_datetime(self.release.published_at)

    @property
    def tables(self) -> list[release_data.SheetTable]:
        """Every table, numbered as in the spreadsheet."""
        return release_data.tables(self.data)

    def info(self) -> ReleaseInfo:
        """What the spreadsheet's cover sheet says besides the figures."""
        return ReleaseInfo(
            month=self.release.month,
            revision=self.release.revision,
            methodology_version=self.release.methodology_version,
            published_at=self.published_label,
            status=self.status,
            reason=self.release.reason,
            contact=current_app.config.get("METRICS_RELEASE_CONTACT", ""),
        )

    def csv_context(self) -> dict:
        """The columns that close every row of the release CSV."""
        return {
            "release_month": self.release.month,
            "revision": self.release.revision,
            "methodology_version": self.release.methodology_version,
            "status": self.status.lower(),
            "published_at_utc": self.release.published_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        }


def view(release: MetricsRelease) -> ReleaseView:
    """A release with its frozen data read back (never recomputed)."""
    return ReleaseView(release, json.loads(release.payload))
