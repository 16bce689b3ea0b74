"""First use of a glossary term in a lesson becomes a link to its entry (pure, on markdown-it tokens)."""

import re

import pytest

from app.content.rendering import parse_markdown, render_markdown, sanitise_html
from app.content.term_links import Term, TermLinker

TERMS = [
    Term("nrm", "Glossary: National Referral Mechanism (NRM)", ("National Referral Mechanism", "NRM")),
    Term("nrm-referral", "Glossary: NRM referral", ("NRM referral",)),
    Term("peace", "Glossary: PEACE model", ("PEACE model", "PEACE")),
    Term("s45", "Glossary: Statutory defence (s.45)", ("Statutory defence", "s.45")),
    Term("helpline", "Glossary: Helpline", ("Modern Slavery & Exploitation Helpline",)),
    Term("stpo", "Glossary: STPO", ("STPO",)),
]


@pytest.fixture
def linker():
    return TermLinker(TERMS)


def links(html: str) -> list[tuple[str, str]]:
    """(anchor, linked words) of every glossary link in some HTML."""
    pattern = r'<a href="/glossary#([\w-]+)" class="glossary-term" title="[^"]*">(.*?)</a>'
    return re.findall(pattern, html, re.S)


def render(text: str, linker: TermLinker) -> str:
    return render_markdown(text, terms=linker).html


def test_only_the_first_use_of_a_term_is_linked(linker):
    html = render("Make an NRM referral.\n\nThe NRM decides. The NRM again.", linker)
    assert links(html) == [("nrm-referral", "NRM referral"), ("nrm", "NRM")]


def test_the_link_is_a_real_link_with_a_title_that_survives_sanitising(linker):
    html = render("Refer to the NRM.", linker)
    assert (
        '<a href="/glossary#nrm" class="glossary-term" '
        'title="Glossary: National Referral Mechanism (NRM)">NRM</a>' in html
    )


def test_either_form_counts_as_the_first_use(linker):
    html = render("The National Referral Mechanism (NRM) is UK-wide.", linker)
    assert links(html) == [("nrm", "National Referral Mechanism")]


def test_a_heading_is_never_linked_and_does_not_count_as_the_first_use(linker):
    html = render("## The NRM\n\nEvery NRM decision.", linker)
    assert '<h2 id="the-nrm">The NRM</h2>' in html
    assert links(html) == [("nrm", "NRM")]
    assert html.index("glossary#nrm") > html.index("</h2>")


def test_text_inside_links_code_and_image_alt_is_left_alone(linker):
    html = render("See [the NRM](https://example.org), `NRM` and ![NRM chart](x.png). Then PEACE.", linker)
    assert links(html) == [("peace", "PEACE")]
    assert '<a href="https://example.org" rel="noopener noreferrer">the NRM</a>' in html
    assert "<code>NRM</code>" in html
    assert 'alt="NRM chart"' in html


def test_whole_words_only(linker):
    html = render("NRMX and XNRM and s.451 are not terms; STPOs are.", linker)
    assert links(html) == [("stpo", "STPOs")]


def test_an_abbreviation_in_capitals_matches_exactly_but_a_phrase_ignores_case(linker):
    html = render("Make peace, not war. A statutory defence applies.", linker)
    assert links(html) == [("s45", "statutory defence")]


def test_a_section_number_matches_before_brackets(linker):
    assert links(render("Under s.45(4) a child needs no compulsion.", linker)) == [("s45", "s.45")]


def test_a_phrase_broken_over_two_source_lines_is_linked(linker):
    html = render("Call the **Modern Slavery &\nExploitation Helpline** now.", linker)
    assert links(html) == [("helpline", "Modern Slavery &amp;\nExploitation Helpline")]


def test_the_longest_form_wins(linker):
    assert links(render("Use the PEACE model.", linker)) == [("peace", "PEACE model")]


def test_terms_in_emphasis_callouts_and_tables_are_linked(linker):
    text = "::: note\n**NRM** first.\n:::\n\n| a | b |\n|---|---|\n| PEACE | s.45 |\n"
    assert [a for a, _ in links(render(text, linker))] == ["nrm", "peace", "s45"]


def test_each_document_starts_afresh(linker):
    assert links(render("NRM", linker)) == [("nrm", "NRM")]
    assert links(render("NRM", linker)) == [("nrm", "NRM")]


def test_link_first_uses_reports_the_links_with_their_lines(linker):
    made = linker.link_first_uses(parse_markdown("# Title NRM\n\nText\nthen the NRM and\nPEACE.\n"))
    assert [(m.anchor, m.text, m.line) for m in made] == [("nrm", "NRM", 3), ("peace", "PEACE", 4)]


def test_glossary_links_never_reach_the_relative_link_resolver(linker):
    seen = []
    html = render_markdown(
        "The NRM, and [lesson 2](02-x.md).",
        resolve_link=lambda href: seen.append(href) or "/resolved",
        terms=linker,
    ).html
    assert seen == ["02-x.md"]
    assert links(html) == [("nrm", "NRM")]


def test_without_terms_nothing_is_linked():
    assert "glossary" not in render_markdown("The NRM.").html


def test_an_empty_glossary_links_nothing():
    assert "glossary" not in render_markdown("The NRM.", terms=TermLinker([])).html


def test_the_sanitiser_keeps_the_glossary_class_on_links_and_nothing_else():
    html = sanitise_html('<a href="/glossary#x" class="glossary-term evil" title="T" onclick="y">x</a>')
    assert html == '<a href="/glossary#x" class="glossary-term" title="T">x</a>'
    assert "glossary-term" not in sanitise_html('<p class="glossary-term">x</p>')
