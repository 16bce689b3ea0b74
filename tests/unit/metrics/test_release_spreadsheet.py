"""Release cells, codes and the ODS layout, from plain data (no Flask, no database)."""

import csv
import io
from datetime import date
from typing import NamedTuple

import pytest
from odfdo import Document

from app.metrics import ods, release_data
from app.metrics.definitions import METRIC_DEFINITIONS, MODULE_METRIC_DEFINITIONS, Suppressed
from app.metrics.release_data import ReleaseError, cell


class TrendRow(NamedTuple):
    """The shape of services.TrendRow (shown values of one month)."""

    month: str
    completions: object
    cumulative: object
    uptake: object


def _force(code, name, **values):
    row = {d.key: 10 for d in METRIC_DEFINITIONS}
    row.update(
        force_code=code,
        force_name=name,
        nation="England",
        force_type="territorial",
        headcount_measure="headcount",
        headcount_as_of="2025-03-31",
        uptake=0.1,
        completion_rate=0.5,
        first_time_pass_rate=0.75,
        mean_attempts_to_pass=1.25,
        mean_best_score=80.0,
        mean_confidence_gain=1.5,
        median_days_to_completion=12.5,
    )
    row.update(values)
    return row


def _data(break_in_series=False):
    rows = [
        _force("B", "Bravo", registered=Suppressed(), uptake=Suppressed()),
        _force("A", "Alpha", headcount=None, headcount_measure="", uptake=None, started=Suppressed()),
    ]
    totals = _force("ALL", "All forces", nation="", force_type="", headcount_as_of="")
    module = {d.key: 6 for d in MODULE_METRIC_DEFINITIONS} | {
        "module_code": "m1",
        "module_title": "Module one",
    }
    trend = [TrendRow("2026-10", 7, 20, 0.2), TrendRow("2026-11", Suppressed(), Suppressed(), None)]
    part = release_data.section(
        "all",
        "All courses",
        release_data.forces_table(rows, totals),
        release_data.modules_table([module]),
        release_data.trend_table(trend),
    )
    return release_data.payload(
        "2026-11", [part], calculated_at="2026-12-01T06:00:00Z", break_in_series=break_in_series
    )


INFO = ods.ReleaseInfo(
    "2026-11", 1, "2026.12", "1 December 2026 at 06:00 UTC", "Final", contact="stats@example"
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Suppressed(), "[c]"),
        (None, "[x]"),
        ("", "[x]"),
        (0, 0),
        (12, 12),
        (0.123456, 0.1235),
        (True, 1),
        ("Avon", "Avon"),
    ],
)
def test_cells_use_the_shorthand_codes(value, expected):
    assert cell(value) == expected


def test_not_applicable_and_unknown_kinds():
    assert cell(5, applicable=False) == "[z]"
    with pytest.raises(TypeError):
        cell(object())


def test_forces_table_sorts_forces_and_puts_totals_last():
    table = _data()["sections"][0]["forces"]
    keys = [c["key"] for c in table["columns"]]
    assert [r[0] for r in table["rows"]] == ["A", "B", "ALL"]
    alpha, bravo, total = (dict(zip(keys, r, strict=True)) for r in table["rows"])
    assert (alpha["headcount"], alpha["headcount_measure"], alpha["uptake"], alpha["started"]) == (
        "[x]",
        "[x]",
        "[x]",
        "[c]",
    )
    assert (bravo["registered"], bravo["uptake"]) == ("[c]", "[c]")
    assert (total["nation"], total["force_type"], total["headcount_as_of"]) == ("[z]", "[z]", "[z]")


@pytest.mark.parametrize(
    ("month", "today", "refused"),
    [
        ("2026-11", date(2026, 11, 30), True),
        ("2026-11", date(2026, 12, 1), False),
        ("2026-12", date(2026, 12, 2), True),
    ],
)
def test_only_ended_months_can_be_published(month, today, refused):
    if refused:
        with pytest.raises(ReleaseError, match="has not ended"):
            release_data.check_month_ended(month, today)
    else:
        release_data.check_month_ended(month, today)


@pytest.mark.parametrize("month", ["2026-13", "26-11", "2026-1", "", "2026-11-01"])
def test_malformed_months_are_refused(month):
    with pytest.raises(ReleaseError, match="YYYY-MM"):
        release_data.month_bounds(month)


