"""Pocket cards: `pocket_card:` in module.md read and checked, kept out of the version, printed on one
tagged A6 page."""

import io
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.content.frontmatter import Fields, split_front_matter
from app.content.loader import module_hash
from app.content.pocket_card import (
    MAX_POINT_CHARS,
    CardSection,
    CardSource,
    PocketCard,
    load_pocket_card,
    read_pocket_card,
)
from app.content.pocket_card_pdf import RefuseAllFetcher, pocket_card_html, render_pocket_card_pdf
from app.content.reviews import review_warnings
from app.content.validation import check_tree, load_tree

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "docs" / "example-module"
CONTENT = ROOT / "content"
MODULES = ("spotting-the-signs", "using-the-act", "victim-centred-interviewing", "first-responder-refresher")
URL = "https://training.example.police.uk/modules/alpha"

CARD = """\
pocket_card:
  reviewed_on: 2026-12-03
  sections:
    - heading: At the scene
      points:
        - Make the person safe first.
        - Speak to them alone through an independent interpreter.
    - heading: Refer
      points:
        - "Child: safeguarding referral, then NRM."
"""


def read(front_matter: str) -> tuple[PocketCard | None, list[str]]:
    doc = split_front_matter(f"---\ntitle: A\n{front_matter}---\nBody\n", "module.md")
    problems: list = []
    card = read_pocket_card(Fields("module.md", doc.meta, doc.lines, problems))
    return card, [str(p) for p in problems]


def pdf_text(pdf: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    return reader, re.sub(r"\s+", " ", text)


def test_a_card_reads_its_sections_points_and_review_date():
    card, problems = read(CARD)
    assert problems == []
    assert card.reviewed_on == date(2026, 12, 3)
    assert card.sections[0] == CardSection(
        "At the scene",
        ("Make the person safe first.", "Speak to them alone through an independent interpreter."),
    )
    assert card.points[-1] == "Child: safeguarding referral, then NRM."


def test_no_card_is_no_card_and_no_problem():
    assert read("") == (None, [])


@pytest.mark.parametrize(
    ("front_matter", "expected"),
    [
        ("pocket_card: [a]\n", ["module.md:3: 'pocket_card' must be 'key: value' lines"]),
        (
            "pocket_card:\n  reviewed_on: 2026-12-03\n",
            ["module.md:3: missing required key 'sections' in 'pocket_card'"],
        ),
        (
            "pocket_card:\n  reviewed_on: soon\n  sections:\n    - heading: H\n      points: [p]\n",
            ["module.md:4: 'reviewed_on' must be a date written as YYYY-MM-DD"],
        ),
        (
            "pocket_card:\n  sections:\n    - heading: H\n      points: []\n      colour: red\n",
            [
                "module.md:7: unknown key 'colour' in a card section (allowed: heading, points)",
                "module.md:6: a card section needs at least one point",
            ],
        ),
        (
            "pocket_card:\n  sections:\n    - just text\n",
            ["module.md:5: each card section needs a 'heading' and 'points'"],
        ),
        (
            "pocket_card:\n  sections:\n    - heading: H\n      points:\n"
            f"        - ok\n        - {'x' * 171}\n",
            [f"module.md:8: card point is 171 characters; at most {MAX_POINT_CHARS} fit the card"],
        ),
        (
            "pocket_card:\n  sections:\n"
            + "".join(f"    - heading: H{n}\n      points: [p, q, r]\n" for n in range(5)),
            ["module.md:4: 15 card points; at most 14 fit one page"],
        ),
        (
            "pocket_card:\n  sections:\n    - heading: H\n      points:\n"
            + "".join(f"        - {'y' * 160}\n" for _ in range(10)),
            ["module.md:4: the card has 1601 characters; at most 1450 fit one page"],
        ),
    ],
)
def test_a_broken_card_is_reported_at_its_line(front_matter, expected):
    assert read(front_matter)[1] == expected


@pytest.fixture
def module(tmp_path):
    root = tmp_path / "content"
    shutil.copytree(EXAMPLE, root / "modules" / "alpha")
    (root / "courses.yml").write_text("courses:\n  - slug: c\n    title: C\n    modules: [alpha]\n")
    return root / "modules" / "alpha"


def _add_to_front_matter(path: Path, lines: str) -> None:
    text = path.read_text()
    end = text.index("\n---\n", 4)
    path.write_text(text[:end] + "\n" + lines.rstrip("\n") + text[end:])


def test_the_card_is_not_part_of_the_module_version(module):
    before = module_hash(module)
    _add_to_front_matter(module / "module.md", CARD)
    assert module_hash(module) == before
    text = (module / "module.md").read_text()
    (module / "module.md").write_text(text.replace("Make the person safe first.", "Make them safe."))
    assert module_hash(module) == before
    (module / "module.md").write_text(text.replace("title:", "title: New"))
    assert module_hash(module) != before  # what officers read in the module still counts


def test_content_check_reports_a_broken_card(module):
    _add_to_front_matter(module / "module.md", "pocket_card:\n  sections: []\n")
    assert [str(p) for p in check_tree(module.parents[1])] == []  # an empty card is no card
    _add_to_front_matter(module / "module.md", "")
    text = (module / "module.md").read_text().replace("  sections: []\n", "  sections: nope\n")
    (module / "module.md").write_text(text)
    assert [p.message for p in check_tree(module.parents[1])] == ["'sections' must be a list"]


def test_review_warnings_cover_the_card(module):
    _add_to_front_matter(module / "module.md", CARD)
    tree = load_tree(module.parents[1])
    shown = "content/modules/alpha/module.md"
    card_warnings = [
        str(p) for p in review_warnings(tree, module.parents[1], date(2028, 1, 1)) if p.path == shown
    ]
    assert card_warnings == [
        f"{shown}:1: warning: pocket card last checked on 3 December 2026, more than 12 months ago: "
        "check its key points against the lessons and update 'reviewed_on'"
    ]
    assert not [p for p in review_warnings(tree, module.parents[1], date(2027, 12, 3)) if p.path == shown]
    text = (module / "module.md").read_text().replace("  reviewed_on: 2026-12-03\n", "")
    (module / "module.md").write_text(text)
    tree = load_tree(module.parents[1])
    assert [
        p.message for p in review_warnings(tree, module.parents[1], date(2027, 1, 1)) if p.path == shown
    ] == ["pocket card has no 'reviewed_on': add the date its key points were last checked"]


def test_load_pocket_card_reads_the_file_as_it_is_now_and_skips_a_broken_one(module):
    path = module / "module.md"
    assert load_pocket_card(path) is None
    _add_to_front_matter(path, CARD)
    found = load_pocket_card(path)
    assert found.title == "Example module: first contact and the duty to notify"
    assert found.card.points[0] == "Make the person safe first."
    path.write_text(path.read_text().replace("reviewed_on: 2026-12-03", "reviewed_on: later"))
    assert load_pocket_card(path) is None
    assert load_pocket_card(module / "absent.md") is None


# --- the PDF -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def source():
    card, _ = read(CARD)
    return CardSource("First contact and the duty to notify", card)


def test_the_card_prints_on_one_tagged_a6_page_with_every_point(source):
    reader, text = pdf_text(render_pocket_card_pdf(source, URL))
    assert len(reader.pages) == 1
    width, height = (round(float(x) / 72 * 25.4) for x in reader.pages[0].mediabox[2:])
    assert (width, height) == (105, 148)  # A6
    for expected in ["First contact and the duty to notify", "At the scene", "Refer", *source.card.points]:
        assert expected in text
    assert "Key points checked 3 December 2026" in text
    assert URL in text
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])  # tagged PDF
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en-GB"
    assert reader.metadata.title == "Pocket card: First contact and the duty to notify"


