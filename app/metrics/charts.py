"""Server-side SVG charts as strings: no JavaScript, no external resources, every label escaped.

Each chart is paired in the template with a table of the same figures, built by chart_table_rows
so the chart text and the table text can never disagree.
"""

from __future__ import annotations

import hashlib
import math
import re
import sys
from decimal import Decimal
from xml.sax.saxutils import escape


def gettext(message: str, **values) -> str:
    """The message in the page's language when Flask-Babel is loaded (a request), else in English:
    this module stays free of Flask (tests/unit/metrics/test_pure_imports.py). Babel extracts it."""
    babel = sys.modules.get("flask_babel")
    if babel is not None:
        return babel.gettext(message, **values)
    return message % values if values else message


def ngettext(singular: str, plural: str, num: int, **values) -> str:
    """ngettext as gettext above: the plural form for `num`, with %(num)s and the values filled in."""
    babel = sys.modules.get("flask_babel")
    if babel is not None:
        return babel.ngettext(singular, plural, num, **values)
    return (singular if num == 1 else plural) % {"num": num, **values}


# Contrast on white (WCAG 2.x): TEXT 19.6:1, MUTED 7.1:1, BAR 5.2:1, GRID 3.3:1.
TEXT = "#0b0c0c"
MUTED = "#505a5f"
BAR = "#1d70b8"
GRID = "#8a8f93"
FONT = "Arial, Helvetica, sans-serif"

WIDTH = 640
TITLE_HEIGHT = 36
LABEL_WIDTH = 250
VALUE_WIDTH = 80
ROW_HEIGHT = 22
BAR_HEIGHT = 14
LABEL_CHARS = 36
FONT_SIZE = 13
REFERENCE_HEIGHT = 20  # room above the rows for a reference line's label
MAX_X_LABELS = 8  # month labels are about 50 units wide at 12 units

# Characters XML 1.0 forbids; removed so a hostile label cannot make the document unparsable.
_INVALID_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _text(value) -> str:
    """Return the value as text safe for XML content and double- or single-quoted attributes."""
    return escape(_INVALID_XML.sub("", str(value)), {'"': "&quot;", "'": "&#39;"})


def _is_number(value) -> bool:
    """Return True for a finite int, float or Decimal (not a bool, None or a Suppressed marker)."""
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool) and math.isfinite(value)


def _floats(items) -> list[tuple]:
    """Return the (label, value) pairs with every number as a float, other values unchanged."""
    return [(label, float(value) if _is_number(value) else value) for label, value in items]


def format_value(value, unit: str = "%") -> str:
    """Return the display text for a figure: 'unknown' for None, one decimal place for fractions."""
    if value is None or (isinstance(value, float | Decimal) and not math.isfinite(value)):
        return gettext("unknown")
    if not _is_number(value):
        return str(value)
    if float(value).is_integer():
        return f"{int(value)}{unit}"
    return f"{value:.1f}{unit}"


def chart_table_rows(items, unit: str = "%") -> list[tuple[str, str]]:
    """Return (label, display text) rows for the accessible table paired with a chart."""
    return [(str(label), format_value(value, unit)) for label, value in items]


def _chart_id(title: str, chart_id: str | None) -> str:
    """Return an id for aria references: the given one made safe, or one derived from the title."""
    if chart_id:
        return re.sub(r"[^A-Za-z0-9_-]", "-", chart_id)
    return "chart-" + hashlib.sha1(title.encode("utf-8")).hexdigest()[:10]


def _svg(cid: str, width: int, height: int, title: str, desc: str, body: list[str]) -> str:
    """Wrap chart elements in an accessible, scalable <svg> with a visible title."""
    return "\n".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
            f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
            f'aria-labelledby="{cid}-title {cid}-desc" font-family="{FONT}" '
            f'font-size="{FONT_SIZE}" fill="{TEXT}">',
            f'<title id="{cid}-title">{_text(title)}</title>',
            f'<desc id="{cid}-desc">{_text(desc)}</desc>',
            f'<text x="0" y="22" font-size="16" font-weight="bold">{_text(title)}</text>',
            *body,
            "</svg>",
        ]
    )


def _describe(kind: str, items, unit: str) -> str:
    """Return a text summary of a chart: its size, highest and lowest figures, and gaps."""
    numbered = [(str(label), value) for label, value in items if _is_number(value)]
    parts = [ngettext("%(kind)s with %(num)s item.", "%(kind)s with %(num)s items.", len(items), kind=kind)]
    if numbered:
        high = max(numbered, key=lambda item: item[1])
        low = min(numbered, key=lambda item: item[1])
        parts.append(
            gettext("Highest: %(label)s, %(value)s.", label=high[0], value=format_value(high[1], unit))
        )
        parts.append(gettext("Lowest: %(label)s, %(value)s.", label=low[0], value=format_value(low[1], unit)))
    missing = len(items) - len(numbered)
    if missing:
        parts.append(gettext("%(count)s without a figure shown.", count=missing))
    parts.append(gettext("The same figures are in the table with this chart."))
    return " ".join(parts)


