"""National figures computed at most once per METRICS_SNAPSHOT_SECONDS and shared by every worker.

Aggregating every officer in the country takes seconds at 200,000 officers, and the answer hardly
moves from one minute to the next, so the commissioner's national view (page, CSV and PDF) reads
its figures from a stored snapshot while it is fresh: the "materialised view refreshed every few
minutes" of research/security-performance.md 3.4. A snapshot holds the aggregate rows only (counts
per force, module and month, item sums' results), never an officer; the small-number rule and
everything shown are applied after reading it, so a snapshot is as safe as the page.

A snapshot is keyed by the filters (period, course, nation, force type) and the forces they
select. A stale or missing one is computed in the request and stored (the first writer wins a
race; a failed store is logged and the figures are still served). `flask metrics refresh`
recomputes the usual views ahead of time (for cron). METRICS_SNAPSHOT_SECONDS = 0 computes every
request afresh (tests).
"""

from __future__ import annotations

import hashlib
import json
import logging
from contextlib import suppress
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from app.clock import utcnow
from app.extensions import db
from app.forces.models import Force
from app.metrics import queries
from app.metrics.definitions import ForceCounts, ModuleCounts
from app.metrics.models import MetricsSnapshot

log = logging.getLogger(__name__)

FORMAT = 5  # bump when NationalFigures changes shape: older snapshots are then ignored
KEEP_FOR = timedelta(days=2)


@dataclass(frozen=True)
class NationalFigures:
    """Everything the national report aggregates, for the forces in scope."""

    counts: list[ForceCounts]
    pooled_median: float | None
    months: list[tuple]  # (force id, 'YYYY-MM', officers completing)
    questions: list[queries.QuestionGap]
    tags: list[queries.QuestionGap]
    weakest: dict[int, queries.QuestionGap] = field(default_factory=dict)
    computed_at: datetime | None = None
    # force code -> [police officers certified, their record-key sum] on the last day of the month
    # before the reference day's: the headline's "change since last month"
    previous_certified: dict[str, list[int]] = field(default_factory=dict)


def compute(scope: queries.Scope, forces: list[Force]) -> NationalFigures:
    """Run the national aggregates now."""
    force_ids = tuple(f.id for f in forces)
    grouping = queries.Grouping(force_ids=force_ids)
    medians: dict = {}
    counts = queries.force_counts(scope, queries.force_groups(forces), grouping, medians, parallel=True)
    previous = queries.certified_counts(queries.month_before(scope), grouping)
    questions, tags = queries.knowledge_gaps(scope, force_ids)
    groups = queries.force_groups(forces)
    return NationalFigures(
        counts=counts,
        pooled_median=medians.get(queries.POOLED, (None, 0))[0],
        months=queries.completion_months(scope, grouping),
        questions=questions,
        tags=tags,
        weakest=queries.gaps_by_force(scope, force_ids),
        computed_at=utcnow(),
        previous_certified={g.code: list(previous[g.id]) for g in groups if g.id in previous},
    )


def snapshot_key(scope: queries.Scope, forces: list[Force]) -> str:
    """A stable key for the filters and the forces they select."""
    parts = {
        "format": FORMAT,
        "end": scope.end.isoformat(),
        "start": scope.start.isoformat() if scope.start else None,
        "course": scope.course_id,
        "nation": scope.nation,
        "type": scope.force_type,
        "forces": sorted(f.id for f in forces),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def dumps(figures: NationalFigures) -> str:
    """The figures as JSON."""
    data = asdict(figures)
    data["computed_at"] = figures.computed_at.isoformat() if figures.computed_at else None
    data["weakest"] = [[force_id, gap] for force_id, gap in data["weakest"].items()]
    return json.dumps(data, separators=(",", ":"))


def _gap(data: dict) -> queries.QuestionGap:
    return queries.QuestionGap(**{**data, "tags": tuple(data["tags"])})


def loads(text: str) -> NationalFigures:
    """Figures from dumps() output."""
    data = json.loads(text)
    counts = [
        ForceCounts(**{**row, "modules": tuple(ModuleCounts(**m) for m in row["modules"])})
        for row in data["counts"]
    ]
    return NationalFigures(
        counts=counts,
        pooled_median=data["pooled_median"],
        months=[tuple(row) for row in data["months"]],
        questions=[_gap(g) for g in data["questions"]],
        tags=[_gap(g) for g in data["tags"]],
        weakest={force_id: _gap(gap) for force_id, gap in data["weakest"]},
        computed_at=datetime.fromisoformat(data["computed_at"]) if data["computed_at"] else None,
        previous_certified=data["previous_certified"],
    )


def _with_current_labels(figures: NationalFigures, forces: list[Force]) -> NationalFigures:
    """Names and officer figures as they are now (an admin may have corrected one since)."""
    by_code = {f.code: f for f in forces}
    counts = []
    for row in figures.counts:
        force = by_code.get(row.force_code)
        if force is not None:
            row = replace(
                row,
                force_name=force.name,
                nation=force.nation,
                force_type=force.type,
                headcount=force.headcount or None,
                headcount_measure=force.headcount_measure or "",
                headcount_as_of=force.headcount_as_of.isoformat() if force.headcount_as_of else "",
            )
        counts.append(row)
    return replace(figures, counts=counts)


def max_age() -> timedelta:
    """How old a snapshot may be and still be shown."""
    return timedelta(seconds=int(current_app.config.get("METRICS_SNAPSHOT_SECONDS", 0)))


def national_figures(scope: queries.Scope, forces: list[Force]) -> NationalFigures:
    """The national figures: from a fresh snapshot if there is one, otherwise computed (and
    stored for the next request when snapshots are on)."""
    age = max_age()
    if age <= timedelta(0):
        return compute(scope, forces)
    key = snapshot_key(scope, forces)
    row = db.session.get(MetricsSnapshot, key)
    if row is not None and utcnow() - row.computed_at < age:
        return _with_current_labels(loads(row.payload), forces)
    figures = compute(scope, forces)
    store(key, figures)
    return figures


def store(key: str, figures: NationalFigures) -> None:
    """Save the figures under key, replacing an older snapshot; prune old ones. Commits."""
    payload = dumps(figures)
    try:
        db.session.commit()  # end the report's read transaction (and its SET LOCAL settings)
        updated = db.session.execute(
            update(MetricsSnapshot)
            .where(MetricsSnapshot.key == key)
            .values(computed_at=figures.computed_at, payload=payload)
        ).rowcount
        if not updated:
            # IntegrityError: another worker stored the same figures a moment ago (theirs stand).
            with suppress(IntegrityError), db.session.begin_nested():
                db.session.add(MetricsSnapshot(key=key, computed_at=figures.computed_at, payload=payload))
        db.session.execute(delete(MetricsSnapshot).where(MetricsSnapshot.computed_at < utcnow() - KEEP_FOR))
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        log.exception("could not store a metrics snapshot; the figures were served anyway")


def refresh(scopes: list[queries.Scope]) -> int:
    """Recompute and store the snapshots of the given scopes now; returns how many."""
    for scope in scopes:
        forces = queries.forces_in_scope(scope)
        store(snapshot_key(scope, forces), compute(scope, forces))
    return len(scopes)
