"""Sign in and out, own password, and the admin pages for users, the import and the audit log."""

import base64
import csv
import io
import json
import time

from flask import Response, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_user, logout_user
from markupsafe import Markup

from app import audit, clock, i18n, queue
from app.access import public, roles, signed_in
from app.audit_words import in_words, target_words
from app.auth import (
    link_services,
    mfa,
    mfa_services,
    queries,
    session_services,
    sign_in_services,
    sso_services,
    user_services,
)
from app.auth.blueprint import bp, login_limit
from app.auth.forms import (
    ChangePasswordForm,
    CodeForm,
    EmptyForm,
    ImportConfirmForm,
    ImportForm,
    PasswordForm,
    SignInForm,
    UserForm,
)
from app.auth.import_services import import_officers
from app.auth.links import INVITE
from app.auth.models import User
from app.bounds import int_arg
from app.csv_cells import neutralise_cell
from app.extensions import db, limiter
from app.forces.models import Force, Team
from app.rate_limits import export_limit
from app.roles import Role
from app.urls import safe_next


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"])
@public
def login():
    """Sign in with email and password."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = SignInForm()
    error = None
    if form.validate_on_submit():
        try:
            user = sign_in_services.authenticate(form.email.data, form.password.data)
        except sign_in_services.SignInError as exc:
            error = exc.message
        else:
            next_url = safe_next(request.args.get("next"))
            fresh_session()  # a fresh session on sign-in (no fixation)
            if user.totp_enabled_at is not None:
                session["mfa_pending"] = {"uid": user.id, "at": time.time(), "next": next_url}
                db.session.commit()
                return redirect(url_for("auth.sign_in_code"))
            return _complete_sign_in(user, next_url)
    status = 200 if error is None and not form.errors else 400 if form.errors else 401
    return render_template(
        "auth/sign_in.html", form=form, error=error, sso_forces=sso_services.sign_in_forces()
    ), status


def fresh_session(language: str | None = None) -> None:
    """Clear the session (a new one on signing in or out), keeping the language this browser
    chose (or `language`): the pages after it stay in that language."""
    language = language or session.get(i18n.SESSION_KEY)
    session.clear()
    if language in i18n.LANGUAGES:
        session[i18n.SESSION_KEY] = language


def _complete_sign_in(user, next_url):
    session_services.start_session(user)
    login_user(user)
    db.session.commit()
    return redirect(next_url or url_for("main.home"))


MFA_PENDING_SECONDS = 300


@bp.route("/sign-in/code", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"])
@public
def sign_in_code():
    """Second step of sign-in for users with a second factor."""
    pending = session.get("mfa_pending")
    if not pending or time.time() - pending.get("at", 0) > MFA_PENDING_SECONDS:
        session.pop("mfa_pending", None)
        flash(_("Sign in again to continue."), "error")
        return redirect(url_for("auth.login"))
    user = db.session.get(User, pending["uid"])
    if user is None or not user.active:
        fresh_session()
        return redirect(url_for("auth.login"))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            mfa_services.check_second_factor(user, form.code.data, at=clock.unix_time())
        except mfa_services.MfaError as exc:
            db.session.commit()  # keep the audited failure: it counts towards the pause
            form.code.errors.append(exc.message)
        else:
            fresh_session()
            return _complete_sign_in(user, pending.get("next"))
    return render_template("auth/sign_in_code.html", form=form), 400 if form.errors else 200


@bp.route("/account/two-factor", methods=["GET", "POST"])
@signed_in
def mfa_setup():
    """Set up (or see the state of) the second sign-in factor."""
    form = CodeForm()
    if current_user.totp_enabled_at is not None:
        return render_template("auth/mfa_status.html")
    if request.method == "GET" or not current_user.totp_secret:
        mfa_services.begin_mfa_setup(current_user)
        db.session.commit()
    if form.validate_on_submit():
        try:
            codes = mfa_services.confirm_mfa_setup(current_user, form.code.data, at=clock.unix_time())
        except mfa_services.MfaError as exc:
            form.code.errors.append(exc.message)
        else:
            db.session.commit()
            return render_template("auth/mfa_codes.html", codes=codes)
    secret = mfa_services.totp_secret(current_user)
    uri = mfa.provisioning_uri(secret, current_user.email)
    return render_template(
        "auth/mfa_setup.html", form=form, secret=secret, qr=Markup(mfa.qr_svg(uri))
    ), 400 if form.errors else 200


@bp.route("/admin/users/<int:user_id>/two-factor/reset", methods=["POST"])
@roles(Role.ADMIN)
def admin_user_mfa_reset(user_id: int):
    """Remove a user's second factor (a lost phone); they set it up again at next sign-in."""
    user = db.get_or_404(User, user_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    mfa_services.reset_mfa(user, actor=current_user)
    db.session.commit()
    flash(_("Two-factor sign-in reset for %(name)s.", name=user.name), "success")
    return redirect(url_for("auth.admin_user", user_id=user.id))


@bp.route("/sign-out", methods=["POST"])
@signed_in
def logout():
    """Sign out: the server forgets the session."""
    if EmptyForm().validate_on_submit() or not current_app.config.get("WTF_CSRF_ENABLED", True):
        language = i18n.current_language()  # the sign-in page after stays in it
        session_services.end_session(current_user.get_id())
        logout_user()
        fresh_session(language)
        db.session.commit()
        flash(_("You have signed out."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"])
@signed_in
def change_password():
    """Change your own password (the current one is asked for), or sign out other devices."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            user_services.change_own_password(current_user, form.current_password.data, form.password.data)
        except user_services.WrongPasswordError as exc:
            db.session.rollback()
            form.current_password.errors.append(exc.message)
        except user_services.UserError as exc:
            db.session.rollback()
            form.password.errors.append(exc.message)
        else:
            token = session_services.start_session(current_user)
            session["_user_id"] = token
            db.session.commit()
            flash(_("Your password has been changed. Other sessions were signed out."), "success")
            return redirect(url_for("main.home"))
    return render_template(
        "auth/password.html",
        form=form,
        user=current_user,
        own=True,
        sessions=queries.count_sessions(current_user.id),
        action_form=EmptyForm(),
    ), 400 if form.errors else 200


@bp.route("/admin/users")
@roles(Role.ADMIN)
def admin_users():
    """List and search users."""
    q = request.args.get("q", "").strip()[:100]
    page = int_arg("page", 1)
    pagination = queries.search_users(q, page=max(page, 1))
    return render_template("auth/users.html", pagination=pagination, q=q)


def _fill_choices(form: UserForm) -> None:
    forces = db.session.scalars(db.select(Force).order_by(Force.name)).all()
    form.force_id.choices = [("", _("No force (commissioner or admin)"))] + [
        (str(f.id), f.name) for f in forces
    ]
    teams = db.session.execute(
        db.select(Team.id, Team.name, Force.name).join(Force).order_by(Force.name, Team.name)
    ).all()
    form.team_id.choices = [("", _("No team"))] + [(str(t), f"{fn}: {tn}") for t, tn, fn in teams]


def _placement(form: UserForm) -> tuple[Force | None, Team | None]:
    force = db.session.get(Force, int(form.force_id.data)) if form.force_id.data else None
    team = db.session.get(Team, int(form.team_id.data)) if form.team_id.data else None
    return force, team


@bp.route("/admin/users/new", methods=["GET", "POST"])
@roles(Role.ADMIN)
def admin_user_new():
    """Create a user."""
    form = UserForm()
    _fill_choices(form)
    if form.validate_on_submit():
        force, team = _placement(form)
        try:
            user = user_services.create_user(
                actor=current_user,
                email=form.email.data,
                name=form.name.data,
                role=form.role.data,
                force=force,
                team=team,
                service_number=form.service_number.data,
                password=form.password.data or None,
                workforce_type=form.workforce_type.data or None,
            )
        except user_services.UserError as exc:
            form.form_errors.append(exc.message)
        else:
            db.session.commit()
            flash(_("Created %(name)s.", name=user.name), "success")
            return redirect(url_for("auth.admin_user", user_id=user.id))
    return render_template("auth/user_form.html", form=form, user=None)


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@roles(Role.ADMIN)
def admin_user(user_id: int):
    """View and change a user's role, force, team and details."""
    user = db.get_or_404(User, user_id)
    form = UserForm(obj=user) if request.method == "GET" else UserForm()
    _fill_choices(form)
    del form.password
    if request.method == "GET":
        form.force_id.data = str(user.force_id or "")
        form.team_id.data = str(user.team_id or "")
    if form.validate_on_submit():
        force, team = _placement(form)
        try:
            user_services.update_user(
                user,
                actor=current_user,
                role=form.role.data,
                force=force,
                team=team,
                name=form.name.data,
                service_number=form.service_number.data,
                workforce_type=form.workforce_type.data or None,
            )
        except user_services.UserError as exc:
            form.form_errors.append(exc.message)
        else:
            db.session.commit()
            flash(_("Saved changes to %(name)s.", name=user.name), "success")
            return redirect(url_for("auth.admin_user", user_id=user.id))
    events = queries.audit_for_user(user.id)
    return render_template(
        "auth/user_form.html",
        form=form,
        user=user,
        events=events,
        action_form=EmptyForm(),
        password_form=PasswordForm(),
        sessions=queries.count_sessions(user.id),
    )


@bp.route("/admin/users/<int:user_id>/active", methods=["POST"])
@roles(Role.ADMIN)
def admin_user_active(user_id: int):
    """Deactivate or reactivate a user."""
    user = db.get_or_404(User, user_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        user_services.set_active(user, actor=current_user, active=request.form.get("active") == "1")
    except user_services.UserError as exc:
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(
            _("%(name)s is now active.", name=user.name)
            if user.active
            else _("%(name)s is now deactivated.", name=user.name),
            "success",
        )
    return redirect(url_for("auth.admin_user", user_id=user.id))


@bp.route("/admin/users/<int:user_id>/password", methods=["POST"])
@roles(Role.ADMIN)
def admin_user_password(user_id: int):
    """Set a user's password (for example for a newly imported officer)."""
    user = db.get_or_404(User, user_id)
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            user_services.set_password(user, form.password.data, actor=current_user)
        except user_services.UserError as exc:
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash(_("Password set for %(name)s.", name=user.name), "success")
    else:
        flash(_("Enter a new password."), "error")
    return redirect(url_for("auth.admin_user", user_id=user.id))


@bp.route("/admin/users/import", methods=["GET", "POST"])
@roles(Role.ADMIN)
def admin_import():
    """Import officers from a CSV: every row is checked first; any problem imports nothing. An
    import that would create teams lists them and asks to confirm before anything is written."""
    form = ImportForm()
    confirm = ImportConfirmForm(prefix="confirm")
    result = None
    invite = False
    if confirm.confirm.data and confirm.validate_on_submit():
        data, confirmed = _pending_import(confirm)
        invite = confirm.invite.data == "1"
        result = import_officers(data, actor=current_user, confirmed_teams=confirmed)
    elif form.validate_on_submit():
        data = form.file.data.read()
        invite = bool(form.invite.data)
        result = import_officers(data, actor=current_user, confirmed_teams=set())
    if result is not None and result.ok:
        db.session.commit()
        flash(
            _(
                "Imported %(officers)s (%(teams)s).",
                officers=ngettext(
                    "%(count)s officer",
                    "%(count)s officers",
                    result.created,
                    count=f"{result.created:,}",
                ),
                teams=ngettext(
                    "%(count)s new team",
                    "%(count)s new teams",
                    result.teams_created,
                    count=f"{result.teams_created:,}",
                ),
            ),
            "success",
        )
        if invite:
            _invite_imported(result.emails)
        return redirect(url_for("auth.admin_users"))
    if result is not None and result.needs_confirmation:  # nothing was written: ask first
        confirm.pending.data = base64.b64encode(data).decode("ascii")
        confirm.teams.data = json.dumps([[code, name] for code, _force, name in result.new_teams])
        confirm.invite.data = "1" if invite else ""
        return render_template("auth/import.html", form=form, result=result, confirm=confirm)
    db.session.rollback()
    if result is not None:
        # Nothing was imported, but the attempt is on record: who tried, how many rows were wrong.
        audit.record("users.import_refused", actor=current_user, problems=len(result.problems))
        db.session.commit()
    status = 400 if request.method == "POST" else 200  # a refused file or a broken form
    return render_template("auth/import.html", form=form, result=result, confirm=None), status


def _pending_import(confirm: ImportConfirmForm) -> tuple[bytes, set[tuple[str, str]]]:
    """The file and the confirmed teams of the second step; 400 when they are not what we sent."""
    try:
        data = base64.b64decode(confirm.pending.data, validate=True)
        teams = json.loads(confirm.teams.data or "[]")
        confirmed = {(str(code), str(name)) for code, name in teams}
    except (ValueError, TypeError):
        abort(400)
    return data, confirmed


@bp.route("/admin/users/import-template.csv")
@export_limit
@roles(Role.ADMIN)
def admin_import_template():
    """An empty import file with the header row, to fill in a spreadsheet."""
    return Response(
        IMPORT_TEMPLATE,
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="officer-import-template.csv"'},
    )


IMPORT_TEMPLATE = "name,email,service_number,force_code,team,workforce_type\r\n"


def _invite_imported(emails: list[str]) -> None:
    """Email invitations to the officers just imported (the import itself is already saved)."""
    jobs = [
        link_services.queue_link(user, actor=current_user, purpose=INVITE)[1]
        for user in link_services.users_to_invite(emails)
    ]
    db.session.commit()
    queue.dispatch(*jobs)
    failed = sum(1 for job in jobs if queue.failure(job))
    sent = len(jobs) - failed
    flash(
        ngettext("Sent %(count)s invitation.", "Sent %(count)s invitations.", sent, count=f"{sent:,}"),
        "success",
    )
    if failed:
        flash(
            ngettext(
                "%(num)s invitation was not sent yet (the mail server refused); they are retried "
                "automatically and listed in the outbox.",
                "%(num)s invitations were not sent yet (the mail server refused); they are retried "
                "automatically and listed in the outbox.",
                failed,
            ),
            "error",
        )


def _audit_filters(actions: list[str]) -> dict:
    """The audit log's filters from the query string: one of the log's actions, and who did it."""
    action = request.args.get("action", "")[:80]
    return {"action": action if action in actions else "", "actor": request.args.get("actor", "")[:100]}


@bp.route("/admin/audit")
@roles(Role.ADMIN)
def admin_audit():
    """The audit log, newest first, filtered by action and by who did it."""
    actions = queries.audit_actions()
    filters = _audit_filters(actions)
    page = queries.audit_page(int_arg("page", 1) or 1, **filters)
    return render_template(
        "auth/audit.html", pagination=page, filters=filters, actions=actions, target_words=target_words
    )


@bp.route("/admin/audit.csv")
@export_limit
@roles(Role.ADMIN)
def admin_audit_csv():
    """The filtered audit log as CSV: one row per event, its details as JSON."""
    rows = db.session.execute(
        queries.audit_events(**_audit_filters(queries.audit_actions())).limit(AUDIT_EXPORT_ROWS)
    ).all()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        [
            "at_utc",
            "actor_email",
            "actor_name",
            "action",
            "what_happened",
            "force",
            "target_type",
            "target_id",
            "target_name",
            "details",
        ]
    )
    people = queries.audit_targets([event for event, _, _ in rows])
    for event, actor, force in rows:
        writer.writerow(
            [
                event.at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                *(
                    neutralise_cell(v)
                    for v in (actor.email if actor else "system", actor.name if actor else "")
                ),
                neutralise_cell(event.action),
                neutralise_cell(in_words(event.action)),
                neutralise_cell(force.name if force else ""),
                neutralise_cell(event.target_type),
                neutralise_cell(event.target_id),
                neutralise_cell(people.get(event.target_id, "")),
                neutralise_cell(event.details),
            ]
        )
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="audit-log-{clock.today()}.csv"'},
    )


AUDIT_EXPORT_ROWS = 100_000  # the newest events matching the filters
