"""SVG charts: well-formed, titled, escaped, accessible colours, one bar per item."""

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.metrics import charts
from app.metrics.charts import bar_chart_svg, chart_table_rows, format_value, line_chart_svg
from app.metrics.definitions import Suppressed

NS = {"svg": "http://www.w3.org/2000/svg"}
HOSTILE = '<script>&"'


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def texts(root: ET.Element) -> list[str]:
    return ["".join(node.itertext()) for node in root.iterfind(".//svg:text", NS)]


def bars(root: ET.Element) -> list[ET.Element]:
    return [r for r in root.iterfind(".//svg:rect", NS) if r.get("class") == "bar"]


def luminance(hex_colour: str) -> float:
    """WCAG relative luminance, written out here rather than taken from the code under test."""
    channels = []
    for i in (1, 3, 5):
        c = int(hex_colour[i : i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]


def contrast_on_white(hex_colour: str) -> float:
    return 1.05 / (luminance(hex_colour) + 0.05)


FORCES = [(f"Force number {n}", n * 2.0) for n in range(1, 46)]


def test_bar_chart_is_accessible_svg():
    root = parse(bar_chart_svg("Uptake by force", [("Avon", 6.0), ("Cumbria", 10.0)]))
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("role") == "img"
    assert root.get("viewBox").startswith("0 0 ")
    assert root.find("svg:title", NS).text == "Uptake by force"
    assert "Uptake by force" in texts(root)
    desc = root.find("svg:desc", NS).text
    assert "Highest: Cumbria, 10%" in desc
    ids = {node.get("id") for node in root.iter() if node.get("id")}
    assert set(root.get("aria-labelledby").split()) <= ids
    assert len(root.get("aria-labelledby").split()) == 2


def test_one_bar_per_item_and_height_grows_for_45_forces():
    many = parse(bar_chart_svg("Completion", FORCES))
    few = parse(bar_chart_svg("Completion", FORCES[:5]))
    assert len(bars(many)) == 45
    assert len(bars(few)) == 5
    assert float(many.get("height")) > float(few.get("height"))
    assert float(many.get("viewBox").split()[3]) == float(many.get("height"))


def test_decimal_values_from_sql_draw_bars():
    root = parse(bar_chart_svg("Score", [("Avon", Decimal("78.25")), ("Bristol", 70.0)], unit=""))
    assert len(bars(root)) == 2
    assert "78.2" in texts(root)  # 78.25 to one decimal place, rounded half to even
    assert (
        len(parse(line_chart_svg("T", [("a", Decimal("1.5")), ("b", 2)], "n")).findall(".//svg:circle", NS))
        == 2
    )


def test_unknown_is_text_not_a_zero_bar():
    root = parse(bar_chart_svg("Uptake", [("Avon", 6.0), ("Bristol", None), ("Cumbria", 0)]))
    assert len(bars(root)) == 2  # Avon and Cumbria's real zero
    assert "unknown" in texts(root)
    assert "0%" in texts(root)


def test_suppressed_figure_reads_confidential_without_a_bar():
    root = parse(bar_chart_svg("Uptake", [("Avon", 6.0), ("Small", Suppressed())]))
    assert len(bars(root)) == 1
    assert "[c]" in texts(root)


def test_hostile_label_and_title_are_escaped():
    svg = bar_chart_svg(HOSTILE, [(HOSTILE, 5.0)])
    assert "<script" not in svg
    root = parse(svg)
    assert root.find("svg:title", NS).text == HOSTILE
    assert HOSTILE in texts(root)
    line = line_chart_svg(HOSTILE, [(HOSTILE, 1)], HOSTILE)
    assert "<script" not in line
    assert HOSTILE in texts(parse(line))


@given(st.text(max_size=60), st.text(max_size=30))
def test_any_text_makes_well_formed_svg(title, label):
    parse(bar_chart_svg(title, [(label, 1.0)], chart_id=label))
    parse(line_chart_svg(title, [(label, 1.0)], label, chart_id=label))


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=60))
def test_printable_title_round_trips(title):
    assert parse(bar_chart_svg(title, [])).find("svg:title", NS).text in (title, None)


