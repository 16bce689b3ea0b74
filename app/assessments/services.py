"""Writes for quizzes: start, save and submit attempts, module results, item sums, confidence.

Services add and flush; the view commits once. Submission is idempotent: a conditional UPDATE
marks the attempt submitted only if it was not already, so a double click, a second tab or a
replayed POST finds nothing to update and stores nothing.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from app import events
from app.assessments import drawing, queries, scoring, statistics
from app.assessments.models import Attempt, AttemptAnswer, ConfidenceRating, ModuleResult, QuestionStat
from app.clock import utcnow
from app.content.models import Module, ModuleVersion, Question
from app.errors import DomainError
from app.extensions import db
from app.i18n import current_language


class QuizError(DomainError):
    """A refused quiz action, with a message safe to show."""


class AttemptsUsedUpError(QuizError):
    """The module's attempt limit is reached."""


class CoolingDownError(QuizError):
    """A failed attempt's cool-down has not ended; `next_at` says when it does."""

    def __init__(self, message: str, next_at):
        super().__init__(message)
        self.next_at = next_at


class QuizUnavailableError(QuizError):
    """The module has no quiz questions to draw."""

    status_code = 404


class InvalidSubmissionError(QuizError):
    """Answers no honest form could produce (foreign option, malformed): nothing is stored."""


class WrongVersionError(QuizError):
    """A form for another module version than the one the attempt started on."""

    status_code = 409


class AttemptClosedError(QuizError):
    """The attempt is already submitted and can no longer change."""

    status_code = 409


class ConfidenceError(QuizError):
    """A confidence rating at the wrong stage (after, before passing; before, after a quiz)."""


STAGES = ("before", "after")


def question_bank(module: Module) -> list[tuple[str, Question]]:
    """The module's current questions plus those of the modules its settings include.

    Included questions come from their own module's current version; keys are unique across banks
    (content check enforces it), and a key already present is not added twice.
    """
    version = module.current_version
    bank = [(q.key, q) for q in version.questions]
    seen = {key for key, _q in bank}
    for slug in queries.settings_of(version)["include"] or ():
        other = db.session.scalar(db.select(Module).where(Module.slug == slug))
        if other is None or other.current_version is None:
            continue
        for q in other.current_version.questions:
            if q.key not in seen:
                seen.add(q.key)
                bank.append((q.key, q))
    return bank


def _draw(version, bank: list[tuple[str, Question]], settings: dict, seed: int, avoid: set[str]):
    """The attempt's question keys in bank order.

    With own_questions_per_attempt (a module that includes other banks), that many are drawn from
    the module's own questions and the rest from the included banks, each draw stratified by tag;
    otherwise one draw from the whole bank.
    """
    tagged = [(key, tuple(q.tags or ())) for key, q in bank]
    wanted, own_n = settings["questions_per_attempt"], settings.get("own_questions_per_attempt")
    own_keys = {q.key for q in version.questions}
    own = [entry for entry in tagged if entry[0] in own_keys]
    rest = [entry for entry in tagged if entry[0] not in own_keys]
    if wanted is None or not own_n or not own or not rest:
        return drawing.draw_questions(tagged, wanted, seed, avoid=avoid)
    own_n = min(own_n, len(own), wanted)
    chosen = set(drawing.draw_questions(own, own_n, seed, avoid=avoid))
    if wanted > own_n:
        chosen |= set(drawing.draw_questions(rest, min(wanted - own_n, len(rest)), seed, avoid=avoid))
    return tuple(key for key, _tags in tagged if key in chosen)


def _next_number(user_id: int, module_id: int) -> int:
    """The next attempt number for a user and module (two racing requests may both get it)."""
    return (
        db.session.scalar(
            db.select(db.func.max(Attempt.number)).where(
                Attempt.user_id == user_id, Attempt.module_id == module_id
            )
        )
        or 0
    ) + 1


def _previous_attempt_keys(user_id: int, module_id: int) -> set[str]:
    """Question keys of the officer's latest attempt at this module (none before the first)."""
    keys = db.session.scalar(
        db.select(Attempt.question_keys)
        .where(Attempt.user_id == user_id, Attempt.module_id == module_id)
        .order_by(Attempt.number.desc())
        .limit(1)
    )
    return {entry["key"] for entry in keys or ()}


