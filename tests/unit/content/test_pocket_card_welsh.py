"""The pocket card in Welsh: the fixed words from the catalogue, the points from the module's Welsh
version (cy/module.md) while it is current and has the English card's shape; read back from the
real PDF."""

import io
import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.content.pocket_card import load_pocket_card, load_translated_pocket_card
from app.content.pocket_card_pdf import render_pocket_card_pdf
from app.content.translations import translation_hash
from app.content.validation import check_tree

CONTENT = Path(__file__).resolve().parents[3] / "content"
SLUG = "victim-centred-interviewing"
URL = f"https://training.example.police.uk/modules/{SLUG}"


def pdf_text(pdf: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return reader, re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))


@pytest.fixture
def folder(tmp_path):
    root = tmp_path / "content"
    shutil.copytree(CONTENT, root)
    return root / "modules" / SLUG


def test_the_welsh_card_is_the_welsh_module_version_s(folder):
    welsh = load_translated_pocket_card(folder, "cy")
    english = load_pocket_card(folder / "module.md")
    assert welsh is not None
    assert (welsh.language, welsh.machine_drafted) == ("cy", True)
    assert welsh.title == "Cyfweld sy'n canolbwyntio ar y dioddefwr"
    assert [s.heading for s in welsh.card.sections][0] == "Trawma a datgelu"
    assert len(welsh.card.points) == len(english.card.points)
    assert set(welsh.card.points).isdisjoint(english.card.points)


def test_a_welsh_card_prints_in_welsh_on_one_page(folder):
    welsh = load_translated_pocket_card(folder, "cy")
    reader, text = pdf_text(render_pocket_card_pdf(welsh, URL, "cy"))
    assert len(reader.pages) == 1
    for expected in [
        "HYFFORDDIANT CAETHWASIAETH FODERN",  # the project's name, from the catalogue (in capitals)
        "CERDYN POCED",
        welsh.title,
        "Pwyntiau allweddol wedi'u gwirio 3 Rhagfyr 2026.",
        "Mae'r gyfraith a'r canllawiau'n newid",
        "Drafft yw'r fersiwn Gymraeg hon",
        *welsh.card.points,
    ]:
        assert expected in text.replace("- ", "-"), expected
    assert "Key points checked" not in text
    assert "pocket card" not in text.lower()
    assert reader.trailer["/Root"]["/Lang"] == "cy"
    assert reader.metadata.title == f"Cerdyn poced: {welsh.title}"


def test_an_english_card_on_a_welsh_page_has_welsh_words_and_says_so(folder):
    english = load_pocket_card(folder / "module.md")
    reader, text = pdf_text(render_pocket_card_pdf(english, URL, "cy"))
    assert len(reader.pages) == 1
    assert "Nid yw'r cerdyn hwn yn Gymraeg eto" in text
    assert "CERDYN POCED" in text
    assert english.card.points[0] in text
    assert "Drafft yw" not in text


def test_an_english_reader_gets_the_english_words(folder):
    english = load_pocket_card(folder / "module.md")
    _, text = pdf_text(render_pocket_card_pdf(english, URL))
    assert "Key points checked 3 December 2026." in text
    assert "Cymraeg" not in text


def test_the_english_changing_prints_the_english_card(folder):
    module = folder / "module.md"
    module.write_text(module.read_text().replace("Helpline: 08000 121 700.", "Helpline 08000 121 700."))
    assert load_translated_pocket_card(folder, "cy") is None
    assert load_pocket_card(module) is not None


def test_a_welsh_card_of_another_shape_is_refused(folder):
    welsh = folder / "cy" / "module.md"
    text = welsh.read_text()
    cut = text.index('        - "Nid yw cymorth yn dibynnu')
    welsh.write_text(text[:cut] + text[text.index("\n", cut) + 1 :])
    assert load_translated_pocket_card(folder, "cy") is None
    problems = [p for p in check_tree(folder.parents[1]) if p.path.endswith("cy/module.md")]
    assert [p.message for p in problems] == [
        "the pocket card has [2, 2, 3, 2] points by section, the English has [2, 2, 3, 3]"
    ]


def test_a_welsh_card_too_long_for_the_page_is_an_error(folder):
    welsh = folder / "cy" / "module.md"
    welsh.write_text(welsh.read_text().replace("Trawma a datgelu", "Trawma " * 40))
    problems = [p.message for p in check_tree(folder.parents[1]) if p.path.endswith("cy/module.md")]
    assert any("at most 1450 fit one page" in m for m in problems), problems


def test_the_real_welsh_card_is_current():
    source = translation_hash((CONTENT / "modules" / SLUG / "module.md").read_bytes())
    assert f"source_hash: {source}" in (CONTENT / "modules" / SLUG / "cy" / "module.md").read_text()
    assert load_translated_pocket_card(CONTENT / "modules" / SLUG, "cy") is not None
