"""Adoption metric formulas, applied to the per-force aggregate rows the query layer returns."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields, replace
from typing import NamedTuple

from app.formatting import N_


@dataclass(frozen=True)
class ModuleCounts:
    """One module's assessment aggregates within one force (or nationally)."""

    module_code: str
    module_title: str
    officers_attempted: int = 0
    first_attempt_passes: int = 0
    passes: int = 0
    attempts_to_pass_sum: int = 0
    best_score_sum: float = 0.0
    # count field -> sum of the record keys of the officers counted (app.metrics.disclosure)
    keys: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class ForceCounts:
    """The raw aggregate row for one force; every count is of distinct officers."""

    force_code: str
    force_name: str
    nation: str = ""
    force_type: str = ""
    headcount: int | None = None
    headcount_measure: str = ""  # "headcount", "fte" or "" (unknown)
    headcount_as_of: str = ""  # ISO date of the officer figure, "" when unknown
    registered: int = 0
    started: int = 0
    completed: int = 0
    certified: int = 0  # police officers only: the headline's numerator
    certified_other: int = 0  # special constables, PCSOs and police staff
    law_update_due: int = 0  # of the certified police officers, those owing a law-change update
    law_up_to_date: int = 0  # ... and those owing none
    officers_assessed: int = 0
    officers_passed: int = 0
    modules: tuple[ModuleCounts, ...] = ()
    overdue: int = 0
    certificates_valid: int = 0
    certificates_expiring: int = 0
    certificates_expired: int = 0
    confidence_gain_sum: float = 0.0
    confidence_gain_count: int = 0
    median_days_to_completion: float | None = None
    days_to_completion_count: int = 0
    covered_30: int = 0  # officers covered at least 30 days by the reference day
    within_30: int = 0  # of them, completed within 30 days of being covered
    covered_60: int = 0
    within_60: int = 0
    covered_90: int = 0
    within_90: int = 0
    # count field -> sum of the record keys of the officers counted (app.metrics.disclosure)
    keys: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class ModuleMetrics:
    """Assessment figures for one module."""

    module_code: str
    module_title: str
    officers_attempted: int
    passes: int
    first_time_pass_rate: float | None
    mean_attempts_to_pass: float | None
    mean_best_score: float | None
    counts: ModuleCounts


@dataclass(frozen=True)
class ForceMetrics:
    """The computed figures for one force (or the national total); ratios are 0-1 or None."""

    force_code: str
    force_name: str
    nation: str
    force_type: str
    headcount: int | None
    headcount_measure: str
    headcount_as_of: str
    registered: int
    started: int
    completed: int
    certified: int
    certified_other: int
    law_update_due: int
    law_up_to_date: int
    law_up_to_date_rate: float | None
    uptake: float | None
    completion_rate: float | None
    first_time_pass_rate: float | None
    mean_attempts_to_pass: float | None
    mean_best_score: float | None
    overdue: int
    certificates_valid: int
    certificates_expiring: int
    certificates_expired: int
    mean_confidence_gain: float | None
    median_days_to_completion: float | None
    completed_within_30: float | None
    completed_within_60: float | None
    completed_within_90: float | None
    modules: tuple[ModuleMetrics, ...]
    counts: ForceCounts
    uptake_excluded: tuple[str, ...] = ()
    uptake_measure: str = ""  # the one measure of the officer figures a national uptake uses
    # (count, key sum) of the national uptake's numerator when it is not every force's certified
    uptake_numerator: tuple[int, int] | None = None


class MetricDefinition(NamedTuple):
    """One published figure: its key, CSV header, human label and formula in words."""

    key: str
    csv_header: str
    label: str
    formula: str


class TrendPoint(NamedTuple):
    """One month of the completions trend."""

    month: str
    completions: int
    cumulative: int
    cumulative_uptake: float | None


@dataclass(frozen=True)
class Suppressed:
    """A figure not shown: its perturbed count is below the threshold, or it is a rate or average
    over such a count (app.metrics.disclosure). Shown as the government shorthand [c]."""

    def __str__(self) -> str:
        return "[c]"


