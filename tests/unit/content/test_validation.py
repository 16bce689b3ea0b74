"""Each broken fixture module reports exactly the expected `path:line: message` problems."""

import shutil
from pathlib import Path

import pytest

from app.content.errors import ContentInvalid, Problem
from app.content.validation import check_tree, load_tree
from tests.unit.content.conftest import BROKEN, add_module, write_courses

REPO = Path(__file__).parents[3]

# Expected problems per fixture, with paths relative to content/modules/<fixture>/.
EXPECTED = {
    "bad-lesson-filename": [
        "3-third.md:1: lesson file name must look like 01-lesson-slug.md",
    ],
    "broken-links": [
        "02-second.md:7: broken link: 01-first.md#nowhere (no heading '#nowhere' in 01-first.md)",
        "02-second.md:7: broken link: 09-nope.md (no such lesson)",
        "02-second.md:8: broken link: no heading '#missing' here",
        "02-second.md:9: broken link: ../no-such-module/01-first.md (no such module)",
    ],
    "duplicate-lesson-number": [
        "02-second.md:1: duplicate lesson number 02 (also 02-again.md)",
    ],
    "empty-module": [
        "module.md:1: empty module: no lesson files (01-slug.md)",
        "quiz.md:3: 'pick-one' tests '01-first.md#start-here': no lesson '01-first.md' in this module",
        "quiz.md:11: broken link: 01-first.md#start-here (no such lesson)",
        "quiz.md:15: 'pick-some' tests '01-first.md#start-here': no lesson '01-first.md' in this module",
        "quiz.md:23: broken link: 01-first.md#start-here (no such lesson)",
        "quiz.md:27: 'put-in-order' tests '01-first.md#start-here': no lesson '01-first.md' in this module",
    ],
    "include-duplicate-ids": [
        "quiz.md:1: question id 'pick-one' is also in included module 'good-module'",
        "quiz.md:13: question id 'pick-some' is also in included module 'good-module'",
        "quiz.md:25: question id 'put-in-order' is also in included module 'good-module'",
    ],
    "include-unknown-module": [
        "module.md:8: quiz includes unknown module 'no-such-module'",
    ],
    "missing-image": [
        "02-second.md:7: missing image: images/nope.png",
        "02-second.md:9: missing image: ../good-module/images/pic.png",
    ],
    "missing-quiz": [
        "quiz.md:1: quiz.md is missing",
    ],
    "missing-required": [
        "module.md:1: missing required key 'pass_mark'",
        "module.md:1: missing required key 'summary'",
    ],
    "no-alt-text": [
        "02-second.md:7: image has no alt text",
    ],
    "no-title": [
        "02-second.md:1: lesson has no title (front matter 'title: ...')",
    ],
    "pass-mark-out-of-range": [
        "module.md:5: 'pass_mark' must be between 1 and 100",
    ],
    "quiz-bad-id": [
        "quiz.md:3: question id 'Pick_One' must be lowercase letters, digits and hyphens",
    ],
    "quiz-duplicate-ids": [
        "quiz.md:12: duplicate question id 'pick-one' (first at line 1)",
    ],
    "quiz-missing-feedback": [
        "quiz.md:9: option b of 'pick-one' has no feedback",
    ],
    "quiz-multiple-none-correct": [
        "quiz.md:1: multiple-answer question 'pick-some' must have at least one [x]",
    ],
    "quiz-ordering-misnumbered": [
        "quiz.md:9: ordering items must be numbered 1, 2, 3... (expected 2)",
        "quiz.md:11: ordering items must be numbered 1, 2, 3... (expected 3)",
    ],
    "quiz-ordering-two-items": [
        "quiz.md:1: ordering question 'put-in-order' needs at least three items (has 2)",
    ],
    "quiz-points-not-positive": [
        "quiz.md:4: points must be a positive whole number, not '0'",
    ],
    "quiz-single-two-correct": [
        "quiz.md:1: single-answer question 'pick-one' must have exactly one [x] (has 2)",
    ],
    "quiz-text-before-questions": [
        "quiz.md:1: text before the first question (each question starts with '## question-id')",
    ],
    "quiz-unknown-type": [
        "quiz.md:2: unknown question type 'true-false' (use single, multiple or ordering)",
    ],
    "skipped-headings": [
        "02-second.md:5: heading level 1 is the page title: start headings at ##",
        "02-second.md:9: heading level skipped: h2 to h4",
    ],
    "table-without-header": [
        "02-second.md:7: table has no header row",
    ],
    "too-many-questions-per-attempt": [
        "module.md:7: questions_per_attempt is 9 but the question bank has only 3",
    ],
    "unclosed-front-matter": [
        "02-second.md:1: front matter is not closed: add a line '---' after it",
    ],
    "unknown-callout": [
        "02-second.md:7: unknown callout 'lw' (kinds: law, action, example, warning, note)",
    ],
    "unknown-key": [
        "module.md:6: unknown key 'colour' "
        "(allowed: title, summary, estimated_minutes, pass_mark, objectives, sources, quiz, "
        "version_notes, supersedes_for_law, law_changes, pocket_card)",
        "module.md:8: unknown key 'retries' in 'quiz' "
        "(allowed: questions_per_attempt, attempts_allowed, cooldown_minutes, show_feedback, "
        "include, own_questions_per_attempt)",
    ],
    "unsafe-html": [
        "02-second.md:7: unsafe HTML removed: <script>alert(1)</script>",
        '02-second.md:9: unsafe HTML removed: <img src=x onerror="alert(1)">',
        "02-second.md:9: unsafe link removed: JavaScript:alert(1)",
        '02-second.md:11: unsafe HTML removed: <iframe src="https://example.com"></iframe>',
    ],
    "vague-link-text": [
        "02-second.md:7: link text 'Here.' does not say where the link goes",
        "02-second.md:7: link text 'click here' does not say where the link goes",
        "02-second.md:8: link text 'read more' does not say where the link goes",
    ],
    "wrong-types": [
        "module.md:4: 'estimated_minutes' must be a whole number",
        "module.md:5: 'pass_mark' must be between 1 and 100",
        "module.md:6: 'objectives' must be a list",
        "module.md:8: 'show_feedback' must be true or false",
    ],
    "yaml-error": [
        "module.md:4: invalid YAML: expected ',' or ']', but got ':' "
        "(while parsing a flow sequence at line 3)",
    ],
}


