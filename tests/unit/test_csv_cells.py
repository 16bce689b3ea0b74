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
