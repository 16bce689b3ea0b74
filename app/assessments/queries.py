"""Reads for quizzes: modules, attempts, what an attempt shows, availability and item analysis."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import abort
from flask_babel import gettext as _
from flask_babel import ngettext
from markupsafe import Markup
from sqlalchemy import String, cast, func

from app.assessments import drawing, statistics
from app.assessments.models import Attempt, AttemptAnswer, ConfidenceRating, ModuleResult, QuestionStat
from app.assessments.scoring import ScoringOption, ScoringQuestion
from app.content import localised
from app.content.localised import Localised
from app.content.models import Module, ModuleVersion, Question
from app.extensions import db
from app.formatting import uk_datetime
from app.i18n import current_language

# Defaults when a version's quiz settings leave a key out (see docs/authoring.md).
DEFAULT_SETTINGS = {
    "questions_per_attempt": None,
    "attempts_allowed": 0,
    "cooldown_minutes": 0,
    "show_feedback": True,
    "include": [],
    "own_questions_per_attempt": None,
}


def settings_of(version: ModuleVersion) -> dict:
    """A version's quiz settings with the documented defaults filled in."""
    return {**DEFAULT_SETTINGS, **(version.quiz_settings or {})}


def describe_time(moment: datetime) -> str:
    """A stored UTC time as officers read it: '3 March 2026, 2:05pm (UK time)' (app.formatting),
    in the request's language."""
    return uk_datetime(moment, language=current_language())


def get_module_or_404(slug: str) -> Module:
    """A published module that has a current version, or 404."""
    module = db.session.scalar(db.select(Module).where(Module.slug == slug))
    if module is None or not module.published or module.current_version is None:
        abort(404)
    return module


def get_own_attempt_or_404(attempt_id: int, user_id: int) -> Attempt:
    """The user's own attempt; anyone else's (or none) is a 404, revealing nothing."""
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or attempt.user_id != user_id:
        abort(404)
    return attempt


def get_attempts(user_id: int, module_id: int) -> list[Attempt]:
    """A user's attempts at a module's quiz, oldest first."""
    return list(
        db.session.scalars(
            db.select(Attempt)
            .where(Attempt.user_id == user_id, Attempt.module_id == module_id)
            .order_by(Attempt.number)
        )
    )


def get_open_attempt(user_id: int, module_id: int) -> Attempt | None:
    """The attempt started but not submitted, if any."""
    return db.session.scalar(
        db.select(Attempt)
        .where(Attempt.user_id == user_id, Attempt.module_id == module_id, Attempt.submitted_at.is_(None))
        .order_by(Attempt.number.desc())
        .limit(1)
    )


def get_result(user_id: int, module_id: int) -> ModuleResult | None:
    """The officer's summary for a module (best score, passed), if they have submitted."""
    return db.session.scalar(
        db.select(ModuleResult).where(ModuleResult.user_id == user_id, ModuleResult.module_id == module_id)
    )


def get_confidence(user_id: int, module_id: int) -> dict[str, int]:
    """The officer's confidence ratings for a module by stage ('before', 'after')."""
    rows = db.session.scalars(
        db.select(ConfidenceRating).where(
            ConfidenceRating.user_id == user_id, ConfidenceRating.module_id == module_id
        )
    )
    return {row.stage: row.rating for row in rows}


# --- availability -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Availability:
    """Whether a new attempt may start now and, if not, why and from when."""

    submitted: int
    allowed: int  # 0 = unlimited
    can_start: bool
    reason: str | None = None
    next_at: datetime | None = None

    @property
    def remaining(self) -> int | None:
        """Attempts left, or None when unlimited."""
        return None if not self.allowed else max(0, self.allowed - self.submitted)


def availability(user_id: int, module_id: int, settings: dict, now: datetime) -> Availability:
    """Apply the attempt limit and the cool-down after a failed attempt (server-side rules)."""
    submitted = db.session.scalars(
        db.select(Attempt)
        .where(Attempt.user_id == user_id, Attempt.module_id == module_id, Attempt.submitted_at.is_not(None))
        .order_by(Attempt.submitted_at)
    ).all()
    allowed = int(settings.get("attempts_allowed") or 0)
    if allowed and len(submitted) >= allowed:
        return Availability(
            len(submitted),
            allowed,
            False,
            ngettext(
                # The English says "all 1 attempts" as it always has (tests rely on it).
                "You have used all %(num)s attempts at this quiz.",
                "You have used all %(num)s attempts at this quiz.",
                allowed,
            ),
        )
    cooldown = int(settings.get("cooldown_minutes") or 0)
    if submitted and cooldown and not submitted[-1].passed:
        next_at = submitted[-1].submitted_at + timedelta(minutes=cooldown)
        if now < next_at:
            return Availability(
                len(submitted),
                allowed,
                False,
                _("You can try again after %(time)s.", time=describe_time(next_at)),
                next_at,
            )
    return Availability(len(submitted), allowed, True)