@pytest.mark.parametrize(
    "svg",
    [
        bar_chart_svg("Bars", FORCES + [("Unknown", None)]),
        bar_chart_svg("Bars", FORCES, reference=40.5, reference_label="National average"),
        line_chart_svg("Trend", [("2024-01", 3), ("2024-02", None), ("2024-03", 8)], "Completions"),
    ],
)
def test_colours_meet_wcag_contrast_and_nothing_is_external(svg):
    root = parse(svg)
    for node in root.iter():
        for attribute in ("fill", "stroke"):
            colour = node.get(attribute)
            if colour in (None, "none"):
                continue
            assert re.fullmatch(r"#[0-9a-fA-F]{6}", colour)
            assert contrast_on_white(colour) >= 3.0
        size = node.get("font-size")
        if size is not None:
            assert float(size) >= 12
    for node in root.iterfind(".//svg:text", NS):
        colour = node.get("fill") or root.get("fill")
        assert contrast_on_white(colour) >= 4.5
    lowered = svg.lower()
    for forbidden in ("<script", "href", "url(", "<image", "javascript", "<foreignobject", "onload="):
        assert forbidden not in lowered


def test_line_chart_marks_each_point_and_breaks_at_unknowns():
    points = [("2024-01", 3), ("2024-02", None), ("2024-03", 8), ("2024-04", 10)]
    root = parse(line_chart_svg("Completions by month", points, "Completions"))
    circles = [c for c in root.iterfind(".//svg:circle", NS) if c.get("class") == "point"]
    lines = [p for p in root.iterfind(".//svg:polyline", NS)]
    assert len(circles) == 3
    assert len(lines) == 1  # 2024-01 stands alone; 2024-03 to 2024-04 is one segment
    assert "Completions" in texts(root)
    assert {"2024-01", "2024-02", "2024-03", "2024-04"} <= set(texts(root))


def test_line_chart_thins_month_labels_to_eight():
    points = [(f"m{n}", n) for n in range(36)]
    shown = [t for t in texts(parse(line_chart_svg("Trend", points, "Completions"))) if t.startswith("m")]
    assert len(shown) == 8  # every fifth of 36: m0, m5, ... m35


def test_empty_charts_still_parse():
    assert "No data" in texts(parse(bar_chart_svg("Nothing", [])))
    assert "No data" in texts(parse(line_chart_svg("Nothing", [], "Completions")))


def test_table_rows_match_chart_text():
    items = [("Avon", 12.345), ("Bristol", None), ("Cumbria", 40), ("Small", Suppressed())]
    rows = chart_table_rows(items)
    assert rows == [("Avon", "12.3%"), ("Bristol", "unknown"), ("Cumbria", "40%"), ("Small", "[c]")]
    chart_text = texts(parse(bar_chart_svg("Uptake", items)))
    assert all(shown in chart_text for _, shown in rows)


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (7, "", "7"),
        (2.25, " days", "2.2 days"),
        (-0.5, "", "-0.5"),
        (float("nan"), "%", "unknown"),
    ],
)
def test_format_value(value, unit, expected):
    assert format_value(value, unit) == expected


def test_chart_ids_differ_by_title_and_can_be_given():
    first = parse(bar_chart_svg("Uptake", [])).find("svg:title", NS).get("id")
    second = parse(bar_chart_svg("Completion", [])).find("svg:title", NS).get("id")
    assert first != second
    given_id = parse(bar_chart_svg("Uptake", [], chart_id="uptake 1")).find("svg:title", NS)
    assert given_id.get("id") == "uptake-1-title"


def _widths(svg: str) -> list[float]:
    return [float(w) for w in re.findall(r'class="bar"[^>]* width="([\d.]+)"', svg)]


def test_share_axis_ends_at_a_round_value_above_the_largest_bar_not_at_100():
    small = bar_chart_svg("Uptake", [("A", 4.2), ("B", 8.7)])
    assert ">10%</text>" in small  # the axis runs to 10%, so the larger bar fills most of it
    assert ">100%</text>" not in small
    assert max(_widths(small)) > 0.8 * max(_widths(bar_chart_svg("Uptake", [("A", 100.0)])))
    assert ">100%</text>" in bar_chart_svg("Uptake", [("A", 64.0), ("B", 97.5)])


# --- the charts as printed in the national PDF -------------------------------------------------

PT_PER_MM = 72 / 25.4


def _pdf_width_cm(selector: str) -> float:
    from pathlib import Path

    css = (Path(__file__).resolve().parents[3] / "app" / "static" / "css" / "metrics.css").read_text()
    match = re.search(re.escape(selector) + r"\s*\{[^}]*width:\s*([\d.]+)cm", css)
    assert match, selector
    return float(match.group(1))


