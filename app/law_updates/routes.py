"""Law updates: an officer does their "what changed" update; a lead sees who has caught up."""

import random

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.access import require_force, roles
from app.assessments.scoring import InvalidAnswer
from app.clock import today
from app.extensions import db
from app.law_updates import queries, services
from app.roles import Role

bp = Blueprint("law_updates", __name__)


def _choices(update_id: int, question) -> list[dict]:
    """A question's options without their correctness, in an order fixed per update."""
    options = [{"key": o["key"], "html": o["html"]} for o in question.options]
    random.Random(f"{update_id}:{question.key}").shuffle(options)
    return options


def _page(update, answers=None, result=None, pass_mark=None, status=200):
    pending = services.outstanding(current_user.id, update.law_change.module_id)
    changes = [u.law_change for u in pending] or [update.law_change]
    sections, questions = services.combined(changes)
    marks = {q.key: q for q in result.per_question} if result else {}
    return render_template(
        "law_updates/update.html",
        update=update,
        changes=changes,
        sections=sections,
        questions=[(q, _choices(update.id, q)) for q in questions],
        answers=answers or {},
        marks=marks,
        result=result,
        pass_mark=pass_mark,
        due_on=min((u.due_on for u in pending), default=update.due_on),
    ), status


def _own(update_id: int):
    return queries.update_for_user(update_id, current_user.id) or abort(404)


@bp.route("/updates/<int:update_id>")
@roles(Role.OFFICER, Role.TRAINING_LEAD)
def show(update_id: int):
    """The changed sections and a few questions on them (or that the update is done)."""
    update = _own(update_id)
    if update.completed_at is not None:
        return render_template("law_updates/done.html", update=update)
    return _page(update)


@bp.route("/updates/<int:update_id>/submit", methods=["POST"])
@roles(Role.OFFICER, Role.TRAINING_LEAD)
def submit(update_id: int):
    """Mark the answers; a pass completes the update, a fail shows the feedback to try again."""
    update = _own(update_id)
    if update.completed_at is not None:
        return redirect(url_for(".show", update_id=update.id))
    pending = services.outstanding(current_user.id, update.law_change.module_id)
    _sections, questions = services.combined([u.law_change for u in pending])
    answers = {}
    for q in questions:
        picked = request.form.getlist(f"q-{q.key}")
        if q.type == "single":
            answers[q.key] = picked[0] if len(picked) == 1 else None
        else:
            answers[q.key] = picked
    try:
        result, ok, pass_mark = services.submit_update(current_user, update, answers)
    except InvalidAnswer:
        db.session.rollback()
        flash(_("Those answers could not be read. Choose from the options shown and submit again."), "error")
        return _page(update, status=400)
    if ok:
        db.session.commit()
        message = _(
            "Update done: you scored %(percent)s%%. Your certificate now shows it.",
            percent=f"{result.percent:g}",
        )
        flash(message, "success")
        return redirect(url_for("certificates.mine"))
    return _page(update, answers=answers, result=result, pass_mark=pass_mark)


@bp.route("/force/law-updates")
@roles(Role.TRAINING_LEAD)
def force_list():
    """A lead's view: which officers of their force have caught up on law changes."""
    require_force(current_user.force_id)
    rows = queries.force_updates(current_user.force_id)
    done = sum(1 for r in rows if r.completed_on is not None)
    return render_template(
        "law_updates/force.html",
        rows=rows,
        done=done,
        outstanding=len(rows) - done,
        today=today(),
        force=current_user.force,
    )
