"""The content admin page (check and sync), and what is served from the content folder as it is
now: images beside lessons, the glossary and the pocket cards."""

import mimetypes
from functools import lru_cache
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app import audit
from app.access import roles
from app.assessments import item_flags
from app.clock import today
from app.content import localised, queries
from app.content.errors import ContentInvalid
from app.content.glossary import FILENAME as GLOSSARY_FILE
from app.content.glossary import load_glossary
from app.content.pocket_card import CardSource, load_pocket_card, load_translated_pocket_card
from app.content.reviews import REVIEW_MONTHS, review_warnings
from app.content.services import sync_folder
from app.content.validation import check_tree, load_tree
from app.extensions import db
from app.i18n import ENGLISH, current_language, translated
from app.rate_limits import export_limit
from app.roles import Role

bp = Blueprint("content", __name__)

READERS = (Role.OFFICER, Role.TRAINING_LEAD, Role.ADMIN)
IMAGE_TYPES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg"}


def _content_dir() -> Path:
    return Path(current_app.config["CONTENT_DIR"])


def _admin_page(problems=None, checked=False, status=200, warnings=None):
    return render_template(
        "content/admin.html",
        modules=queries.module_overview(),
        reviews=queries.lessons_by_review(today()),
        review_months=REVIEW_MONTHS,
        warnings=warnings or [],
        courses=queries.course_overview(),
        flags=item_flags.overview(),
        min_first_attempts=item_flags.MIN_FIRST_ATTEMPTS,
        problems=problems or [],
        checked=checked,
        content_dir=_content_dir(),
    ), status


@bp.route("/admin/content")
@roles(Role.ADMIN)
def admin_content():
    """Modules with their current and older versions, and courses; buttons to check and sync."""
    return _admin_page()


@bp.route("/admin/content/check")
@roles(Role.ADMIN)
def admin_check():
    """Run the content checks on the content folder and list every problem (writes nothing)."""
    problems = check_tree(_content_dir())
    warnings = []
    if not problems:
        root = _content_dir()
        warnings = review_warnings(load_tree(root), root, today())
    return _admin_page(problems=problems, checked=True, warnings=warnings)


@bp.route("/admin/content/sync", methods=["POST"])
@roles(Role.ADMIN)
def admin_sync():
    """Check, then sync the content folder in one transaction (audited); nothing on problems."""
    try:
        summary = sync_folder(_content_dir())
    except ContentInvalid as exc:
        db.session.rollback()
        flash(
            ngettext(
                "Nothing was synced: %(num)s problem in the content. Fix them and sync again.",
                "Nothing was synced: %(num)s problems in the content. Fix them and sync again.",
                len(exc.problems),
            ),
            "error",
        )
        return _admin_page(problems=exc.problems, checked=True, status=400)
    audit.record(
        "content.sync", actor=current_user, target_type="content", target_id="all", **summary.counts()
    )
    db.session.commit()
    flash(_("Content synced.") + " " + " ".join(translated(line) for line in summary.lines()), "success")
    return redirect(url_for("content.admin_content"))


@bp.route("/content-assets/<slug>/<int:version>/<path:path>")
@roles(*READERS)
def asset(slug: str, version: int, path: str):
    """An image beside a module's lessons, from the content folder.

    Served from the folder as it is now: an old version's image that has since changed shows the
    current file, and one since deleted is a 404 (see docs/authoring.md).
    """
    found = queries.asset_version(slug, version)
    if found is None or (not found[0].published and current_user.role != Role.ADMIN):
        abort(404)
    folder = (_content_dir() / "modules" / slug).resolve()
    target = (folder / path).resolve()
    if (
        not target.is_relative_to(folder)
        or target.suffix.lower() not in IMAGE_TYPES
        or not target.is_file()
        or any(p.startswith(".") for p in target.relative_to(folder).parts)
    ):
        abort(404)
    response = send_file(
        target, mimetype=mimetypes.guess_type(target.name)[0], max_age=3600, conditional=True
    )
    response.headers["Cache-Control"] = "private, max-age=3600"
    if target.suffix.lower() == ".svg":
        response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    return response


@bp.route("/glossary")
@roles(*READERS)
def glossary():
    """Every glossary term, A to Z, each with an anchor that lessons link to (/glossary#<id>)."""
    try:
        found = load_glossary(_content_dir() / GLOSSARY_FILE)
    except ContentInvalid as exc:
        # The content check reports these too; never show a half-read glossary.
        current_app.logger.error("glossary.yml has problems: %s", exc)
        abort(503)
    entries = found.alphabetical() if found else []
    language = current_language()
    shown = localised.glossary(entries, _content_dir(), language)
    if language != ENGLISH:  # A to Z by the names shown
        entries = sorted(entries, key=lambda e: (str(shown.terms[e.id]).casefold(), e.id))
    return render_template(
        "content/glossary.html",
        entries=entries,
        terms=shown.terms,
        definitions=shown.definitions,
        ref_labels=shown.headings,
        drafted=shown.machine_drafted,
        untranslated=shown.untranslated,
    )


@bp.route("/modules/<slug>/pocket-card.pdf")
@export_limit
@roles(*READERS)
def pocket_card(slug: str):
    """A module's pocket card: one A6 page of key points, a tagged PDF (404 if it has none)."""
    module = queries.find_module(slug)
    if module is None or (not module.published and current_user.role != Role.ADMIN):
        abort(404)
    folder = _content_dir() / "modules" / module.slug
    source = load_pocket_card(folder / "module.md")
    if source is None:
        abort(404)
    # In the page's language: the card's translation where it is current, the fixed words from
    # the catalogue either way (docs/welsh.md).
    language = current_language()
    if language != ENGLISH:
        source = load_translated_pocket_card(folder, language) or source
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    pdf = _card_pdf(source, f"{base}{url_for('courses.module', slug=module.slug)}", language)
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="pocket-card-{module.slug}.pdf"',
            "Cache-Control": "private, max-age=3600",
        },
    )


@lru_cache(maxsize=16)
def _card_pdf(source: CardSource, module_url: str, language: str) -> bytes:
    """The PDF of a card (rendering takes a moment; the same card gives the same bytes)."""
    from app.content.pocket_card_pdf import render_pocket_card_pdf

    return render_pocket_card_pdf(source, module_url, language)
