"""Fuzzing the officer CSV importer with well-formed CSV of hostile cells (the byte-level fuzz is
tests/unit/auth/test_importer.py::test_arbitrary_bytes_never_crash).

Every row is either accepted with values that fit the database columns, or reported as a problem
with its line; nothing else is raised.
"""

import csv
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from app.auth.importer import COLUMNS, parse_officer_csv

COLUMN_SIZES = {"name": 120, "email": 254, "service_number": 40, "team": 120, "force_code": 40}
CELL = st.one_of(
    st.sampled_from(
        [
            "",
            "Ann Lee",
            "ann@police.uk",
            "kent",
            "=1+1",
            "@SUM(A1)",
            "+44",
            "-2",
            '"quoted"',
            "a,b",
            "line\nbreak",
            "\r",
            "\x00",
            "\u202e",
            "<script>alert(1)</script>",
            "x" * 121,
            "9" * 41,
            "é" * 130,
            "ann@" + "x" * 250 + ".uk",
        ]
    ),
    st.text(max_size=30),
)
ROW = st.lists(CELL, min_size=0, max_size=7)


def _csv(header, rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


@settings(max_examples=300, deadline=None)
@given(st.permutations(COLUMNS), st.lists(ROW, max_size=8), st.booleans())
def test_hostile_cells_are_accepted_within_limits_or_reported(header, rows, as_bytes):
    text = _csv(header, rows)
    good, problems = parse_officer_csv(text.encode() if as_bytes else text)
    assert all(p.line >= 1 and p.message for p in problems)
    for row in good:
        for column, size in COLUMN_SIZES.items():
            value = getattr(row, column)
            assert len(value) <= size, f"{column} of {len(value)} characters accepted"
            assert not any(ord(ch) < 32 for ch in value)
        assert row.name
        assert row.email
        assert row.force_code


def test_a_name_too_long_for_the_column_is_a_row_problem():
    text = _csv(COLUMNS, [["x" * 121, "a@police.uk", "1" * 41, "kent", "t" * 121]])
    good, problems = parse_officer_csv(text)
    assert good == []
    assert [p.message for p in problems] == [
        "name is longer than 120 characters.",
        "team is longer than 120 characters.",
        # Service numbers are checked by the shared identity rule (app/auth/identity.py, issue 17).
        "the service number is longer than 40 characters.",
    ]
