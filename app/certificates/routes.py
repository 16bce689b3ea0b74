"""Certificates: an officer's own, a force's for its lead, PDF downloads, the public check, revoking."""

import re

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.access import public, require_force, roles
from app.bounds import int_arg
from app.certificates import queries, services, viewing
from app.certificates.forms import RevokeForm, VerifyForm
from app.certificates.pdf import ENGLISH, PRINTINGS
from app.certificates.serial import SerialError, parse
from app.clock import today
from app.extensions import db, limiter
from app.formatting import uk_date
from app.i18n import current_language
from app.law_updates import queries as law_queries
from app.rate_limits import export_limit
from app.roles import Role

bp = Blueprint("certificates", __name__)


def _verify_limit() -> str:
    return current_app.config["VERIFY_RATE_LIMIT"]


# One budget for both check pages, so typing serials into either counts against the same limit.
verify_limit = limiter.shared_limit(_verify_limit, scope="certificate-verify")


def _rows(certificates) -> list[tuple]:
    """(certificate, status) pairs; an older cycle renewed since is marked as renewed."""
    latest: dict[tuple[int, int], int] = {}
    for c in certificates:
        key = (c.user_id, c.course_id)
        latest[key] = max(latest.get(key, 0), c.cycle)
    on = today()
    return [
        (c, queries.status_of(c, on, superseded=c.cycle < latest[(c.user_id, c.course_id)]))
        for c in certificates
    ]


@bp.route("/certificates")
@roles(Role.OFFICER, Role.TRAINING_LEAD)
def mine():
    """My certificates, with downloads, and any that expire within 60 days."""
    rows = _rows(queries.for_user(current_user.id))
    expiring = queries.expiring_certificates(None, user_id=current_user.id)
    return render_template(
        "certificates/mine.html",
        rows=rows,
        expiring=expiring,
        days=queries.EXPIRING_DAYS,
        today=today(),
        updates=law_queries.for_certificates([c.id for c, _status in rows]),
    )


@bp.route("/certificates/<serial>/pdf")
@export_limit
@roles(Role.OFFICER, Role.TRAINING_LEAD, Role.ADMIN)
def download(serial: str):
    """The certificate PDF: for its holder, their force's training lead and admins (else 404)."""
    found = viewing.for_viewer(serial, queries.for_download)
    if found.revoked_at is not None and current_user.role != Role.ADMIN:
        raise services.CertificateError(
            _(
                "Certificate %(serial)s was revoked on %(date)s and can no longer be downloaded.",
                serial=found.serial,
                date=uk_date(found.revoked_at.date(), language=current_language()),
            ),
            410,
        )
    # ?language=en, cy or both (a Welsh page, then an English one); by default the page's own.
    printing = request.args.get("language") or current_language()
    if printing not in PRINTINGS:
        abort(404)
    notes = law_queries.pdf_notes(found.id)
    if printing != ENGLISH:
        pdf = services.render_updated_pdf(found.id, notes, printing)
    else:
        pdf = services.render_updated_pdf(found.id, notes) if notes else found.pdf
    if pdf is None:  # first download: render from the record, store, and commit
        pdf = services.render_and_store(found.id)
        db.session.commit()
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{_pdf_filename(found.serial)}"'},
    )


def _pdf_filename(serial: str) -> str:
    """A download name of safe ASCII only, e.g. certificate-MSA-7K3Q-9XW2-HT5M-PD4R.pdf."""
    return "certificate-" + re.sub(r"[^A-Za-z0-9-]", "", serial) + ".pdf"


@bp.route("/force/certificates")
@roles(Role.TRAINING_LEAD)
def force_list():
    """A training lead's view of their own force's officers' certificates."""
    require_force(current_user.force_id)
    q = request.args.get("q", "").strip()[:100]
    page = max(int_arg("page", 1), 1)
    pagination = queries.force_certificates(current_user.force_id, page=page, q=q)
    return render_template(
        "certificates/force.html",
        pagination=pagination,
        rows=_rows(pagination.items),
        q=q,
        expiring=queries.expiring_certificates(current_user.force_id),
        days=queries.EXPIRING_DAYS,
        today=today(),
        force=current_user.force,
    )


