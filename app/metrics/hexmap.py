"""A hexagon map of the UK's police forces as an SVG string, one hexagon per force.

The layout is content/force_hexes.csv: ``code,col,row,abbreviation``, with offset coordinates in
the "odd-r" scheme: hexagons are pointy-topped, ``row`` 0 is the top, and odd rows sit half a
hexagon to the right of even ones. Only geographic forces get a cell (the territorial forces of
England and Wales, Police Scotland and PSNI). The non-geographic forces (BTP, CNC, MDP, NCA) and
the Crown Dependencies are listed with an empty cell: they have figures like any other force, so
rather than a footnote without figures they are drawn in a separate, labelled row of hexagons under
the map, shaded the same way. A force missing from the file altogether joins that row too (its
abbreviation taken from its name's initials), so no force in a report ever drops off the map.

The map draws figures it is given (the shown, disclosure-controlled uptake in percent, or a
Suppressed marker, or None) and computes none. Shading is by five equal bands from 0 to the same
round ceiling the uptake bar chart's axis ends at (charts._nice_ceiling of the highest figure,
at most 100%), so the bands fit figures of 4 to 9% as well as 40 to 90%; each band includes its
lower bound. Conventions are charts.py's: every label escaped by its _text, its fonts, text at
least 12 units, no JavaScript and no external resources.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from app.formatting import N_
from app.metrics.charts import (
    GRID,
    MUTED,
    TEXT,
    _chart_id,
    _describe,
    _is_number,
    _nice_ceiling,
    _svg,
    _text,
    format_value,
    gettext,
)

COLUMNS = ("code", "col", "row", "abbreviation")
# Sequential blues, light to dark (the darkest two carry white text, the others dark text).
BANDS = ("#c6dbef", "#85bcdb", "#4a98c9", "#1d70b8", "#08306b")
WHITE = "#ffffff"
NO_FIGURE = "#dedede"  # grey, with a dashed outline, for [c] and unknown
RADIUS = 30  # centre to corner
HEX_WIDTH = math.sqrt(3) * RADIUS
ROW_STEP = 1.5 * RADIUS
WIDTH = 560
MAP_TOP = 44
LEFT = 4
LEGEND_X = 330  # the key sits in the sea east of Scotland and the north of England
# Forces without a cell sit east of the map below East Anglia, four to a line, honeycombed.
OTHERS_X = 350
OTHERS_TOP = 372
OTHERS_PER_LINE = 4  # 4 on even lines, 3 on the odd lines set half a hexagon in
ABBREVIATION_SIZE = 13
VALUE_SIZE = 12
OTHERS_LABEL = (N_("Not on the map:"), N_("non-geographic forces"), N_("and Crown Dependencies"))
_OUT = object()  # the figure of a placed force that the report's filters leave out


class HexFileError(ValueError):
    """The coordinates file is malformed: says which line and why."""

    def __init__(self, path, line: int, message: str):
        super().__init__(f"{path}, line {line}: {message}")


@dataclass(frozen=True)
class Hex:
    """One force's place: a cell (col, row) on the map, or None for the separate row."""

    code: str
    abbreviation: str
    col: int | None = None
    row: int | None = None

    @property
    def placed(self) -> bool:
        """True when the force has a cell on the map."""
        return self.col is not None


def read_hexes(path: Path) -> list[Hex]:
    """Read and check the coordinates file: known columns, whole-number cells, no code or cell twice."""
    hexes: list[Hex] = []
    codes: set[str] = set()
    cells: dict[tuple[int, int], str] = {}
    with Path(path).open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise HexFileError(path, 1, f"the columns must be {', '.join(COLUMNS)}")
        for line, record in enumerate(reader, start=2):
            code = (record["code"] or "").strip()
            abbreviation = (record["abbreviation"] or "").strip()
            col, row = (record["col"] or "").strip(), (record["row"] or "").strip()
            if not code or code in codes:
                raise HexFileError(path, line, f"missing or repeated force code {code!r}")
            if not 2 <= len(abbreviation) <= 4:
                raise HexFileError(path, line, "the abbreviation must be 2 to 4 characters")
            if bool(col) != bool(row):
                raise HexFileError(path, line, "give both col and row, or neither")
            if col:
                if not (col.isdigit() and row.isdigit()):
                    raise HexFileError(path, line, "col and row must be whole numbers from 0")
                cell = (int(col), int(row))
                if cell in cells:
                    raise HexFileError(path, line, f"{code} and {cells[cell]} share a cell")
                cells[cell] = code
                hexes.append(Hex(code, abbreviation, *cell))
            else:
                hexes.append(Hex(code, abbreviation))
            codes.add(code)
    return hexes


