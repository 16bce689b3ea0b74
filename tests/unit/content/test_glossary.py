"""The glossary file: read and checked with file lines, its links checked, and its effect on versions."""

import shutil
from pathlib import Path

import pytest

from app.content.errors import ContentInvalid
from app.content.glossary import definition_html, load_glossary, read_glossary, resolve_lesson_link
from app.content.loader import module_hash, read_tree
from app.content.rendering import parse_markdown
from app.content.validation import check_tree, load_tree

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "docs" / "example-module"
CONTENT = ROOT / "content"

GOOD = """\
terms:
  - id: nrm
    term: National Referral Mechanism
    abbreviation: NRM
    definition: The UK framework for identifying and supporting victims.
    see_also: [dtn]
  - id: dtn
    term: Duty to Notify
    abbreviation: DtN
    also: [Duty to Notify report]
    definition: >-
      The s.52 duty. See [the lesson](modules/alpha/02-the-duty-to-notify.md#adults-and-children).
"""


@pytest.fixture
def root(tmp_path):
    """A content folder with the example module as 'alpha' in one course, and GOOD as glossary."""
    root = tmp_path / "content"
    shutil.copytree(EXAMPLE, root / "modules" / "alpha")
    (root / "courses.yml").write_text("courses:\n  - slug: c\n    title: C\n    modules: [alpha]\n")
    (root / "glossary.yml").write_text(GOOD)
    return root


def problems_of(text: str, tmp_path: Path) -> list[str]:
    path = tmp_path / "glossary.yml"
    path.write_text(text)
    found: list = []
    read_glossary(path, "content/glossary.yml", found)
    return [str(p) for p in found]


def test_a_good_glossary_reads_with_forms_headings_and_lines(tmp_path):
    path = tmp_path / "glossary.yml"
    path.write_text(GOOD)
    found: list = []
    glossary = read_glossary(path, "content/glossary.yml", found)
    assert found == []
    nrm, dtn = glossary.entries
    assert nrm.heading == "National Referral Mechanism (NRM)"
    assert dtn.forms == ("Duty to Notify", "DtN", "Duty to Notify report")
    assert (nrm.line, dtn.line) == (2, 7)
    assert [e.id for e in glossary.alphabetical()] == ["dtn", "nrm"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("terms: nope\n", ["content/glossary.yml:1: glossary.yml must be a list of entries under 'terms:'"]),
        ("terms:\n  - id: x\n    term: [a\n", None),  # YAML error: reported at its line
        (
            "terms:\n  - id: a\n    term: A\n",
            ["content/glossary.yml:2: missing required key 'definition' in an entry"],
        ),
        (
            "terms:\n  - id: Bad Id\n    term: A\n    definition: D\n",
            ["content/glossary.yml:2: glossary id 'Bad Id' must be lowercase letters, digits and hyphens"],
        ),
        (
            "terms:\n  - id: main\n    term: A\n    definition: D\n",
            ["content/glossary.yml:2: glossary id 'main' is used by every page; choose another"],
        ),
        (
            "terms:\n  - id: a\n    term: A\n    definition: D\n    colour: red\n",
            [
                "content/glossary.yml:5: unknown key 'colour' in an entry "
                "(allowed: id, term, abbreviation, also, definition, see_also)"
            ],
        ),
        (
            "terms:\n  - id: a\n    term: A\n    definition: D\n  - id: a\n    term: B\n    definition: D\n",
            ["content/glossary.yml:5: duplicate glossary id 'a' (also at line 2)"],
        ),
        (
            "terms:\n  - id: a\n    term: Reasonable grounds\n    definition: D\n"
            "  - id: b\n    term: B\n    also: [reasonable  GROUNDS]\n    definition: D\n",
            ["content/glossary.yml:5: 'reasonable  GROUNDS' is a wording of 'a' too (line 2): use it once"],
        ),
        (
            "terms:\n  - id: a\n    term: A\n    definition: D\n    see_also: [a, zz]\n",
            [
                "content/glossary.yml:2: 'a' has see_also 'a': no other entry has that id",
                "content/glossary.yml:2: 'a' has see_also 'zz': no other entry has that id",
            ],
        ),
        (
            "terms:\n  - id: a\n    term: A\n    abbreviation: (AB)\n    definition: D\n",
            [
                "content/glossary.yml:4: '(AB)' must start and end with a letter or digit, "
                "to match whole words"
            ],
        ),
        (
            "terms:\n  - id: a\n    term: A\n    definition: 'Go [here](javascript:alert(1)).'\n",
            ["content/glossary.yml:4: definition: unsafe link removed: javascript:alert(1)"],
        ),
        (
            "terms:\n  - id: a\n    term: A\n    definition: 'See [it](../x.md).'\n",
            [
                "content/glossary.yml:4: definition links to '../x.md': "
                "link a lesson as modules/<slug>/NN-lesson.md#heading"
            ],
        ),
    ],
)
def test_broken_entries_are_reported_with_file_and_line(text, expected, tmp_path):
    found = problems_of(text, tmp_path)
    if expected is None:
        assert len(found) == 1
        assert found[0].startswith("content/glossary.yml:4: invalid YAML")
        assert found[0].endswith("(while parsing a flow sequence at line 3)")
    else:
        assert found == expected


