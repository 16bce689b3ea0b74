"""Forces (reference data, headcounts) and teams."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from app.auth.access import require_force, roles
from app.auth.roles import Role
from app.extensions import db
from app.forces import services
from app.forces.forms import HeadcountForm, TeamForm
from app.forces.models import Force

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
        flash(f"Headcount for {force.name} updated.", "success")
        return redirect(url_for("forces.list_forces"))
    return render_template("forces/headcount.html", form=form, force=force)


@bp.route("/teams", methods=["GET", "POST"])
@roles(Role.TRAINING_LEAD, Role.ADMIN)
def teams():
    """The teams of your force (a lead's own force; an admin picks with ?force=)."""
    from flask import request

    code = request.args.get("force")
    if current_user.role == Role.ADMIN and code:
        force = db.one_or_404(db.select(Force).where(Force.code == code))
    elif current_user.force_id is not None:
        force = db.session.get(Force, current_user.force_id)
    else:
        return redirect(url_for("forces.list_forces"))
    require_force(force.id)
    form = TeamForm()
    if form.validate_on_submit():
        try:
            services.create_team(force, form.name.data, actor=current_user)
        except services.TeamError as exc:
            form.name.errors.append(exc.message)
        else:
            db.session.commit()
            flash(f"Team {form.name.data.strip()} created.", "success")
            return redirect(url_for("forces.teams", force=code) if code else url_for("forces.teams"))
    counts = services.team_sizes(force.id)
    return render_template("forces/teams.html", force=force, form=form, counts=counts)