def start_attempt(user, module: Module) -> Attempt:
    """Resume the open attempt or start a new one on the module's current version.

    Raises AttemptsUsedUpError or CoolingDownError (with the time of the next possible attempt).
    """
    existing = queries.get_open_attempt(user.id, module.id)
    if existing is not None:
        return existing
    version = module.current_version
    settings = queries.settings_of(version)
    now = utcnow()
    state = queries.availability(user.id, module.id, settings, now)
    if not state.can_start:
        if state.next_at is not None:
            raise CoolingDownError(state.reason, state.next_at)
        raise AttemptsUsedUpError(state.reason)
    bank = question_bank(module)
    if not bank:
        raise QuizUnavailableError(_("This module has no quiz yet."))
    seed = secrets.randbits(31)
    drawn = _draw(version, bank, settings, seed, _previous_attempt_keys(user.id, module.id))
    by_key = dict(bank)
    number = _next_number(user.id, module.id)
    attempt = Attempt(
        user_id=user.id,
        module_id=module.id,
        module_version_id=version.id,
        force_id=user.force_id,
        number=number,
        seed=seed,
        started_at=now,
        saved_answers={},
        question_keys=[{"key": key, "question_id": by_key[key].id} for key in drawn],
        language=current_language(),
    )
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
    except IntegrityError:
        # Another request started this number first (double click on Start): use that one.
        existing = db.session.scalar(
            db.select(Attempt).where(
                Attempt.user_id == user.id, Attempt.module_id == module.id, Attempt.number == number
            )
        )
        if existing is None:
            raise
        return existing
    events.module_started.send(None, user_id=user.id, module_id=module.id, at=now)
    return attempt


def check_version(attempt: Attempt, module_version_id) -> None:
    """Refuse a form that names another module version than the attempt's own."""
    if str(module_version_id or "") != str(attempt.module_version_id):
        raise WrongVersionError(
            _("This quiz has changed since the form was loaded. Open the attempt again to carry on.")
        )


def _validated(
    attempt: Attempt, raw_answers: dict, *, partial: bool, rows: list[Question] | None = None
) -> dict:
    """Validate raw answers against the attempt's own questions; raise if tampered.

    With partial=True, ordering answers may be incomplete positions {item: position}.
    """
    rows = queries.attempt_questions(attempt) if rows is None else rows
    questions = dict(zip((e["key"] for e in attempt.question_keys), rows, strict=True))
    unknown = set(raw_answers) - set(questions)
    if unknown:
        raise InvalidSubmissionError(_("An answer was sent for a question not in this attempt."))
    clean = {}
    for key, raw in raw_answers.items():
        question = questions[key]
        if partial and question.type == "ordering":
            keys = {o["key"] for o in question.options}
            if (
                not isinstance(raw, dict)
                or set(raw) - keys
                or not all(isinstance(p, int) and 1 <= p <= len(keys) for p in raw.values())
            ):
                raise InvalidSubmissionError(_("An ordering answer was not valid."))
            clean[key] = dict(raw)
            continue
        try:
            answer = scoring.validate_answer(queries.scoring_question(key, question), raw)
        except scoring.InvalidAnswer as exc:
            raise InvalidSubmissionError(
                _("An answer was not valid (%(detail)s).", detail=exc.message)
            ) from exc
        clean[key] = list(answer) if isinstance(answer, tuple) else answer
    return clean


