"""Routes of the Learning Record Store admin page: administrators only."""

from tests.access.rules import ADMIN, Route

ROUTES = [
    Route("xapi_admin.endpoints", "/admin/lrs", frozenset({ADMIN})),
    Route("xapi_admin.endpoints", "/admin/lrs", frozenset({ADMIN}), method="POST", ok=(400,)),
    Route(
        "xapi_admin.remove", "/admin/lrs/{force_code}/remove", frozenset({ADMIN}), method="POST", ok=(302,)
    ),
]


def build(world: dict) -> None:
    """The home force sends its records to an LRS."""
    from app.xapi import delivery

    delivery.configure(world["force"], "https://lrs.example.police.uk", "platform", "secret")
