"""Sign in with a force's own provider (OpenID Connect), and the admin page that registers it."""

import time

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user

from app.access import public, roles
from app.auth import oidc, session_services, sso_services
from app.auth.blueprint import bp, login_limit
from app.auth.forms import EmptyForm
from app.auth.models import User
from app.auth.routes import fresh_session
from app.auth.sso_forms import SsoSettingsForm
from app.extensions import db, limiter
from app.forces.models import Force
from app.roles import Role
from app.urls import safe_next


def _redirect_uri() -> str:
    # One fixed callback for every force, registered in each tenant's app registration.
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + url_for("auth.sso_callback")


@bp.route("/sign-in/sso/<code>")
@limiter.limit(login_limit)
@public
def sso_start(code: str):
    """Send the browser to the force's provider (state, nonce and PKCE recorded here)."""
    force = db.one_or_404(db.select(Force).where(Force.code == code))
    try:
        url = sso_services.begin_sign_in(
            force, redirect_uri=_redirect_uri(), next_url=safe_next(request.args.get("next"))
        )
    except sso_services.SsoError as exc:
        db.session.rollback()
        if exc.status_code == 404:
            abort(404)
        return render_template("auth/sso_refused.html", message=exc.message), exc.status_code
    db.session.commit()
    return redirect(url)


@bp.route("/sign-in/sso/callback")
@limiter.limit(login_limit)
@public
def sso_callback():
    """The provider sends the browser back here; the state is used once, whatever follows."""
    try:
        pending = sso_services.claim_sign_in(request.args.get("state", ""))
    except sso_services.SsoError as exc:
        db.session.rollback()
        return render_template("auth/sso_refused.html", message=exc.message), exc.status_code
    db.session.commit()  # the state is spent even if the rest fails: no replay
    if request.args.get("error") or not request.args.get("code"):
        return render_template(
            "auth/sso_refused.html", message=_("The force's sign-in service did not sign you in.")
        ), 401
    try:
        user = sso_services.finish_sign_in(pending, code=request.args["code"], redirect_uri=_redirect_uri())
    except sso_services.SsoError as exc:
        db.session.rollback()
        return render_template("auth/sso_refused.html", message=exc.message), exc.status_code
    provider = sso_services.provider_for(user.force_id)
    next_url = pending.next_url
    fresh_session()
    if sso_services.platform_factor_needed(user, provider) and user.totp_enabled_at is not None:
        session["mfa_pending"] = {"uid": user.id, "at": time.time(), "next": next_url}
        db.session.commit()
        return redirect(url_for("auth.sign_in_code"))
    session_services.start_session(user)
    login_user(user)
    if not sso_services.platform_factor_needed(user, provider):
        session["mfa_by_provider"] = provider.mfa_enforced
    db.session.commit()
    return redirect(next_url or url_for("main.home"))


@bp.route("/admin/forces/<code>/sign-in", methods=["GET", "POST"])
@roles(Role.ADMIN)
def admin_sso(code: str):
    """Register or change a force's provider: tenant, client, claim mapping, policy (audited)."""
    force = db.one_or_404(db.select(Force).where(Force.code == code))
    provider = sso_services.provider_for(force.id)
    form = SsoSettingsForm()
    if request.method == "GET" and provider is not None:
        mapping = oidc.ClaimMapping.from_dict(provider.claim_mapping)
        form.tenant_id.data, form.issuer.data = provider.tenant_id, provider.issuer
        form.client_id.data = provider.client_id
        form.name_claim.data, form.service_number_claim.data = mapping.name, mapping.service_number
        form.team_claim.data, form.role_claim.data = mapping.team, mapping.role_claim
        form.role_map.data = oidc.format_role_map(mapping.roles)
        form.enabled.data, form.sso_only.data = provider.enabled, provider.sso_only
        form.mfa_enforced.data = provider.mfa_enforced
        form.allow_new_accounts.data = provider.allow_new_accounts
    if form.validate_on_submit():
        try:
            mapping = oidc.ClaimMapping(
                name=form.name_claim.data or "name",
                service_number=form.service_number_claim.data or "",
                team=form.team_claim.data or "",
                role_claim=form.role_claim.data or "roles",
                roles=oidc.parse_role_map(form.role_map.data),
            )
        except oidc.OidcError as exc:
            form.role_map.errors.append(exc.message)
        else:
            try:
                sso_services.save_provider(
                    force,
                    actor=current_user,
                    tenant_id=form.tenant_id.data,
                    issuer=form.issuer.data,
                    client_id=form.client_id.data,
                    secret=form.client_secret.data or None,
                    mapping=mapping,
                    enabled=form.enabled.data,
                    sso_only=form.sso_only.data,
                    mfa_enforced=form.mfa_enforced.data,
                    allow_new_accounts=form.allow_new_accounts.data,
                )
            except sso_services.SsoError as exc:
                db.session.rollback()
                form.form_errors.append(exc.message)
            else:
                db.session.commit()
                flash(_("Sign-in settings for %(name)s saved.", name=force.name), "success")
                return redirect(url_for("auth.admin_sso", code=force.code))
    return render_template(
        "auth/sso_settings.html",
        form=form,
        force=force,
        provider=provider,
        redirect_uri=_redirect_uri(),
    ), 400 if form.errors or form.form_errors else 200


@bp.route("/admin/users/<int:user_id>/sso-invite", methods=["POST"])
@roles(Role.ADMIN)
def admin_user_sso_invite(user_id: int):
    """Invite a user to link their account at their first sign-in with the force's provider."""
    user = db.get_or_404(User, user_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        sso_services.invite(user, actor=current_user)
    except sso_services.SsoError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(
            _("%(name)s can now link their account at their first single sign-on.", name=user.name), "success"
        )
    return redirect(url_for("auth.admin_user", user_id=user.id))
