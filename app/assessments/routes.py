"""Quiz pages: intro and start, take an attempt (save part-way, submit), result, confidence."""

import re
from dataclasses import dataclass

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.access import roles
from app.assessments import queries, services
from app.assessments.forms import ConfidenceForm, StartForm, field_name, parse_answers
from app.certificates import queries as cert_queries
from app.clock import utcnow
from app.content.models import ModuleVersion
from app.courses import queries as course_queries
from app.extensions import db
from app.i18n import current_language
from app.roles import Role
from app.urls import safe_next
from app.web import error_page

bp = Blueprint("assessments", __name__)

# Leads take training too; commissioners and admins do not take quizzes.
LEARNERS = (Role.OFFICER, Role.TRAINING_LEAD)


def _user():
    """The signed-in user itself, not the proxy (signal receivers may outlive the request)."""
    return current_user._get_current_object()


def _confidence_form(stage: str, next_url: str, rating: int | None) -> ConfidenceForm:
    return ConfidenceForm(formdata=None, stage=stage, next=next_url, rating=rating)


@bp.route("/modules/<slug>/quiz", methods=["GET", "POST"])
@roles(*LEARNERS)
def quiz(slug: str):
    """The quiz intro (attempts so far, best score, pass mark, next attempt); POST starts one."""
    module = queries.get_module_or_404(slug)
    form = StartForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        # The confidence question sits in the start form: a rating given before the first
        # attempt is the "before" rating (none is stored when it is left unanswered).
        if form.rating.data and queries.get_result(current_user.id, module.id) is None:
            services.rate_confidence(_user(), module, "before", form.rating.data)
        attempt = services.start_attempt(_user(), module)
        db.session.commit()
        return redirect(url_for(".attempt", attempt_id=attempt.id))
    version = module.current_version
    settings = queries.settings_of(version)
    attempts = queries.get_attempts(current_user.id, module.id)
    result = queries.get_result(current_user.id, module.id)
    ratings = queries.get_confidence(current_user.id, module.id)
    state = queries.availability(current_user.id, module.id, settings, utcnow())
    confidence = None
    if result is None:
        confidence = _confidence_form("before", url_for(".quiz", slug=slug), ratings.get("before"))
        form.rating.data = ratings.get("before")
    return render_template(
        "assessments/quiz.html",
        module=module,
        version=version,
        settings=settings,
        attempts=attempts,
        result=result,
        state=state,
        form=form,
        confidence=confidence,
        open_attempt=queries.get_open_attempt(current_user.id, module.id),
        ratings=ratings,
        bank_size=len(services.question_bank(module)),
        when=queries.describe_time,
    )


def _prefilled(attempt):
    """The attempt's questions, what its save fills in for each, and the numbers answered."""
    items = queries.attempt_items(attempt, current_language())
    saved = attempt.saved_answers or {}
    prefill = {item.key: queries.prefill(item, saved.get(item.key)) for item in items}
    return items, prefill, queries.answered_numbers(items, prefill)


def _render_attempt(attempt, errors=(), status=200):
    items, prefill, answered = _prefilled(attempt)
    unanswered = [item.number for item in items if item.number not in answered]
    return render_template(
        "assessments/attempt.html",
        attempt=attempt,
        version=_version(attempt),
        questions=items,
        prefill=prefill,
        answered=answered,
        next_number=unanswered[0] if unanswered else 1,
        show_all=request.args.get("all") == "1",
        errors=list(errors),
        field_name=field_name,
        error_for={int(anchor[1:].split("-")[0]): message for anchor, message in errors},
    ), status


def _open_attempt(attempt_id: int):
    """The signed-in person's own attempt (404 for anyone else's), and, when it has already been
    submitted, the redirect to its result that every page of an open attempt answers with."""
    attempt = queries.get_own_attempt_or_404(attempt_id, current_user.id)
    if attempt.submitted_at is not None:
        return attempt, redirect(url_for(".result", attempt_id=attempt.id))
    return attempt, None


