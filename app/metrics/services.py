"""Assemble the metric reports (national, force drill-down, training lead) and their exports.

queries.py runs the aggregates, definitions.py applies the formulas and the
small-number rule, charts.py draws the SVG charts and hexmap.py the map of forces. The only write is
the national figures' snapshot (snapshots.py), which holds aggregates only.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from app import clock
from app.content.models import Course
from app.csv_cells import neutralise_cell, number_cell
from app.extensions import db
from app.forces.models import Force
from app.formatting import N_, uk_date, uk_datetime
from app.metrics import charts, definitions, hexmap, published, queries, snapshots, welsh
from app.metrics.definitions import (
    METRIC_DEFINITIONS,
    MODULE_METRIC_DEFINITIONS,
    ForceMetrics,
    Suppressed,
    compute_force_metrics,
    monthly_trend,
    national_totals,
)

RATIO_KEYS = frozenset(
    {
        "uptake",
        "law_up_to_date_rate",
        "completion_rate",
        "first_time_pass_rate",
        "completed_within_30",
        "completed_within_60",
        "completed_within_90",
    }
)
DECIMAL_KEYS = frozenset(
    {"mean_attempts_to_pass", "mean_best_score", "mean_confidence_gain", "median_days_to_completion"}
)
TEXT_KEYS = frozenset(
    {
        "force_code",
        "force_name",
        "nation",
        "force_type",
        "module_code",
        "module_title",
        "headcount_measure",
        "headcount_as_of",
    }
)
MEASURE_LABELS = {"fte": N_("FTE"), "headcount": N_("headcount")}
SORT_KEYS = tuple(d.key for d in METRIC_DEFINITIONS)
TABLE_KEYS = (
    "headcount",
    "headcount_measure",
    "registered",
    "started",
    "completed",
    "certified",
    "certified_other",
    "uptake",
    "law_up_to_date",
    "law_up_to_date_rate",
    "completion_rate",
    "first_time_pass_rate",
    "mean_attempts_to_pass",
    "mean_best_score",
    "overdue",
    "certificates_valid",
    "certificates_expiring",
    "certificates_expired",
    "mean_confidence_gain",
    "completed_within_60",
)
LABELS = {d.key: d.label for d in METRIC_DEFINITIONS}


@dataclass(frozen=True)
class Filters:
    """The report filters as read from the query string."""

    nation: str = ""
    force_type: str = ""
    course: str = ""
    date_from: date | None = None
    date_to: date | None = None
    sort: str = "force_name"
    direction: str = "asc"

    def args(self, **override) -> dict:
        """Query-string arguments reproducing these filters (for sort links and exports)."""
        values = {
            "nation": self.nation,
            "force_type": self.force_type,
            "course": self.course,
            "date_from": self.date_from.isoformat() if self.date_from else "",
            "date_to": self.date_to.isoformat() if self.date_to else "",
            "sort": self.sort,
            "dir": self.direction,
        }
        values.update(override)
        return {key: value for key, value in values.items() if value}


def filters_from(form, args) -> Filters:
    """Filters from a validated FilterForm plus the sort arguments. A field that failed
    validation (or that the form does not have) is left out; bad sort values fall back."""
    sort = args.get("sort", "force_name")
    direction = args.get("dir", "asc")

    def value(name: str, empty):
        field = getattr(form, name, None)
        if field is None or field.errors:
            return empty
        return field.data or empty

    return Filters(
        nation=value("nation", ""),
        force_type=value("force_type", ""),
        course=value("course", ""),
        date_from=value("date_from", None),
        date_to=value("date_to", None),
        sort=sort if sort in SORT_KEYS else "force_name",
        direction=direction if direction in ("asc", "desc") else "asc",
    )


def scope_for(filters: Filters) -> tuple[queries.Scope, Course | None]:
    """The query scope for the filters (an unknown course slug means all courses)."""
    course = None
    if filters.course:
        course = db.session.scalar(db.select(Course).where(Course.slug == filters.course))
    end_day = filters.date_to or clock.today()
    start = datetime.combine(filters.date_from, time()) if filters.date_from else None
    scope = queries.Scope(
        end=datetime.combine(end_day + timedelta(days=1), time()),
        start=start,
        course_id=course.id if course else None,
        nation=filters.nation,
        force_type=filters.force_type,
    )
    return scope, course


def long_date(day: date) -> str:
    """'7 March 2026' (app.formatting), in the request's language."""
    from app.i18n import current_language

    return uk_date(day, language=current_language())


