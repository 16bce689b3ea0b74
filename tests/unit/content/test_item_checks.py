"""Item-writing checks (app/content/item_checks.py): each cue is found, and only where it is."""

import shutil
from pathlib import Path

import pytest

from app.content.item_checks import (
    check_items,
    copied_run,
    correct_share,
    keyed_is_longest,
    length_ratio,
    text_length,
    uses_above,
    word_runs,
)
from app.content.quiz_parser import parse_quiz
from app.content.validation import check_tree
from tests.unit.content.conftest import add_module, write_courses

LESSON = (
    "## Consent\n\nA person's consent to their treatment does not by itself mean they were free, "
    "because a victim may agree to work under threat of harm to their family back home.\n"
)


def quiz(text: str):
    return parse_quiz(text, "quiz.md")


def single(keyed: str, *others: str, key: str = "q") -> str:
    lines = [f"## {key}", "type: single", "", "Stem.", ""]
    lines += [f"- [x] {keyed}", "  > Fb."]
    for other in others:
        lines += [f"- [ ] {other}", "  > Fb."]
    return "\n".join(lines) + "\n\n"


def test_text_length_ignores_markup_and_spacing():
    assert text_length("**Two**   words") == len("Two words")
    assert text_length("[the lesson](01-a.md#x) here") == len("the lesson here")


def test_keyed_longest_only_when_strictly_longest():
    assert keyed_is_longest(quiz(single("a longer answer", "short", "tiny"))[0])
    assert not keyed_is_longest(quiz(single("short", "a longer answer"))[0])
    assert not keyed_is_longest(quiz(single("same", "same"))[0])


def test_length_ratio_and_correct_share_for_multi_select():
    text = (
        "## m\ntype: multiple\n\nStem.\n\n"
        "- [x] aaaaaaaaaaaaaaaa\n  > F.\n- [ ] aaaaaaaa\n  > F.\n- [ ] aaaaaaaa\n  > F.\n"
    )
    q = quiz(text)[0]
    assert length_ratio(q) == 2.0
    assert correct_share(q) == 1 / 3
    assert length_ratio(quiz(single("a", "b"))[0]) is None


def test_all_or_none_of_the_above():
    q = quiz(single("All of the above", "b", "None  of the ABOVE"))[0]
    assert [uses_above(o) for o in q.options] == [True, False, True]


def test_copied_run_finds_twelve_words_and_its_line():
    runs = word_runs([LESSON])
    stem = (
        "A worker says she is happy.\n"
        "But a victim may agree to work under threat of harm to their family, she adds."
    )
    assert copied_run(stem, runs) == (1, "a victim may agree to work under threat of harm to their")
    assert copied_run("a victim may agree to work under threat of harm to others", runs) is None


def test_copied_run_exempts_quoted_statute_with_its_section():
    runs = word_runs(['The Act says "a victim may agree to work under threat of harm to their family".'])
    quoted = 'Section 1 reads "a victim may agree to work under threat of harm to their family".'
    assert copied_run(quoted, runs) is None
    unquoted = "It says a victim may agree to work under threat of harm to their family (s.1)."
    assert copied_run(unquoted, runs) is not None
    no_section = 'It says "a victim may agree to work under threat of harm to their family".'
    assert copied_run(no_section, runs) is not None


def test_keyed_longest_allowed_in_one_in_four_single_questions():
    text = single("the longest one", "short", key="q1")
    text += "".join(single("short", "the longest one", key=f"q{i}") for i in range(2, 5))
    assert check_items(quiz(text), [], "quiz.md") == []
    text += single("the longest one", "short", key="q5")
    found = [str(p) for p in check_items(quiz(text), [], "quiz.md")]
    assert len(found) == 2
    assert found[0].startswith("quiz.md:6: 'q1': the keyed option is the longest, as in 2 of 5")


