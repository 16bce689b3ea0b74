"""The hexagon map of forces: a valid layout file, a well-formed accessible SVG, bands and escaping."""

import csv
import itertools
import math
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest

from app.metrics import hexmap
from app.metrics.definitions import Suppressed
from app.metrics.hexmap import BANDS, NO_FIGURE, Hex, HexFileError, hex_map_svg, read_hexes
from tests.unit.metrics.test_charts import NS, luminance

ROOT = Path(__file__).resolve().parents[3]
HEXES_CSV = ROOT / "content" / "force_hexes.csv"
with (ROOT / "content" / "forces.csv").open(encoding="utf-8") as _handle:
    FORCES = list(csv.DictReader(_handle))
GEOGRAPHIC = {
    f["code"]
    for f in FORCES
    if f["type"] == "territorial" and f["nation"] in {"England", "Wales", "Scotland", "Northern Ireland"}
}
HOSTILE = "<script>&\"'</script>"


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def groups(root: ET.Element) -> dict[str, ET.Element]:
    """Each hexagon's <g>, keyed by its <title> text."""
    return {
        g.find("svg:title", NS).text: g
        for g in root.iterfind(".//svg:g", NS)
        if (g.get("class") or "").startswith("hex")
    }


def every_force(value=5.0):
    return [(f["code"], f["name"], value) for f in FORCES]


@pytest.fixture(scope="module")
def hexes():
    return read_hexes(HEXES_CSV)


# --- the coordinates file --------------------------------------------------------------------


def test_layout_codes_exist_and_cells_are_unique(hexes):
    known = {f["code"] for f in FORCES}
    assert {h.code for h in hexes} <= known
    cells = Counter((h.col, h.row) for h in hexes if h.placed)
    assert max(cells.values()) == 1
    assert len({h.abbreviation for h in hexes}) == len(hexes)


def test_every_geographic_force_has_a_cell_and_no_other_does(hexes):
    placed = {h.code for h in hexes if h.placed}
    assert placed == GEOGRAPHIC
    assert len(placed) == 45  # 43 in England and Wales, Police Scotland, PSNI


def test_layout_is_recognisably_the_uk(hexes):
    at = {h.code: ((h.col + 0.5 * (h.row % 2)), h.row) for h in hexes if h.placed}
    assert at["police-scotland"][1] == min(row for _, row in at.values())
    assert at["psni"][0] == min(x for x, _ in at.values())
    for welsh in ("north-wales", "dyfed-powys", "south-wales", "gwent"):
        assert at[welsh][0] < at["west-midlands"][0]
    assert at["met"][0] > at["thames-valley"][0]
    assert at["met"][1] > at["west-midlands"][1]

    def adjacent(a, b):
        (xa, ra), (xb, rb) = at[a], at[b]
        return (ra == rb and abs(xa - xb) == 1) or (abs(ra - rb) == 1 and abs(xa - xb) == 0.5)

    for a, b in [
        ("met", "city-of-london"),
        ("met", "surrey"),
        ("met", "kent"),
        ("police-scotland", "cumbria"),
        ("police-scotland", "northumbria"),
        ("gmp", "lancashire"),
        ("west-midlands", "staffordshire"),
        ("south-wales", "gwent"),
        ("devon-cornwall", "avon-somerset"),
    ]:
        assert adjacent(a, b), (a, b)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("code,x,y,abbreviation\nmet,1,1,MET\n", "columns"),
        ("code,col,row,abbreviation\nmet,1,1,MET\ncity-of-london,1,1,COL\n", "share a cell"),
        ("code,col,row,abbreviation\nmet,1,1,MET\nmet,2,1,MET\n", "repeated"),
        ("code,col,row,abbreviation\nmet,1,,MET\n", "both"),
        ("code,col,row,abbreviation\nmet,-1,1,MET\n", "whole numbers"),
        ("code,col,row,abbreviation\nmet,1,1,METROPOLITAN\n", "2 to 4"),
    ],
)
def test_a_bad_layout_file_is_refused_with_its_line(tmp_path, text, message):
    path = tmp_path / "hexes.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(HexFileError, match=message):
        read_hexes(path)