def period_label(scope: queries.Scope) -> str:
    """The period in words, in the request's language."""
    last = scope.end_date - timedelta(days=1)
    if scope.start is None:
        return _("up to %(date)s", date=long_date(last))
    return _("%(start)s to %(end)s", start=long_date(scope.start.date()), end=long_date(last))


# --- formatting -----------------------------------------------------------------------------


def display(key: str, value) -> str:
    """A figure as shown on screen and in the PDF."""
    if isinstance(value, Suppressed):
        return str(value)
    if value is None:
        return _("unknown")
    if key == "headcount_measure":
        return _(MEASURE_LABELS[value]) if value in MEASURE_LABELS else _("unknown")
    if key == "headcount_as_of":
        return long_date(date.fromisoformat(value)) if value else _("unknown")
    if key in TEXT_KEYS:
        return str(value)
    if key in RATIO_KEYS:
        return f"{value * 100:.1f}%"
    if key == "mean_attempts_to_pass":
        return f"{value:.2f}"
    if key in DECIMAL_KEYS:
        return f"{value:+.1f}" if key == "mean_confidence_gain" else f"{value:.1f}"
    return f"{int(value):,}"


def csv_value(key: str, value):
    """A figure as written to the CSV: fractions for ratios, blank for unknown, text made safe."""
    if isinstance(value, Suppressed):
        return str(value)
    if value is None:
        return ""
    number = number_cell(value)
    return number if number is not None else neutralise_cell(str(value))


def _sort_value(value):
    if isinstance(value, Suppressed) or value is None:
        return None
    return value.lower() if isinstance(value, str) else value


def sort_rows(rows: list[dict], key: str, direction: str) -> list[dict]:
    """Sort shown rows by a figure; unknown and withheld figures go last either way."""
    known = [r for r in rows if _sort_value(r["shown"][key]) is not None]
    unknown = [r for r in rows if _sort_value(r["shown"][key]) is None]
    known.sort(
        key=lambda r: (_sort_value(r["shown"][key]), r["shown"]["force_name"].lower()),
        reverse=direction == "desc",
    )
    unknown.sort(key=lambda r: r["shown"]["force_name"].lower())
    return known + unknown


# --- reports ------------------------------------------------------------------------------------


@dataclass
class TrendRow:
    """One month of the trend as shown."""

    month: str
    completions: object
    cumulative: object
    uptake: object
    partial: bool = False  # the period ends part-way through this month: a count so far

    @property
    def label(self) -> str:
        """The month as shown: 'YYYY-MM', marked 'so far' when the period ends within it."""
        return _("%(month)s (so far)", month=self.month) if self.partial else self.month


@dataclass
class Report:
    """Everything a metrics page, CSV or PDF needs."""

    filters: Filters
    scope: queries.Scope
    course: Course | None
    period: str
    produced_on: date
    rows: list[dict] = field(default_factory=list)  # {"metrics": ForceMetrics, "shown": dict}
    totals: dict | None = None
    totals_metrics: ForceMetrics | None = None
    modules: list[dict] = field(default_factory=list)
    trend: list[TrendRow] = field(default_factory=list)
    uptake_chart: str = ""
    uptake_chart_parts: list = field(default_factory=list)  # the same, in page-sized parts (PDF)
    uptake_table: list = field(default_factory=list)
    uptake_average: str = ""  # the national total's shown uptake, as the chart and its table show it
    uptake_average_marked: bool = False  # whether the chart draws it (not when unknown or [c])
    uptake_map: str = ""  # the same shown figures as uptake_table, on a hexagon map of forces
    completions_chart: str = ""
    trend_chart: str = ""
    questions: list = field(default_factory=list)
    tags: list = field(default_factory=list)
    weakest_by_force: list = field(default_factory=list)
    overdue: list = field(default_factory=list)
    overdue_total: int = 0
    force: Force | None = None
    figures_at: datetime | None = None  # when the national figures were computed (UTC)
    headline: Headline | None = None  # the national page's first panel
    welsh_training: list = field(default_factory=list)  # app.metrics.welsh rows (national page)

    @property
    def figures_note(self) -> str:
        """When the national figures were computed, in words."""
        if self.figures_at is None:
            return ""
        from app.i18n import current_language

        return _(
            "Figures calculated on %(when)s.",
            when=uk_datetime(self.figures_at, language=current_language()),
        )

    @property
    def course_label(self) -> str:
        """The course in words."""
        return self.course.title if self.course else _("All courses")


