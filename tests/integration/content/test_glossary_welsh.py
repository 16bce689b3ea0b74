"""The glossary in Welsh (content/cy/glossary.yml): a Welsh reader gets each entry's Welsh
definition, and its Welsh name where it has one, while its English is unchanged; names that stay
English (Acts, named schemes) and entries not translated are marked lang="en"; English readers
get the English."""

import re

import pytest

from app.content.entry_translations import GLOSSARY, english_hash
from tests.factories import UserFactory

ENGLISH = """\
terms:
  - id: nrm
    term: National Referral Mechanism
    abbreviation: NRM
    definition: The UK framework for identifying and supporting victims.
  - id: dtn
    term: Duty to Notify
    definition: The s.52 duty.
    see_also: [nrm]
  - id: special-measures
    term: Special measures
    definition: Ways a court can help witnesses.
"""
NRM = {
    "term": "National Referral Mechanism",
    "definition": "The UK framework for identifying and supporting victims.",
}
DTN = {"term": "Duty to Notify", "definition": "The s.52 duty."}


@pytest.fixture
def root(app, tmp_path, monkeypatch):
    root = tmp_path / "content"
    (root / "cy").mkdir(parents=True)
    (root / "glossary.yml").write_text(ENGLISH)
    (root / "cy" / "glossary.yml").write_text(
        "translation: machine-drafted\nterms:\n"
        f"  - id: nrm\n    source_hash: {english_hash(GLOSSARY, NRM)}\n"
        "    term: Mecanwaith Atgyfeirio Cenedlaethol\n"
        "    definition: Fframwaith y DU ar gyfer **adnabod** dioddefwyr.\n"
        f"  - id: dtn\n    source_hash: {english_hash(GLOSSARY, DTN)}\n"
        "    definition: Y ddyletswydd yn a.52.\n"
    )
    monkeypatch.setitem(app.config, "CONTENT_DIR", root)
    return root


def _page(client, login_as, language):
    login_as(UserFactory(role="officer", language=language))
    response = client.get("/glossary")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_welsh_reader_gets_the_welsh_definitions(client, login_as, root):
    html = _page(client, login_as, "cy")
    assert (
        '<dt id="nrm"><dfn>Mecanwaith Atgyfeirio Cenedlaethol</dfn> (<span lang="en">NRM</span>)</dt>' in html
    )
    assert re.search(r'<div class="prose">\s*<p>Fframwaith y DU ar gyfer <strong>adnabod</strong>', html)
    # A name that stays English (a duty in an Act) is marked; its definition is Welsh.
    assert '<dfn><span lang="en">Duty to Notify</span></dfn>' in html
    assert "Y ddyletswydd yn a.52." in html
    assert (
        '<a class="govuk-link" href="#nrm">Mecanwaith Atgyfeirio Cenedlaethol (NRM)</a>' in html
    )  # see also
    # Not translated: English, marked, and counted in the notice.
    assert re.search(r'<div class="prose" lang="en">\s*<p>Ways a court can help witnesses.', html)
    assert "Nid yw 1 cofnod yn Gymraeg eto" in html
    assert "Drafft yw" in html
    assert "The UK framework" not in html
    # A to Z by the names shown: Duty to Notify, Mecanwaith ..., Special measures.
    assert html.index('id="dtn"') < html.index('id="nrm"') < html.index('id="special-measures"')


def test_the_english_changing_shows_the_english(client, login_as, root):
    text = (root / "glossary.yml").read_text().replace("The s.52 duty.", "The duty in s.52.")
    (root / "glossary.yml").write_text(text)
    html = _page(client, login_as, "cy")
    assert "Y ddyletswydd yn a.52." not in html
    assert re.search(r'<div class="prose" lang="en">\s*<p>The duty in s.52.', html)
    assert "Nid yw 2 cofnod yn Gymraeg eto" in html


def test_an_english_reader_gets_the_english(client, login_as, root):
    html = _page(client, login_as, "en")
    assert "<dfn>National Referral Mechanism</dfn>" in html
    assert "The UK framework for identifying and supporting victims." in html
    assert "Fframwaith" not in html
    assert "Welsh" not in html