def _short(label: str) -> str:
    """Return a label cut to fit the label column; the paired table carries it in full."""
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "\u2026"


def bar_chart_svg(
    title: str,
    items,
    unit: str = "%",
    max_value: float | None = None,
    *,
    description: str | None = None,
    chart_id: str | None = None,
    reference: float | None = None,
    reference_label: str | None = None,
) -> str:
    """Return a horizontal bar chart, one row per item; None shows 'unknown' rather than a bar.

    reference: a value to mark across every row with a vertical line labelled
    "<reference_label> <value>" (e.g. the national average); ignored unless it is a number."""
    items = _floats(items)
    reference_label = reference_label or gettext("Average")
    numbers = [value for _, value in items if _is_number(value)]
    reference = float(reference) if _is_number(reference) else None
    low = min(0, *numbers) if numbers else 0
    if max_value is not None:
        high = max_value
    else:
        # A share's axis ends at the nicest round value above the largest bar (at most 100%), so
        # bars of 4 to 9% are not squeezed into the first tenth of the chart.
        top_value = max([0, *numbers, *([reference] if reference is not None else [])])
        high = min(100.0, _nice_ceiling(top_value)) if unit == "%" else top_value
    if high <= low:
        high = low + 1
    plot_width = WIDTH - LABEL_WIDTH - VALUE_WIDTH

    def x(value: float) -> float:
        return LABEL_WIDTH + (min(max(value, low), high) - low) / (high - low) * plot_width

    zero = x(0)
    top = TITLE_HEIGHT + 8 + (REFERENCE_HEIGHT if reference is not None else 0)
    height = top + max(len(items), 1) * ROW_HEIGHT + 28
    body = [
        f'<line x1="{zero:.1f}" y1="{top - 4}" x2="{zero:.1f}" '
        f'y2="{height - 24}" stroke="{MUTED}" stroke-width="1"/>'
    ]
    for row, (label, value) in enumerate(items):
        y = top + row * ROW_HEIGHT
        middle = y + ROW_HEIGHT / 2 + 4
        body.append(
            f'<g class="item"><text x="{LABEL_WIDTH - 8}" y="{middle:.1f}" '
            f'text-anchor="end">{_text(_short(str(label)))}</text>'
        )
        text_x = zero + 4
        if _is_number(value):
            end = x(value)
            body.append(
                f'<rect class="bar" x="{min(zero, end):.1f}" '
                f'y="{y + (ROW_HEIGHT - BAR_HEIGHT) / 2:.1f}" '
                f'width="{abs(end - zero):.1f}" height="{BAR_HEIGHT}" fill="{BAR}"/>'
            )
            text_x = max(zero, end) + 4
            body.append(
                f'<text x="{text_x:.1f}" y="{middle:.1f}">{_text(format_value(value, unit))}</text></g>'
            )
        else:
            body.append(
                f'<text x="{text_x:.1f}" y="{middle:.1f}" fill="{MUTED}" '
                f'font-style="italic">{_text(format_value(value, unit))}</text></g>'
            )
    if not items:
        body.append(f'<text x="{LABEL_WIDTH}" y="{top + 15}" fill="{MUTED}">No data</text>')
    if reference is not None:  # across the bars, so it shows where each one passes it
        mark = f"{reference_label} {format_value(reference, unit)}"
        body.append(_reference_line(x(reference), top, height, mark))
    axis_y = height - 8
    body.append(
        f'<text x="{x(low):.1f}" y="{axis_y}" fill="{MUTED}" text-anchor="start">'
        f"{_text(format_value(low, unit))}</text>"
    )
    body.append(
        f'<text x="{x(high):.1f}" y="{axis_y}" fill="{MUTED}" text-anchor="end">'
        f"{_text(format_value(high, unit))}</text>"
    )
    desc = description or _describe(gettext("Horizontal bar chart"), items, unit)
    if reference is not None:
        desc += " " + gettext(
            "%(label)s: %(value)s, marked by a vertical line.",
            label=reference_label,
            value=format_value(reference, unit),
        )
    return _svg(_chart_id(title, chart_id), WIDTH, height, title, desc, body)


def bar_chart_parts(title: str, items, per_part: int, unit: str = "%", **kwargs) -> list[str]:
    """The bar chart cut into parts of at most `per_part` rows on one common axis, so each part
    fits a printed page with its text at full size (the national PDF)."""
    items = _floats(items)
    numbers = [value for _, value in items if _is_number(value)]
    reference = kwargs.get("reference")
    top_value = max([0, *numbers, *([float(reference)] if _is_number(reference) else [])])
    high = min(100.0, _nice_ceiling(top_value)) if unit == "%" else top_value
    chunks = [items[start : start + per_part] for start in range(0, len(items), per_part)] or [[]]
    if len(chunks) == 1:
        return [bar_chart_svg(title, chunks[0], unit, high, **kwargs)]
    chart_id = kwargs.pop("chart_id", None)
    return [
        bar_chart_svg(
            f"{title} (part {number} of {len(chunks)})",
            chunk,
            unit,
            high,
            chart_id=f"{chart_id}-{number}" if chart_id else None,
            **kwargs,
        )
        for number, chunk in enumerate(chunks, start=1)
    ]


