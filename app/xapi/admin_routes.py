"""The admin page of the forces' Learning Record Stores: where each force's statements go, how many
are waiting or failed; point a force at an LRS or stop sending (audited; passwords never shown)."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from app import audit
from app.access import roles
from app.auth.forms import EmptyForm
from app.extensions import db
from app.forces.models import Force
from app.roles import Role
from app.xapi import delivery
from app.xapi.forms import LrsForm
from app.xapi.models import LrsEndpoint, XapiStatement

bp = Blueprint("xapi_admin", __name__)
STATUSES = ("queued", "sending", "failed", "dead", "sent")


def _page(form: LrsForm, status: int = 200):
    forces = db.session.scalars(select(Force).order_by(Force.name)).all()
    form.force.choices = [("", _("Choose a force")), *((f.code, f.name) for f in forces)]
    endpoints = db.session.execute(
        select(Force, LrsEndpoint).join(LrsEndpoint, LrsEndpoint.force_id == Force.id).order_by(Force.name)
    ).all()
    counts: dict[tuple[int, str], int] = {
        (force_id, state): n
        for force_id, state, n in db.session.execute(
            select(XapiStatement.force_id, XapiStatement.status, func.count()).group_by(
                XapiStatement.force_id, XapiStatement.status
            )
        )
    }
    return render_template(
        "xapi/admin.html",
        form=form,
        endpoints=endpoints,
        counts=counts,
        statuses=STATUSES,
        action_form=EmptyForm(),
    ), status


@bp.route("/admin/lrs", methods=["GET", "POST"])
@roles(Role.ADMIN)
def endpoints():
    """List where each force's learning records go; point a force at an LRS."""
    form = LrsForm()
    forces = db.session.scalars(select(Force).order_by(Force.name)).all()
    form.force.choices = [("", _("Choose a force")), *((f.code, f.name) for f in forces)]
    if not form.is_submitted():
        return _page(form)
    if not form.validate():
        return _page(form, 400)
    force = db.session.scalar(select(Force).where(Force.code == form.force.data))
    url = form.url.data.strip()
    delivery.configure(force, url, form.username.data.strip(), form.password.data)
    audit.record("xapi.lrs_configured", actor=current_user, target=force, force_id=force.id, url=url)
    db.session.commit()
    flash(_("%(force_name)s: learning records now go to %(url)s.", force_name=force.name, url=url), "success")
    return redirect(url_for("xapi_admin.endpoints"))


@bp.route("/admin/lrs/<code>/remove", methods=["POST"])
@roles(Role.ADMIN)
def remove(code: str):
    """Stop sending a force's records: its LRS settings go; statements not yet sent stay, unsent."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    force = db.session.scalar(select(Force).where(Force.code == code)) or abort(404)
    endpoint = db.session.scalar(select(LrsEndpoint).where(LrsEndpoint.force_id == force.id)) or abort(404)
    db.session.delete(endpoint)
    audit.record("xapi.lrs_removed", actor=current_user, target=force, force_id=force.id, url=endpoint.url)
    db.session.commit()
    flash(
        _("%(force_name)s: learning records are no longer sent to an LRS.", force_name=force.name), "success"
    )
    return redirect(url_for("xapi_admin.endpoints"))
