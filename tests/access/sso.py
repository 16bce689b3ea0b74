"""Routes of single sign-on: start and callback (public), the force settings and invitations (admin)."""

from tests.access.rules import ADMIN, PUBLIC, Route

ROUTES = [
    # The home force has no provider: 404 for everyone, never a redirect to somewhere unchecked.
    Route("auth.sso_start", "/sign-in/sso/{force_code}", PUBLIC, ok=(404,)),
    # No state: refused for everyone with a clear page.
    Route("auth.sso_callback", "/sign-in/sso/callback", PUBLIC, ok=(400,)),
    Route("auth.admin_sso", "/admin/forces/{force_code}/sign-in", frozenset({ADMIN})),
    Route(
        "auth.admin_sso", "/admin/forces/{force_code}/sign-in", frozenset({ADMIN}), method="POST", ok=(400,)
    ),
    Route(
        "auth.admin_user_sso_invite",
        "/admin/users/{officer_id}/sso-invite",
        frozenset({ADMIN}),
        method="POST",
        ok=(302,),
    ),
]