def test_content_check_reports_glossary_problems_and_sync_refuses(root):
    (root / "glossary.yml").write_text("terms:\n  - id: a\n    term: A\n")
    assert [str(p) for p in check_tree(root)] == [
        "content/glossary.yml:2: missing required key 'definition' in an entry"
    ]
    with pytest.raises(ContentInvalid):
        load_tree(root)


def test_content_check_follows_definition_links_to_lessons_and_headings(root):
    text = GOOD.replace("02-the-duty-to-notify.md#adults-and-children", "02-the-duty-to-notify.md#nowhere")
    text += "  - id: x\n    term: X\n    definition: '[a](modules/alpha/07-gone.md)'\n"
    (root / "glossary.yml").write_text(text)
    assert [str(p) for p in check_tree(root)] == [
        "content/glossary.yml:11: 'dtn' links to 'modules/alpha/02-the-duty-to-notify.md#nowhere': "
        "no heading '#nowhere' in 02-the-duty-to-notify.md",
        "content/glossary.yml:15: 'x' links to 'modules/alpha/07-gone.md': no such lesson",
    ]


def test_definitions_render_with_lesson_links_resolved():
    assert resolve_lesson_link("modules/using-the-act/06-x.md#rg") == "/modules/using-the-act/lessons/6#rg"
    assert resolve_lesson_link("../using-the-act/06-x.md") is None
    glossary = load_glossary(CONTENT / "glossary.yml")
    html = definition_html(glossary.by_id()["rg-decision"])
    assert 'href="/modules/using-the-act/lessons/6#reasonable-grounds-rg"' in html


def test_no_glossary_file_means_no_glossary_and_no_problem(root):
    (root / "glossary.yml").unlink()
    tree = load_tree(root)
    assert tree.glossary is None
    assert load_glossary(root / "glossary.yml") is None


def test_load_glossary_raises_on_a_broken_file_and_rereads_a_fixed_one(root):
    path = root / "glossary.yml"
    path.write_text("terms:\n  - id: a\n")
    with pytest.raises(ContentInvalid):
        load_glossary(path)
    path.write_text(GOOD)
    assert [e.id for e in load_glossary(path).entries] == ["nrm", "dtn"]


# --- versions: a glossary change moves nobody mid-course ----------------------------------------


def _hash(root: Path) -> str:
    return read_tree(root, []).modules["alpha"].content_hash


def test_the_glossary_is_not_part_of_a_modules_version(root):
    with_glossary = _hash(root)
    (root / "glossary.yml").unlink()
    assert _hash(root) == module_hash(root / "modules" / "alpha") == with_glossary


def test_neither_a_changed_definition_nor_a_new_linked_term_makes_a_new_version(root):
    before = _hash(root)
    path = root / "glossary.yml"
    text = path.read_text()
    path.write_text(text.replace("identifying and supporting", "finding and helping"))
    assert _hash(root) == before
    entry = "  - id: interp\n    term: Professional interpreter\n    definition: I.\n"
    path.write_text(path.read_text() + entry)
    assert _hash(root) == before


# --- the real glossary --------------------------------------------------------------------------

REQUIRED = {
    "nrm": ["NRM", "National Referral Mechanism"],
    "rg-decision": ["RG", "Reasonable grounds decision"],
    "cg-decision": ["CG", "Conclusive grounds decision"],
    "dtn": ["DtN", "Duty to Notify"],
    "stpo": ["STPO", "Slavery and Trafficking Prevention Order"],
    "stro": ["STRO", "Slavery and Trafficking Risk Order"],
    "abe": ["ABE", "Achieving Best Evidence"],
    "peace": ["PEACE"],
    "ictg": ["ICTG", "Independent Child Trafficking Guardian"],
    "statutory-defence": ["s.45", "section 45"],
    "cce": ["CCE", "Child criminal exploitation"],
    "sca": ["Single Competent Authority"],
    "first-responder": ["first responder"],
    "ms1": ["MS1"],
    "nrm-referral": ["NRM referral"],
    "helpline": ["Modern Slavery Helpline", "Modern Slavery & Exploitation Helpline"],
}


@pytest.fixture(scope="module")
def real():
    return load_glossary(CONTENT / "glossary.yml")


def test_the_real_glossary_has_every_term_of_the_issue(real):
    entries = real.by_id()
    for entry_id, forms in REQUIRED.items():
        assert set(forms) <= set(entries[entry_id].forms), entry_id


def test_uncertain_facts_are_not_taught_as_settled(real):
    """facts.md marks these [U]: the entries send the reader to the current source."""
    entries = real.by_id()
    assert "check the current s.49 statutory guidance" in entries["rg-decision"].definition
    assert "check your force's current process" in entries["ms1"].definition
    assert "could not confirm that those provisions are in force" in entries["cce"].definition
    assert "balance of probabilities" in entries["cg-decision"].definition
    assert "08000 121 700" in entries["helpline"].definition


def test_every_lesson_links_each_term_at_most_once_and_only_to_real_entries(real):
    tree = load_tree(CONTENT)
    linker = real.linker()
    linked = set()
    for module in tree.modules.values():
        for lesson in module.lessons:
            anchors = [link.anchor for link in linker.link_first_uses(parse_markdown(lesson.markdown))]
            assert len(anchors) == len(set(anchors)), lesson.filename
            linked |= set(anchors)
    assert linked <= set(real.by_id())
    assert {"nrm", "dtn", "rg-decision", "cg-decision", "stpo", "stro", "abe", "peace"} <= linked