@bp.route("/verify")
@verify_limit
@public
def verify():
    """The public check: type a serial; a typo is caught by its check character."""
    if "serial" not in request.args:
        return render_template("certificates/verify.html", form=VerifyForm(formdata=None))
    form = VerifyForm(formdata=request.args)
    if form.validate():
        try:
            return redirect(url_for(".verify_serial", serial=parse(form.serial.data)))
        except SerialError as error:
            form.serial.errors.append(_(error.template, **error.values))
    return render_template("certificates/verify.html", form=form), 400


@bp.route("/verify/<serial>")
@verify_limit
@public
def verify_serial(serial: str):
    """The public result: valid, expired, revoked or not found; name, force, course and dates."""
    try:
        canonical = parse(serial)
    except SerialError as error:
        form = VerifyForm(formdata=None, data={"serial": serial[:60]})
        form.serial.errors = [_(error.template, **error.values)]
        return _noindex(render_template("certificates/verify.html", form=form), 400)
    if canonical != serial:
        return redirect(url_for(".verify_serial", serial=canonical), 301)
    certificate = queries.by_serial(canonical)
    if certificate is None:
        return _noindex(
            render_template(
                "certificates/verify_result.html", serial=canonical, certificate=None, status=None
            ),
            404,
        )
    return _noindex(
        render_template(
            "certificates/verify_result.html",
            serial=canonical,
            certificate=certificate,
            status=queries.status_of(certificate),
            updates=law_queries.for_certificates([certificate.id]).get(certificate.id),
        ),
        200,
    )


def _noindex(body: str, status: int) -> Response:
    """Check results name people: keep them out of search engines, and out of the caches of a
    shared computer or a proxy (the visitor is usually not signed in, so the signed-in rule in
    app/web.py does not cover them)."""
    response = current_app.make_response((body, status))
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/admin/certificates")
@roles(Role.ADMIN)
def admin_list():
    """Every certificate, searchable by serial or holder name."""
    q = request.args.get("q", "").strip()[:100]
    page = max(int_arg("page", 1), 1)
    pagination = queries.search(q, page=page)
    return render_template(
        "certificates/admin_list.html", pagination=pagination, rows=_rows(pagination.items), q=q
    )


def _admin_certificate(serial: str):
    try:
        serial = parse(serial)
    except SerialError:
        abort(404)
    return queries.by_serial(serial) or abort(404)


@bp.route("/admin/certificates/<serial>")
@roles(Role.ADMIN)
def admin_detail(serial: str):
    """One certificate's full record, with the revoke form."""
    certificate = _admin_certificate(serial)
    return _detail(certificate, RevokeForm(formdata=None))


def _detail(certificate, form: RevokeForm, status: int = 200):
    return render_template(
        "certificates/admin_detail.html",
        certificate=certificate,
        form=form,
        status=queries.status_of(certificate),
        holder=queries.holder_of(certificate),
        revoked_by=queries.user(certificate.revoked_by_id),
    ), status


@bp.route("/admin/certificates/<serial>/revoke", methods=["POST"])
@roles(Role.ADMIN)
def revoke(serial: str):
    """Revoke a certificate with a reason; it stays on record and verifies as revoked."""
    certificate = _admin_certificate(serial)
    form = RevokeForm()
    if not form.validate_on_submit():
        return _detail(certificate, form, 400)
    services.revoke(certificate, actor=current_user, reason=form.reason.data)
    db.session.commit()
    flash(_("Certificate %(serial)s has been revoked.", serial=certificate.serial), "success")
    return redirect(url_for(".admin_detail", serial=certificate.serial))
