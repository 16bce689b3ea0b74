"""CSV export cells that a spreadsheet will not run as formulas (pure)."""

FORMULA_STARTS = "=+-@\t\r"


def neutralise_cell(value: object) -> str:
    """A cell as text; a leading = + - @ tab or CR gets an apostrophe (OWASP CSV injection)."""
    text = "" if value is None else str(value)
    if text and text[0] in FORMULA_STARTS:
        return "'" + text
    return text