# Bars per part of the PDF's uptake chart: 26 rows print 16 cm wide and about 16 cm tall, on one
# A4 landscape page, with 13-unit text at 9.2 pt (tests/unit/metrics/test_charts.py).
PDF_CHART_ROWS = 26


@dataclass(frozen=True)
class Headline:
    """The national page's first panel, from the published figures: police officers currently
    certified and uptake, the same a month earlier, and the forces below the uptake target."""

    certified: object  # a shown count, or HIDDEN
    uptake: object  # a shown rate, None (unknown) or HIDDEN
    previous_day: date  # the last day of the month before the reference day's
    previous_certified: object
    previous_uptake: object
    target: float  # uptake target, 0 to 1 (METRICS_UPTAKE_TARGET)
    below: list[tuple[str, str, float]]  # (code, name, shown uptake), lowest first
    not_known: list[str]  # forces whose uptake is unknown or withheld

    @property
    def change_certified(self) -> int | None:
        """The change in the shown count since last month (None when either is withheld)."""
        if isinstance(self.certified, int) and isinstance(self.previous_certified, int):
            return self.certified - self.previous_certified
        return None

    @property
    def change_points(self) -> float | None:
        """The change in uptake since last month, in percentage points."""
        if isinstance(self.uptake, float | int) and isinstance(self.previous_uptake, float | int):
            return (self.uptake - self.previous_uptake) * 100
        return None


def _is_rate(value) -> bool:
    return isinstance(value, float | int) and not isinstance(value, bool)


def headline(
    shown_totals: dict, previous_totals: dict, rows: list[dict], *, previous_day: date, target: float
) -> Headline:
    """The headline panel from the shown national totals (now and a month earlier) and the shown
    force rows: nothing here is computed from records, only read from the published figures."""
    below = sorted(
        (
            (row["code"], row["shown"]["force_name"], row["shown"]["uptake"])
            for row in rows
            if _is_rate(row["shown"]["uptake"]) and row["shown"]["uptake"] < target
        ),
        key=lambda item: (item[2], item[1]),
    )
    not_known = sorted(row["shown"]["force_name"] for row in rows if not _is_rate(row["shown"]["uptake"]))
    return Headline(
        certified=shown_totals["certified"],
        uptake=shown_totals["uptake"],
        previous_day=previous_day,
        previous_certified=previous_totals["certified"],
        previous_uptake=previous_totals["uptake"],
        target=target,
        below=below,
        not_known=not_known,
    )


def _new_report(filters: Filters) -> Report:
    scope, course = scope_for(filters)
    return Report(
        filters=filters,
        scope=scope,
        course=course,
        period=period_label(scope),
        produced_on=clock.today(),
        figures_at=clock.utcnow(),  # a national report replaces it with its snapshot's time
    )


def _shown(metrics, private: bool) -> dict:
    """The figures keyed by definition: as they are for a lead's own force (private), else as
    published (perturbed counts, app.metrics.published)."""
    is_force = isinstance(metrics, ForceMetrics)
    if private:
        definitions = METRIC_DEFINITIONS if is_force else MODULE_METRIC_DEFINITIONS
        return {d.key: getattr(metrics, d.key) for d in definitions}
    return published.force_figures(metrics) if is_force else published.module_figures(metrics)