def inline_html(html: str) -> Markup:
    """An option's HTML (sanitised at sync) without its one wrapping paragraph, so it can sit
    inside a <label>; in the language it was given in (app.content.localised)."""
    text = str(html or "").strip()
    if text.startswith("<p>") and text.endswith("</p>") and text.count("<p>") == 1:
        text = text[3:-4]
    language = getattr(html, "language", None)
    return Localised(text, language) if language else Markup(text)


# --- what an attempt contains -------------------------------------------------------------------


def attempt_questions(attempt: Attempt) -> list[Question]:
    """The Question rows an attempt drew, in attempt order (fixed at start, never re-resolved)."""
    ids = [entry["question_id"] for entry in attempt.question_keys]
    rows = {q.id: q for q in db.session.scalars(db.select(Question).where(Question.id.in_(ids)))}
    return [rows[question_id] for question_id in ids]


def scoring_question(key: str, question: Question) -> ScoringQuestion:
    """The pure scoring view of a stored question (ordering options are in the correct order)."""
    return ScoringQuestion(
        key=key,
        type=question.type,
        points=float(question.points),
        options=tuple(ScoringOption(o["key"], bool(o.get("correct"))) for o in question.options),
    )


@dataclass(frozen=True)
class Choice:
    """An option as the attempt page shows it: an opaque per-attempt code and its text only."""

    code: str
    html: str


@dataclass(frozen=True)
class AttemptItem:
    """One question of an attempt, safe to render before submission (no correctness, no feedback).

    Option codes are positions in the shuffled order ("1", "2", ...), so the authored keys, whose
    order is the answer to an ordering question, never reach the browser.
    """

    number: int
    key: str
    type: str
    points: float
    scenario_html: str
    choices: tuple[Choice, ...]
    code_to_key: dict[str, str] = field(repr=False, compare=False)

    @property
    def key_to_code(self) -> dict[str, str]:
        """Inverse of code_to_key."""
        return {key: code for code, key in self.code_to_key.items()}


def attempt_items(attempt: Attempt, language: str = "en") -> list[AttemptItem]:
    """The questions of an attempt with options in the attempt's stored shuffle, their text in
    `language` where a current translation has it (keys unchanged: app.content.localised)."""
    items = []
    questions = localised.questions(attempt_questions(attempt), language)
    for number, (entry, question) in enumerate(zip(attempt.question_keys, questions, strict=True), start=1):
        by_key = {o["key"]: o for o in question.options}
        order = drawing.shuffled_options(list(by_key), attempt.seed, entry["key"])
        code_to_key = {str(i): key for i, key in enumerate(order, start=1)}
        items.append(
            AttemptItem(
                number=number,
                key=entry["key"],
                type=question.type,
                points=float(question.points),
                scenario_html=question.scenario_html,
                choices=tuple(
                    Choice(code, inline_html(by_key[key]["html"])) for code, key in code_to_key.items()
                ),
                code_to_key=code_to_key,
            )
        )
    return items


def prefill(item: AttemptItem, saved) -> dict[str, object]:
    """Codes to mark as chosen (single, multiple) or positions per code (ordering) from a save."""
    codes = item.key_to_code
    if saved is None:
        return {}
    if item.type == "ordering":
        return {codes[k]: int(pos) for k, pos in dict(saved).items() if k in codes and pos}
    picked = [saved] if isinstance(saved, str) else list(saved)
    return {codes[k]: True for k in picked if k in codes}


def answered_numbers(items: list[AttemptItem], prefill: dict[str, dict]) -> list[int]:
    """The numbers of the questions a save answers: an option chosen, or every step positioned."""
    return [
        item.number
        for item in items
        if (chosen := prefill.get(item.key)) and (item.type != "ordering" or len(chosen) == len(item.choices))
    ]


@dataclass(frozen=True)
class ResultOption:
    """An option on the result page: its text, whether it is correct, chosen, and its feedback."""

    html: str
    correct: bool
    chosen: bool
    feedback_html: str
    chosen_position: int | None = None
    correct_position: int | None = None


@dataclass(frozen=True)
class ResultItem:
    """One question of a submitted attempt as the result page shows it."""

    number: int
    key: str
    type: str
    scenario_html: str
    score: float
    max_score: float
    answered: bool
    options: tuple[ResultOption, ...]

    @property
    def full_marks(self) -> bool:
        """True when the question earned all its points."""
        return self.score >= self.max_score


def result_items(attempt: Attempt, language: str = "en") -> list[ResultItem]:
    """Each question with the officer's answer, the correct answer and every option's feedback,
    in `language` where a current translation has it."""
    answers = {a.question_key: a for a in attempt.answers}
    items = []
    questions = localised.questions(attempt_questions(attempt), language)
    for number, (entry, question) in enumerate(zip(attempt.question_keys, questions, strict=True), start=1):
        stored = answers.get(entry["key"])
        given = stored.answer if stored is not None else None
        if question.type == "ordering":
            placed = {key: i for i, key in enumerate(given or (), start=1)}
            options = tuple(
                ResultOption(
                    html=inline_html(o["html"]),
                    correct=placed.get(o["key"]) == i,
                    chosen=o["key"] in placed,
                    feedback_html=o.get("feedback_html", ""),
                    chosen_position=placed.get(o["key"]),
                    correct_position=i,
                )
                for i, o in enumerate(question.options, start=1)
            )
        else:
            picked = {given} if isinstance(given, str) else set(given or ())
            options = tuple(
                ResultOption(
                    html=inline_html(o["html"]),
                    correct=bool(o.get("correct")),
                    chosen=o["key"] in picked,
                    feedback_html=o.get("feedback_html", ""),
                )
                for o in question.options
            )
        items.append(
            ResultItem(
                number=number,
                key=entry["key"],
                type=question.type,
                scenario_html=question.scenario_html,
                score=stored.score if stored is not None else 0.0,
                max_score=stored.max_score if stored is not None else float(question.points),
                answered=bool(given),
                options=options,
            )
        )
    return items


