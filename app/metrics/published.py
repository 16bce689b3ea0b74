"""The figures as the commissioner sees them: every count perturbed (app.metrics.disclosure),
rates from perturbed counts, averages only over a base that is shown.

One function per kind of row, used by every output (national table and totals, drill-down, trend,
CSV, PDF, releases), so no page computes a published figure of its own.
"""

from __future__ import annotations

from app.metrics.definitions import (
    METRIC_DEFINITIONS,
    MODULE_METRIC_DEFINITIONS,
    ForceMetrics,
    ModuleMetrics,
    Suppressed,
)
from app.metrics.disclosure import THRESHOLD, Cell, rate, shown

# Figures that are counts of officers (each perturbed as its own cell).
FORCE_COUNTS = (
    "registered",
    "started",
    "completed",
    "certified",
    "certified_other",
    "overdue",
    "certificates_valid",
    "certificates_expiring",
    "certificates_expired",
    "law_update_due",
    "law_up_to_date",
)
MODULE_COUNTS = ("officers_attempted", "passes")
# Figures that are not about officers, shown as they are.
REFERENCE = frozenset(
    {
        "force_code",
        "force_name",
        "nation",
        "force_type",
        "headcount",
        "headcount_measure",
        "headcount_as_of",
        "module_code",
        "module_title",
    }
)
HIDDEN = Suppressed()


def cell(counts, name: str) -> Cell:
    """The cell of a count field of ForceCounts or ModuleCounts: the count and its key sum."""
    return Cell(getattr(counts, name), counts.keys.get(name, 0))


def _or_hidden(value):
    return HIDDEN if value is None else value


def _mean_over(value, base: int | None):
    """An average is shown only when the published count of people it is over is shown."""
    return HIDDEN if base is None else value


def _shown_over(value, true_base: int):
    """An average over people who are not a published count: shown only when there are at least
    THRESHOLD of them (saying so reveals no count that is shown)."""
    if true_base < THRESHOLD:
        return HIDDEN
    return value


def force_figures(metrics: ForceMetrics) -> dict[str, object]:
    """A force's (or a total's) figures keyed by definition, as published."""
    c = metrics.counts
    counts = {name: shown(cell(c, name)) for name in FORCE_COUNTS}
    if metrics.uptake_numerator is not None:
        uptake_count = shown(Cell(*metrics.uptake_numerator))
    else:
        uptake_count = counts["certified"]
    any_certified = shown(cell(c, "certified") + cell(c, "certified_other"))
    attempted = shown(
        sum((cell(m, "officers_attempted") for m in c.modules), Cell(0)) if c.modules else Cell(0)
    )
    first_passes = shown(
        sum((cell(m, "first_attempt_passes") for m in c.modules), Cell(0)) if c.modules else Cell(0)
    )
    passes = shown(sum((cell(m, "passes") for m in c.modules), Cell(0)) if c.modules else Cell(0))
    figures: dict[str, object] = {}
    for definition in METRIC_DEFINITIONS:
        key = definition.key
        if key in REFERENCE:
            figures[key] = getattr(metrics, key)
        elif key in counts:
            figures[key] = _or_hidden(counts[key])
    figures["uptake"] = _uptake(uptake_count, metrics)
    figures["completion_rate"] = _or_hidden(rate(any_certified, counts["registered"]))
    figures["law_up_to_date_rate"] = _or_hidden(rate(counts["law_up_to_date"], counts["certified"]))
    figures["first_time_pass_rate"] = _or_hidden(rate(first_passes, attempted))
    figures["mean_attempts_to_pass"] = _mean_over(metrics.mean_attempts_to_pass, passes)
    figures["mean_best_score"] = _mean_over(metrics.mean_best_score, attempted)
    figures["mean_confidence_gain"] = _shown_over(metrics.mean_confidence_gain, c.confidence_gain_count)
    figures["median_days_to_completion"] = _shown_over(
        metrics.median_days_to_completion, c.days_to_completion_count
    )
    for t in (30, 60, 90):
        within = shown(cell(c, f"within_{t}"))
        covered = shown(cell(c, f"covered_{t}"))
        figures[f"completed_within_{t}"] = _or_hidden(rate(within, covered))
    return {d.key: figures[d.key] for d in METRIC_DEFINITIONS}


def _uptake(count: int | None, metrics: ForceMetrics):
    """Uptake: the published count of police officers certified over the officer figure (public)."""
    headcount = metrics.headcount
    if not headcount:
        return None  # unknown officer figure: unknown, not hidden
    if count is None:
        return HIDDEN
    return min(count / headcount, 1.0)


def module_figures(metrics: ModuleMetrics) -> dict[str, object]:
    """A module's figures keyed by definition, as published."""
    c = metrics.counts
    attempted = shown(cell(c, "officers_attempted"))
    passes = shown(cell(c, "passes"))
    first_passes = shown(cell(c, "first_attempt_passes"))
    figures = {
        "module_code": metrics.module_code,
        "module_title": metrics.module_title,
        "officers_attempted": _or_hidden(attempted),
        "passes": _or_hidden(passes),
        "first_time_pass_rate": _or_hidden(rate(first_passes, attempted)),
        "mean_attempts_to_pass": _mean_over(metrics.mean_attempts_to_pass, passes),
        "mean_best_score": _mean_over(metrics.mean_best_score, attempted),
    }
    return {d.key: figures[d.key] for d in MODULE_METRIC_DEFINITIONS}


def count(value: int, key_sum: int):
    """One count cell as published: the perturbed count, or hidden."""
    return _or_hidden(shown(Cell(value, key_sum)))


def share(value: int, key_sum: int, base: int | None):
    """A count as a share of a public base (an officer figure): from the perturbed count."""
    if not base:
        return None
    published = shown(Cell(value, key_sum))
    return HIDDEN if published is None else min(published / base, 1.0)
