"""Every form of the app, as every role, with hostile values: never a 500, never a partial write.

The forms are found from the routes: every POST route of the access matrix, with the field names
read from the HTML form its GET page renders (when it has one).
"""

from html.parser import HTMLParser

import pytest
from sqlalchemy import func, select

from app.extensions import db
from tests.access.rules import ROLES
from tests.integration.test_access_matrix import all_routes, build_world

POST_ROUTES = [r for r in all_routes() if r.method == "POST"]
HOSTILE = {
    "empty": "",
    "oversized": "x" * (1024 * 1024),
    "wrong type": "not-a-number-[]{}",
    "unicode": "\u202e\u0000\ud7ff\ufeff<script>alert(1)</script>\U0001f600' OR 1=1 --",
    "number out of range": "99999999999999999999",
    "last day of the calendar": "9999-12-31",
}


class _Fields(HTMLParser):
    def __init__(self):
        super().__init__()
        self.names: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("input", "select", "textarea") and attrs.get("name"):
            if attrs.get("type") not in ("submit", "file"):
                self.names.add(attrs["name"])


def _field_names(client, url) -> set[str]:
    response = client.get(url)
    if response.status_code != 200 or b"<form" not in response.data:
        return set()
    parser = _Fields()
    parser.feed(response.get_data(as_text=True))
    return parser.names - {"csrf_token"}


def _row_counts():
    return {
        name: db.session.execute(select(func.count()).select_from(table)).scalar_one()
        for name, table in db.metadata.tables.items()
        if name not in ("user_sessions", "sign_in_throttles", "audit_events")
    }


@pytest.mark.parametrize("route", POST_ROUTES, ids=lambda r: r.endpoint)
@pytest.mark.parametrize("who", ROLES)
def test_hostile_values_never_crash_or_half_write(route, who, client, login_as, database):
    world = build_world(database)
    login_as(world["users"][who])
    url = route.url.format(**world)
    names = _field_names(client, url) or {"name", "code", "email", "reason"}
    for label, value in HOSTILE.items():
        before = _row_counts()
        response = client.post(url, data={name: value for name in names})
        assert response.status_code < 500, f"{label} as {who}: {response.status_code} on {url}"
        if response.status_code >= 400:
            assert _row_counts() == before, f"{label} as {who} on {url} wrote something"
        database.session.rollback()


@pytest.mark.parametrize("route", POST_ROUTES, ids=lambda r: r.endpoint)
def test_missing_csrf_token_is_refused_without_writing(route, app, client, login_as, database):
    world = build_world(database)
    allowed = [r for r in ROLES if r in route.allowed]
    if not allowed:
        pytest.skip("public-only route")
    login_as(world["users"][allowed[0]])
    url = route.url.format(**world)
    names = _field_names(client, url)
    before = _row_counts()
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post(url, data={name: "x" for name in names})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    if route.endpoint in CSRF_EXEMPT:
        # No cookie gives these any authority: without client credentials they refuse anyway.
        assert response.status_code in (400, 401), f"{url} answered {response.status_code}"
    else:
        assert response.status_code == 400, f"{url} accepted a POST without a CSRF token"
    assert _row_counts() == before


# OAuth 2.0 endpoints of the force API: a client authenticates with its own credentials in the
# request (RFC 6749), never with a browser's cookie, so there is nothing for CSRF to forge.
CSRF_EXEMPT = {"api_oauth.token", "api_oauth.revoke"}


# Out of range: past any 64-bit integer (SQLite cannot bind it; PostgreSQL overflows a bigint),
# and the last day a date can hold (one day later overflows).
HUGE = "99999999999999999999"
OUT_OF_RANGE_ARGS = [
    ("page", HUGE),
    ("page", "2147483647"),  # the largest accepted
    ("version", HUGE),
    ("team", HUGE),
    ("course", HUGE),
    ("date_from", "9999-12-31"),
    ("date_to", "9999-12-31"),
    ("date_from", "0001-01-01"),
]


def _with_huge_ids(app, route, url) -> str | None:
    """The URL with every integer path segment replaced by HUGE, or None if it has none."""
    parts = url.split("/")
    for rule in app.url_map.iter_rules():
        if rule.endpoint != route.endpoint or route.method not in rule.methods:
            continue
        rule_parts = rule.rule.split("/")
        ints = [i for i, part in enumerate(rule_parts) if part.startswith("<int:")]
        if ints and len(rule_parts) <= len(parts):
            for i in ints:
                parts[i] = HUGE
            return "/".join(parts)
    return None


ID_ROUTES = [r for r in all_routes() if "{" in r.url]


@pytest.mark.parametrize("route", ID_ROUTES, ids=lambda r: f"{r.method} {r.endpoint}")
def test_an_id_out_of_range_is_not_found(route, app, client, login_as, database):
    world = build_world(database)
    url = _with_huge_ids(app, route, route.url.format(**world))
    if url is None:
        pytest.skip("no integer in the URL")
    for who in [r for r in ROLES if r in route.allowed]:
        login_as(world["users"][who])
        response = client.open(url, method=route.method, data={})
        assert response.status_code in (400, 404), f"{who}: {response.status_code} on {url}"


GET_ROUTES = [r for r in all_routes() if r.method == "GET"]


@pytest.mark.parametrize("route", GET_ROUTES, ids=lambda r: r.endpoint)
def test_numbers_and_dates_out_of_range_in_the_query_never_crash(route, client, login_as, database):
    world = build_world(database)
    url = route.url.format(**world)
    for who in [r for r in ROLES if r in route.allowed] or [None]:
        if who is not None:
            login_as(world["users"][who])
        for name, value in OUT_OF_RANGE_ARGS:
            joiner = "&" if "?" in url else "?"
            response = client.get(f"{url}{joiner}{name}={value}")
            assert response.status_code < 500, f"{who}: {response.status_code} on {url} with {name}={value}"


@pytest.mark.parametrize(
    ("who", "url", "status"),
    [
        ("officer", "/attempts/99999999999999999999", 404),
        ("officer", "/modules/{module_slug}?version=99999999999999999999", 400),
        ("admin", "/admin/users?page=99999999999999999999", 400),
        ("admin", "/admin/audit?page=99999999999999999999", 400),
        ("training_lead", "/force/certificates?page=99999999999999999999", 400),
    ],
)
def test_the_reported_out_of_range_urls_are_refused(who, url, status, client, login_as, database):
    world = build_world(database)
    login_as(world["users"][who])
    assert client.get(url.format(**world)).status_code == status


@pytest.mark.parametrize(
    "url", ["/metrics/national", "/metrics/national.csv", "/metrics/forces/{force_code}"]
)
def test_a_period_at_the_end_of_the_calendar_is_a_400_not_a_crash(url, client, login_as, database):
    world = build_world(database)
    login_as(world["users"]["commissioner"])
    url = url.format(**world)
    response = client.get(f"{url}?date_to=9999-12-31")
    assert response.status_code == 400  # a page shows the field error; an export is not made
    assert "between 1 January 2000 and 31 December 2099" in response.get_data(as_text=True)
