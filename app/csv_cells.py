"""CSV export cells that a spreadsheet will not run as formulas (pure)."""

import csv
import io

FORMULA_STARTS = "=+-@\t\r"


def neutralise_cell(value: object) -> str:
    """A cell as text; a leading = + - @ tab or CR gets an apostrophe (OWASP CSV injection)."""
    text = "" if value is None else str(value)
    if text and text[0] in FORMULA_STARTS:
        return "'" + text
    return text


def number_cell(value: object) -> int | float | None:
    """A number as a spreadsheet cell: a bool as 0 or 1, an int as it is, a float to 4 places;
    None for anything that is not a number (the caller decides what that becomes)."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return round(value, 4)
    return None


def csv_text(header, rows) -> str:
    """A CSV document for spreadsheets: a byte-order mark (so names read as UTF-8), the header,
    then each row with every cell neutralised."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([neutralise_cell(value) for value in row] for row in rows)
    return out.getvalue()
