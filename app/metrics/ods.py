"""A monthly release as an OpenDocument spreadsheet, laid out per the Analysis Function guidance.

"Releasing statistics in spreadsheets": a cover sheet, a table of contents, a notes sheet, then
one table per sheet; every sheet's title in A1, text in column A, no merged cells, no blank rows
inside a table, column headers in one row, and shorthand codes ([c], [x], [z], [b]) in square
brackets instead of blank cells. Written with odfdo from the frozen release data only (pure: no
Flask, no database), so a download always shows exactly what was published.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from odfdo import Cell, Column, Document, Row, Style, Table

from app.metrics import release_data
from app.metrics.release_data import CODES, NOTES, RATIO_KEYS

HEADING = "Heading1"
HEADER = "ColumnHeader"
WIDE, NARROW = "ColumnWide", "ColumnNarrow"


@dataclass(frozen=True)
class ReleaseInfo:
    """What the cover sheet says about a release besides its figures."""

    month: str
    revision: int
    methodology_version: str
    published_at: str  # e.g. '1 December 2026, 9am (UK time)'
    status: str  # 'Final' or 'Revised'
    reason: str = ""
    contact: str = ""


def _styles(document: Document) -> None:
    for style in (
        Style("table-cell", name=HEADING, area="text", bold=True, size="14pt"),
        Style("table-cell", name=HEADER, area="text", bold=True),
        Style("table-column", name=WIDE, width="9cm"),
        Style("table-column", name=NARROW, width="4cm"),
    ):
        document.insert_style(style, automatic=True)


def _row(*values, style: str | None = None) -> Row:
    row = Row()
    for value in values:
        row.append(Cell(value, style=style))
    return row


def _sheet(name: str, title: str, lines: list[str], widths: int = 1) -> Table:
    """A sheet whose A1 is its title, followed by lines of text in column A."""
    table = Table(name)
    table.append(Column(style=WIDE))
    for _ in range(widths - 1):
        table.append(Column(style=NARROW))
    table.append(_row(title, style=HEADING))
    for line in lines:
        table.append(_row(line))
    return table


def cover_sheet(data: dict, info: ReleaseInfo) -> Table:
    """Title, what it is, the month, publication, next update, methodology, status, contact and shorthand."""
    label = release_data.month_label(data["month"])
    status = info.status
    if info.revision > 1:
        status += f" (revision {info.revision}): {info.reason}"
    if data.get("break_in_series"):
        status += f" {release_data.BREAK} The methodology changed since the previous release."
    lines = [
        "What this is",
        "Adoption of modern slavery training by UK police forces, as published to the Independent "
        "Anti-Slavery Commissioner: officers registered, started, completed and currently certified, "
        "uptake, assessment results, overdue officers and certificates, by force and for all forces.",
        "Month covered",
        f"{label} ({data['period_from']} to {data['period_to']}); officer counts describe the "
        "month's last day.",
        "Published",
        info.published_at,
        "Figures calculated",
        data.get("calculated_at_utc", ""),
        "Next update",
        f"Monthly: the figures for {release_data.month_label(release_data.next_month(data['month']))}, "
        "published after that month ends.",
        "Methodology version",
        info.methodology_version,
        "Status",
        status,
        "Source",
        "Records of the Modern Slavery Training for UK Policing platform. Aggregates only: no officer "
        "is named.",
        "Contact",
        info.contact,
        "Shorthand used in this spreadsheet",
        *(f"{code} {meaning}" for code, meaning in CODES.items()),
    ]
    return _sheet("Cover_sheet", f"Modern slavery training for UK policing: national figures, {label}", lines)


def contents_sheet(tables: list[release_data.SheetTable]) -> Table:
    """A 'Table of contents' table: each sheet and what it holds."""
    table = _sheet("Contents", "Table of contents", ["This worksheet contains one table."], widths=2)
    table.append(_row("Sheet name", "Table description", style=HEADER))
    table.append(_row("Notes", "Notes referred to in the tables, including the shorthand codes"))
    for t in tables:
        table.append(_row(t.sheet, t.description))
    return table


def notes_sheet() -> Table:
    """The numbered notes the tables refer to."""
    table = _sheet("Notes", "Notes", ["This worksheet contains one table."], widths=2)
    table.append(_row("Note number", "Note text", style=HEADER))
    for note in NOTES:
        table.append(_row(note.marker, note.text))
    return table


def _header(column: dict) -> str:
    return column["label"] + (" (proportion)" if column["key"] in RATIO_KEYS else "")


def table_sheet(t: release_data.SheetTable) -> Table:
    """One table: title in A1, two lines about it, then the header row and the rows."""
    table = _sheet(
        t.sheet,
        t.title,
        [
            "This worksheet contains one table. Some cells refer to notes which can be found on the "
            "Notes worksheet.",
            "Shorthand: " + "; ".join(f"{code} {meaning.split(':')[0]}" for code, meaning in CODES.items()),
        ],
        widths=len(t.columns),
    )
    table.append(_row(*(_header(c) for c in t.columns), style=HEADER))
    for values in t.rows:
        table.append(_row(*values))
    return table


def release_ods(data: dict, info: ReleaseInfo) -> bytes:
    """The whole spreadsheet as ODS bytes."""
    document = Document("spreadsheet")
    document.body.clear()
    _styles(document)
    tables = release_data.tables(data)
    for sheet in (cover_sheet(data, info), contents_sheet(tables), notes_sheet()):
        document.body.append(sheet)
    for t in tables:
        document.body.append(table_sheet(t))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
