"""Home (sends each role to its starting page) and the health check."""

from datetime import timedelta
from functools import lru_cache
from pathlib import Path

from flask import Blueprint, abort, current_app, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import text
from werkzeug.routing import BuildError

from app import clock
from app.auth.access import public, signed_in
from app.auth.roles import Role
from app.extensions import db

bp = Blueprint("main", __name__)

# Where each role starts; the first endpoint that exists wins.
START_PAGES = {
    Role.OFFICER: ("assignments.my_training", "courses.catalogue"),
    Role.TRAINING_LEAD: ("assignments.lead_assignments", "forces.teams"),
    Role.COMMISSIONER: ("metrics.national", "forces.list_forces"),
    Role.ADMIN: ("auth.admin_users",),
}


@bp.route("/")
@signed_in
def home():
    """Send a signed-in user to the start page of their role."""
    for endpoint in START_PAGES[Role(current_user.role)]:
        try:
            return redirect(url_for(endpoint))
        except BuildError:
            continue
    return redirect(url_for("auth.change_password"))


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


@lru_cache(maxsize=1)
def _statement_html() -> str:
    from app.content.rendering import render_markdown

    text = (Path(current_app.root_path).parent / "docs" / "accessibility.md").read_text("utf-8")
    body = text.split("\n", 1)[1] if text.startswith("# ") else text  # the page has its own h1
    return render_markdown(body).html


@bp.route("/_test/travel", methods=["POST"])
@signed_in
def travel():
    """Move this process's clock forward (only where ALLOW_TIME_TRAVEL; never in production)."""
    if not current_app.config.get("ALLOW_TIME_TRAVEL"):
        abort(404)
    minutes = request.form.get("minutes", type=int)
    if minutes is None or not 0 < minutes <= 60 * 24 * 800:
        abort(400)
    clock.travel(timedelta(minutes=minutes))
    return jsonify(now=clock.utcnow().isoformat())