# --- item analysis ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemAnalysis:
    """Item statistics for one question of a module's quiz (first attempts per officer).

    option_shares: for single and multiple questions, the share of responses picking each option
    key; for ordering questions, the share placing each item in its correct position.
    needs_review: a quality flag is raised and there are at least min_attempts responses.
    """

    question_key: str
    question_type: str | None
    scenario_html: str | None
    n: int
    facility: float | None
    sd: float | None
    discrimination_index: float | None
    discriminative_efficiency: float | None
    flags: tuple[str, ...]
    needs_review: bool
    option_shares: dict[str, float]


def _bank_by_key(module_id: int) -> dict[str, Question]:
    """The module's current questions by key, including those of the banks it includes."""
    version = db.session.scalar(
        db.select(ModuleVersion)
        .join(Module, Module.current_version_id == ModuleVersion.id)
        .where(Module.id == module_id)
    )
    if version is None:
        return {}
    bank = {q.key: q for q in version.questions}
    for slug in settings_of(version)["include"] or ():
        other = db.session.scalar(db.select(Module).where(Module.slug == slug))
        if other is not None and other.current_version is not None:
            for q in other.current_version.questions:
                bank.setdefault(q.key, q)
    return bank


def _option_shares(
    module_id: int, force_id: int | None, bank: dict[str, Question]
) -> dict[str, dict[str, float]]:
    """Share choosing each option per question, from first attempts, grouped in SQL."""
    answer_text = cast(AttemptAnswer.answer, String)
    query = (
        db.select(AttemptAnswer.question_key, answer_text, func.count())
        .join(Attempt, Attempt.id == AttemptAnswer.attempt_id)
        .where(Attempt.module_id == module_id, Attempt.number == 1, Attempt.submitted_at.is_not(None))
        .group_by(AttemptAnswer.question_key, answer_text)
    )
    if force_id is not None:
        query = query.where(Attempt.force_id == force_id)
    responses: dict[str, list[tuple[object, int]]] = {}
    for key, text, count in db.session.execute(query):
        value = json.loads(text) if text not in (None, "null") else None
        responses.setdefault(key, []).append((value, count))
    shares = {}
    for key, rows in responses.items():
        question = bank.get(key)
        options = [o["key"] for o in question.options] if question else []
        if question is not None and question.type == "ordering":
            # An ordering answer "picks" the items it puts in their correct place.
            rows = [
                ([k for k, right in zip(v, options, strict=False) if k == right] if v else None, c)
                for v, c in rows
            ]
        expanded = (value for value, count in rows for _ in range(count))
        shares[key] = statistics.option_shares(expanded, options)
    return shares


def item_analysis(
    module_id: int, force_id: int | None = None, *, min_attempts: int = 5
) -> list[ItemAnalysis]:
    """Per question of a module: facility, discrimination, flags and option shares.

    Nationally (force_id None: every force's rollup merged) or for one force. Sums come from
    QuestionStat (first attempts, updated on submit), so no attempt rows are scanned for them.
    """
    query = db.select(QuestionStat).where(QuestionStat.module_id == module_id)
    if force_id is not None:
        query = query.where(QuestionStat.force_id == force_id)
    sums: dict[str, statistics.ItemSums] = {}
    for row in db.session.scalars(query):
        rollup = statistics.ItemSums(
            row.n, row.sum_x, row.sum_x2, row.sum_y, row.sum_y2, row.sum_xy, row.max_points
        )
        sums[row.question_key] = (
            statistics.merge(sums[row.question_key], rollup) if row.question_key in sums else rollup
        )
    bank = _bank_by_key(module_id)
    shares = _option_shares(module_id, force_id, bank)
    order = {key: i for i, key in enumerate(bank)}
    result = []
    for key in sorted(sums, key=lambda k: (order.get(k, len(order)), k)):
        stats = statistics.stats_from_sums(sums[key])
        question = bank.get(key)
        result.append(
            ItemAnalysis(
                question_key=key,
                question_type=question.type if question else None,
                scenario_html=question.scenario_html if question else None,
                n=stats.n,
                facility=stats.facility,
                sd=stats.sd,
                discrimination_index=stats.discrimination_index,
                discriminative_efficiency=stats.discriminative_efficiency,
                flags=stats.flags,
                needs_review=bool(stats.flags) and stats.n >= min_attempts,
                option_shares=shares.get(key, {}),
            )
        )
    return result