def test_same_card_same_bytes(source):
    assert render_pocket_card_pdf(source, URL) == render_pocket_card_pdf(source, URL)


def test_card_text_is_escaped_and_fetches_nothing(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    hostile = CardSource(
        '<img src="file://' + str(secret) + '">Title',
        PocketCard((CardSection("<b>H</b>", (f'<link rel="stylesheet" href="file://{secret}">p',)),)),
    )
    html = pocket_card_html(hostile, URL)
    assert "<img" not in html
    assert "<link" not in html
    _, text = pdf_text(render_pocket_card_pdf(hostile, URL))
    assert "TOP SECRET" not in text
    assert "<b>H</b>" in text  # shown as text


@pytest.mark.parametrize("url", ["file:///etc/hostname", "http://169.254.169.254/", "data:text/css,p{}"])
def test_the_card_renderer_fetches_nothing_at_all(url):
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    with pytest.raises(FatalURLFetchingError):
        HTML(string=f'<p>x</p><img src="{url}">', url_fetcher=RefuseAllFetcher()).write_pdf()


@pytest.mark.parametrize("slug", MODULES)
def test_every_real_module_has_a_card_that_fits_one_page(slug):
    found = load_pocket_card(CONTENT / "modules" / slug / "module.md")
    assert found is not None
    assert 8 <= len(found.card.points) <= 14
    reader, text = pdf_text(render_pocket_card_pdf(found, f"https://example.police.uk/modules/{slug}"))
    assert len(reader.pages) == 1
    for point in found.card.points:
        assert point in text.replace("- ", "-")  # a hyphenated word may break over a line


def test_real_cards_carry_the_helpline_and_hedge_what_is_uncertain():
    tree = load_tree(CONTENT)
    cards = {slug: tree.modules[slug].pocket_card for slug in MODULES}
    assert all("08000 121 700" in " ".join(c.points) for slug, c in cards.items() if slug != "using-the-act")
    refresher = " ".join(cards["first-responder-refresher"].points)
    assert "check today's wording" in refresher  # the RG test [U]
    assert "Check they are in force" in refresher  # Crime and Policing Act 2026 commencement [U]
    assert "balance of probabilities" in " ".join(cards["using-the-act"].points)  # CG [V]