_D = MetricDefinition
METRIC_DEFINITIONS: list[MetricDefinition] = [
    _D("force_code", "force_code", N_("Force code"), "Reference data."),
    _D("force_name", "force_name", N_("Force"), "Reference data."),
    _D("nation", "nation", N_("Nation"), "Reference data."),
    _D("force_type", "force_type", N_("Force type"), "Reference data."),
    _D(
        "headcount",
        "officer_figure",
        N_("Officer figure"),
        "Reference data: the force's number of police officers (headcount or FTE, as the next "
        "column says); blank when unknown.",
    ),
    _D(
        "headcount_measure",
        "officer_figure_measure",
        N_("Officer figure measure"),
        "Reference data: 'headcount' (people) or 'fte' (full-time equivalent); blank when unknown.",
    ),
    _D(
        "headcount_as_of",
        "officer_figure_date",
        N_("Officer figure date"),
        "Reference data: the date the officer figure describes (YYYY-MM-DD); blank when unknown.",
    ),
    _D(
        "registered",
        "officers_registered",
        N_("Officers registered"),
        "Officers of the force registered (for one course: enrolled or assigned) by the period end.",
    ),
    _D(
        "started",
        "officers_started",
        N_("Officers started"),
        "Registered officers who opened at least one module in scope by the period end.",
    ),
    _D(
        "completed",
        "officers_ever_completed",
        N_("Ever completed"),
        "Officers who had been issued a certificate for the course (for all courses: for every "
        "course they are on, assigned or begun) by the period end, whether or not it is still valid.",
    ),
    _D(
        "certified",
        "officers_currently_certified",
        N_("Police officers currently certified"),
        "Police officers (workforce type) holding a valid certificate (issued by the period's last "
        "day, unrevoked, not expired on that day) for the course (for all courses: for every "
        "course they are on, assigned or begun).",
    ),
    _D(
        "certified_other",
        "others_currently_certified",
        N_("Others currently certified"),
        "Special constables, PCSOs and police staff holding a valid certificate; not in uptake.",
    ),
    _D(
        "uptake",
        "uptake",
        N_("Uptake (currently certified)"),
        "police officers currently certified / the force's officer figure; unknown when the figure "
        "is unknown.",
    ),
    _D(
        "completion_rate",
        "completion_rate",
        N_("Certified of registered"),
        "(police officers + others currently certified) / registered.",
    ),
    _D(
        "first_time_pass_rate",
        "first_time_pass_rate",
        N_("First-time pass rate"),
        "Officer-modules passed at the first attempt / officer-modules attempted "
        "(the module figures pooled).",
    ),
    _D(
        "mean_attempts_to_pass",
        "mean_attempts_to_pass",
        N_("Mean attempts to pass"),
        "Sum of the number of each first passing attempt / officer-modules passed "
        "(the module figures pooled).",
    ),
    _D(
        "mean_best_score",
        "mean_best_score",
        N_("Mean best score (%)"),
        "Sum of each best score (percent) / officer-modules attempted (the module figures pooled).",
    ),
    _D(
        "overdue",
        "officers_overdue",
        N_("Officers overdue"),
        "Officers with an assignment in scope whose own due date (a later joiner's counted from when "
        "they joined) was before the period's last day and who hold no certificate valid on that day.",
    ),
    _D(
        "certificates_valid",
        "certificates_valid",
        N_("Certificates valid"),
        "Officers whose latest unrevoked certificate expires more than 60 days after the period's last day.",
    ),
    _D(
        "certificates_expiring",
        "certificates_expiring",
        N_("Certificates expiring"),
        "Officers whose latest unrevoked certificate expires on the period's last day or within 60 days "
        "after it.",
    ),
    _D(
        "certificates_expired",
        "certificates_expired",
        N_("Certificates expired"),
        "Officers whose latest unrevoked certificate expired before the period's last day.",
    ),
    _D(
        "mean_confidence_gain",
        "mean_confidence_gain",
        N_("Mean confidence gain"),
        "Sum over officers of their mean (after - before) confidence across the modules in scope "
        "rated after in the period / officers with such a rating.",
    ),
    _D(
        "median_days_to_completion",
        "median_days_to_completion",
        N_("Median days to completion (finishers only)"),
        "Median of days from being covered to completion, over officers who completed in the "
        "period an assigned course; it leaves out everyone who has not finished: see the "
        "completed-within figures.",
    ),
    _D(
        "completed_within_30",
        "completed_within_30_days",
        N_("Completed within 30 days"),
        "Of the officers (per assigned course) covered by an assignment at least 30 days before the "
        "period's last day (from its start, if any), the share who completed within 30 days of being "
        "covered (an assignment's creation, or a later joiner's joining). Those covered more "
        "recently are left out, not counted as not completed.",
    ),
    _D(
        "completed_within_60",
        "completed_within_60_days",
        N_("Completed within 60 days"),
        "Of the officers (per assigned course) covered by an assignment at least 60 days before the "
        "period's last day (from its start, if any), the share who completed within 60 days of being "
        "covered (an assignment's creation, or a later joiner's joining). Those covered more "
        "recently are left out, not counted as not completed.",
    ),
    _D(
        "completed_within_90",
        "completed_within_90_days",
        N_("Completed within 90 days"),
        "Of the officers (per assigned course) covered by an assignment at least 90 days before the "
        "period's last day (from its start, if any), the share who completed within 90 days of being "
        "covered (an assignment's creation, or a later joiner's joining). Those covered more "
        "recently are left out, not counted as not completed.",
    ),
    _D(
        "law_up_to_date",
        "officers_up_to_date_with_law",
        N_("Certified officers up to date with the law"),
        "Police officers currently certified who owe no law-change update: none assigned by the "
        "period's last day on their latest certificate in scope, or every one completed by then.",
    ),
    _D(
        "law_update_due",
        "officers_law_update_due",
        N_("Certified officers with a law update due"),
        "Police officers currently certified who owe a law-change update on their latest certificate "
        "in scope (assigned by the period's last day, not completed by then); with the up-to-date "
        "figure, they make up the currently certified.",
    ),
    _D(
        "law_up_to_date_rate",
        "up_to_date_with_law_rate",
        N_("Up to date with the law (% of certified)"),
        "certified officers up to date with the law / police officers currently certified.",
    ),
]