def _version(attempt) -> ModuleVersion:
    return db.session.get(ModuleVersion, attempt.module_version_id)


@bp.route("/attempts/<int:attempt_id>")
@roles(*LEARNERS)
def attempt(attempt_id: int):
    """Take an attempt: its drawn questions, options in its shuffle, saved answers filled in."""
    attempt, submitted = _open_attempt(attempt_id)
    if submitted:
        return submitted
    return _render_attempt(attempt)


@bp.route("/attempts/<int:attempt_id>/questions/<int:number>", methods=["GET", "POST"])
@roles(*LEARNERS)
def question(attempt_id: int, number: int):
    """One question a screen (the attempt page sends phones here): each answer saved as they go.

    Continuing with a question unanswered is allowed (it stays unanswered); after the last
    question the whole attempt is shown to check and submit.
    """
    attempt, submitted = _open_attempt(attempt_id)
    if submitted:
        return submitted
    items, prefill, answered = _prefilled(attempt)
    if not 1 <= number <= len(items):
        abort(404)
    item = items[number - 1]
    if request.method == "POST":
        try:
            parsed = parse_answers(request.form, [item])
            saved = {k: v for k, v in (attempt.saved_answers or {}).items() if k != item.key}
            services.save_answers(attempt, saved | parsed.saved, request.form.get("module_version_id"))
        except services.InvalidSubmissionError as exc:
            db.session.rollback()
            return error_page(400, exc.message)
        except services.AttemptClosedError:
            db.session.rollback()
            return redirect(url_for(".result", attempt_id=attempt.id))
        db.session.commit()
        if request.form.get("go") == "back" and number > 1:
            return redirect(url_for(".question", attempt_id=attempt.id, number=number - 1))
        if number < len(items):
            return redirect(url_for(".question", attempt_id=attempt.id, number=number + 1))
        return redirect(url_for(".attempt", attempt_id=attempt.id, all=1))
    return render_template(
        "assessments/question.html",
        attempt=attempt,
        version=_version(attempt),
        item=item,
        chosen=prefill[item.key],
        total=len(items),
        answered=answered,
        field_name=field_name,
    )


def _parsed(attempt):
    """Parse the posted attempt form; tampering ends the request with a 400, nothing stored."""
    return parse_answers(request.form, queries.attempt_items(attempt))


@bp.route("/attempts/<int:attempt_id>/save", methods=["POST"])
@roles(*LEARNERS)
def save_attempt(attempt_id: int):
    """Save answers part-way; the officer can come back to them later."""
    attempt, submitted = _open_attempt(attempt_id)
    if submitted:
        return submitted
    try:
        parsed = _parsed(attempt)
        services.save_answers(attempt, parsed.saved, request.form.get("module_version_id"))
    except services.InvalidSubmissionError as exc:
        db.session.rollback()
        return error_page(400, exc.message)
    db.session.commit()
    flash(_("Your answers are saved. You can come back to this attempt later."), "success")
    return redirect(url_for(".attempt", attempt_id=attempt.id))


@bp.route("/attempts/<int:attempt_id>/submit", methods=["POST"])
@roles(*LEARNERS)
def submit_attempt(attempt_id: int):
    """Score the attempt once; a repeated submission shows the stored result."""
    attempt, submitted = _open_attempt(attempt_id)
    if submitted:
        return submitted
    try:
        services.check_version(attempt, request.form.get("module_version_id"))
        parsed = _parsed(attempt)
        if parsed.errors:
            # Keep what was given, then show the page again with the problems listed.
            services.save_answers(attempt, parsed.saved, request.form.get("module_version_id"))
            db.session.commit()
            return _render_attempt(attempt, parsed.errors, 400)
        services.submit_attempt(_user(), attempt, parsed.answers, request.form.get("module_version_id"))
    except services.InvalidSubmissionError as exc:
        db.session.rollback()
        return error_page(400, exc.message)
    except services.AttemptClosedError:
        db.session.rollback()
        return redirect(url_for(".result", attempt_id=attempt.id))
    db.session.commit()
    return redirect(url_for(".result", attempt_id=attempt.id))


