"""Officer course delivery: catalogue, course and module pages, lessons with progress."""

from pathlib import Path

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import ngettext
from flask_login import current_user

from app.access import roles
from app.bounds import int_arg
from app.certificates import queries as cert_queries
from app.content import localised
from app.content.pocket_card import load_pocket_card
from app.content.reading import reading_minutes
from app.courses import queries, services
from app.extensions import db
from app.i18n import current_language
from app.roles import Role

bp = Blueprint("courses", __name__)

READERS = (Role.OFFICER, Role.TRAINING_LEAD, Role.ADMIN)
# Admins read to check content; only learners' reading is recorded as progress.
LEARNERS = (Role.OFFICER, Role.TRAINING_LEAD)


def _content_dir() -> Path:
    return Path(current_app.config["CONTENT_DIR"])


def _is_admin() -> bool:
    return current_user.role == Role.ADMIN


def _module_or_404(slug: str):
    module = queries.find_module(slug, include_unpublished=_is_admin())
    if module is None:
        abort(404)
    return module


def _version_or_404(module):
    """The module's version (?version=N, else the current one) in the reader's language where
    its translation is current (app.content.localised), and whether it is pinned."""
    number = int_arg("version")
    view = queries.version_view(module, number)
    if view is None:
        abort(404)
    return localised.version(
        view, current_language()
    ), number is not None and view.id != module.current_version_id


@bp.route("/courses")
@roles(*READERS)
def catalogue():
    """Published courses with the reader's progress, and where they left off."""
    cards = queries.course_cards(current_user.id, queries.published_courses())
    return render_template(
        "courses/catalogue.html", cards=cards, continue_item=queries.continue_reading(current_user.id)
    )


@bp.route("/courses/<slug>")
@roles(*READERS)
def course(slug: str):
    """A course's modules in order, each with the reader's status and estimated time."""
    found = queries.find_course(slug, include_unpublished=_is_admin())
    if found is None:
        abort(404)
    card = queries.course_cards(current_user.id, [found], include_unpublished=_is_admin())[0]
    certificate = cert_queries.latest_for_course(current_user.id, found.id)
    return render_template("courses/course.html", card=card, course=found, certificate=certificate)


@bp.route("/modules/<slug>")
@roles(*READERS)
def module(slug: str):
    """A module's summary, objectives, lessons (ticked when read), sources and quiz link."""
    found = _module_or_404(slug)
    view, pinned = _version_or_404(found)
    read = queries.progress_for_version(current_user.id, view.id)
    status = queries.module_statuses(current_user.id, [found.id])[found.id]
    first_unread = next((les for les in view.lessons if les.id not in read), None)
    return render_template(
        "courses/module.html",
        module=found,
        view=view,
        pinned=pinned,
        read=read,
        status=status,
        status_label=queries.STATUS_LABELS[status],
        first_unread=first_unread,
        courses=queries.courses_with_module(found.id),
        pocket_card=load_pocket_card(_content_dir() / "modules" / found.slug / "module.md"),
    )


@bp.route("/modules/<slug>/lessons/<int:number>")
@roles(*READERS)
def lesson(slug: str, number: int):
    """A lesson: a content warning first (a page of its own: continue, or skip for now), then the
    stored HTML, progress and previous/next links. Reading it records nothing: the officer says
    when they have read it ("Mark as read and continue", mark_read below)."""
    found = _module_or_404(slug)
    view, pinned = _version_or_404(found)
    item = view.lesson(number)
    if item is None:
        abort(404)
    previous, following = view.neighbours(number)
    version_query = f"?version={view.number}" if pinned else ""
    if item.content_warning and request.args.get("warning") != "seen":
        return render_template(
            "courses/content_warning.html",
            module=found,
            view=view,
            lesson=item,
            following=following,
            position=view.position(number),
            version=view.number if pinned else None,
            version_query=version_query,
            support=current_app.config["WELLBEING_SUPPORT"],
        )
    read = queries.progress_for_version(current_user.id, view.id)
    return render_template(
        "courses/lesson.html",
        module=found,
        view=view,
        lesson=item,
        pinned=pinned,
        read=set(read),
        learner=current_user.role in LEARNERS,
        previous=previous,
        following=following,
        position=view.position(number),
        reading_minutes=reading_minutes(item.html),
        version=view.number if pinned else None,
        version_query=version_query,
        support=current_app.config["WELLBEING_SUPPORT"],
    )


@bp.route("/modules/<slug>/lessons/<int:number>/read", methods=["POST"])
@roles(*LEARNERS)
def mark_read(slug: str, number: int):
    """Record that the officer has read the lesson (idempotent: one row per officer and lesson),
    then go on: to the next lesson, or to the quiz after the last one."""
    found = _module_or_404(slug)
    view, pinned = _version_or_404(found)
    item = view.lesson(number)
    if item is None:
        abort(404)
    read = queries.progress_for_version(current_user.id, view.id)
    if services.record_reading(current_user.id, item.id, view.id, read.get(item.id)):
        db.session.commit()
    _previous, following = view.neighbours(number)
    version = view.number if pinned else None
    if following is not None:
        return redirect(url_for("courses.lesson", slug=found.slug, number=following.number, version=version))
    return redirect(url_for("assessments.quiz", slug=found.slug))


def duration(minutes: int) -> str:
    """'45 minutes', '1 hour', '2 hours 30 minutes' (in the page's language)."""
    hours, rest = divmod(int(minutes or 0), 60)
    parts = []
    if hours:
        parts.append(ngettext("%(num)s hour", "%(num)s hours", hours))
    if rest or not hours:
        parts.append(ngettext("%(num)s minute", "%(num)s minutes", rest))
    return " ".join(parts)