def test_check_items_reports_each_cue_at_its_line():
    text = (
        "## m\ntype: multiple\n\nStem.\n\n"
        "- [x] a long correct option indeed\n  > F.\n"
        "- [x] another long correct option\n  > F.\n"
        "- [ ] none of the above\n  > F.\n"
        "## c\ntype: single\n\nSo: a victim may agree to work under threat of harm to their family.\n\n"
        "- [x] Yes.\n  > F.\n- [ ] No, not here.\n  > F.\n"
    )
    found = [str(p) for p in check_items(quiz(text), [LESSON], "quiz.md")]
    assert found == [
        "quiz.md:1: 'm': correct options average 1.6 times the length of the wrong ones (at most 1.5)",
        "quiz.md:1: 'm': 2 of 3 options are correct in a 'select all' question (at most 60%)",
        "quiz.md:10: 'm': option c uses 'all/none of the above'",
        "quiz.md:15: 'c': the scenario copies 12+ words from a lesson: "
        "'a victim may agree to work under threat of harm to their'",
    ]


QUIZ = """## pick-one
type: single
tests: 01-first.md#{anchor}

A worker hands you a note asking for help.

- [x] Speak to her alone.
  > Yes.
- [ ] Ask her employer what it means.
  > No: see [the lesson](01-first.md#{link}).
"""


@pytest.fixture
def good(content_root):
    folder = add_module(content_root, "good-module")
    write_courses(content_root, "good-module")
    return folder


def found(root) -> list[str]:
    return [str(p).removeprefix("content/modules/good-module/") for p in check_tree(root)]


def test_tests_and_linked_feedback_pass(content_root, good):
    (good / "quiz.md").write_text(QUIZ.format(anchor="start-here", link="start-here"))
    assert found(content_root) == []


def test_tests_must_name_a_lesson_and_heading_of_the_module(content_root, good):
    (good / "quiz.md").write_text(QUIZ.format(anchor="nowhere", link="start-here"))
    assert found(content_root) == [
        "quiz.md:3: 'pick-one' tests '01-first.md#nowhere': no heading '#nowhere' in 01-first.md"
    ]
    quiz = QUIZ.format(anchor="start-here", link="start-here").replace("01-first.md#s", "09-x.md#s", 1)
    (good / "quiz.md").write_text(quiz)
    assert found(content_root) == [
        "quiz.md:3: 'pick-one' tests '09-x.md#start-here': no lesson '09-x.md' in this module"
    ]


def test_every_question_needs_tests_and_wrong_feedback_linking_to_it(content_root, good):
    (good / "quiz.md").write_text(QUIZ.format(anchor="start-here", link="detail"))
    assert found(content_root) == [
        "quiz.md:10: 'pick-one': feedback of wrong option b does not link to (01-first.md#start-here)"
    ]
    quiz = QUIZ.format(anchor="start-here", link="start-here").replace("tests: 01-first.md#start-here\n", "")
    (good / "quiz.md").write_text(quiz)
    assert found(content_root) == [
        "quiz.md:1: 'pick-one' has no 'tests:' (the lesson section it tests, e.g. 03-indicators.md#heading)"
    ]


def test_item_checks_run_in_content_check(content_root, good):
    cue = QUIZ.format(anchor="start-here", link="start-here").replace(
        "- [x] Speak to her alone.",
        "- [x] Speak to her alone, away from her employer, and with an interpreter.",
    )
    (good / "quiz.md").write_text(cue)
    assert found(content_root) == [
        "quiz.md:7: 'pick-one': the keyed option is the longest, as in 1 of 1 single-answer questions "
        "(at most 0 allowed): shorten it or lengthen a distractor",
    ]


# Planting each cue in a copy of a real module: `flask content check` reports it at path:line.
REAL = Path(__file__).resolve().parents[3] / "content"
SLUG = "spotting-the-signs"
QUIZ_PATH = f"content/modules/{SLUG}/quiz.md"


@pytest.fixture
def real_copy(tmp_path):
    root = tmp_path / "content"
    shutil.copytree(REAL, root)
    return root


def _question_lines(lines: list[str], key: str) -> range:
    start = lines.index(f"## {key}")
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    return range(start, end)


def _plant(root: Path, key: str, edit) -> list[str]:
    """Edit the lines of one question in the copy; return the new quiz lines (0-based)."""
    path = root / "modules" / SLUG / "quiz.md"
    lines = path.read_text().split("\n")
    edit(lines, _question_lines(lines, key))
    path.write_text("\n".join(lines))
    return lines


def _line(lines: list[str], predicate, within: range) -> int:
    return next(i for i in within if predicate(lines[i])) + 1


def test_the_unplanted_copy_passes(real_copy):
    assert check_tree(real_copy) == []


