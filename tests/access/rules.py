"""Route expectations for the access matrix."""

from dataclasses import dataclass, field

ANON = "anonymous"
OFFICER, LEAD, COMMISSIONER, ADMIN = "officer", "training_lead", "commissioner", "admin"
ROLES = (OFFICER, LEAD, COMMISSIONER, ADMIN)
PUBLIC = frozenset({ANON, *ROLES})
SIGNED_IN = frozenset(ROLES)


@dataclass(frozen=True)
class Route:
    """One endpoint and method: its URL template (filled from the world) and who may use it."""

    endpoint: str
    url: str
    allowed: frozenset
    method: str = "GET"
    ok: tuple[int, ...] = field(default=())  # statuses an allowed role may get (default: see test)
    data: dict | None = None
    signs_out: bool = False  # the route legitimately ends at the sign-in page
    bearer: bool = False  # an API for machines: without its bearer token everyone gets 401