def initials(name: str) -> str:
    """Return up to four capital initials of a name, ignoring anything in brackets."""
    words = re.sub(r"\(.*?\)", "", name).split()
    letters = "".join(word[0] for word in words if word[0].isupper())
    return (letters or name[:3]).upper()[:4]


def bands(values) -> list[tuple[float, float]]:
    """Return five equal (lower, upper) bands from 0 to the round ceiling of the highest figure."""
    numbers = [float(v) for v in values if _is_number(v)]
    top = min(100.0, _nice_ceiling(max([0.0, *numbers])))
    step = top / len(BANDS)
    return [(step * i, step * (i + 1)) for i in range(len(BANDS))]


def band_of(value, limits: list[tuple[float, float]]) -> int:
    """Return the band a figure falls in: its lower bound included, the top band open-ended."""
    step = limits[0][1]
    return max(0, min(len(limits) - 1, math.floor(float(value) / step + 1e-9)))


def _tick(value: float, unit: str) -> str:
    return f"{round(value, 6):g}{unit}"


def band_labels(limits: list[tuple[float, float]], values, unit: str = "%") -> list[str]:
    """Return a legend label per band; the top one says 'or more' if a figure passes its end."""
    labels = [
        gettext("%(low)s to under %(high)s", low=_tick(low, unit), high=_tick(high, unit))
        for low, high in limits[:-1]
    ]
    low, high = limits[-1]
    beyond = any(_is_number(v) and float(v) > high for v in values)
    labels.append(
        gettext("%(low)s or more", low=_tick(low, unit))
        if beyond
        else gettext("%(low)s to %(high)s", low=_tick(low, unit), high=_tick(high, unit))
    )
    return labels


