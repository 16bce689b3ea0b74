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
    assert response.status_code == 400, f"{url} accepted a POST without a CSRF token"
    assert _row_counts() == before
