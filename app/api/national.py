"""The national aggregates of the API, for the commissioner's systems: the metrics report's figures
as published (app.metrics.services.national_report, with its disclosure control), turned into JSON.

Nothing is computed here: the same report object feeds the national page, its CSV and PDF, and
this endpoint, so every figure agrees with them and a withheld one is "[c]" in all of them.
"""

from app.metrics.definitions import METRIC_DEFINITIONS, Suppressed
from app.metrics.release_data import METHODOLOGY_VERSION
from app.metrics.services import Filters, Report, national_report


def json_value(value):
    """A shown figure as JSON: "[c]" when withheld, null when unknown, ratios as fractions."""
    if isinstance(value, Suppressed):
        return str(value)
    if isinstance(value, float):
        return round(value, 4)
    return value


def _row(shown: dict) -> dict:
    return {d.csv_header: json_value(shown[d.key]) for d in METRIC_DEFINITIONS}


def as_json(report: Report) -> dict:
    """The force table, its totals and the monthly trend, with when and for what they were computed."""
    scope = report.scope
    return {
        "status": "provisional",
        "methodology_version": METHODOLOGY_VERSION,
        "calculated_at": report.figures_at,
        "period_from": scope.start.date() if scope.start else None,
        "period_to": scope.day,
        "course": report.course.slug if report.course else None,
        "nation": report.filters.nation or None,
        "force_type": report.filters.force_type or None,
        "forces": [_row(r["shown"]) for r in report.rows],
        "totals": _row(report.totals),
        "months": [
            {
                "month": t.month,
                "completions": json_value(t.completions),
                "cumulative": json_value(t.cumulative),
                "uptake": json_value(t.uptake),
                "partial": t.partial,
            }
            for t in report.trend
        ],
    }


def figures(*, date_from=None, date_to=None, course="", nation="", force_type="") -> dict:
    """The national figures for these filters, as JSON (forces ordered by name)."""
    filters = Filters(
        nation=nation or "",
        force_type=force_type or "",
        course=course or "",
        date_from=date_from,
        date_to=date_to,
    )
    return as_json(national_report(filters))