def test_planted_longest_keyed_options_are_reported(real_copy):
    path = real_copy / "modules" / SLUG / "quiz.md"
    text = path.read_text().replace("- [x] ", "- [x] Make sure the case is recorded, reported and referred: ")
    path.write_text(text)
    lines = text.split("\n")
    first = _line(lines, lambda row: row.startswith("- [x] "), range(len(lines)))
    found = [str(p) for p in check_tree(real_copy)]
    assert any(
        p.startswith(f"{QUIZ_PATH}:{first}: ") and "the keyed option is the longest" in p for p in found
    )


def test_planted_long_correct_options_in_a_multi_select_are_reported(real_copy):
    key = "sts-au-pair-next-door"

    def edit(lines, rows):
        for i in rows:
            if lines[i].startswith("- [x] "):
                lines[i] += " This is recorded by the neighbour, who has watched it for many months."

    lines = _plant(real_copy, key, edit)
    heading = lines.index(f"## {key}") + 1
    found = [str(p) for p in check_tree(real_copy)]
    assert any(p.startswith(f"{QUIZ_PATH}:{heading}: '{key}': correct options average") for p in found), found


def test_planted_select_all_with_most_options_correct_is_reported(real_copy):
    key = "sts-au-pair-next-door"

    def edit(lines, rows):
        wrong = [i for i in rows if lines[i].startswith("- [ ] ")]
        for i in wrong[:2]:
            lines[i] = lines[i].replace("- [ ] ", "- [x] ")

    lines = _plant(real_copy, key, edit)
    heading = lines.index(f"## {key}") + 1
    assert f"{QUIZ_PATH}:{heading}: '{key}': 4 of 5 options are correct in a 'select all' question " in [
        str(p).split("(")[0] for p in check_tree(real_copy)
    ]


def test_planted_all_of_the_above_is_reported(real_copy):
    key = "sts-kidney-to-clear-debt"

    def edit(lines, rows):
        i = next(i for i in rows if lines[i].startswith("- [ ] "))
        lines[i] = "- [ ] All of the above."

    lines = _plant(real_copy, key, edit)
    row = _line(lines, lambda r: r == "- [ ] All of the above.", range(len(lines)))
    found = [str(p) for p in check_tree(real_copy)]
    assert f"{QUIZ_PATH}:{row}: '{key}': option a uses 'all/none of the above'" in found


LESSON_SENTENCE = (
    "Section 2 makes it an offence to arrange or facilitate the travel of another person with a view to"
)


def test_planted_lesson_copy_in_a_scenario_is_reported(real_copy):
    key = "sts-kidney-to-clear-debt"

    def edit(lines, rows):
        blank = next(i for i in rows if i > rows.start and not lines[i].strip())
        lines.insert(blank + 1, f"{LESSON_SENTENCE} that person being exploited.")
        lines.insert(blank + 2, "")

    lines = _plant(real_copy, key, edit)
    row = _line(lines, lambda r: r.startswith(LESSON_SENTENCE), range(len(lines)))
    found = [str(p) for p in check_tree(real_copy)]
    assert any(p.startswith(f"{QUIZ_PATH}:{row}: '{key}': the scenario copies 12+ words") for p in found), (
        found
    )


def test_quoted_statute_with_its_section_is_not_a_copy(real_copy):
    key = "sts-kidney-to-clear-debt"

    def edit(lines, rows):
        blank = next(i for i in rows if i > rows.start and not lines[i].strip())
        lines.insert(blank + 1, f'The lesson quotes s.2: "{LESSON_SENTENCE}".')
        lines.insert(blank + 2, "")

    _plant(real_copy, key, edit)
    assert check_tree(real_copy) == []


def test_planted_lesson_copy_in_a_keyed_option_is_reported(real_copy):
    key = "sts-kidney-to-clear-debt"

    def edit(lines, rows):
        i = next(i for i in rows if lines[i].startswith("- [x] "))
        lines[i] = "- [x] Refer it: " + LESSON_SENTENCE.lower() + "."

    lines = _plant(real_copy, key, edit)
    row = _line(lines, lambda r: r.startswith("- [x] Refer it: section 2"), range(len(lines)))
    found = [str(p) for p in check_tree(real_copy)]
    assert any(p.startswith(f"{QUIZ_PATH}:{row}: '{key}': keyed option c copies 12+ words") for p in found), (
        found
    )
