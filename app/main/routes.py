"""Home (sends each role to its starting page), the health check, and the service pages anyone
may read: accessibility statement, privacy notice, cookies, help and feedback.

The time-travel route for tests is in travel.py, registered only where it is allowed."""

import re
from functools import lru_cache
from pathlib import Path

from flask import Blueprint, abort, current_app, jsonify, redirect, render_template, request, session, url_for
from flask_babel import ngettext
from flask_login import current_user
from markupsafe import Markup, escape
from sqlalchemy import text

from app import i18n, queue
from app.access import public, signed_in
from app.extensions import db, limiter
from app.formatting import plural
from app.main.forms import FeedbackForm
from app.main.services import submit_feedback
from app.roles import Role
from app.urls import safe_next

bp = Blueprint("main", __name__)

# Where each role starts.
START_PAGES = {
    Role.OFFICER: "assignments.my_training",
    Role.TRAINING_LEAD: "assignments.lead_assignments",
    Role.COMMISSIONER: "metrics.national",
    Role.ADMIN: "auth.admin_users",
}


@bp.route("/")
@signed_in
def home():
    """Send a signed-in user to the start page of their role."""
    return redirect(url_for(START_PAGES[Role(current_user.role)]))


@bp.route("/language/<code>")
@public
def language(code: str):
    """The "Cymraeg" / "English" link on every page: remember the choice (in this browser, and
    on the person when signed in) and go back to the page it was chosen on."""
    if code not in i18n.LANGUAGES:
        abort(404)
    session[i18n.SESSION_KEY] = code
    if current_user.is_authenticated and current_user.language != code:
        current_user.language = code
        db.session.commit()
    return redirect(safe_next(request.args.get("next")) or url_for("main.home"))


@bp.route("/healthz")
@public
def healthz():
    """A real database round trip: 200 when it answers, 503 when it does not."""
    try:
        db.session.execute(text("SELECT 1")).scalar_one()
    except Exception:  # noqa: BLE001 - any failure means the database is unavailable
        db.session.rollback()
        return jsonify(status="error", database="error"), 503
    return jsonify(status="ok", database="ok")


@bp.route("/accessibility")
@public
def accessibility():
    """The accessibility statement (docs/accessibility.md), with the operator's details filled in."""
    config = current_app.config
    days = config["ACCESSIBILITY_RESPONSE_DAYS"]
    body = _filled(
        "accessibility.md",
        SERVICE_OPERATOR=escape(config["SERVICE_OPERATOR"]),
        ACCESSIBILITY_EMAIL=_mailto(config["ACCESSIBILITY_EMAIL"]),
        ACCESSIBILITY_PHONE=escape(config["ACCESSIBILITY_PHONE"]),
        ACCESSIBILITY_RESPONSE_DAYS=escape(plural(days, "working day")),
    )
    return render_template("main/accessibility.html", body=body)


@bp.route("/privacy")
@public
def privacy():
    """The privacy notice (docs/privacy.md), headed by who runs the service and how to reach them."""
    config = current_app.config
    return render_template(
        "main/privacy.html",
        body=_filled(
            "privacy.md",
            PRIVACY_LAWFUL_BASIS=escape(config["PRIVACY_LAWFUL_BASIS"]),
            PRIVACY_RETENTION=escape(config["PRIVACY_RETENTION"]),
        ),
        operator=config["SERVICE_OPERATOR"],
        contact=config["PRIVACY_CONTACT"],
    )


@bp.route("/cookies")
@public
def cookies():
    """The cookies this service sets: one, the session cookie, so no consent banner is needed."""
    config = current_app.config
    return render_template(
        "main/cookies.html",
        cookie_name=config["SESSION_COOKIE_NAME"],
        idle=_minutes(int(config["IDLE_TIMEOUT"].total_seconds() // 60)),
        longest=_hours(int(config["PERMANENT_SESSION_LIFETIME"].total_seconds() // 3600)),
    )


def _minutes(count: int) -> str:
    return ngettext("%(num)s minute", "%(num)s minutes", count)


def _hours(count: int) -> str:
    return ngettext("%(num)s hour", "%(num)s hours", count)


@bp.route("/help", endpoint="help")
@public
def help_page():
    """How to sign in, reset a password, use two-factor sign-in, get support and check a certificate."""
    return render_template(
        "main/help.html",
        contact_email=current_app.config["SERVICE_CONTACT_EMAIL"],
        operator=current_app.config["SERVICE_OPERATOR"],
    )


def _feedback_limit() -> str:
    return current_app.config["FEEDBACK_RATE_LIMIT"]


@bp.route("/feedback", methods=["GET", "POST"])
@limiter.limit(_feedback_limit, methods=["POST"])
@public
def feedback():
    """Anyone may tell the service team what went wrong; the message leaves through the mail queue."""
    form = FeedbackForm()
    if form.validate_on_submit():
        job = submit_feedback(
            doing=form.doing.data,
            problem=form.problem.data,
            reply_to=form.email.data or "",
            user=current_user,
            to=current_app.config["FEEDBACK_EMAIL"],
        )
        db.session.commit()
        if job is not None:
            queue.dispatch(job)
        return redirect(url_for("main.feedback_sent"))
    status = 400 if form.errors else 200
    return render_template("main/feedback.html", form=form), status


@bp.route("/feedback/sent")
@public
def feedback_sent():
    """The thank-you page after feedback (a redirect, so reloading it sends nothing twice)."""
    return render_template("main/feedback_sent.html")


def _mailto(address: str) -> Markup:
    return Markup('<a class="govuk-link" href="mailto:{0}">{0}</a>').format(address)


# The GOV.UK Frontend class for each element a docs/ page renders to (headings, paragraphs,
# lists and links); the sanitised HTML carries no class of its own.
_GOVUK_CLASSES = {
    "h2": "govuk-heading-l",
    "h3": "govuk-heading-m",
    "p": "govuk-body",
    "ul": "govuk-list govuk-list--bullet",
    "ol": "govuk-list govuk-list--number",
    "a": "govuk-link",
}


def _govuk_classes(html: str) -> str:
    """The rendered page with the GOV.UK typography classes on its elements."""
    return re.sub(r"<(h2|h3|p|ul|ol|a)(?=[\s>])", lambda m: f'<{m[1]} class="{_GOVUK_CLASSES[m[1]]}"', html)


def _filled(name: str, **values: Markup) -> Markup:
    """A docs/ page with its {SETTING} marks replaced by the (escaped) settings' values.

    A list item whose setting is empty is left out (an optional telephone line, for example)."""
    html = _govuk_classes(_document_html(name))
    for key, value in values.items():
        if not str(value):
            html = re.sub(rf"<li>[^<]*\{{{key}\}}[^<]*</li>\n?", "", html)
        html = html.replace(f"{{{key}}}", str(value))
    return Markup(html)


@lru_cache(maxsize=4)
def _document_html(name: str) -> str:
    """A page of docs/ rendered as a lesson is (once per process), without its own h1."""
    from app.content.rendering import render_markdown

    text = (Path(current_app.root_path).parent / "docs" / name).read_text("utf-8")
    body = text.split("\n", 1)[1] if text.startswith("# ") else text  # the page has its own h1
    body = re.sub(r"<!--.*?-->\s*", "", body, flags=re.DOTALL)  # notes for maintainers only
    return render_markdown(body).html
