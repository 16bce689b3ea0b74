"""Monthly releases as plain data: the frozen tables, their shorthand codes, notes and CSV.

A release freezes what the commissioner saw for a calendar month, after the disclosure rule of
the report (services.national_report): this module never decides what is hidden, it only writes
the report's shown values as cells, replacing the values not shown by the government shorthand
(Analysis Function, "Using symbols and shorthand in tables"). Pure: no Flask, no database.
"""

from __future__ import annotations

import csv
import io
import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta

from app.csv_cells import neutralise_cell, number_cell
from app.formatting import N_
from app.metrics.definitions import METRIC_DEFINITIONS, MODULE_METRIC_DEFINITIONS, Suppressed

# The methodology of the published figures: definitions, disclosure control and question bank.
# Change it (and docs/metrics.md, "Monthly releases") whenever a change breaks the series: the
# first release under a new version is marked [b] (break in series).
METHODOLOGY_VERSION = "2026.12-ckm"  # cell-key perturbation replaced the small-number rule
FORMAT = 1  # the shape of the frozen JSON

CONFIDENTIAL, NOT_AVAILABLE, NOT_APPLICABLE, BREAK = "[c]", "[x]", "[z]", "[b]"
CODES = {
    CONFIDENTIAL: N_(
        "confidential: not shown so that no officer can be identified (a count below 10 "
        "after perturbation, or a rate or average over one)"
    ),
    NOT_AVAILABLE: N_(
        "not available: the figure is unknown (for example no officer figure, or nobody to divide by)"
    ),
    NOT_APPLICABLE: N_(
        "not applicable: the figure has no meaning in this row (for example the nation "
        "of the all-forces total)"
    ),
    BREAK: N_(
        "break in series: the methodology changed since the previous release, so figures are not "
        "comparable with earlier months"
    ),
}

RATIO_KEYS = frozenset({"uptake", "law_up_to_date_rate", "completion_rate", "first_time_pass_rate"})
TEXT_KEYS = frozenset(
    {
        "force_code",
        "force_name",
        "nation",
        "force_type",
        "headcount_measure",
        "headcount_as_of",
        "module_code",
        "module_title",
        "month",
    }
)
# Columns that describe a force, so have no meaning in the all-forces total row.
FORCE_ONLY_KEYS = frozenset({"nation", "force_type", "headcount_as_of"})

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


class ReleaseError(Exception):
    """A release that cannot be published or read (the message says why)."""


@dataclass(frozen=True)
class Note:
    """One numbered note of a release."""

    number: int
    text: str

    @property
    def marker(self) -> str:
        """'[note 1]'."""
        return f"[note {self.number}]"


NOTES = (
    Note(
        1,
        N_(
            "Disclosure control: figures are shown exactly as the commissioner's national view showed "
            "them when the release was published. Every count is perturbed by cell-key perturbation "
            "(the method the ONS used for Census 2021): a small fixed noise of at most 3, the same for "
            "the same officers in every table, so totals carry their own noise and need not equal the "
            "sum of their rows. A count below 10 after perturbation is shown as [c] (confidential); "
            "rates are worked out from the perturbed counts and are [c] when their base is. "
            "Aggregates only: no officer is named."
        ),
    ),
    Note(
        2,
        N_(
            "Period: the calendar month of the release. Officer counts (registered, started, completed, "
            "currently certified, overdue, certificates) describe the state on the month's last day; "
            "assessment figures cover officers whose first attempt at a module was in the month."
        ),
    ),
    Note(
        3,
        N_(
            "Uptake is police officers currently certified divided by the force's officer figure "
            "(headcount or FTE, as the measure column says). Proportions are fractions from 0 to 1."
        ),
    ),
    Note(4, "Shorthand used in cells: " + "; ".join(f"{code} {text}" for code, text in CODES.items()) + "."),
    Note(
        5,
        N_(
            "Revisions: a published release is never changed. A correction is published as a new "
            "revision of the same month, with its reason; earlier revisions stay available."
        ),
    ),
    Note(
        6,
        N_(
            "Monthly trend: officers completing a course for the first time in each month since records "
            "began, the running total ever completed and the uptake it gives (forces with a known "
            "officer figure only), up to the release month."
        ),
    ),
)


def month_bounds(month: str) -> tuple[date, date]:
    """The first and last day of 'YYYY-MM' (ReleaseError when malformed)."""
    match = _MONTH.match(month or "")
    if match is None:
        raise ReleaseError(f"The month must be written YYYY-MM (for example 2026-11), not {month!r}.")
    year, number = int(match.group(1)), int(match.group(2))
    return date(year, number, 1), date(year, number, monthrange(year, number)[1])


def month_label(month: str) -> str:
    """'2026-11' -> 'November 2026'."""
    first, _last = month_bounds(month)
    return f"{first:%B %Y}"


def next_month(month: str) -> str:
    """'2026-12' -> '2027-01'."""
    _first, last = month_bounds(month)
    return f"{last + timedelta(days=1):%Y-%m}"


def check_month_ended(month: str, today: date) -> None:
    """Refuse a month whose last day is today or later (its figures can still change)."""
    _first, last = month_bounds(month)
    if last >= today:
        raise ReleaseError(
            f"{month} has not ended yet: a month can be published from the day after its last day "
            f"({last.isoformat()})."
        )


def cell(value, *, applicable: bool = True):
    """A shown value as a frozen cell: a number, text, or a shorthand code."""
    if not applicable:
        return NOT_APPLICABLE
    if isinstance(value, Suppressed):  # a count below the threshold, or a rate or average over one
        return CONFIDENTIAL
    if value is None or value == "":
        return NOT_AVAILABLE
    number = number_cell(value)
    if number is not None:
        return number
    if isinstance(value, str):
        return value
    # A new kind of shown value must be mapped here on purpose, never written out as it is.
    raise TypeError(f"no release cell for a shown value of type {type(value).__name__}")