def _trend(report: Report, scope, months: list[tuple], headcounts: dict, private: bool) -> None:
    """Monthly completions, running total and uptake (known-headcount groups only for uptake),
    from (group key, 'YYYY-MM', officers completing, their key sum) rows
    (queries.completion_months). Published, each month's count and each running total is a cell
    of its own (its own people, so its own noise); uptake comes from the perturbed running total."""
    start_month = scope.start.strftime("%Y-%m") if scope.start else None
    # Two sums per month: [officers, key sum] over every group, and over known-headcount groups.
    all_rows: dict[str, list[int]] = {}
    known_rows: dict[str, list[int]] = {}
    opening_all, opening_known = [0, 0], [0, 0]
    for key, month, count, key_sum in months:
        known = headcounts.get(key) is not None
        if start_month and month < start_month:
            _add(opening_all, count, key_sum)
            if known:
                _add(opening_known, count, key_sum)
            continue
        _add(all_rows.setdefault(month, [0, 0]), count, key_sum)
        if known:
            _add(known_rows.setdefault(month, [0, 0]), count, key_sum)
    if start_month:
        all_rows.setdefault(start_month, [0, 0])
    all_rows.setdefault(f"{scope.end_date - timedelta(days=1):%Y-%m}", [0, 0])
    for month in all_rows:
        known_rows.setdefault(month, [0, 0])
    headcount = sum(v for v in headcounts.values() if v) or None

    def series(rows: dict, opening: list[int], column: int) -> list:
        items = sorted((month, sums[column]) for month, sums in rows.items())
        return monthly_trend(items, None, opening_total=opening[column])

    points, point_keys = series(all_rows, opening_all, 0), series(all_rows, opening_all, 1)
    known_points, known_keys = series(known_rows, opening_known, 0), series(known_rows, opening_known, 1)
    known_at = {p.month: (p, k) for p, k in zip(known_points, known_keys, strict=True)}
    rows = []
    for point, keys in zip(points, point_keys, strict=True):
        known_point, known_key = known_at[point.month]
        if private:
            uptake = definitions.ratio(known_point.cumulative, headcount)
            rows.append(TrendRow(point.month, point.completions, point.cumulative, uptake))
        else:
            rows.append(
                TrendRow(
                    point.month,
                    published.count(point.completions, keys.completions),
                    published.count(point.cumulative, keys.cumulative),
                    published.share(known_point.cumulative, known_key.cumulative, headcount),
                )
            )
    last = scope.end_date - timedelta(days=1)  # the period's last day
    if rows and rows[-1].month == f"{last:%Y-%m}" and (last + timedelta(days=1)).day != 1:
        rows[-1] = replace(rows[-1], partial=True)
    report.trend = rows
    report.completions_chart = charts.line_chart_svg(
        _("Officers completing each month"),
        [(r.label, r.completions) for r in rows],
        _("Officers completing"),
        chart_id="trend-completions",
    )
    report.trend_chart = charts.line_chart_svg(
        _("Cumulative uptake by month"),
        [(r.label, _percent(r.uptake)) for r in rows],
        _("Ever completed (% of officer figure)"),
        unit="%",
        chart_id="trend-uptake",
    )


def _add(sums: list[int], count: int, key_sum: int) -> None:
    sums[0] += count
    sums[1] += key_sum


@lru_cache(maxsize=4)
def _force_hexes(path: Path) -> tuple[hexmap.Hex, ...]:
    """The map's layout, read once per process (the file ships with the code)."""
    return tuple(hexmap.read_hexes(path))


def _percent(value):
    return value * 100 if isinstance(value, float | int) and not isinstance(value, bool) else value


def national_report(filters: Filters) -> Report:
    """Every force in the filters, with national totals, charts, trend and knowledge gaps."""
    report = _new_report(filters)
    scope = report.scope
    forces = queries.forces_in_scope(scope)
    figures = snapshots.national_figures(scope, forces)
    report.figures_at = figures.computed_at
    counts = figures.counts
    metrics = [compute_force_metrics(c) for c in counts]
    totals = national_totals(
        counts,
        median_days_to_completion=figures.pooled_median,
        force_name=N_("All forces shown") if (filters.nation or filters.force_type) else N_("All forces"),
    )
    shown = [published.force_figures(m) for m in metrics]
    by_code = {f.code: f for f in forces}
    rows = [
        {"metrics": m, "shown": s, "code": m.force_code, "force": by_code.get(m.force_code)}
        for m, s in zip(metrics, shown, strict=True)
    ]
    report.rows = sort_rows(rows, filters.sort, filters.direction)
    report.totals_metrics = totals
    report.totals = published.force_figures(totals)
    previous = [
        replace(c, certified=n, keys={**c.keys, "certified": k})
        for c in counts
        for n, k in [figures.previous_certified.get(c.force_code, (0, 0))]
    ]
    report.headline = headline(
        report.totals,
        published.force_figures(national_totals(previous)),
        rows,
        previous_day=queries.month_before(scope).day,
        target=current_app.config["METRICS_UPTAKE_TARGET"] / 100,
    )
    report.modules = [_shown(m, private=False) for m in totals.modules]  # national, per module
    by_uptake = sort_rows(rows, "uptake", "desc")
    items = [(r["shown"]["force_name"], _percent(r["shown"]["uptake"])) for r in by_uptake]
    average = _percent(report.totals["uptake"])  # the shown national figure; no line when [c]
    report.uptake_chart = charts.bar_chart_svg(
        _("Uptake by force (police officers currently certified, % of officer figure)"),
        items,
        chart_id="uptake-by-force",
        reference=average,
        reference_label=_("National average"),
    )
    report.uptake_average = charts.format_value(average)
    report.uptake_average_marked = _is_rate(average)
    report.uptake_table = charts.chart_table_rows(items)
    report.uptake_chart_parts = charts.bar_chart_parts(
        "Uptake by force (police officers currently certified, % of officer figure)",
        items,
        PDF_CHART_ROWS,
        chart_id="uptake-by-force-pdf",
        reference=average,
        reference_label="National average",
    )
    report.uptake_map = hexmap.hex_map_svg(
        _("Police officers currently certified (% of officer figure)"),
        [(r["code"], r["shown"]["force_name"], _percent(r["shown"]["uptake"])) for r in by_uptake],
        _force_hexes(current_app.config["FORCE_HEXES_CSV"]),
        chart_id="uptake-map",
    )
    headcounts = {f.id: f.headcount or None for f in forces}
    _trend(report, scope, figures.months, headcounts, private=False)
    report.questions, report.tags = figures.questions, figures.tags
    report.weakest_by_force = [(f, figures.weakest.get(f.id)) for f in forces]
    report.welsh_training = welsh.rows(scope, filters.nation, filters.force_type)
    return report


