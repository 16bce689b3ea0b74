"""Account links and sessions: set a password through a link, forgotten password, sending links,
and signing out other devices or everywhere. Views on the auth blueprint (`auth.*` endpoints)."""

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app import queue
from app.access import public, roles, signed_in
from app.auth import link_services, session_services, user_services
from app.auth.blueprint import bp, login_limit
from app.auth.forms import EmptyForm, ForgotPasswordForm, SetPasswordForm
from app.auth.links import INVITE
from app.auth.models import User
from app.extensions import db, limiter
from app.roles import Role
from app.urls import safe_next


def _link_page(response):
    """The page's URL holds a working token and the page names the account: never send the URL
    on as a Referer, and let no browser or proxy cache store the page."""
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response


def _invalid_link():
    # One page and one status for unknown, used, expired and deactivated: nothing to probe.
    return _link_page(make_response(render_template("auth/link_invalid.html"), 404))


@bp.route("/account/set-password/<token>", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"])
@public
def set_password(token: str):
    """Choose a password through an invitation or reset link (the link works once)."""
    link = link_services.find_usable(token)
    if link is None:
        return _invalid_link()
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            link_services.redeem(token, form.password.data)
        except link_services.LinkError:
            db.session.rollback()
            return _invalid_link()
        except user_services.UserError as exc:
            db.session.rollback()
            form.password.errors.append(exc.message)
        else:
            db.session.commit()
            flash(
                _("Your password has been set. Sign in with your email address and new password."), "success"
            )
            return redirect(url_for("auth.login"))
    page = render_template("auth/set_password.html", form=form, user=link.user, invite=link.purpose == INVITE)
    return _link_page(make_response(page, 400 if form.errors else 200))


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"])
@public
def forgot_password():
    """Ask for a reset link; the answer is the same whether or not the address has an account."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        job = link_services.request_reset(form.email.data)  # the worker looks the address up
        db.session.commit()
        queue.dispatch(job)
        return render_template("auth/forgot_password_sent.html")
    return render_template("auth/forgot_password.html", form=form), 400 if form.errors else 200


@bp.route("/account/sessions/end-others", methods=["POST"])
@signed_in
def sign_out_other_devices():
    """End every session of your own except this one (a lost or shared device)."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    ended = session_services.sign_out_other_devices(current_user, current_user.get_id())
    db.session.commit()
    flash(
        ngettext("Signed out of %(num)s other device.", "Signed out of %(num)s other devices.", ended),
        "success",
    )
    return redirect(url_for("auth.change_password"))


@bp.route("/admin/users/<int:user_id>/link", methods=["POST"])
@roles(Role.ADMIN)
def admin_user_send_link(user_id: int):
    """Email the user an invitation (no password yet) or a password reset link."""
    user = db.get_or_404(User, user_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    purpose, job = link_services.queue_link(user, actor=current_user)
    db.session.commit()
    queue.dispatch(job)
    error = queue.failure(job)
    if error:
        flash(
            _(
                "The email to %(email)s could not be sent yet; it is retried "
                "automatically, and listed in the outbox if it never goes.",
                email=user.email,
            ),
            "error",
        )
    elif purpose == INVITE:
        flash(
            _("Sent an invitation to %(email)s (by the mail worker; see the outbox).", email=user.email),
            "success",
        )
    else:
        flash(
            _(
                "Sent a password reset link to %(email)s (by the mail worker; see the outbox).",
                email=user.email,
            ),
            "success",
        )
    return redirect(url_for("auth.admin_user", user_id=user.id))


@bp.route("/admin/users/<int:user_id>/sessions/end", methods=["POST"])
@roles(Role.ADMIN)
def admin_user_sign_out(user_id: int):
    """Sign the user out everywhere: every session ends on the server."""
    user = db.get_or_404(User, user_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    ended = session_services.sign_out_everywhere(user, actor=current_user)
    db.session.commit()
    flash(
        ngettext(
            "Signed %(name)s out everywhere (%(count)s session ended).",
            "Signed %(name)s out everywhere (%(count)s sessions ended).",
            ended,
            name=user.name,
            count=f"{ended:,}",
        ),
        "success",
    )
    return redirect(url_for("auth.admin_user", user_id=user.id))


@bp.route("/session/extend", methods=["POST"])
@signed_in
def extend_session():
    """ "Stay signed in" from the time-out warning: count now as activity on this session.

    The warning's script asks for JSON; without script the form posts and comes back here."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    if not session_services.extend_session(current_user.get_id()):
        abort(401)  # ended between loading the user and now
    db.session.commit()
    if request.accept_mimetypes.best == "application/json":
        return {"seconds_left": session_services.seconds_left()}
    return redirect(safe_next(request.form.get("next")) or url_for("main.home"))


def session_seconds_left() -> int | None:
    """Seconds until the signed-in session idles out (for the time-out warning), or None."""
    return session_services.seconds_left()
