"""Access control for views: each view declares who may use it; anything undeclared is refused."""

from collections.abc import Callable

from flask import abort, current_app, redirect, request, session, url_for
from flask_login import current_user

from app import security_log
from app.roles import Role, may_access, may_manage_force

PUBLIC = frozenset({"public"})


def public(view: Callable) -> Callable:
    """Mark a view as open to everyone, signed in or not."""
    view.access = PUBLIC
    return view


def roles(*allowed: Role) -> Callable[[Callable], Callable]:
    """Mark a view as open to signed-in users holding one of the roles."""

    def decorate(view: Callable) -> Callable:
        view.access = frozenset(allowed)
        return view

    return decorate


def signed_in(view: Callable) -> Callable:
    """Mark a view as open to every signed-in user."""
    view.access = frozenset(Role)
    return view


def enforce_access():
    """before_request hook: deny by default, send anonymous users to sign in."""
    if request.endpoint is None:
        return None  # 404s and 405s fall through to their handlers
    view = current_app.view_functions.get(request.endpoint)
    allowed = getattr(view, "access", None)
    if request.endpoint == "static":
        return None
    if allowed is None:
        current_app.logger.error("view %s declares no access rule; refused", request.endpoint)
        _log_denied(reason="no access rule")
        abort(403)
    if allowed is PUBLIC or "public" in allowed:
        return None
    if not current_user.is_authenticated:
        if request.method == "GET":
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        abort(401)
    if not may_access(current_user.role, allowed):
        _log_denied(reason="role")
        abort(403)
    if (
        current_user.role in current_app.config.get("MFA_REQUIRED_ROLES", ())
        and current_user.totp_enabled_at is None
        and not session.get("mfa_by_provider")  # the force's Conditional Access did the MFA
        and request.endpoint not in MFA_SETUP_ENDPOINTS
    ):
        return redirect(url_for("auth.mfa_setup"))
    if current_user.must_change_password and request.endpoint not in PASSWORD_CHANGE_ENDPOINTS:
        return redirect(url_for("auth.change_password"))
    return None


def _log_denied(reason: str) -> None:
    signed = current_user.is_authenticated
    security_log.event(
        "access.denied",
        user_id=current_user.id if signed else None,
        role=current_user.role if signed else None,
        endpoint=request.endpoint,
        reason=reason,
    )


# Reachable before a required second factor is set up.
MFA_SETUP_ENDPOINTS = frozenset({"auth.mfa_setup", "auth.logout"})
# Reachable while a password chosen by an admin waits to be changed.
PASSWORD_CHANGE_ENDPOINTS = frozenset(
    {"auth.change_password", "auth.logout", "auth.extend_session", "auth.sign_out_other_devices"}
)


def require_force(force_id: int | None) -> None:
    """404 unless the current user may manage that force (no hint that it exists)."""
    if not may_manage_force(current_user.role, current_user.force_id, force_id):
        security_log.event("access.other_force", user_id=current_user.id, force_id=force_id)
        abort(404)


def scoped_force_id() -> int | None:
    """The force a lead is confined to; None for admins (every force)."""
    return None if current_user.role == Role.ADMIN else current_user.force_id