MODULE_METRIC_DEFINITIONS: list[MetricDefinition] = [
    _D("module_code", "module_code", N_("Module code"), "Reference data."),
    _D("module_title", "module_title", N_("Module"), "Reference data."),
    _D(
        "officers_attempted",
        "officers_attempted",
        N_("Officers attempted"),
        "Officers whose first attempt at the module's quiz was submitted in the period.",
    ),
    _D(
        "passes",
        "officers_passed",
        N_("Officers passed"),
        "Of those officers, the ones who have passed the module.",
    ),
    _D(
        "first_time_pass_rate",
        "first_time_pass_rate",
        N_("First-time pass rate"),
        "Officers who passed at their first attempt / officers attempted.",
    ),
    _D(
        "mean_attempts_to_pass",
        "mean_attempts_to_pass",
        N_("Mean attempts to pass"),
        "Sum of the number of each passer's first passing attempt / officers passed.",
    ),
    _D(
        "mean_best_score",
        "mean_best_score",
        N_("Mean best score (%)"),
        "Sum of each attempting officer's best score (percent) / officers attempted.",
    ),
]

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def ratio(numerator: float, denominator: float | None) -> float | None:
    """Return numerator / denominator, or None when the denominator is unknown or zero."""
    if denominator is None or denominator == 0:
        return None
    return numerator / denominator


def median(values) -> float | None:
    """Return the median of the values (mean of the middle two for an even count), None if empty."""
    ordered = sorted(values)
    n = len(ordered)
    if n == 0:
        return None
    middle = n // 2
    if n % 2:
        return float(ordered[middle])
    return (ordered[middle - 1] + ordered[middle]) / 2


