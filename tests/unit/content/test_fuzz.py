"""Arbitrary text as a quiz or lesson never raises anything but the project's own errors."""

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.content.errors import ContentError
from app.content.quiz_parser import parse_quiz
from app.content.rendering import render_markdown
from app.content.validation import check_tree
from tests.unit.content.conftest import add_module, write_courses
from tests.unit.content.test_rendering import assert_safe

# Text biased towards the syntax the parsers care about, so the fuzzing reaches deep branches.
PIECES = st.sampled_from(
    [
        "---\n",
        "## q\n",
        "type: single\n",
        "type: ordering\n",
        "points: 0\n",
        "- [x] a\n",
        "- [ ] b\n",
        "1. a\n",
        "  > f\n",
        "\n",
        "::: law T\n",
        ":::\n",
        "| a |\n|---|\n",
        "[x](01-first.md#y)",
        "![](images/pic.png)",
        "<script>",
        "title: [\n",
        "# h\n",
        "#### h\n",
        "[x](javascript:alert(1))",
        "\r\n",
        "\x00",
        "\ufeff",
        "tags: a, B\n",
    ]
)
TEXT = st.lists(st.one_of(PIECES, st.text(max_size=20)), max_size=30).map("".join)
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(TEXT)
def test_arbitrary_quiz_text_gives_problems_or_content_error(text):
    problems = []
    parse_quiz(text, "quiz.md", problems)
    assert all(str(p).startswith("quiz.md:") for p in problems)
    if problems:
        with pytest.raises(ContentError, match=r"^quiz\.md:\d+: "):
            parse_quiz(text, "quiz.md")
    else:
        parse_quiz(text, "quiz.md")


@FUZZ
@given(lesson=st.one_of(TEXT.map(str.encode), st.binary(max_size=200)), quiz=TEXT)
def test_arbitrary_lesson_and_quiz_files_only_give_problems(lesson, quiz):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "content"
        folder = add_module(root, "fuzzed")
        (folder / "02-second.md").write_bytes(lesson)
        (folder / "module.md").write_bytes(b"---\n" + lesson + b"\n---\n" + lesson)
        (folder / "quiz.md").write_text(quiz)
        write_courses(root, "fuzzed")

        problems = check_tree(root)

    assert all(str(p).startswith("content/") and p.line >= 1 for p in problems)


@FUZZ
@given(TEXT)
def test_arbitrary_markdown_renders_only_allow_listed_html(text):
    assert_safe(render_markdown(text).html)