def _smallest_font(svg: str) -> float:
    return min(float(size) for size in re.findall(r'font-size="([\d.]+)"', svg))


def test_pdf_line_charts_print_their_smallest_text_at_9pt_or_more():
    svg = charts.line_chart_svg("Trend", [("2026-01", 1), ("2026-02", 3)], "Officers", chart_id="t")
    scale = _pdf_width_cm(".report__chart svg.chart") * 10 / charts.WIDTH  # mm per unit
    assert _smallest_font(svg) * scale * PT_PER_MM >= 9


def test_pdf_uptake_chart_parts_fit_a_page_with_9pt_text():
    from app.metrics.services import PDF_CHART_ROWS

    items = [(f"Force {n}", float(n)) for n in range(52)]
    parts = charts.bar_chart_parts("Uptake by force", items, PDF_CHART_ROWS, chart_id="u")
    assert len(parts) == 2
    assert "(part 1 of 2)" in parts[0]
    scale = _pdf_width_cm(".report__uptake svg.chart") * 10 / charts.WIDTH
    for svg in parts:
        assert _smallest_font(svg) * scale * PT_PER_MM >= 9
        height_units = float(svg.split('viewBox="0 0 ')[1].split('"')[0].split()[1])
        # A4 landscape with 14 mm margins leaves 182 mm; the heading takes about 12 mm.
        assert height_units * scale <= 170


def test_parts_share_one_axis():
    items = [("A", 10.0), ("B", 40.0), ("C", 5.0)]
    first, second = charts.bar_chart_parts("Uptake", items, 2)
    # The axis runs to the nice ceiling of the largest value overall (50%), in both parts.
    assert ">50%<" in first
    assert ">50%<" in second


def test_the_last_month_label_ends_at_its_point_so_it_is_not_cut_off():
    points = [(f"2026-{m:02d}", m) for m in range(1, 8)] + [("2026-08 (so far)", 3)]
    svg = charts.line_chart_svg("Trend", points, "Officers")
    last = re.search(r'<text x="([\d.]+)"[^>]*text-anchor="(\w+)" font-size="12">2026-08 \(so far\)<', svg)
    assert last is not None
    assert last.group(2) == "end"
    assert float(last.group(1)) <= charts.WIDTH


def _reference(root: ET.Element) -> ET.Element | None:
    return next((g for g in root.iterfind(".//svg:g", NS) if g.get("class") == "reference"), None)


def test_bar_chart_marks_a_reference_value_with_a_labelled_vertical_line():
    svg = bar_chart_svg("Uptake", [("A", 4.0), ("B", 8.0)], reference=6.0, reference_label="National average")
    root = parse(svg)
    mark = _reference(root)
    assert mark is not None
    line = mark.find("svg:line", NS)
    assert line.get("x1") == line.get("x2")  # vertical
    assert float(line.get("y2")) > float(line.get("y1"))
    assert "".join(mark.find("svg:text", NS).itertext()) == "National average 6%"
    assert "National average: 6%" in root.find("svg:desc", NS).text
    # The line sits where a bar of the same value would end: halfway along a 0-10% axis.
    a_end = float(bars(root)[0].get("x")) + float(bars(root)[0].get("width"))
    b_end = float(bars(root)[1].get("x")) + float(bars(root)[1].get("width"))
    assert float(line.get("x1")) == pytest.approx((a_end + b_end) / 2, abs=0.2)


def test_reference_above_every_bar_widens_the_axis_and_a_missing_one_draws_nothing():
    assert ">20%</text>" in bar_chart_svg("Uptake", [("A", 4.0)], reference=12.5)
    for missing in (None, Suppressed()):
        root = parse(bar_chart_svg("Uptake", [("A", 4.0)], reference=missing))
        assert _reference(root) is None
        assert "average" not in bar_chart_svg("Uptake", [("A", 4.0)], reference=missing).lower()


def test_parts_carry_the_reference_line_on_their_common_axis():
    items = [("A", 10.0), ("B", 40.0), ("C", 5.0)]
    parts = charts.bar_chart_parts("Uptake", items, 2, reference=62.0, reference_label="National average")
    for svg in parts:
        assert "National average" in svg
        assert ">100%<" in svg  # the axis reaches past the average in every part