def test_every_broken_fixture_has_expected_problems():
    assert sorted(EXPECTED) == sorted(p.name for p in BROKEN.iterdir())


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_broken_fixture_reports_exact_problems(content_root, case):
    add_module(content_root, "good-module")
    add_module(content_root, case, BROKEN / case)
    write_courses(content_root, "good-module", case)

    found = [str(problem) for problem in check_tree(content_root)]

    assert found == [f"content/modules/{case}/{line}" for line in EXPECTED[case]]


def test_good_module_has_no_problems(content_root):
    add_module(content_root, "good-module")
    write_courses(content_root, "good-module")

    assert check_tree(content_root) == []


def test_documented_example_module_has_no_problems(content_root):
    add_module(content_root, "good-module")
    example = content_root / "modules" / "example-module"
    shutil.copytree(REPO / "docs" / "example-module", example)
    write_courses(content_root, "example-module")

    assert check_tree(content_root) == []
    assert [q.type for q in load_tree(content_root).modules["example-module"].questions] == [
        "single",
        "multiple",
        "ordering",
    ]


def test_all_problems_are_collected_not_just_the_first(content_root):
    for case in ("yaml-error", "broken-links", "quiz-duplicate-ids"):
        add_module(content_root, case, BROKEN / case)
    write_courses(content_root, "yaml-error")

    paths = {problem.path for problem in check_tree(content_root)}

    assert paths == {
        "content/modules/yaml-error/module.md",
        "content/modules/broken-links/02-second.md",
        "content/modules/quiz-duplicate-ids/quiz.md",
    }


def test_load_tree_raises_with_every_error(content_root):
    add_module(content_root, "good-module")
    add_module(content_root, "wrong-types", BROKEN / "wrong-types")
    write_courses(content_root, "good-module")

    with pytest.raises(ContentInvalid) as caught:
        load_tree(content_root)

    assert len(caught.value.problems) == 4
    assert "content/modules/wrong-types/module.md:4: 'estimated_minutes'" in str(caught.value)


