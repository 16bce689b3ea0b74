"""The teams of a force with their members' numbers (a lead's own force; an admin's choice)."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.access import require_force, roles
from app.auth.blueprint import bp
from app.auth.queries import team_sizes
from app.extensions import db
from app.forces import services as force_services
from app.forces.forms import TeamForm
from app.forces.models import Force
from app.roles import Role


@bp.route("/teams", methods=["GET", "POST"])
@roles(Role.TRAINING_LEAD, Role.ADMIN)
def teams():
    """The teams of your force (a lead's own force; an admin picks with ?force=)."""
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
            force_services.create_team(force, form.name.data, actor=current_user)
        except force_services.TeamError as exc:
            form.name.errors.append(exc.message)
        else:
            db.session.commit()
            flash(_("Team %(name)s created.", name=form.name.data.strip()), "success")
            return redirect(url_for("auth.teams", force=code) if code else url_for("auth.teams"))
    counts = team_sizes(force.id)
    return render_template("auth/teams.html", force=force, form=form, counts=counts)
