"""Forces (reference data, headcounts) and teams."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.access import roles
from app.extensions import db
from app.forces import services
from app.forces.forms import HeadcountForm
from app.forces.models import Force
from app.roles import Role

bp = Blueprint("forces", __name__)


@bp.route("/forces")
@roles(Role.ADMIN, Role.COMMISSIONER)
def list_forces():
    """Every force with its headcount, as-of date and source."""
    forces = db.session.scalars(db.select(Force).order_by(Force.nation, Force.name)).all()
    return render_template("forces/list.html", forces=forces)


@bp.route("/forces/<code>/headcount", methods=["GET", "POST"])
@roles(Role.ADMIN)
def edit_headcount(code: str):
    """Update a force's officer headcount, its as-of date and source (audited)."""
    force = db.one_or_404(db.select(Force).where(Force.code == code))
    form = HeadcountForm(obj=force)
    if form.validate_on_submit():
        services.update_headcount(
            force,
            actor=current_user,
            headcount=form.headcount.data,
            as_of=form.headcount_as_of.data,
            source=form.headcount_source.data,
            measure=form.headcount_measure.data,
        )
        db.session.commit()
        flash(_("Headcount for %(name)s updated.", name=force.name), "success")
        return redirect(url_for("forces.list_forces"))
    return render_template("forces/headcount.html", form=form, force=force)