def test_load_tree_returns_the_tree_when_clean(content_root):
    add_module(content_root, "good-module")
    write_courses(content_root, "good-module")

    tree = load_tree(content_root)

    assert list(tree.modules) == ["good-module"]
    assert tree.courses[0].modules == ("good-module",)


def test_links_across_modules_are_checked(content_root):
    add_module(content_root, "good-module")
    other = add_module(content_root, "other")
    (other / "02-second.md").write_text(
        "---\ntitle: Two\n---\n\n## The end\n\n[Start](../good-module/01-first.md#start-here) and "
        "[nowhere](../good-module/01-first.md#nowhere) and [intro](../good-module/module.md).\n"
    )
    write_courses(content_root, "good-module", "other")

    assert [str(p) for p in check_tree(content_root)] == [
        "content/modules/other/02-second.md:7: broken link: ../good-module/01-first.md#nowhere "
        "(no heading '#nowhere' in 01-first.md)",
    ]


def test_problems_in_quiz_markdown_point_at_the_quiz_line(content_root):
    folder = add_module(content_root, "good-module")
    quiz = (folder / "quiz.md").read_text()
    (folder / "quiz.md").write_text(quiz.replace("  > Because not.", "  > See ![](images/pic.png)"))
    write_courses(content_root, "good-module")

    assert [str(p) for p in check_tree(content_root)] == [
        "content/modules/good-module/quiz.md:23: image has no alt text",
    ]


COURSES = {
    "unknown module": (
        "courses:\n  - slug: c\n    title: C\n    modules:\n      - good-module\n      - nope\n",
        ["content/courses.yml:6: course 'c' names unknown module 'nope'"],
    ),
    "unknown key": (
        "- slug: c\n  title: C\n  colour: red\n  modules: [good-module]\n",
        [
            "content/courses.yml:3: unknown key 'colour' in a course (allowed: slug, title, "
            "audience, description, certificate_valid_months, modules)"
        ],
    ),
    "duplicate slug": (
        "- {slug: c, title: C, modules: [good-module]}\n- {slug: c, title: D, modules: [good-module]}\n",
        ["content/courses.yml:2: duplicate course slug 'c'"],
    ),
    "missing keys": (
        "courses:\n  - slug: c\n",
        [
            "content/courses.yml:2: missing required key 'modules' in a course",
            "content/courses.yml:2: missing required key 'title' in a course",
        ],
    ),
    "module twice": (
        "- {slug: c, title: C, modules: [good-module, good-module]}\n",
        ["content/courses.yml:1: module 'good-module' is listed twice"],
    ),
    "bad months": (
        "- {slug: c, title: C, certificate_valid_months: 0, modules: [good-module]}\n",
        ["content/courses.yml:1: 'certificate_valid_months' must be at least 1"],
    ),
    "not a list": (
        "title: C\n",
        ["content/courses.yml:1: courses.yml must be a list of courses under 'courses:'"],
    ),
    "bad yaml": (
        "courses:\n  - slug: c\n   title: x\n",
        [
            "content/courses.yml:3: invalid YAML: expected <block end>, but found "
            "'<block mapping start>' (while parsing a block collection at line 2)"
        ],
    ),
}


@pytest.mark.parametrize("case", sorted(COURSES))
def test_course_problems(content_root, case):
    add_module(content_root, "good-module")
    text, expected = COURSES[case]
    (content_root / "courses.yml").write_text(text)

    assert [str(p) for p in check_tree(content_root)] == expected


def test_missing_courses_file_and_folder(content_root, tmp_path):
    assert check_tree(content_root) == [Problem("content/courses.yml", 1, "courses.yml is missing")]
    assert [str(p) for p in check_tree(tmp_path / "nope")] == [
        f"{(tmp_path / 'nope').as_posix()}:1: content folder not found"
    ]


def test_quiz_made_only_of_included_banks_needs_no_quiz_file(content_root):
    add_module(content_root, "good-module")
    folder = add_module(content_root, "refresher", BROKEN / "include-duplicate-ids")
    (folder / "quiz.md").unlink()
    write_courses(content_root, "good-module", "refresher")

    assert check_tree(content_root) == []