def test_month_bounds_know_february():
    assert release_data.month_bounds("2028-02") == (date(2028, 2, 1), date(2028, 2, 29))


def _sheets(data, info=INFO):
    return {t.name: t.get_values() for t in Document(io.BytesIO(ods.release_ods(data, info))).body.tables}


def test_ods_has_cover_contents_notes_then_one_table_per_sheet():
    sheets = _sheets(_data())
    assert list(sheets) == ["Cover_sheet", "Contents", "Notes", "Table_1", "Table_2", "Table_3"]
    cover = [row[0] for row in sheets["Cover_sheet"]]
    assert cover[0] == "Modern slavery training for UK policing: national figures, November 2026"
    for fact in ("2026.12", "1 December 2026 at 06:00 UTC", "Final", "stats@example"):
        assert fact in cover
    assert any(line.startswith("[c] confidential") for line in cover)
    contents = sheets["Contents"]
    assert contents[0][0] == "Table of contents"
    assert contents[2] == ["Sheet name", "Table description"]
    assert [row[0] for row in contents[3:]] == ["Notes", "Table_1", "Table_2", "Table_3"]
    notes = sheets["Notes"]
    assert notes[2] == ["Note number", "Note text"]
    assert [row[0] for row in notes[3:]] == [f"[note {n}]" for n in range(1, len(release_data.NOTES) + 1)]
    note_text = " ".join(row[1] for row in notes[3:])
    for code in ("[c]", "[x]", "[z]", "[b]"):
        assert code in note_text


def test_each_table_sheet_has_its_title_in_a1_one_header_row_and_no_blank_rows():
    sheets = _sheets(_data())
    for number in (1, 2, 3):
        values = sheets[f"Table_{number}"]
        assert values[0][0].startswith(f"Table {number}: ")
        assert "[note 1]" in values[0][0]
        assert all(v is None for v in values[0][1:])  # text in column A only, nothing merged
        header, body = values[3], values[4:]
        assert all(isinstance(h, str) and h for h in header)
        assert body
        for row in body:
            assert all(v is not None and v != "" for v in row), row
    forces = sheets["Table_1"]
    assert forces[3][12] == "Uptake (currently certified) (proportion)"
    assert [row[0] for row in forces[4:]] == ["A", "B", "ALL"]
    assert "[c]" in forces[5]
    assert sheets["Table_3"][5][1:3] == ["[c]", "[c]"]


def test_ods_writes_no_merged_cells():
    document = Document(io.BytesIO(ods.release_ods(_data(), INFO)))
    for table in document.body.tables:
        for row in table.rows:
            for c in row.cells:
                assert c.get_attribute("table:number-columns-spanned") is None
                assert c.get_attribute("table:number-rows-spanned") is None


def test_a_break_in_series_and_a_revision_show_on_the_cover_and_titles():
    info = ods.ReleaseInfo("2026-11", 2, "2027.01", "2 December 2026 at 06:00 UTC", "Revised", "Late data")
    sheets = _sheets(_data(break_in_series=True), info)
    cover = [row[0] for row in sheets["Cover_sheet"]]
    status = cover[cover.index("Status") + 1]
    assert status.startswith("Revised (revision 2): Late data")
    assert "[b]" in status
    assert "[b]" in sheets["Table_1"][0][0]


def test_release_csv_has_codes_and_the_release_context():
    context = {
        "release_month": "2026-11",
        "revision": 1,
        "methodology_version": "2026.12",
        "status": "final",
        "published_at_utc": "2026-12-01T06:00:00Z",
    }
    rows = list(csv.DictReader(io.StringIO(release_data.release_csv(_data(), context))))
    assert [r["force_code"] for r in rows] == ["A", "B", "ALL"]
    assert rows[0]["officer_figure"] == "[x]"
    assert rows[1]["officers_registered"] == "[c]"
    assert rows[2]["nation"] == "[z]"
    assert {r["methodology_version"] for r in rows} == {"2026.12"}


def test_the_cover_names_the_next_update():
    cover = [row[0] for row in _sheets(_data())["Cover_sheet"]]
    assert cover[cover.index("Next update") + 1].startswith("Monthly: the figures for December 2026")
    assert release_data.next_month("2026-12") == "2027-01"
