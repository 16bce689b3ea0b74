"""Home (sends each role to its starting page), the health check and the accessibility statement.

The time-travel route for tests is in travel.py, registered only where it is allowed."""

from functools import lru_cache
from pathlib import Path

from flask import Blueprint, current_app, jsonify, redirect, render_template, url_for
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import text

from app.access import public, signed_in
from app.extensions import db
from app.roles import Role

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
    """The accessibility statement (docs/accessibility.md, rendered once per process)."""
    return render_template("main/accessibility.html", body=Markup(_statement_html()))


@bp.route("/privacy")
@public
def privacy():
    """The privacy notice (docs/privacy.md), headed by who runs the service and how to reach them."""
    return render_template(
        "main/privacy.html",
        body=Markup(_document_html("privacy.md")),
        operator=current_app.config["SERVICE_OPERATOR"],
        contact=current_app.config["PRIVACY_CONTACT"],
    )


def _statement_html() -> str:
    return _document_html("accessibility.md")


@lru_cache(maxsize=4)
def _document_html(name: str) -> str:
    """A page of docs/ rendered as a lesson is (once per process), without its own h1."""
    from app.content.rendering import render_markdown

    text = (Path(current_app.root_path).parent / "docs" / name).read_text("utf-8")
    body = text.split("\n", 1)[1] if text.startswith("# ") else text  # the page has its own h1
    return render_markdown(body).html