def _columns(definitions) -> list[dict]:
    return [{"key": d.key, "header": d.csv_header, "label": d.label} for d in definitions]


def forces_table(rows: list[dict], totals: dict | None) -> dict:
    """The national table by force (shown values), the all-forces total as its own last row."""
    keys = [d.key for d in METRIC_DEFINITIONS]
    body = [[cell(row[k]) for k in keys] for row in sorted(rows, key=lambda r: r["force_name"].lower())]
    if totals is not None:
        body.append([cell(totals[k], applicable=k not in FORCE_ONLY_KEYS) for k in keys])
    return {"columns": _columns(METRIC_DEFINITIONS), "rows": body}


def modules_table(modules: list[dict]) -> dict:
    """The national figures per module (shown values)."""
    keys = [d.key for d in MODULE_METRIC_DEFINITIONS]
    return {
        "columns": _columns(MODULE_METRIC_DEFINITIONS),
        "rows": [[cell(m[k]) for k in keys] for m in modules],
    }


TREND_COLUMNS = [
    {"key": "month", "header": "month", "label": N_("Month")},
    {
        "key": "completions",
        "header": "first_completions",
        "label": N_("Officers completing for the first time"),
    },
    {"key": "cumulative", "header": "ever_completed", "label": N_("Ever completed (running total)")},
    {
        "key": "uptake",
        "header": "ever_completed_uptake",
        "label": N_("Ever completed, share of the officer figure"),
    },
]


def trend_table(trend: list) -> dict:
    """Monthly completions, running total and uptake (shown values of the report's trend rows)."""
    return {
        "columns": TREND_COLUMNS,
        "rows": [[cell(t.month), cell(t.completions), cell(t.cumulative), cell(t.uptake)] for t in trend],
    }


def section(course_slug: str, course_title: str, forces: dict, modules: dict, trend: dict) -> dict:
    """One course's (or all courses') three tables."""
    return {
        "course": course_slug,
        "course_title": course_title,
        "forces": forces,
        "modules": modules,
        "trend": trend,
    }


def payload(month: str, sections: list[dict], *, calculated_at: str, break_in_series: bool) -> dict:
    """The frozen figures of a release (aggregates only)."""
    first, last = month_bounds(month)
    return {
        "format": FORMAT,
        "month": month,
        "period_from": first.isoformat(),
        "period_to": last.isoformat(),
        "calculated_at_utc": calculated_at,
        "break_in_series": break_in_series,
        "sections": sections,
    }


TABLE_KINDS = (
    (
        "forces",
        N_("Training figures by force"),
        "Officers registered, started, completed and currently "
        "certified, uptake, pass rates, overdue officers and certificates, for each force and all forces",
        (1, 2, 3, 4),
    ),
    (
        "modules",
        N_("Assessment figures by module"),
        "Officers attempting and passing each module's quiz, "
        "first-time pass rate, attempts to pass and best scores, all forces",
        (1, 2, 4),
    ),
    (
        "trend",
        N_("Monthly trend of completions"),
        "Officers completing for the first time each month, the running total and uptake, all forces",
        (1, 4, 6),
    ),
)


@dataclass(frozen=True)
class SheetTable:
    """One table of a release as the spreadsheet and the page lay it out."""

    sheet: str
    title: str
    description: str
    columns: list
    rows: list
    # The parts of the title, for the page to write it in the reader's language.
    number: int = 0
    kind_title: str = ""
    course_title: str = ""
    notes: tuple = ()


def tables(data: dict) -> list[SheetTable]:
    """Every table of a release, numbered in order: for each course, forces, modules, trend."""
    label = month_label(data["month"])
    marker = f" {BREAK}" if data.get("break_in_series") else ""
    result = []
    for part in data["sections"]:
        for kind, title, description, notes in TABLE_KINDS:
            number = len(result) + 1
            refs = " ".join(NOTES[n - 1].marker for n in notes)
            result.append(
                SheetTable(
                    sheet=f"Table_{number}",
                    title=f"Table {number}: {title}, {part['course_title']}, {label}{marker} {refs}",
                    description=f"{title}, {part['course_title']}: {description}.",
                    columns=part[kind]["columns"],
                    rows=part[kind]["rows"],
                    number=number,
                    kind_title=title,
                    course_title=part["course_title"],
                    notes=notes,
                )
            )
    return result


RELEASE_CONTEXT_HEADERS = ("release_month", "revision", "methodology_version", "status", "published_at_utc")


def release_csv(data: dict, context: dict) -> str:
    """The national tables by force, every course, with the shorthand codes; each row closes with
    the release it comes from."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["course", *(d.csv_header for d in METRIC_DEFINITIONS), *RELEASE_CONTEXT_HEADERS])
    tail = [context[h] for h in RELEASE_CONTEXT_HEADERS]
    for part in data["sections"]:
        for row in part["forces"]["rows"]:
            writer.writerow([part["course"], *(_csv_cell(v) for v in row), *tail])
    return out.getvalue()


def _csv_cell(value):
    return neutralise_cell(value) if isinstance(value, str) else value


def display_cell(key: str, value) -> str:
    """A frozen cell as the release page shows it: codes as they are, ratios as percentages."""
    if isinstance(value, str):
        return value
    if key in RATIO_KEYS:
        return f"{value * 100:.1f}%"
    if isinstance(value, float):
        return f"{value:.2f}" if key == "mean_attempts_to_pass" else f"{value:.1f}"
    return f"{value:,}"