def save_answers(attempt: Attempt, raw_answers: dict, module_version_id) -> None:
    """Store part-way answers on an open attempt (replacing the previous save)."""
    check_version(attempt, module_version_id)
    clean = _validated(attempt, raw_answers, partial=True)
    changed = db.session.execute(
        update(Attempt)
        .where(Attempt.id == attempt.id, Attempt.submitted_at.is_(None))
        .values(saved_answers=clean)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not changed:
        raise AttemptClosedError(_("This attempt has already been submitted."))
    db.session.refresh(attempt)


@dataclass(frozen=True)
class Submission:
    """The outcome of submit_attempt: the attempt and whether this call submitted it."""

    attempt: Attempt
    newly_submitted: bool


def submit_attempt(user, attempt: Attempt, raw_answers: dict, module_version_id) -> Submission:
    """Score and record an attempt once; a repeat returns the stored result and stores nothing.

    Scored against the attempt's own stored questions, whatever the module's current version.
    """
    if attempt.submitted_at is not None:
        return Submission(attempt, False)
    check_version(attempt, module_version_id)
    questions = queries.attempt_questions(attempt)
    answers = _validated(attempt, raw_answers, partial=False, rows=questions)
    keys = [e["key"] for e in attempt.question_keys]
    scored = scoring.score(
        [queries.scoring_question(k, q) for k, q in zip(keys, questions, strict=True)], answers
    )
    pass_mark = db.session.get(ModuleVersion, attempt.module_version_id).pass_mark
    did_pass = scoring.passed(scored.percent, pass_mark)
    now = utcnow()
    changed = db.session.execute(
        update(Attempt)
        .where(Attempt.id == attempt.id, Attempt.submitted_at.is_(None))
        .values(
            submitted_at=now,
            score=scored.total,
            max_score=scored.max_total,
            percent=scored.percent,
            passed=did_pass,
            saved_answers=answers,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if not changed:
        db.session.refresh(attempt)
        return Submission(attempt, False)
    db.session.refresh(attempt)
    for position, (item, question) in enumerate(zip(scored.per_question, questions, strict=True), start=1):
        answer = list(item.answer) if isinstance(item.answer, tuple) else item.answer
        db.session.add(
            AttemptAnswer(
                attempt_id=attempt.id,
                question_id=question.id,
                question_key=item.key,
                position=position,
                answer=answer,
                score=item.score,
                max_score=item.max,
            )
        )
    result = _record_result(user, attempt, now)
    if result.attempts == 1:
        _add_item_sums(attempt, scored)
    db.session.flush()
    if did_pass:
        events.module_passed.send(current_app._get_current_object(), user=user, module_id=attempt.module_id)
    events.attempt_submitted.send(
        current_app._get_current_object(), user=user, attempt=attempt, passed=did_pass
    )
    return Submission(attempt, True)


def _record_result(user, attempt: Attempt, now) -> ModuleResult:
    """Fold a newly submitted attempt into the officer's ModuleResult (created on first submit).

    The result stays with the force and team where the first attempt was sat (the attempt's
    force, the officer's team at that submission) and is dated by that submission: moving or
    leaving later never rewrites it, so past figures stay put."""
    result = db.session.scalar(
        db.select(ModuleResult)
        .where(ModuleResult.user_id == user.id, ModuleResult.module_id == attempt.module_id)
        .with_for_update()
    )
    if result is None:
        result = ModuleResult(
            user_id=user.id,
            module_id=attempt.module_id,
            attempts=0,
            best_percent=0.0,
            first_attempt_at=now,
            first_attempt_passed=False,
            force_id=attempt.force_id,
            team_id=user.team_id if user.force_id == attempt.force_id else None,
        )
        db.session.add(result)
        events.module_started.send(None, user_id=user.id, module_id=attempt.module_id, at=attempt.started_at)
    result.attempts = (result.attempts or 0) + 1
    if result.best_attempt_id is None or attempt.percent > result.best_percent:
        result.best_percent = attempt.percent
        result.best_attempt_id = attempt.id
        result.best_at = now
    if attempt.passed and result.passed_at is None:
        result.passed_at = now
        result.attempts_to_pass = result.attempts
        result.first_attempt_passed = result.attempts == 1
    result.updated_at = now
    db.session.flush()
    return result


def _add_item_sums(attempt: Attempt, scored: scoring.ScoreResult) -> None:
    """Add a first attempt's (x, y) pairs to the per-force rollups, atomically in SQL."""
    observations = statistics.item_observations(statistics.attempt_scores(scored))
    maxima = {item.key: item.max for item in scored.per_question}
    month = attempt.submitted_at.strftime("%Y-%m")
    # A fixed order, so concurrent submissions lock rows in the same order (no deadlock).
    for key in sorted(observations):
        x, y = observations[key]
        where = (
            QuestionStat.module_id == attempt.module_id,
            QuestionStat.question_key == key,
            QuestionStat.force_id.is_(None)
            if attempt.force_id is None
            else QuestionStat.force_id == attempt.force_id,
            QuestionStat.month == month,
        )
        increment = (
            update(QuestionStat)
            .where(*where)
            .values(
                n=QuestionStat.n + 1,
                sum_x=QuestionStat.sum_x + x,
                sum_x2=QuestionStat.sum_x2 + x * x,
                sum_y=QuestionStat.sum_y + y,
                sum_y2=QuestionStat.sum_y2 + y * y,
                sum_xy=QuestionStat.sum_xy + x * y,
                max_points=maxima[key],
            )
            .execution_options(synchronize_session=False)
        )
        if db.session.execute(increment).rowcount:
            continue
        try:
            with db.session.begin_nested():
                db.session.add(
                    QuestionStat(
                        module_id=attempt.module_id,
                        question_key=key,
                        force_id=attempt.force_id,
                        month=month,
                        n=1,
                        sum_x=x,
                        sum_x2=x * x,
                        sum_y=y,
                        sum_y2=y * y,
                        sum_xy=x * y,
                        max_points=maxima[key],
                    )
                )
        except IntegrityError:
            db.session.execute(increment)  # another officer's first attempt created it first


def rate_confidence(user, module: Module, stage: str, rating: int) -> ConfidenceRating:
    """Record (or update) an officer's confidence in a module's objectives for a stage."""
    if stage not in STAGES or rating not in range(1, 6):
        raise ConfidenceError(_("Choose how confident you feel, from 1 to 5."))
    result = queries.get_result(user.id, module.id)
    if stage == "after" and (result is None or result.passed_at is None):
        raise ConfidenceError(_("You can rate your confidence after passing the quiz."))
    if stage == "before" and result is not None:
        raise ConfidenceError(_("The 'before' rating is for before you first take the quiz."))
    row = db.session.scalar(
        db.select(ConfidenceRating).where(
            ConfidenceRating.user_id == user.id,
            ConfidenceRating.module_id == module.id,
            ConfidenceRating.stage == stage,
        )
    )
    if row is None:
        row = ConfidenceRating(user_id=user.id, module_id=module.id, stage=stage)
        db.session.add(row)
    row.force_id = user.force_id
    row.rating = rating
    row.rated_at = utcnow()
    db.session.flush()
    return row
