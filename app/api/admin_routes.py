"""Admin pages for API clients: one per force system, or national for the commissioner's systems
(aggregates only); secret shown once, revocable (audited)."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.access import roles
from app.api import scopes, services
from app.api.models import ApiClient
from app.auth.forms import EmptyForm
from app.extensions import db
from app.forces.models import Force
from app.roles import Role

NATIONAL = "national"  # the force field's value for a national client

bp = Blueprint("api_admin", __name__, url_prefix="/admin/api-clients")


def _page(status: int = 200, **extra):
    clients = db.session.scalars(db.select(ApiClient).order_by(ApiClient.created_at.desc())).all()
    forces = db.session.scalars(db.select(Force).order_by(Force.name)).all()
    return render_template(
        "api/clients.html",
        clients=clients,
        forces=forces,
        force_scopes=scopes.FORCE_SCOPES,
        national_scopes=scopes.NATIONAL_SCOPES,
        national=NATIONAL,
        action_form=EmptyForm(),
        **extra,
    ), status


@bp.route("", methods=["GET", "POST"])
@roles(Role.ADMIN)
def clients():
    """List clients; create one for a force (its secret is shown on this page once)."""
    if request.method == "GET":
        return _page()
    if not EmptyForm().validate_on_submit():
        abort(400)
    chosen = request.form.get("force", "")
    force = db.session.scalar(db.select(Force).where(Force.code == chosen))
    if force is None and chosen != NATIONAL:
        error = _("Choose the force whose data the client may read, or national aggregates.")
        return _page(400, error=error, error_field="force")
    try:
        client, secret = services.create_client(
            force,
            name=request.form.get("name", ""),
            scope=" ".join(request.form.getlist("scope")),
            actor=current_user,
        )
    except services.ApiClientError:
        db.session.rollback()
        # The error summary links to the field at fault: the name when it is blank, else the scopes.
        field = "scope" if request.form.get("name", "").strip() else "name"
        return _page(400, error=_error_text(field, national=force is None), error_field=field)
    db.session.commit()
    return _page(201, created=client, secret=secret)


def _error_text(field: str, *, national: bool) -> str:
    """The reader's words for services.create_client's refusal (its own text stays English)."""
    if field == "name":
        return _("Enter a name for the client, such as the force's HR system.")
    allowed = ", ".join(sorted(scopes.NATIONAL_SCOPES if national else scopes.FORCE_SCOPES))
    if national:
        return _("A national client may hold only: %(scopes)s", scopes=allowed)
    return _("Choose at least one of: %(scopes)s", scopes=allowed)


@bp.route("/<int:client_id>/revoke", methods=["POST"])
@roles(Role.ADMIN)
def revoke(client_id: int):
    """Revoke a client and all its tokens at once."""
    client = db.get_or_404(ApiClient, client_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    ended = services.revoke_client(client, actor=current_user)
    db.session.commit()
    count = f"{ended:,}"
    message = ngettext(
        "Revoked %(name)s; %(count)s live token ended.",
        "Revoked %(name)s; %(count)s live tokens ended.",
        ended,
        name=client.name,
        count=count,
    )
    flash(message, "success")
    return redirect(url_for("api_admin.clients"))