def histogram_median(counts) -> float | None:
    """median() of values given as a histogram {value: how many times}; None if empty. Walks the
    values in order to the middle one or two positions ((n + 1) // 2 and (n + 2) // 2, from 1)."""
    n = sum(counts.values())
    if n == 0:
        return None
    lower, upper = (n + 1) // 2, (n + 2) // 2
    found, seen = [], 0
    for value in sorted(counts):
        before, seen = seen, seen + counts[value]
        found += [value for position in (lower, upper) if before < position <= seen]
        if len(found) == 2:
            break
    return (found[0] + found[1]) / 2


def compute_module_metrics(counts: ModuleCounts) -> ModuleMetrics:
    """Apply the module formulas to one module's aggregate row."""
    return ModuleMetrics(
        module_code=counts.module_code,
        module_title=counts.module_title,
        officers_attempted=counts.officers_attempted,
        passes=counts.passes,
        first_time_pass_rate=ratio(counts.first_attempt_passes, counts.officers_attempted),
        mean_attempts_to_pass=ratio(counts.attempts_to_pass_sum, counts.passes),
        mean_best_score=ratio(counts.best_score_sum, counts.officers_attempted),
        counts=counts,
    )


def compute_force_metrics(counts: ForceCounts) -> ForceMetrics:
    """Apply the force formulas to one force's aggregate row."""
    attempted = sum(m.officers_attempted for m in counts.modules)
    passes = sum(m.passes for m in counts.modules)
    return ForceMetrics(
        force_code=counts.force_code,
        force_name=counts.force_name,
        nation=counts.nation,
        force_type=counts.force_type,
        headcount=counts.headcount,
        headcount_measure=counts.headcount_measure,
        headcount_as_of=counts.headcount_as_of,
        registered=counts.registered,
        started=counts.started,
        completed=counts.completed,
        certified=counts.certified,
        certified_other=counts.certified_other,
        law_update_due=counts.law_update_due,
        law_up_to_date=counts.law_up_to_date,
        law_up_to_date_rate=ratio(counts.law_up_to_date, counts.certified),
        uptake=ratio(counts.certified, counts.headcount),
        completion_rate=ratio(counts.certified + counts.certified_other, counts.registered),
        first_time_pass_rate=ratio(sum(m.first_attempt_passes for m in counts.modules), attempted),
        mean_attempts_to_pass=ratio(sum(m.attempts_to_pass_sum for m in counts.modules), passes),
        mean_best_score=ratio(sum(m.best_score_sum for m in counts.modules), attempted),
        overdue=counts.overdue,
        certificates_valid=counts.certificates_valid,
        certificates_expiring=counts.certificates_expiring,
        certificates_expired=counts.certificates_expired,
        mean_confidence_gain=ratio(counts.confidence_gain_sum, counts.confidence_gain_count),
        median_days_to_completion=counts.median_days_to_completion,
        completed_within_30=ratio(counts.within_30, counts.covered_30),
        completed_within_60=ratio(counts.within_60, counts.covered_60),
        completed_within_90=ratio(counts.within_90, counts.covered_90),
        modules=tuple(compute_module_metrics(m) for m in counts.modules),
        counts=counts,
    )


def _sum_modules(rows: list[ForceCounts]) -> tuple[ModuleCounts, ...]:
    """Add up module rows across forces, matching on module code, in first-seen order."""
    return merge_modules(row.modules for row in rows)


def merge_modules(groups) -> tuple[ModuleCounts, ...]:
    """Add up module rows across groups (forces, or a force's teams), matching on module code,
    in first-seen order."""
    merged: dict[str, ModuleCounts] = {}
    for modules in groups:
        for module in modules:
            seen = merged.get(module.module_code)
            if seen is None:
                merged[module.module_code] = module
                continue
            merged[module.module_code] = replace(
                seen,
                **{
                    f.name: getattr(seen, f.name) + getattr(module, f.name)
                    for f in fields(ModuleCounts)
                    if f.name not in ("module_code", "module_title", "keys")
                },
                keys=add_keys(seen.keys, module.keys),
            )
    return tuple(merged.values())


