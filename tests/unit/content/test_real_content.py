"""The real training content keeps its structural promises (issue: training content)."""

from pathlib import Path

import pytest

from app.content.validation import check_tree, load_tree

CONTENT = Path(__file__).resolve().parents[3] / "content"
MAIN_MODULES = ("spotting-the-signs", "using-the-act", "victim-centred-interviewing")


@pytest.fixture(scope="module")
def tree():
    return load_tree(CONTENT)


def test_content_check_finds_no_problems():
    assert [str(p) for p in check_tree(CONTENT)] == []


@pytest.mark.parametrize("slug", MAIN_MODULES)
def test_module_has_objectives_sources_and_lessons(tree, slug):
    module = tree.modules[slug]
    assert 8 <= len(module.objectives) <= 12
    assert len(module.sources) >= 5
    assert len(module.lessons) >= 5
    assert module.summary.strip()
    assert module.pass_mark == 80


@pytest.mark.parametrize("slug", MAIN_MODULES)
def test_quiz_bank_is_big_enough_tagged_and_explained(tree, slug):
    module = tree.modules[slug]
    questions = module.questions
    assert len(questions) >= 30
    assert all(q.tests for q in questions)
    assert {q.type for q in questions} == {"single", "multiple", "ordering"}
    assert all(q.tags for q in questions)
    assert all(o.feedback_markdown.strip() for q in questions for o in q.options)
    assert module.quiz.questions_per_attempt == 10


def test_question_ids_are_unique_across_modules(tree):
    keys = [q.key for slug in MAIN_MODULES for q in tree.modules[slug].questions]
    assert len(keys) == len(set(keys))


def test_distressing_lessons_carry_a_content_warning(tree):
    warned = [lesson for m in tree.modules.values() for lesson in m.lessons if lesson.content_warning]
    assert len(warned) >= 3


def test_first_responder_course_has_the_three_modules_in_order_valid_for_a_year(tree):
    courses = {c.slug: c for c in tree.courses}
    course = courses["first-responder"]
    assert course.title == "Modern slavery: first responder"
    assert course.modules == MAIN_MODULES
    assert course.certificate_valid_months == 12


def test_refresher_reuses_the_three_quiz_banks(tree):
    courses = {c.slug: c for c in tree.courses}
    refresher = courses["first-responder-refresher"]
    [module_slug] = refresher.modules
    assert set(tree.modules[module_slug].quiz.include) == set(MAIN_MODULES)


def test_refresher_has_scenarios_of_its_own_on_what_changed(tree):
    """At least 6, each testing the recap's 'What has changed' section, 3 drawn per attempt."""
    refresher = tree.modules["first-responder-refresher"]
    assert len(refresher.questions) >= 6
    assert {q.tests for q in refresher.questions} == {
        "01-key-points-recap.md#what-has-changed-as-at-december-2026"
    }
    assert refresher.quiz.own_questions_per_attempt == 3
    assert refresher.quiz.questions_per_attempt == 12


def test_the_referral_decision_diagram_is_accessible_and_written_out(tree):
    lesson = next(x for x in tree.modules["spotting-the-signs"].lessons if x.number == 6)
    assert "](images/referral-decision.svg)" in lesson.markdown
    assert "![Decision diagram: " in lesson.markdown  # alt text
    assert "The diagram in words:" in lesson.markdown  # the text equivalent beside it
    svg = (CONTENT / "modules" / "spotting-the-signs" / "images" / "referral-decision.svg").read_text()
    assert 'role="img"' in svg
    assert 'aria-labelledby="title desc"' in svg
    assert "<title id=" in svg
    assert "<desc id=" in svg
    for step in ("Child safeguarding referral", "NRM referral", "Anonymous Duty", "Make them safe first"):
        assert step in svg
