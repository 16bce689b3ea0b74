"""Routes of the foundation: home, health, sign-in, admin users, forces and teams."""

from tests.access.rules import ADMIN, COMMISSIONER, LEAD, PUBLIC, SIGNED_IN, Route

ROUTES = [
    Route("main.home", "/", SIGNED_IN, ok=(302,)),
    Route("main.healthz", "/healthz", PUBLIC),
    Route("main.language", "/language/cy?next=/help", PUBLIC, ok=(302,)),
    Route("main.accessibility", "/accessibility", PUBLIC),
    Route("main.privacy", "/privacy", PUBLIC),
    Route("main.cookies", "/cookies", PUBLIC),
    Route("main.help", "/help", PUBLIC),
    Route("main.feedback", "/feedback", PUBLIC),
    Route("main.feedback", "/feedback", PUBLIC, method="POST", ok=(400,)),
    Route("main.feedback_sent", "/feedback/sent", PUBLIC),
    Route("time_travel.travel", "/_test/travel", SIGNED_IN, method="POST", ok=(400,)),
    Route("auth.login", "/sign-in", PUBLIC, ok=(200, 302)),
    Route("auth.login", "/sign-in", PUBLIC, method="POST", ok=(302, 400, 401)),
    Route("auth.logout", "/sign-out", SIGNED_IN, method="POST", ok=(302,), signs_out=True),
    Route("auth.sign_in_code", "/sign-in/code", PUBLIC, ok=(302,), signs_out=True),
    Route("auth.sign_in_code", "/sign-in/code", PUBLIC, method="POST", ok=(302,), signs_out=True),
    Route("auth.mfa_setup", "/account/two-factor", SIGNED_IN),
    Route("auth.mfa_setup", "/account/two-factor", SIGNED_IN, method="POST", ok=(400,)),
    Route(
        "auth.admin_user_mfa_reset",
        "/admin/users/{officer_id}/two-factor/reset",
        frozenset({ADMIN}),
        method="POST",
        ok=(302,),
    ),
    Route("auth.extend_session", "/session/extend", SIGNED_IN, method="POST", ok=(302,)),
    Route("auth.change_password", "/account/password", SIGNED_IN),
    Route("auth.change_password", "/account/password", SIGNED_IN, method="POST"),
    Route("auth.sign_out_other_devices", "/account/sessions/end-others", SIGNED_IN, method="POST", ok=(302,)),
    Route("auth.set_password", "/account/set-password/{link_token}", PUBLIC),
    Route("auth.set_password", "/account/set-password/{link_token}", PUBLIC, method="POST", ok=(400,)),
    Route("auth.forgot_password", "/forgot-password", PUBLIC),
    Route("auth.forgot_password", "/forgot-password", PUBLIC, method="POST", ok=(400,)),
    Route(
        "auth.admin_user_send_link",
        "/admin/users/{officer_id}/link",
        frozenset({ADMIN}),
        method="POST",
        ok=(302,),
    ),
    Route(
        "auth.admin_user_sign_out",
        "/admin/users/{officer_id}/sessions/end",
        frozenset({ADMIN}),
        method="POST",
        ok=(302,),
    ),
    Route("auth.admin_users", "/admin/users", frozenset({ADMIN})),
    Route("auth.admin_user_new", "/admin/users/new", frozenset({ADMIN})),
    Route("auth.admin_user_new", "/admin/users/new", frozenset({ADMIN}), method="POST"),
    Route("auth.admin_user", "/admin/users/{officer_id}", frozenset({ADMIN})),
    Route("auth.admin_user", "/admin/users/{officer_id}", frozenset({ADMIN}), method="POST"),
    Route(
        "auth.admin_user_active",
        "/admin/users/{officer_id}/active",
        frozenset({ADMIN}),
        method="POST",
        ok=(302, 400),
    ),
    Route(
        "auth.admin_user_password",
        "/admin/users/{officer_id}/password",
        frozenset({ADMIN}),
        method="POST",
        ok=(302,),
    ),
    Route("auth.admin_import", "/admin/users/import", frozenset({ADMIN})),
    Route("auth.admin_import", "/admin/users/import", frozenset({ADMIN}), method="POST"),
    Route("auth.admin_import_template", "/admin/users/import-template.csv", frozenset({ADMIN})),
    Route("auth.admin_audit", "/admin/audit", frozenset({ADMIN})),
    Route("auth.admin_audit_csv", "/admin/audit.csv", frozenset({ADMIN})),
    Route("forces.list_forces", "/forces", frozenset({ADMIN, COMMISSIONER})),
    Route("forces.edit_headcount", "/forces/{force_code}/headcount", frozenset({ADMIN})),
    Route("forces.edit_headcount", "/forces/{force_code}/headcount", frozenset({ADMIN}), method="POST"),
    Route("auth.teams", "/teams", frozenset({ADMIN, LEAD}), ok=(200, 302)),
    Route("auth.teams", "/teams", frozenset({ADMIN, LEAD}), method="POST", ok=(200, 302)),
]


def build(world) -> None:
    """An invitation link for the officer, so the set-password page has a live token."""
    from app.auth.link_services import issue

    world["link_token"], _ = issue(world["users"]["officer"], "invite")
