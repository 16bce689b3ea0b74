"""Scoring: hand-computed examples of the documented formulas, validation, and properties."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.assessments.scoring import (
    InvalidAnswer,
    ScoringOption,
    ScoringQuestion,
    passed,
    score,
    score_question,
    validate_answer,
)


def single(key="q-single", points=1.0, keys="abc", correct="a"):
    return ScoringQuestion(key, "single", points, tuple(ScoringOption(k, k == correct) for k in keys))


def multiple(key="q-multi", points=1.0, correct="ab", wrong="cde"):
    options = [ScoringOption(k, True) for k in correct] + [ScoringOption(k, False) for k in wrong]
    return ScoringQuestion(key, "multiple", points, tuple(sorted(options, key=lambda o: o.key)))


def ordering(key="q-order", points=2.0, items="abcd"):
    return ScoringQuestion(key, "ordering", points, tuple(ScoringOption(k) for k in items))


# --- single ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "expected", "full"),
    [("a", 2.0, True), ("b", 0.0, False), (None, 0.0, False)],
)
def test_single_scores_full_points_only_for_the_correct_option(answer, expected, full):
    result = score_question(single(points=2.0), answer)
    assert result.score == expected
    assert result.max == 2.0
    assert result.correct is full


# --- multiple: C = 2 correct (a, b), W = 3 wrong (c, d, e), points = 1 ----------------------


@pytest.mark.parametrize(
    ("picks", "expected"),
    [
        (["a", "b"], 1.0),  # 2 * 1/2 = 1
        (["a"], 0.5),  # 1/2
        (["a", "c"], 1 / 6),  # 1/2 - 1/3 = 3/6 - 2/6 = 1/6
        (["a", "b", "c"], 2 / 3),  # 1 - 1/3 = 2/3
        (["a", "b", "c", "d"], 1 / 3),  # 1 - 2/3 = 1/3
        (["c", "d"], 0.0),  # 0 - 2/3 < 0, clamped to 0
        (["a", "b", "c", "d", "e"], 0.0),  # 1 - 1 = 0
        ([], 0.0),  # no picks
        (None, 0.0),  # unanswered
    ],
)
def test_multiple_partial_credit_hand_computed(picks, expected):
    result = score_question(multiple(), picks)
    assert result.score == pytest.approx(expected, abs=1e-12)
    assert result.correct is (expected == 1.0)


def test_multiple_partial_credit_scales_with_points():
    # points 3, picks a, b, c: 3 * (2/2 - 1/3) = 3 * 2/3 = 2
    assert score_question(multiple(points=3.0), ["a", "b", "c"]).score == pytest.approx(2.0)


def test_multiple_answer_is_normalised_to_option_order():
    assert validate_answer(multiple(), {"c", "a"}) == ("a", "c")
    assert validate_answer(multiple(), ("b", "a")) == ("a", "b")


# --- ordering: 4 items a, b, c, d in that order, points = 2 ---------------------------------


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        (["a", "b", "c", "d"], 2.0),  # 4 of 4 in place: 2 * 4/4
        (["a", "c", "b", "d"], 1.0),  # a and d in place: 2 * 2/4
        (["a", "b", "d", "c"], 1.0),  # a and b in place: 2 * 2/4
        (["b", "a", "c", "d"], 1.0),  # c and d in place
        (["d", "a", "b", "c"], 0.0),  # rotated: nothing in place
        (["d", "c", "b", "a"], 0.0),  # reversed: nothing in place (even length)
        (None, 0.0),
    ],
)
def test_ordering_earns_points_per_item_in_place(order, expected):
    assert score_question(ordering(), order).score == expected


def test_ordering_with_one_in_place_of_three():
    # items a, b, c, points 1; answer c, b, a: only b in place -> 1/3
    question = ordering(points=1.0, items="abc")
    assert score_question(question, ["c", "b", "a"]).score == pytest.approx(1 / 3)


# --- whole attempt ------------------------------------------------------------------------


def test_score_totals_and_percent_hand_computed():
    questions = [single(points=1.0), multiple(points=1.0), ordering(points=2.0)]
    answers = {"q-single": "a", "q-multi": ["a", "c"], "q-order": ["a", "c", "b", "d"]}
    result = score(questions, answers)
    # total = 1 + 1/6 + 1 = 13/6 = 2.1666...; max = 4; percent = 100 * 13/24 = 54.1666... -> 54.17
    assert result.total == pytest.approx(13 / 6)
    assert result.max_total == 4.0
    assert result.percent == 54.17
    assert [q.key for q in result.per_question] == ["q-single", "q-multi", "q-order"]
    assert [q.correct for q in result.per_question] == [True, False, False]


def test_unanswered_questions_score_zero():
    result = score([single(), multiple()], {})
    assert result.total == 0.0
    assert result.percent == 0.0
    assert [q.answer for q in result.per_question] == [None, ()]


def test_answer_to_a_question_not_in_the_attempt_is_rejected():
    with pytest.raises(InvalidAnswer):
        score([single()], {"q-single": "a", "q-other": "a"})


def test_duplicate_question_keys_are_a_programming_error():
    with pytest.raises(ValueError, match="duplicate"):
        score([single(), single()], {})


def test_empty_quiz_scores_zero_percent():
    assert score([], {}).percent == 0.0


@pytest.mark.parametrize(
    ("percent", "pass_mark", "expected"),
    [(80.0, 80, True), (79.99, 80, False), (100.0, 100, True), (0.0, 1, False)],
)
def test_passed_means_percent_at_least_pass_mark(percent, pass_mark, expected):
    assert passed(percent, pass_mark) is expected


# --- validation ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "raw"),
    [
        (single(), "z"),  # foreign key
        (single(), ""),  # empty string is not a key
        (single(), ["a"]),  # list for single
        (single(), 1),  # not a string
        (multiple(), "ab"),  # a string is not a collection of keys
        (multiple(), ["a", "a"]),  # duplicate
        (multiple(), ["a", "z"]),  # foreign key
        (multiple(), [1]),  # non-string key
        (multiple(), {"a": True}),  # mapping is not an accepted shape
        (ordering(), ["a", "b", "c"]),  # not every item
        (ordering(), ["a", "b", "c", "c"]),  # duplicate, so not a permutation
        (ordering(), ["a", "b", "c", "d", "e"]),  # foreign key
        (ordering(), {"a", "b", "c", "d"}),  # a set has no order
        (ordering(), "abcd"),  # a string is not a sequence of keys
    ],
)
def test_validate_answer_rejects_tampered_submissions(question, raw):
    with pytest.raises(InvalidAnswer) as excinfo:
        validate_answer(question, raw)
    assert excinfo.value.question_key == question.key


@pytest.mark.parametrize(
    "build",
    [
        lambda: ScoringQuestion("q", "essay", 1.0, ()),  # type: ignore[arg-type]
        lambda: ScoringQuestion("q", "single", -1.0, ()),
        lambda: ScoringQuestion("q", "single", float("nan"), ()),
        lambda: ScoringQuestion("q", "single", 1.0, (ScoringOption("a"), ScoringOption("a"))),
    ],
)
def test_bad_question_definitions_are_rejected(build):
    with pytest.raises(ValueError):  # noqa: PT011 - any definition error will do
        build()


# --- properties ---------------------------------------------------------------------------

KEYS = st.lists(st.sampled_from("abcdefgh"), min_size=2, max_size=8, unique=True)
POINTS = st.sampled_from([0.5, 1.0, 2.0, 3.0, 7.0])


@st.composite
def questions(draw, kinds=("single", "multiple", "ordering")):
    kind = draw(st.sampled_from(kinds))
    keys = draw(KEYS if kind != "ordering" else KEYS.filter(lambda k: len(k) >= 3))
    points = draw(POINTS)
    if kind == "single":
        right = {draw(st.sampled_from(keys))}
    elif kind == "multiple":
        right = set(draw(st.lists(st.sampled_from(keys), min_size=1, unique=True)))
    else:
        right = set()
    options = tuple(ScoringOption(k, k in right) for k in keys)
    return ScoringQuestion("q", kind, points, options)


@st.composite
def question_and_answer(draw, kinds=("single", "multiple", "ordering")):
    question = draw(questions(kinds))
    keys = list(question.option_keys)
    if question.type == "single":
        answer = draw(st.none() | st.sampled_from(keys))
    elif question.type == "multiple":
        answer = draw(st.lists(st.sampled_from(keys), unique=True))
    else:
        answer = draw(st.none() | st.permutations(keys))
    return question, answer


def key_answer(question):
    if question.type == "single":
        return next(o.key for o in question.options if o.correct)
    if question.type == "multiple":
        return [o.key for o in question.options if o.correct]
    return list(question.option_keys)


@given(question_and_answer())
def test_score_is_within_zero_and_points(qa):
    question, answer = qa
    result = score_question(question, answer)
    assert 0.0 <= result.score <= question.points
    assert result.correct == (result.score == question.points)


@given(questions())
def test_the_key_scores_full_marks(question):
    result = score_question(question, key_answer(question))
    assert result.score == question.points
    assert result.correct


@given(question_and_answer(kinds=("single", "multiple")), st.randoms(use_true_random=False))
def test_score_does_not_depend_on_option_order_in_the_definition(qa, rnd):
    question, answer = qa
    options = list(question.options)
    rnd.shuffle(options)
    permuted = ScoringQuestion(question.key, question.type, question.points, tuple(options))
    assert score_question(permuted, answer).score == score_question(question, answer).score


@given(question_and_answer(kinds=("multiple",)))
def test_multiple_partial_credit_matches_documented_formula(qa):
    question, picks = qa
    right = sum(o.correct for o in question.options)
    wrong = len(question.options) - right
    hits = sum(1 for o in question.options if o.correct and o.key in picks)
    misses = len(picks) - hits
    raw = Fraction(hits, right) - (Fraction(misses, wrong) if wrong else 0)
    expected = float(min(Fraction(1), max(Fraction(0), raw)) * Fraction(question.points))
    assert score_question(question, picks).score == pytest.approx(expected, abs=1e-12)


@given(questions(), st.text(min_size=1, max_size=3))
def test_validate_answer_rejects_foreign_keys(question, foreign):
    if foreign in question.option_keys:
        foreign = foreign + "-x"
    keys = list(question.option_keys)
    if question.type == "single":
        raw = foreign
    elif question.type == "multiple":
        raw = [*keys[:1], foreign]
    else:
        raw = [*keys[:-1], foreign]
    with pytest.raises(InvalidAnswer):
        validate_answer(question, raw)
