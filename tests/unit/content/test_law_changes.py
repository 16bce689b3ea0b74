"""Marking a law change in module.md: reading, checking and cutting out the changed sections."""

import shutil
from pathlib import Path

import pytest

from app.content.law_changes import section_markdown
from app.content.validation import check_tree, load_tree

EXAMPLE = Path(__file__).resolve().parents[3] / "docs" / "example-module"


@pytest.fixture
def root(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(EXAMPLE, content / "modules" / "alpha")
    (content / "courses.yml").write_text("courses:\n  - slug: c\n    title: C\n    modules: [alpha]\n")
    return content


def _mark(root: Path, block: str) -> None:
    path = root / "modules" / "alpha" / "module.md"
    text = path.read_text()
    end = text.index("\n---\n", 4)
    path.write_text(text[:end] + "\n" + block.strip("\n") + text[end:])


def _problems(root: Path) -> list[str]:
    return [str(p).removeprefix("content/modules/alpha/") for p in check_tree(root)]


GOOD = """
supersedes_for_law: "Duty to notify: new online form"
law_changes:
  sections: [01-first-contact.md#speak-to-the-person-alone, 02-the-duty-to-notify.md]
  questions: [who-may-interpret, adult-does-not-consent]
"""


def test_a_well_formed_mark_is_read(root):
    _mark(root, GOOD)
    change = load_tree(root).modules["alpha"].law_change
    assert change.summary == "Duty to notify: new online form"
    assert change.sections == ("01-first-contact.md#speak-to-the-person-alone", "02-the-duty-to-notify.md")
    assert change.questions == ("who-may-interpret", "adult-does-not-consent")


def test_a_module_without_a_mark_has_none(root):
    assert load_tree(root).modules["alpha"].law_change is None


def test_unknown_sections_and_questions_and_ordering_questions_are_errors(root):
    _mark(
        root,
        """
supersedes_for_law: "A change"
law_changes:
  sections:
    - 09-nowhere.md
    - 01-first-contact.md#no-such-heading
  questions:
    - no-such-question
    - steps-at-first-contact
""",
    )
    assert _problems(root) == [
        "module.md:23: law change section '09-nowhere.md': no lesson '09-nowhere.md' in this module",
        "module.md:24: law change section '01-first-contact.md#no-such-heading': no heading "
        "'#no-such-heading' in 01-first-contact.md",
        "module.md:26: law change question 'no-such-question' is not in this module's quiz.md",
        "module.md:27: law change question 'steps-at-first-contact' is ordering: an update asks single "
        "or multiple only",
    ]


@pytest.mark.parametrize(
    ("block", "message"),
    [
        ('supersedes_for_law: "A change"', "'supersedes_for_law' needs 'law_changes'"),
        (
            "law_changes:\n  sections: [02-the-duty-to-notify.md]\n  questions: [who-may-interpret]",
            "needs 'supersedes_for_law",
        ),
        (
            'supersedes_for_law: "A change"\nlaw_changes:\n  sections: []\n  questions: []',
            "needs sections and questions",
        ),
        (
            'supersedes_for_law: "'
            + "x" * 121
            + '"\nlaw_changes:\n  sections: [02-the-duty-to-notify.md]\n  questions: [who-may-interpret]',
            "at most 120 characters",
        ),
    ],
)
def test_an_incomplete_mark_is_an_error(root, block, message):
    _mark(root, block)
    found = _problems(root)
    assert len(found) == 1
    assert message in found[0]


def test_section_markdown_runs_to_the_next_heading_of_the_same_level():
    text = "## One\n\nA\n\n### Sub\n\nB\n\n## Two\n\nC\n"
    assert section_markdown(text, "one") == "## One\n\nA\n\n### Sub\n\nB"
    assert section_markdown(text, "sub") == "### Sub\n\nB"
    assert section_markdown(text, "two") == "## Two\n\nC"
    assert section_markdown(text, "three") is None