def force_report(force: Force, filters: Filters, *, private: bool) -> Report:
    """One force: headline figures, modules, trend and gaps; by team when private (the lead's
    view, names allowed); aggregates with the small-number rule otherwise (the commissioner's)."""
    report = _new_report(filters)
    report.force = force
    scope = report.scope
    grouping = queries.Grouping(force_ids=(force.id,))
    [group] = queries.force_groups([force])
    if private:  # the lead's view: the teams too, the force's additive figures summed from them
        counts, teams = queries.force_and_team_counts(scope, group, queries.team_groups(force.id))
    else:
        [counts] = queries.force_counts(scope, [group], grouping)
    metrics = compute_force_metrics(counts)
    report.totals_metrics = metrics
    report.totals = _shown(metrics, private)
    report.modules = [_shown(m, private) for m in metrics.modules]
    _trend(
        report,
        scope,
        queries.completion_months(scope, grouping),
        {force.id: force.headcount or None},
        private=private,
    )
    report.questions, report.tags = queries.knowledge_gaps(scope, (force.id,))
    if private:
        report.rows = [
            {"metrics": m, "shown": _shown(m, True)}
            for m in (compute_force_metrics(replace(t, headcount=None)) for t in teams)
            if m.registered or m.counts.officers_assessed
        ]
        report.overdue, report.overdue_total = queries.overdue_officers(scope, force.id)
    return report


# --- CSV --------------------------------------------------------------------------------------


# Every CSV says what it is: these columns close every row (one table, so any CSV reader works).
CONTEXT_HEADERS = (
    "calculated_at_utc",
    "period_from",
    "period_to",
    "course",
    "nation_filter",
    "force_type_filter",
    "status",
)


def csv_context(report: Report) -> list[str]:
    """The CONTEXT_HEADERS values: when the figures were calculated and for which filters."""
    scope = report.scope
    return [
        report.figures_at.strftime("%Y-%m-%dT%H:%M:%SZ") if report.figures_at else "",
        scope.start.date().isoformat() if scope.start else "",
        scope.day.isoformat(),
        report.course.slug if report.course else "all",
        neutralise_cell(report.filters.nation),
        neutralise_cell(report.filters.force_type),
        "provisional",  # live figures can still change; a monthly release does not
    ]


def national_csv(report: Report) -> str:
    """The force table with national totals; headers are the definitions' CSV names, then the
    context columns."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([*(d.csv_header for d in METRIC_DEFINITIONS), *CONTEXT_HEADERS])
    context = csv_context(report)
    for row in [*report.rows, {"shown": report.totals}]:
        writer.writerow([*(csv_value(d.key, row["shown"][d.key]) for d in METRIC_DEFINITIONS), *context])
    return out.getvalue()


def force_csv(report: Report) -> str:
    """A force's figures, then one row per team (the lead's export)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["team", *(d.csv_header for d in METRIC_DEFINITIONS), *CONTEXT_HEADERS])
    context = csv_context(report)
    writer.writerow(["", *(csv_value(d.key, report.totals[d.key]) for d in METRIC_DEFINITIONS), *context])
    for row in report.rows:
        values = dict(row["shown"])
        team = values["force_name"]
        values.update(
            force_code=report.force.code,
            force_name=report.force.name,
            nation=report.force.nation,
            force_type=report.force.type,
        )
        writer.writerow(
            [neutralise_cell(team), *(csv_value(d.key, values[d.key]) for d in METRIC_DEFINITIONS), *context]
        )
    return out.getvalue()