@bp.route("/attempts/<int:attempt_id>/result")
@roles(*LEARNERS)
def result(attempt_id: int):
    """Score, pass or fail, and per question the answer given, the right one and the feedback."""
    attempt = queries.get_own_attempt_or_404(attempt_id, current_user.id)
    if attempt.submitted_at is None:
        return redirect(url_for(".attempt", attempt_id=attempt.id))
    version = _version(attempt)
    module = version.module
    summary = queries.get_result(current_user.id, attempt.module_id)
    settings = queries.settings_of(version)
    ratings = queries.get_confidence(current_user.id, attempt.module_id)
    confidence = None
    if summary is not None and summary.passed_at is not None:
        confidence = _confidence_form(
            "after", url_for(".result", attempt_id=attempt.id), ratings.get("after")
        )
    state = (
        queries.availability(
            current_user.id, attempt.module_id, queries.settings_of(module.current_version), utcnow()
        )
        if module.current_version is not None
        else None
    )
    earned = (
        cert_queries.earned_by(current_user.id, attempt.module_id, attempt.submitted_at)
        if attempt.passed
        else []
    )
    answers = queries.result_items(attempt, current_language()) if settings["show_feedback"] else None
    return render_template(
        "assessments/result.html",
        attempt=attempt,
        version=version,
        module=module,
        summary=summary,
        settings=settings,
        state=state,
        confidence=confidence,
        ratings=ratings,
        earned=earned,
        next_module=None
        if earned or not attempt.passed
        else course_queries.next_module(current_user.id, module.id),
        answers=answers,
        marks=None if settings["show_feedback"] else queries.result_items(attempt, current_language()),
        lesson_links=_lesson_links(version, answers) if answers else {},
        when=queries.describe_time,
    )


# A link from feedback to a lesson of the same module (content/rendering.py writes them so).
_LESSON_LINK = re.compile(r'href="(/modules/([^/"]+)/lessons/(\d+)(?:#[^"]*)?)"')


@dataclass(frozen=True)
class LessonLink:
    """The lesson section a question tests: where to read it, and the lesson's title."""

    href: str
    title: str


def _lesson_links(version: ModuleVersion, items) -> dict[int, LessonLink]:
    """By question number, the lesson section each question tests. Content validation makes the
    feedback of every wrong option link to it (a question's `tests:`), so the first link to a
    lesson of this module in a wrong option's feedback is that section."""
    titles = {lesson.number: lesson.title for lesson in version.lessons}
    links = {}
    for item in items:
        for option in item.options:
            found = (
                None
                if option.correct and item.type != "ordering"
                else _LESSON_LINK.search(option.feedback_html)
            )
            if found and found.group(2) == version.module.slug and int(found.group(3)) in titles:
                links[item.number] = LessonLink(found.group(1), titles[int(found.group(3))])
                break
    return links


@bp.route("/modules/<slug>/confidence", methods=["POST"])
@roles(*LEARNERS)
def confidence(slug: str):
    """Record the officer's confidence (1-5) before starting or after passing; re-rating updates."""
    module = queries.get_module_or_404(slug)
    form = ConfidenceForm()
    back = safe_next(form.next.data) or url_for(".quiz", slug=slug)
    if not form.validate_on_submit():
        if form.stage.errors:
            abort(400)
        flash(_("Choose how confident you feel, from 1 to 5, then save your rating."), "error")
        return redirect(back)
    services.rate_confidence(_user(), module, form.stage.data, form.rating.data)
    db.session.commit()
    flash(_("Thank you: your confidence rating is saved."), "success")
    return redirect(back)
