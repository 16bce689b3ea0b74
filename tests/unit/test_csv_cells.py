"""Spreadsheet cells: numbers as numbers, text never run as a formula."""

import pytest

from app.csv_cells import neutralise_cell, number_cell


@pytest.mark.parametrize(
    ("value", "cell"),
    [(True, 1), (False, 0), (7, 7), (0.123456, 0.1235), (2.0, 2.0), ("7", None), (None, None)],
)
def test_number_cell(value, cell):
    assert number_cell(value) == cell
    assert type(number_cell(value)) is type(cell)


def test_formula_starts_are_neutralised():
    assert neutralise_cell("=SUM(A1)") == "'=SUM(A1)"
    assert neutralise_cell("Avon") == "Avon"


def test_csv_text_has_a_bom_the_header_and_neutralised_cells():
    from app.csv_cells import csv_text

    text = csv_text(["Name", "Note"], [("Ann", "=HYPERLINK(1)"), ("Bo", None)])
    assert text.startswith("\ufeffName,Note\r\n")
    assert "Ann,'=HYPERLINK(1)\r\n" in text
    assert text.endswith("Bo,\r\n")