def _luminance(colour: str) -> float:
    channels = []
    for i in (1, 3, 5):
        c = int(colour[i : i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]


def text_colour(fill: str) -> str:
    """Return dark text or white, whichever contrasts more with the fill (WCAG ratio)."""
    lum = _luminance(fill)
    on_dark_text = (lum + 0.05) / (_luminance(TEXT) + 0.05)
    on_white_text = 1.05 / (lum + 0.05)
    return TEXT if on_dark_text >= on_white_text else WHITE


def _centre(col: float, row: int, top: float) -> tuple[float, float]:
    x = LEFT + (col + 0.5 * (row % 2)) * HEX_WIDTH + HEX_WIDTH / 2
    return x, top + RADIUS + row * ROW_STEP


def _polygon(cx: float, cy: float) -> str:
    corners = (math.radians(angle) for angle in range(-90, 270, 60))
    return " ".join(f"{cx + RADIUS * math.cos(a):.1f},{cy + RADIUS * math.sin(a):.1f}" for a in corners)


def _honeycomb():
    """Yield (row, place) for the separate row: 4 places, then 3 set in by half, and so on."""
    row = 0
    while True:
        for place in range(OTHERS_PER_LINE - row % 2):
            yield row, place
        row += 1


def _style(value, limits) -> tuple[str, str]:
    """Return (class, fill) for a figure: its band's colour, or the no-figure grey."""
    if _is_number(value):
        return "hex", BANDS[band_of(value, limits)]
    return "hex hex--no-figure", NO_FIGURE


def _hexagon(cx, cy, abbreviation, name, value, limits, unit) -> str:
    """One force's hexagon with its abbreviation, figure and a <title> for hover and screen readers."""
    if value is _OUT:
        css, fill, title, shown = "hex hex--out", WHITE, gettext("%(name)s: not in this view", name=name), ""
        stroke = f'stroke="{GRID}" stroke-width="1"'
        colour = MUTED
    else:
        css, fill = _style(value, limits)
        shown = format_value(value, unit)
        title = f"{name}: {shown}"
        if not _is_number(value) and value is not None:
            title += " " + gettext("(confidential: too few to show)")
        dashed = css.endswith("no-figure")
        stroke = f'stroke="{MUTED if dashed else GRID}" stroke-width="{1.5 if dashed else 1}"'
        stroke += ' stroke-dasharray="4 3"' if dashed else ""
        colour = text_colour(fill)
    parts = [
        f'<g class="{css}"><title>{_text(title)}</title>',
        f'<polygon points="{_polygon(cx, cy)}" fill="{fill}" {stroke}/>',
        f'<text x="{cx:.1f}" y="{cy + (-1 if shown else 4.5):.1f}" text-anchor="middle" '
        f'font-size="{ABBREVIATION_SIZE}" font-weight="bold" fill="{colour}">{_text(abbreviation)}</text>',
    ]
    if shown:
        parts.append(
            f'<text x="{cx:.1f}" y="{cy + 13:.1f}" text-anchor="middle" '
            f'font-size="{VALUE_SIZE}" fill="{colour}">{_text(shown)}</text>'
        )
    parts.append("</g>")
    return "".join(parts)


def _legend(limits, values, unit: str, has_out: bool, measure: str) -> list[str]:
    """The key: one swatch per band, then no figure, then (if any) not in this view."""
    entries = [
        (fill, label, "") for fill, label in zip(BANDS, band_labels(limits, values, unit), strict=True)
    ]
    dashed = f'stroke="{MUTED}" stroke-width="1.5" stroke-dasharray="4 3"'
    entries.append((NO_FIGURE, gettext("[c] or unknown"), dashed))
    if has_out:
        entries.append((WHITE, gettext("Not in this view"), f'stroke="{GRID}" stroke-width="1"'))
    body = [
        f'<g class="legend"><text x="{LEGEND_X}" y="{MAP_TOP + 12}" font-weight="bold">'
        f"{_text(measure)}</text>"
    ]
    for index, (fill, label, stroke) in enumerate(entries):
        y = MAP_TOP + 24 + index * 22
        stroke = stroke or f'stroke="{GRID}" stroke-width="1"'
        body.append(
            f'<rect x="{LEGEND_X}" y="{y}" width="24" height="16" fill="{fill}" {stroke}/>'
            f'<text x="{LEGEND_X + 32}" y="{y + 12.5}">{_text(label)}</text>'
        )
    body.append("</g>")
    return body


def hex_map_svg(
    title: str,
    items,
    hexes: Sequence[Hex],
    *,
    measure: str | None = None,
    unit: str = "%",
    chart_id: str | None = None,
) -> str:
    """Return the map for (force code, force name, shown figure) items, one hexagon per force."""
    measure = measure or gettext("Currently certified")
    items = [(str(code), str(name), float(v) if _is_number(v) else v) for code, name, v in items]
    values = [value for _, _, value in items]
    limits = bands(values)
    by_code = {code: (name, value) for code, name, value in items}
    placed = [h for h in hexes if h.placed]
    listed = {h.code: h for h in hexes}
    rows = max([h.row for h in placed], default=-1) + 1
    others = [
        (listed[c].abbreviation if c in listed else initials(n), n, v)
        for c, n, v in items
        if not (c in listed and listed[c].placed)
    ]
    body = []
    has_out = False
    for cell in placed:
        name, value = by_code.get(cell.code, (None, _OUT))
        if value is _OUT:
            has_out = True
            name = cell.code
        cx, cy = _centre(cell.col, cell.row, MAP_TOP)
        body.append(_hexagon(cx, cy, cell.abbreviation, name, value, limits, unit))
    height = MAP_TOP + (2 * RADIUS + (rows - 1) * ROW_STEP if rows else 0)
    if others:
        for line, words in enumerate(gettext(words) for words in OTHERS_LABEL):
            weight = ' font-weight="bold"' if line == 0 else ""
            body.append(
                f'<text x="{OTHERS_X}" y="{OTHERS_TOP + 12 + line * 16}"{weight}>{_text(words)}</text>'
            )
        top = OTHERS_TOP + 12 + len(OTHERS_LABEL) * 16
        for (row, place), (abbreviation, name, value) in zip(_honeycomb(), others, strict=False):
            cx, cy = _centre(place, row, top)
            cx += OTHERS_X - LEFT
            body.append(_hexagon(cx, cy, abbreviation, name, value, limits, unit))
            height = max(height, cy + RADIUS)
    body.extend(_legend(limits, values, unit, has_out, measure))
    height = max(height, MAP_TOP + 24 + 7 * 22) + 8
    labels = band_labels(limits, values, unit)
    desc = (
        _describe(gettext("Hexagon map of police forces"), [(name, value) for _, name, value in items], unit)
        + " "
        + gettext(
            "Shaded by %(measure)s in five equal bands (%(bands)s); grey with a dashed outline where no"
            " figure is shown.",
            measure=measure.lower(),
            bands=", ".join(labels),
        )
    )
    return _svg(_chart_id(title, chart_id), WIDTH, math.ceil(height), title, desc, body)
