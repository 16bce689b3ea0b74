"""Fuzzing the quiz scorer and the attempt-form parser: only the project's own errors, ever.

The scorer's properties (score within 0..points, the key scores full marks, foreign keys refused)
are in tests/unit/assessments/test_scoring.py; these add arbitrary *shapes* of answer (anything a
JSON body or a form could carry) and arbitrary form posts to the parser that turns the attempt
form into answers. A crash in either would be a 500 on submit.
"""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from app.assessments.forms import parse_answers
from app.assessments.queries import AttemptItem, Choice
from app.assessments.scoring import (
    InvalidAnswer,
    ScoringOption,
    ScoringQuestion,
    score,
    score_question,
    validate_answer,
)
from app.assessments.services import InvalidSubmissionError

FUZZ = settings(max_examples=300, deadline=None)
KEYS = ("a", "b", "c", "d")
QUESTIONS = [
    ScoringQuestion("single", "single", 1.0, tuple(ScoringOption(k, k == "a") for k in KEYS)),
    ScoringQuestion("multi", "multiple", 2.0, tuple(ScoringOption(k, k in "ab") for k in KEYS)),
    ScoringQuestion("order", "ordering", 3.0, tuple(ScoringOption(k) for k in KEYS)),
]
NASTY_TEXT = st.one_of(
    st.sampled_from([*KEYS, "", " a", "A", "\x00", "a\u0301", "__class__"]), st.text(max_size=8)
)
RAW = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True)
    | NASTY_TEXT
    | st.binary(max_size=4),
    lambda inner: (
        st.lists(inner, max_size=6)
        | st.tuples(inner, inner)
        | st.frozensets(NASTY_TEXT, max_size=4)
        | st.dictionaries(NASTY_TEXT, inner, max_size=3)
    ),
    max_leaves=12,
)


@FUZZ
@given(st.sampled_from(QUESTIONS), RAW)
def test_any_answer_shape_scores_or_is_refused_as_invalid(question, raw):
    try:
        validate_answer(question, raw)
    except InvalidAnswer as error:
        refused = error
    else:
        refused = None
    if refused is not None:
        assert refused.question_key == question.key
        return
    result = score_question(question, raw)
    assert 0.0 <= result.score <= question.points


@FUZZ
@given(st.dictionaries(NASTY_TEXT | st.sampled_from([q.key for q in QUESTIONS]), RAW, max_size=5))
def test_any_answer_mapping_scores_or_is_refused_as_invalid(answers):
    try:
        result = score(QUESTIONS, answers)
    except InvalidAnswer:
        return
    assert 0.0 <= result.percent <= 100.0


def _item(number, key, kind, n):
    codes = {str(i + 1): k for i, k in enumerate(KEYS[:n])}
    return AttemptItem(
        number=number,
        key=key,
        type=kind,
        points=1.0,
        scenario_html="",
        choices=tuple(Choice(code, f"<p>{k}</p>") for code, k in codes.items()),
        code_to_key=codes,
    )


ITEMS = [_item(1, "single", "single", 3), _item(2, "multi", "multiple", 4), _item(3, "order", "ordering", 4)]
FIELD_NAMES = st.sampled_from(
    ["q1", "q2", "q3", "q3-1", "q3-2", "q3-3", "q3-4", "q4", "module_version_id", "csrf_token"]
)
VALUES = st.one_of(
    st.sampled_from(
        [
            "1",
            "2",
            "3",
            "4",
            "5",
            "0",
            "-1",
            "",
            " 2 ",
            "\u00b2",
            "\u0663",
            "\uff12",
            "1e3",
            "99999999999999999999",
            "\x00",
            "a",
        ]
    ),
    st.text(max_size=6),
)


@FUZZ
@given(st.lists(st.tuples(FIELD_NAMES, VALUES), max_size=12))
def test_any_attempt_form_parses_or_is_refused_as_tampering(pairs):
    form = MultiDict(pairs)
    try:
        parsed = parse_answers(form, ITEMS)
    except InvalidSubmissionError:
        return
    for key, answer in parsed.answers.items():
        question = next(q for q in QUESTIONS if q.key == key)
        try:  # a repeated option gets past the parser; the service turns this into a 400
            validate_answer(question, answer)
        except InvalidAnswer:
            pass


def test_superscript_digit_as_a_position_is_tampering_not_a_crash():
    """Regression: '²'.isdigit() is true but int('²') raises ValueError (a 500 on submit)."""
    with pytest.raises(InvalidSubmissionError):
        parse_answers(MultiDict([("q3-1", "\u00b2")]), ITEMS)