# --- the SVG ---------------------------------------------------------------------------------


def test_map_is_well_formed_titled_and_accessible(hexes):
    svg = hex_map_svg("Map of uptake by force", every_force(), hexes, chart_id="uptake-map")
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    ids = {node.get("id") for node in root.iter() if node.get("id")}
    assert set(root.get("aria-labelledby").split()) == {"uptake-map-title", "uptake-map-desc"} <= ids
    assert root.find("svg:title", NS).text == "Map of uptake by force"
    assert "same figures are in the table" in root.find("svg:desc", NS).text
    assert len(groups(root)) == len(FORCES)  # the 45 on the map and the 7 in the separate row


def test_a_figure_gets_the_colour_of_its_band(hexes):
    # Highest 9% -> bands of 2 points up to 10%; a band includes its lower bound.
    items = [("met", "Met", 1.0), ("kent", "Kent", 4.0), ("essex", "Essex", 5.5), ("gmp", "GMP", 9.0)]
    root = ET.fromstring(hex_map_svg("Map", items, hexes))
    hexagons = groups(root)
    expected = {"Met: 1%": BANDS[0], "Kent: 4%": BANDS[2], "Essex: 5.5%": BANDS[2], "GMP: 9%": BANDS[4]}
    for title, fill in expected.items():
        assert hexagons[title].find("svg:polygon", NS).get("fill") == fill
    assert "5.5%" in [t.text for t in hexagons["Essex: 5.5%"].iterfind("svg:text", NS)]


def test_bands_follow_the_highest_figure_and_say_when_one_passes_the_top():
    assert hexmap.bands([4.2, 8.7]) == [(0, 2), (2, 4), (4, 6), (6, 8), (8, 10)]
    empty = [bound for band in hexmap.bands([]) for bound in band]
    assert empty == pytest.approx([0, 0.2, 0.2, 0.4, 0.4, 0.6, 0.6, 0.8, 0.8, 1])
    limits = hexmap.bands([40.0, 104.0])
    assert limits[-1] == (80, 100)
    assert hexmap.band_labels(limits, [104.0])[-1] == "80% or more"
    assert hexmap.band_labels(limits, [99.0])[-1] == "80% to 100%"
    assert hexmap.band_labels(limits, [99.0])[0] == "0% to under 20%"


@pytest.mark.parametrize("value", [Suppressed(), None])
def test_withheld_and_unknown_get_the_no_figure_style(hexes, value):
    items = [("met", "Met", value), ("kent", "Kent", 6.0)]
    root = ET.fromstring(hex_map_svg("Map", items, hexes))
    shown = "[c]" if value is not None else "unknown"
    [group] = [g for title, g in groups(root).items() if title.startswith(f"Met: {shown}")]
    assert "hex--no-figure" in group.get("class")
    polygon = group.find("svg:polygon", NS)
    assert polygon.get("fill") == NO_FIGURE
    assert polygon.get("stroke-dasharray")
    assert shown in [t.text for t in group.iterfind("svg:text", NS)]


def test_forces_outside_the_view_are_outlines_and_unplaced_ones_join_the_separate_row(hexes):
    items = [
        ("met", "Met", 5.0),
        ("btp", "British Transport Police", 3.0),
        ("new-x", "New Example Force", 1.0),
    ]
    root = ET.fromstring(hex_map_svg("Map", items, hexes))
    hexagons = groups(root)
    assert Hex("btp", "BTP").placed is False
    assert hexagons["kent: not in this view"].find("svg:polygon", NS).get("fill") == "#ffffff"
    assert "BTP" in [t.text for t in hexagons["British Transport Police: 3%"].iterfind("svg:text", NS)]
    assert "NEF" in [t.text for t in hexagons["New Example Force: 1%"].iterfind("svg:text", NS)]
    legend = "".join(root.find(".//svg:g[@class='legend']", NS).itertext())
    assert "Not in this view" in legend


