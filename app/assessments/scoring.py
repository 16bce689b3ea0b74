"""Score a submitted quiz attempt: pure functions over plain dataclasses (no Flask, no database)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

QuestionTypeName = Literal["single", "multiple", "ordering"]
# Normalised answers: single -> option key or None; multiple -> tuple of keys in the question's
# option order (empty when nothing is picked); ordering -> the officer's order, or None.
Answer = str | tuple[str, ...] | None


class InvalidAnswer(ValueError):  # noqa: N818 - the agreed name
    """An answer no honest form could produce (foreign key, duplicate, wrong shape)."""

    def __init__(self, question_key: str, message: str) -> None:
        super().__init__(f"{question_key}: {message}")
        self.question_key = question_key
        self.message = message


@dataclass(frozen=True)
class ScoringOption:
    """One option of a question; for ordering questions `correct` is ignored."""

    key: str
    correct: bool = False


@dataclass(frozen=True)
class ScoringQuestion:
    """What scoring needs to know of a question; ordering options are in the correct order."""

    key: str
    type: QuestionTypeName
    points: float
    options: tuple[ScoringOption, ...]

    def __post_init__(self) -> None:
        """Reject definitions that would make the formulas meaningless."""
        if self.type not in QUESTION_TYPES:
            raise ValueError(f"{self.key}: unknown question type {self.type!r}")
        if not math.isfinite(self.points) or self.points < 0:
            raise ValueError(f"{self.key}: points must be a finite number >= 0")
        keys = [option.key for option in self.options]
        if len(set(keys)) != len(keys):
            raise ValueError(f"{self.key}: duplicate option keys")

    @property
    def option_keys(self) -> tuple[str, ...]:
        """Option keys in definition order."""
        return tuple(option.key for option in self.options)


@dataclass(frozen=True)
class QuestionScore:
    """The mark for one question; `correct` means full marks."""

    key: str
    score: float
    max: float
    correct: bool
    answer: Answer


@dataclass(frozen=True)
class ScoreResult:
    """The marks for a whole attempt; `percent` is rounded to 2 dp, `total` keeps full precision."""

    total: float
    max_total: float
    percent: float
    per_question: tuple[QuestionScore, ...]


def _check_keys(question: ScoringQuestion, keys: Sequence[Any]) -> None:
    """Raise InvalidAnswer unless every key is a known option key, each given once."""
    known = set(question.option_keys)
    for key in keys:
        if not isinstance(key, str):
            kind = type(key).__name__
            raise InvalidAnswer(question.key, f"option key must be a string, not {kind}")
        if key not in known:
            raise InvalidAnswer(question.key, f"unknown option {key!r}")
    if len(set(keys)) != len(keys):
        raise InvalidAnswer(question.key, "an option is given more than once")


def _as_key_list(question: ScoringQuestion, raw: Any, *, ordered: bool) -> list[Any]:
    """Accept a list or tuple (or a set when order does not matter); reject strings, scalars."""
    allowed: tuple[type, ...] = (list, tuple) if ordered else (list, tuple, set, frozenset)
    if isinstance(raw, str) or not isinstance(raw, allowed):
        shape = "a sequence" if ordered else "a collection"
        kind = type(raw).__name__
        raise InvalidAnswer(question.key, f"expected {shape} of option keys, got {kind}")
    return list(raw)


class SingleChoice:
    """Full points iff the one correct option is chosen."""

    @staticmethod
    def validate(question: ScoringQuestion, raw: Any) -> Answer:
        """Normalise to an option key or None."""
        if raw is None:
            return None
        if not isinstance(raw, str):
            raise InvalidAnswer(question.key, f"expected one option key, got {type(raw).__name__}")
        _check_keys(question, [raw])
        return raw

    @staticmethod
    def mark(question: ScoringQuestion, answer: Answer) -> tuple[float, bool]:
        """Return (fraction of points, full marks)."""
        correct = {option.key for option in question.options if option.correct}
        full = answer is not None and answer in correct
        return (1.0 if full else 0.0), full


class MultipleChoice:
    """Each correct pick earns 1/C, each wrong pick costs 1/W, clamped to [0, 1]."""

    @staticmethod
    def validate(question: ScoringQuestion, raw: Any) -> Answer:
        """Normalise to a tuple of picked keys in the question's option order."""
        if raw is None:
            return ()
        keys = _as_key_list(question, raw, ordered=False)
        _check_keys(question, keys)
        picked = set(keys)
        return tuple(key for key in question.option_keys if key in picked)

    @staticmethod
    def mark(question: ScoringQuestion, answer: Answer) -> tuple[float, bool]:
        """Return (fraction of points, full marks)."""
        picked = set(answer or ())
        right = sum(1 for option in question.options if option.correct)
        wrong = len(question.options) - right
        hits = sum(1 for option in question.options if option.correct and option.key in picked)
        misses = len(picked) - hits
        # Fractions of the form k/C stay exact at k == C, so the key scores exactly 1.0.
        fraction = (hits / right if right else 0.0) - (misses / wrong if wrong else 0.0)
        full = right > 0 and hits == right and misses == 0
        return min(1.0, max(0.0, fraction)), full


