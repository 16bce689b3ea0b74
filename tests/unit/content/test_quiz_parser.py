"""Parsing quiz.md: questions, options, feedback, ordering items and exact problem lines."""

import pytest

from app.content.errors import ContentError
from app.content.quiz_parser import OptionSource, parse_quiz

QUIZ = """\
# Quiz

## van-at-car-wash
type: single
points: 2
tags: labour-exploitation, situational-indicators

You stop a van at 5 a.m. carrying six men.

The driver holds all their passports.

- [x] Treat this as possible modern slavery,
  and speak to the men separately.
  > Feedback: The driver holding their documents is an indicator.
  > Safeguard first.
- [ ] Let them go.
  > Victims rarely self-identify.

## peace
type: ordering

Order the PEACE stages.

1. Planning and preparation
   > Feedback: First.
2. Engage and explain
   > Second.
3. Account
   > Third.
"""


def test_questions_options_and_feedback_are_parsed():
    problems = []

    single, ordering = parse_quiz(QUIZ, "quiz.md", problems)

    assert problems == []
    assert (single.key, single.type, single.points) == ("van-at-car-wash", "single", 2)
    assert single.line == 3
    assert single.tags == ("labour-exploitation", "situational-indicators")
    assert single.scenario_markdown == (
        "You stop a van at 5 a.m. carrying six men.\n\nThe driver holds all their passports."
    )
    assert single.scenario_line == 8
    assert single.options == (
        OptionSource(
            "a",
            "Treat this as possible modern slavery,\nand speak to the men separately.",
            True,
            "The driver holding their documents is an indicator.\nSafeguard first.",
            12,
            14,
        ),
        OptionSource("b", "Let them go.", False, "Victims rarely self-identify.", 16, 17),
    )
    assert (ordering.type, ordering.points) == ("ordering", 1)
    assert [(o.key, o.markdown, o.correct) for o in ordering.options] == [
        ("a", "Planning and preparation", True),
        ("b", "Engage and explain", True),
        ("c", "Account", True),
    ]
    assert ordering.options[0].feedback_markdown == "First."


def test_without_a_problem_list_the_first_problem_is_raised():
    text = QUIZ.replace("  > Victims rarely self-identify.\n", "").replace("type: ordering", "")

    with pytest.raises(ContentError) as caught:
        parse_quiz(text, "content/modules/m/quiz.md")

    assert str(caught.value) == (
        "content/modules/m/quiz.md:16: option b of 'van-at-car-wash' has no feedback"
    )


def test_every_problem_is_collected():
    text = QUIZ.replace("  > Victims rarely self-identify.\n", "").replace("type: ordering", "")
    problems = []

    parse_quiz(text, "quiz.md", problems)

    assert sorted(str(p) for p in problems) == [
        "quiz.md:16: option b of 'van-at-car-wash' has no feedback",
        "quiz.md:18: question 'peace' has no type",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "## q\ntype: single\ncolour: red\n\nS\n\n- [x] a\n  > f\n- [ ] b\n  > f\n",
            ["q.md:3: unknown question setting 'colour' (allowed: type, points, tags, tests)"],
        ),
        ("## q\ntype: single\n\nS\n\n- [x] a\n  > f\n", ["q.md:1: question 'q' needs at least two options"]),
        ("## q\ntype: single\n\n- [x] a\n  > f\n- [ ] b\n  > f\n", ["q.md:1: question 'q' has no scenario"]),
        (
            "## q\ntype: single\ntags: Bad Tag\n\nS\n\n- [x] a\n  > f\n- [ ] b\n  > f\n",
            ["q.md:3: tag 'Bad Tag' must be lowercase letters, digits and hyphens"],
        ),
        (
            "## q\ntype: single\n\nS\n\n- [x] a\n  > f\nstray text\n- [ ] b\n  > f\n",
            [
                "q.md:8: unexpected text among the options of 'q' (options are '- [x] text' or "
                "'1. text', feedback lines '  > text')"
            ],
        ),
        (
            "## q\ntype: ordering\n\nS\n\n- [x] a\n  > f\n- [x] b\n  > f\n- [x] c\n  > f\n",
            [
                "q.md:6: ordering items are written '1. text', '2. text'... in the correct order",
                "q.md:8: ordering items are written '1. text', '2. text'... in the correct order",
                "q.md:10: ordering items are written '1. text', '2. text'... in the correct order",
            ],
        ),
        (
            "## q\ntype: multiple\npoints: 1.5\n\nS\n\n- [x] a\n  > f\n- [ ] b\n  > f\n",
            ["q.md:3: points must be a positive whole number, not '1.5'"],
        ),
    ],
)
def test_quiz_problems_have_exact_lines(text, expected):
    problems = []

    parse_quiz(text, "q.md", problems)

    assert [str(p) for p in problems] == expected