def add_keys(*key_sums: dict) -> dict:
    """Add up key-sum dicts (count field -> sum of record keys) field by field."""
    total: dict = {}
    for keys in key_sums:
        for name, value in keys.items():
            total[name] = total.get(name, 0) + value
    return total


def national_totals(
    rows: list[ForceCounts],
    *,
    median_days_to_completion: float | None = None,
    force_code: str = "ALL",
    force_name: str = "All forces",
) -> ForceMetrics:
    """Sum the force rows. Uptake uses one measure of the officer figure only (never headcount
    and FTE mixed): the forces with a known figure on the measure most of them use; the others
    (unknown figure, or the other measure) are named in uptake_excluded."""
    # Medians cannot be summed, so the national median comes from its own query and is passed in.
    measure = uptake_measure(rows)
    known = [r for r in rows if r.headcount and r.headcount_measure == measure]
    summed_fields = (
        "registered",
        "started",
        "completed",
        "certified",
        "certified_other",
        "law_update_due",
        "law_up_to_date",
        "officers_assessed",
        "officers_passed",
        "overdue",
        "certificates_valid",
        "certificates_expiring",
        "certificates_expired",
        "confidence_gain_sum",
        "confidence_gain_count",
        "days_to_completion_count",
        "covered_30",
        "within_30",
        "covered_60",
        "within_60",
        "covered_90",
        "within_90",
    )
    totals = ForceCounts(
        force_code=force_code,
        force_name=force_name,
        headcount=sum(r.headcount for r in known) if known else None,
        headcount_measure=measure,
        modules=_sum_modules(rows),
        median_days_to_completion=median_days_to_completion,
        keys=add_keys(*(r.keys for r in rows)),
        **{name: sum(getattr(r, name) for r in rows) for name in summed_fields},
    )
    metrics = compute_force_metrics(totals)
    kept = {r.force_code for r in known}
    return replace(
        metrics,
        uptake=ratio(sum(r.certified for r in known), totals.headcount),
        uptake_excluded=tuple(r.force_code for r in rows if r.force_code not in kept),
        uptake_measure=measure,
        uptake_numerator=(
            sum(r.certified for r in known),
            sum(r.keys.get("certified", 0) for r in known),
        ),
    )


def uptake_measure(rows: list[ForceCounts]) -> str:
    """The measure of the officer figure most forces with a known figure use ('fte', 'headcount'
    or '' when none says); a tie goes to headcount, the measure of people."""
    tally: dict[str, int] = {}
    for row in rows:
        if row.headcount:
            tally[row.headcount_measure] = tally.get(row.headcount_measure, 0) + 1
    if not tally:
        return ""
    return max(tally, key=lambda m: (tally[m], m == "headcount", m))


def _month_index(month: str) -> int:
    """Return a month 'YYYY-MM' as a count of months, raising ValueError if malformed."""
    match = _MONTH.match(month)
    if match is None:
        raise ValueError(f"month must be 'YYYY-MM', got {month!r}")
    return int(match.group(1)) * 12 + int(match.group(2)) - 1


def monthly_trend(rows, headcount_total: int | None, *, opening_total: int = 0) -> list[TrendPoint]:
    """Return monthly completions with running totals and uptake, filling missing months with 0."""
    # opening_total is the number completed before the first month, so the totals are true totals.
    by_month: dict[int, int] = {}
    for month, completions in rows:
        index = _month_index(month)
        by_month[index] = by_month.get(index, 0) + completions
    if not by_month:
        return []
    points = []
    cumulative = opening_total
    for index in range(min(by_month), max(by_month) + 1):
        completions = by_month.get(index, 0)
        cumulative += completions
        label = f"{index // 12:04d}-{index % 12 + 1:02d}"
        uptake = ratio(cumulative, headcount_total)
        points.append(TrendPoint(label, completions, cumulative, uptake))
    return points