class Ordering:
    """Each item placed at its correct position earns 1/n."""

    @staticmethod
    def validate(question: ScoringQuestion, raw: Any) -> Answer:
        """Normalise to the officer's order (a permutation of all items) or None."""
        if raw is None:
            return None
        keys = _as_key_list(question, raw, ordered=True)
        if not keys:
            return None
        _check_keys(question, keys)
        if len(keys) != len(question.options):
            raise InvalidAnswer(question.key, "an ordering must place every item exactly once")
        return tuple(keys)

    @staticmethod
    def mark(question: ScoringQuestion, answer: Answer) -> tuple[float, bool]:
        """Return (fraction of points, full marks)."""
        items = question.option_keys
        if not answer or not items:
            return 0.0, False
        in_place = sum(1 for given, right in zip(answer, items, strict=True) if given == right)
        return in_place / len(items), in_place == len(items)


# CTFd-style registry: a question type is a small class with validate() and mark().
QUESTION_TYPES: dict[str, type[SingleChoice] | type[MultipleChoice] | type[Ordering]] = {
    "single": SingleChoice,
    "multiple": MultipleChoice,
    "ordering": Ordering,
}


def validate_answer(question: ScoringQuestion, raw: Any) -> Answer:
    """Return the normalised answer, or raise InvalidAnswer for a tampered or malformed one."""
    return QUESTION_TYPES[question.type].validate(question, raw)


def score_question(question: ScoringQuestion, raw: Any) -> QuestionScore:
    """Validate and mark one answer."""
    answer = validate_answer(question, raw)
    fraction, full = QUESTION_TYPES[question.type].mark(question, answer)
    points = float(question.points)
    return QuestionScore(
        key=question.key,
        score=points * fraction,
        max=points,
        correct=full,
        answer=answer,
    )


def score(questions: Sequence[ScoringQuestion], answers: Mapping[str, Any]) -> ScoreResult:
    """Mark an attempt; missing answers score 0, answers to unknown questions are rejected."""
    keys = [question.key for question in questions]
    if len(set(keys)) != len(keys):
        raise ValueError("duplicate question keys")
    unknown = sorted(str(key) for key in set(answers) - set(keys))
    if unknown:
        raise InvalidAnswer(unknown[0], "answer to a question that is not in this attempt")
    per_question = tuple(score_question(q, answers.get(q.key)) for q in questions)
    total = math.fsum(item.score for item in per_question)
    max_total = math.fsum(item.max for item in per_question)
    percent = round(100.0 * total / max_total, 2) if max_total > 0 else 0.0
    return ScoreResult(total=total, max_total=max_total, percent=percent, per_question=per_question)


def passed(percent: float, pass_mark: float) -> bool:
    """True when the (already rounded) percent reaches the pass mark."""
    return percent >= pass_mark


__all__ = [
    "QUESTION_TYPES",
    "Answer",
    "InvalidAnswer",
    "QuestionScore",
    "ScoreResult",
    "ScoringOption",
    "ScoringQuestion",
    "passed",
    "score",
    "score_question",
    "validate_answer",
]