def _reference_line(at: float, top: float, height: float, label: str) -> str:
    """A dashed vertical line across the rows at `at`, its label above the rows, anchored so it
    stays inside the chart."""
    middle = LABEL_WIDTH + (WIDTH - LABEL_WIDTH - VALUE_WIDTH) / 2
    anchor = "end" if at > middle else "start"
    return (
        f'<g class="reference"><line x1="{at:.1f}" y1="{top - 6}" x2="{at:.1f}" y2="{height - 24}" '
        f'stroke="{TEXT}" stroke-width="1.5" stroke-dasharray="5 4"/>'
        f'<text x="{at:.1f}" y="{top - 10}" text-anchor="{anchor}" '
        f'font-weight="bold">{_text(label)}</text></g>'
    )


def _nice_ceiling(value: float) -> float:
    """Return the smallest 1, 2, 2.5 or 5 times a power of ten at or above the value."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power * (1 + 1e-9):
            return step * power
    return 10 * power


def _tick(value: float, unit: str) -> str:
    """Return an axis tick label without float noise."""
    return f"{round(value, 6):g}{unit}"


def line_chart_svg(
    title: str,
    points,
    y_label: str,
    *,
    unit: str = "",
    description: str | None = None,
    chart_id: str | None = None,
) -> str:
    """Return a line chart of (label, value) points in order; None values leave a gap."""
    points = _floats(points)
    numbers = [value for _, value in points if _is_number(value)]
    low = min(0, *numbers) if numbers else 0
    high = _nice_ceiling(max(numbers)) if numbers and max(numbers) > 0 else 1.0
    left, right, top, bottom = 80, 36, TITLE_HEIGHT + 14, 56
    height = 340
    plot_w, plot_h = WIDTH - left - right, height - top - bottom

    def px(index: int) -> float:
        if len(points) == 1:
            return left + plot_w / 2
        return left + index * plot_w / (len(points) - 1)

    def py(value: float) -> float:
        return top + plot_h - (value - low) / (high - low) * plot_h

    body = []
    for step in range(6):
        tick = low + (high - low) * step / 5
        body.append(
            f'<line x1="{left}" y1="{py(tick):.1f}" x2="{WIDTH - right}" '
            f'y2="{py(tick):.1f}" stroke="{GRID}" stroke-width="1"/>'
        )
        body.append(
            f'<text x="{left - 6}" y="{py(tick) + 4:.1f}" text-anchor="end" '
            f'fill="{MUTED}">{_text(_tick(tick, unit))}</text>'
        )
    body.append(
        f'<text transform="rotate(-90)" x="{-(top + plot_h / 2):.1f}" y="16" '
        f'text-anchor="middle">{_text(y_label)}</text>'
    )
    every = max(1, math.ceil(len(points) / MAX_X_LABELS))
    for index, (label, _) in enumerate(points):
        if index % every == 0:
            # The last label ends at its point, so a long one ("2026-12 (so far)") is not cut off.
            anchor = "end" if index == len(points) - 1 and index > 0 else "middle"
            body.append(
                f'<text x="{px(index):.1f}" y="{top + plot_h + 20}" '
                f'text-anchor="{anchor}" font-size="12">{_text(label)}</text>'
            )
    segment: list[str] = []
    segments = [segment]
    for index, (_, value) in enumerate(points):
        if _is_number(value):
            segment.append(f"{px(index):.1f},{py(value):.1f}")
        elif segment:
            segment = []
            segments.append(segment)
    for coords in segments:
        if len(coords) > 1:
            body.append(
                f'<polyline class="line" points="{" ".join(coords)}" fill="none" '
                f'stroke="{BAR}" stroke-width="2.5"/>'
            )
    for index, (label, value) in enumerate(points):
        if _is_number(value):
            body.append(
                f'<circle class="point" cx="{px(index):.1f}" cy="{py(value):.1f}" '
                f'r="3.5" fill="{BAR}"><title>{_text(label)}: '
                f"{_text(format_value(value, unit))}</title></circle>"
            )
    if not points:
        body.append(f'<text x="{left + 10}" y="{top + 20}" fill="{MUTED}">No data</text>')
    desc = description or _describe(gettext("Line chart of %(label)s", label=y_label), points, unit)
    return _svg(_chart_id(title, chart_id), WIDTH, height, title, desc, body)
