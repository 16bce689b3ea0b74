"""Review dates: the rules, the warnings, and that review-only front matter never changes a hash."""

import shutil
from datetime import date
from pathlib import Path

import pytest

from app.content.errors import Problem
from app.content.hashing import reader_bytes
from app.content.loader import module_hash, read_tree
from app.content.reviews import is_overdue, review_due_on, review_warnings

EXAMPLE = Path(__file__).resolve().parents[3] / "docs" / "example-module"
CONTENT = Path(__file__).resolve().parents[3] / "content"
LESSON = "01-first-contact.md"


@pytest.fixture
def module(tmp_path):
    root = tmp_path / "content"
    shutil.copytree(EXAMPLE, root / "modules" / "alpha")
    (root / "courses.yml").write_text("courses:\n  - slug: c\n    title: C\n    modules: [alpha]\n")
    return root


def _add_front_matter(path: Path, lines: str) -> None:
    text = path.read_text()
    end = text.index("\n---\n", 4)
    path.write_text(text[:end] + "\n" + lines.rstrip("\n") + text[end:])


@pytest.mark.parametrize(
    ("reviewed", "due"),
    [
        (date(2026, 12, 2), date(2027, 12, 2)),
        (date(2024, 2, 29), date(2025, 2, 28)),  # a leap day falls due on the month's last day
    ],
)
def test_review_falls_due_twelve_months_later(reviewed, due):
    assert review_due_on(reviewed) == due


def test_overdue_only_after_twelve_months_and_when_never_reviewed():
    assert not is_overdue(date(2025, 12, 2), date(2026, 12, 2))  # exactly 12 months: still in date
    assert is_overdue(date(2025, 12, 1), date(2026, 12, 2))
    assert is_overdue(None, date(2026, 12, 2))


def test_review_only_front_matter_is_left_out_of_the_hash(module):
    folder = module / "modules" / "alpha"
    before = module_hash(folder)
    _add_front_matter(
        folder / LESSON,
        'reviewed_on: 2026-12-02\nsources:\n  - title: "MSA 2015"\n    url: https://example.org/x\n',
    )
    assert module_hash(folder) == before
    _add_front_matter(folder / LESSON, "sources:\n- plain title\nreviewed_on: 2027-01-05")
    assert module_hash(folder) == before


def test_a_change_officers_see_still_changes_the_hash(module):
    folder = module / "modules" / "alpha"
    _add_front_matter(folder / LESSON, "reviewed_on: 2026-12-02")
    before = module_hash(folder)
    text = (folder / LESSON).read_text()
    (folder / LESSON).write_text(text.replace("title: First contact", "title: First contacts"))
    assert module_hash(folder) != before


def test_reader_bytes_keeps_files_without_front_matter_as_they_are():
    assert reader_bytes(b"no front matter\nreviewed_on: x\n") == b"no front matter\nreviewed_on: x\n"
    assert (
        reader_bytes(b"---\ntitle: A\nreviewed_on: 2026-01-01\n")
        == b"---\ntitle: A\nreviewed_on: 2026-01-01\n"
    )


def test_warnings_for_missing_stale_and_future_review_dates(module):
    folder = module / "modules" / "alpha"
    _add_front_matter(folder / LESSON, "reviewed_on: 2025-06-30\nsources:\n  - title: MSA 2015")
    _add_front_matter(folder / "02-the-duty-to-notify.md", "reviewed_on: 2027-01-01")
    problems: list[Problem] = []
    tree = read_tree(module, problems)
    assert problems == []
    found = [str(p) for p in review_warnings(tree, module, date(2026, 12, 2))]
    assert found == [
        "content/modules/alpha/01-first-contact.md:1: warning: last reviewed on 30 June 2025, more "
        "than 12 months ago: check it against its sources and update 'reviewed_on'",
        "content/modules/alpha/02-the-duty-to-notify.md:1: warning: 'reviewed_on' 2027-01-01 is in "
        "the future",
        "content/modules/alpha/02-the-duty-to-notify.md:1: warning: no 'sources': list what the "
        "lesson's claims rest on (title, and url where there is one)",
    ]
    assert review_warnings(tree, module, date(2026, 6, 1))[0].severity == "warning"


def test_a_review_date_that_is_not_a_date_is_an_error(module):
    folder = module / "modules" / "alpha"
    _add_front_matter(folder / LESSON, "reviewed_on: last week")
    problems: list[Problem] = []
    read_tree(module, problems)
    assert [str(p) for p in problems] == [
        "content/modules/alpha/01-first-contact.md:4: 'reviewed_on' must be a date written as YYYY-MM-DD"
    ]


def test_every_real_lesson_has_a_review_date_and_sources():
    problems: list[Problem] = []
    tree = read_tree(CONTENT, problems)
    lessons = [lesson for module in tree.modules.values() for lesson in module.lessons]
    assert len(lessons) == 21
    assert all(lesson.reviewed_on is not None and lesson.sources for lesson in lessons)
    # The honest dates: checked in the December 2026 corrections, or written on 28 November 2026.
    assert {lesson.reviewed_on for lesson in lessons} == {date(2026, 11, 28), date(2026, 12, 2)}
    assert review_warnings(tree, CONTENT, date(2026, 12, 3)) == []  # the pocket cards: 3 December