def test_labels_are_escaped(hexes, tmp_path):
    path = tmp_path / "hexes.csv"
    path.write_text('code,col,row,abbreviation\nmet,1,1,"<&>\'"\n', encoding="utf-8")
    items = [("met", HOSTILE, 5.0), ("x", HOSTILE + "\x00", Suppressed())]
    svg = hex_map_svg(HOSTILE, items, read_hexes(path), measure=HOSTILE)
    root = ET.fromstring(svg)
    assert f"{HOSTILE}: 5%" in groups(root)
    assert "<&>'" in ["".join(t.itertext()) for t in root.iterfind(".//svg:text", NS)]
    assert "<script" not in svg


def test_legend_lists_every_band_and_no_figure(hexes):
    root = ET.fromstring(hex_map_svg("Map", [("met", "Met", 9.0), ("kent", "Kent", None)], hexes))
    legend = [t.text for t in root.find(".//svg:g[@class='legend']", NS).iterfind("svg:text", NS)]
    assert legend == [
        "Currently certified",
        "0% to under 2%",
        "2% to under 4%",
        "4% to under 6%",
        "6% to under 8%",
        "8% to 10%",
        "[c] or unknown",
        "Not in this view",  # the other 50 forces
    ]
    swatches = [r.get("fill") for r in root.find(".//svg:g[@class='legend']", NS).iterfind("svg:rect", NS)]
    assert swatches == [*BANDS, NO_FIGURE, "#ffffff"]


def test_text_is_large_enough_and_contrasts_with_its_hexagon(hexes):
    items = [
        (f["code"], f["name"], value) for f, value in zip(FORCES, itertools.cycle([1, 3, 5, 7, 9, None]))
    ]
    root = ET.fromstring(hex_map_svg("Map", items, hexes))
    for node in root.iter():
        if node.get("font-size") is not None:
            assert float(node.get("font-size")) >= 12
    for group in groups(root).values():
        fill = group.find("svg:polygon", NS).get("fill")
        for text in group.iterfind("svg:text", NS):
            assert contrast(text.get("fill"), fill) >= 4.5, (fill, text.get("fill"))


def test_no_two_hexagons_overlap_and_none_is_outside_the_picture(hexes):
    items = [*every_force(), *[(f"extra-{i}", f"Extra {i}", 1.0) for i in range(5)]]
    root = ET.fromstring(hex_map_svg("Map", items, hexes))
    width, height = (float(v) for v in root.get("viewBox").split()[2:])
    centres = []
    for polygon in root.iterfind(".//svg:polygon", NS):
        points = [tuple(map(float, p.split(","))) for p in polygon.get("points").split()]
        assert all(0 <= x <= width and 0 <= y <= height for x, y in points)
        centres.append((sum(x for x, _ in points) / 6, sum(y for _, y in points) / 6))
    for a, b in itertools.combinations(centres, 2):
        assert math.dist(a, b) >= hexmap.HEX_WIDTH - 0.5


def test_nothing_external_and_no_script(hexes):
    lowered = hex_map_svg("Map", every_force(), hexes).lower()
    for forbidden in ("<script", "href", "url(", "<image", "javascript", "<foreignobject", "onload="):
        assert forbidden not in lowered


def test_initials_ignore_brackets_and_small_words():
    assert hexmap.initials("Ministry of Defence Police") == "MDP"
    assert hexmap.initials("Guernsey Police (Bailiwick of Guernsey)") == "GP"


def test_pdf_prints_the_map_text_at_9pt_or_more(hexes):
    """The PDF sets the map's height in cm; its smallest text (12 units) must print at >= 9pt."""
    css = (ROOT / "app" / "static" / "css" / "metrics.css").read_text(encoding="utf-8")
    [height_cm] = re.findall(r"\.report__hexmap svg\.chart \{[^}]*height:\s*([\d.]+)cm", css)
    # The tallest map: every force, one left out of the view (the legend's longest form).
    root = ET.fromstring(hex_map_svg("Map", every_force()[1:], hexes))
    view_height = float(root.get("viewBox").split()[3])
    points_per_unit = float(height_cm) / 2.54 * 72 / view_height
    assert 12 * points_per_unit >= 9
