"""The force API: client credentials, force scoping, paging and dates, revocation, limits, OpenAPI."""

from datetime import timedelta

import pytest

from app import clock
from app.api.models import ApiClient, ApiToken
from app.audit import AuditEvent
from tests.conftest import rate_limited_app
from tests.factories import UserFactory
from tests.integration.api.conftest import add_certificate, basic, bearer

ROUTES = ["/api/v1/completions", "/api/v1/certificates/{serial}"]


def _url(route, two_forces, code="north"):
    return route.format(serial=two_forces["certs"][code][0].serial)


def test_token_is_short_lived_and_stored_hashed(client, database, api_client_for):
    api_client, secret = api_client_for("north")
    response = client.post(
        "/api/oauth/token",
        data={"grant_type": "client_credentials"},
        headers=basic(api_client.client_id, secret),
    )
    body = response.get_json()
    assert response.status_code == 200
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 900
    stored = database.session.query(ApiToken).one()
    assert stored.token_hash != body["access_token"]
    assert body["access_token"] not in stored.token_hash
    assert database.session.query(AuditEvent).filter_by(action="api.token_issued").count() == 1
    assert secret not in (database.session.query(ApiClient).one().secret_hash)


def test_client_secret_in_the_form_works_too(client, api_client_for):
    api_client, secret = api_client_for("north")
    response = client.post(
        "/api/oauth/token",
        data={"grant_type": "client_credentials", "client_id": api_client.client_id, "client_secret": secret},
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("data", "status", "error"),
    [
        ({"grant_type": "client_credentials"}, 401, "invalid_client"),  # wrong secret
        ({"grant_type": "password"}, 400, "unsupported_grant_type"),
        ({"grant_type": "client_credentials", "scope": "everything:write"}, 400, "invalid_scope"),
    ],
)
def test_token_requests_refused(client, api_client_for, data, status, error):
    api_client, secret = api_client_for("north")
    secret = "wrong" if error == "invalid_client" else secret
    response = client.post("/api/oauth/token", data=data, headers=basic(api_client.client_id, secret))
    assert response.status_code == status
    assert response.get_json()["error"] == error


def test_scope_the_client_does_not_hold_is_refused(client, api_client_for):
    api_client, secret = api_client_for("north", scope="completions:read")
    response = client.post(
        "/api/oauth/token",
        data={"grant_type": "client_credentials", "scope": "certificates:read"},
        headers=basic(api_client.client_id, secret),
    )
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_scope"


def test_completions_are_the_callers_force_only(client, two_forces, token_for):
    token, _ = token_for("north")
    body = client.get("/api/v1/completions", headers=bearer(token)).get_json()
    assert body["total"] == 3
    assert {i["serial"] for i in body["items"]} == {c.serial for c in two_forces["certs"]["north"]}
    assert "South Person" not in str(body)
    first = body["items"][0]
    assert first["status"] == "valid"
    assert set(first["officer"]) == {"service_number", "name"}


def test_paging_and_date_filter(client, two_forces, token_for):
    token, _ = token_for("north")
    page2 = client.get("/api/v1/completions?per_page=2&page=2", headers=bearer(token)).get_json()
    assert (page2["total"], page2["pages"], len(page2["items"])) == (3, 2, 1)
    assert page2["items"][0]["serial"] == two_forces["certs"]["north"][2].serial  # oldest first
    today = clock.today()
    since = (today - timedelta(days=25)).isoformat()
    until = (today - timedelta(days=15)).isoformat()
    window = client.get(
        f"/api/v1/completions?completed_from={since}&completed_to={until}", headers=bearer(token)
    )
    assert [i["serial"] for i in window.get_json()["items"]] == [two_forces["certs"]["north"][1].serial]


@pytest.mark.parametrize(
    "query",
    [
        "completed_from=yesterday",
        "per_page=500",
        "page=0",
        "completed_from=2026-02-02&completed_to=2026-01-01",
    ],
)
def test_bad_parameters_get_a_clear_422(client, two_forces, token_for, query):
    token, _ = token_for("north")
    response = client.get(f"/api/v1/completions?{query}", headers=bearer(token))
    assert response.status_code == 422
    assert response.get_json()["errors"]


def test_certificate_status_including_revoked(client, database, two_forces, token_for):
    revoked = add_certificate(two_forces["north"], revoked=True)
    expired = add_certificate(two_forces["north"], expires_on=clock.today() - timedelta(days=1))
    database.session.commit()
    token, _ = token_for("north")
    assert (
        client.get(f"/api/v1/certificates/{revoked.serial}", headers=bearer(token)).get_json()["status"]
        == "revoked"
    )
    assert (
        client.get(f"/api/v1/certificates/{expired.serial}", headers=bearer(token)).get_json()["status"]
        == "expired"
    )
    typed = expired.serial.lower().replace("-", " ")
    assert client.get(f"/api/v1/certificates/{typed}", headers=bearer(token)).status_code == 200


def test_another_forces_certificate_is_not_found(client, two_forces, token_for):
    token, _ = token_for("north")
    other = two_forces["certs"]["south"][0].serial
    response = client.get(f"/api/v1/certificates/{other}", headers=bearer(token))
    assert response.status_code == 404
    assert "South" not in response.get_data(as_text=True)
    assert client.get("/api/v1/certificates/not-a-serial", headers=bearer(token)).status_code == 404


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize(
    "kind", ["none", "garbage", "expired", "revoked", "client_revoked", "no_scope", "session"]
)
def test_every_route_refuses_every_bad_credential(
    client, database, login_as, two_forces, token_for, route, kind
):
    scope = "certificates:read" if route.startswith("/api/v1/completions") else "completions:read"
    token, api_client = token_for("north", scope="completions:read certificates:read")
    headers = bearer(token)
    if kind == "none":
        headers = {}
    elif kind == "garbage":
        headers = bearer("not-a-token")
    elif kind == "expired":
        clock.travel(timedelta(seconds=901))
    elif kind == "revoked":
        database.session.query(ApiToken).update({"revoked_at": clock.utcnow()})
        database.session.commit()
    elif kind == "client_revoked":
        from app.api import services

        services.revoke_client(api_client, actor=two_forces["admin"])
        database.session.commit()
    elif kind == "no_scope":
        headers = bearer(token_for("north", scope=scope)[0])
    elif kind == "session":
        login_as(UserFactory(role="admin", force=None))
        headers = {}
    response = client.get(_url(route, two_forces), headers=headers)
    expected = 403 if kind == "no_scope" else 401
    assert response.status_code == expected, response.data
    assert "items" not in response.get_json()


@pytest.mark.parametrize("route", ROUTES)
def test_every_route_gives_another_forces_token_nothing_of_this_force(client, two_forces, token_for, route):
    token, _ = token_for("south")
    response = client.get(_url(route, two_forces, "north"), headers=bearer(token))
    text = response.get_data(as_text=True)
    for certificate in two_forces["certs"]["north"]:
        assert certificate.serial not in text
    assert response.status_code in (200, 404)


def test_client_can_revoke_its_own_token(client, two_forces, api_client_for):
    api_client, secret = api_client_for("north")
    token = client.post(
        "/api/oauth/token",
        data={"grant_type": "client_credentials"},
        headers=basic(api_client.client_id, secret),
    ).get_json()["access_token"]
    assert client.get("/api/v1/completions", headers=bearer(token)).status_code == 200
    revoked = client.post(
        "/api/oauth/revoke", data={"token": token}, headers=basic(api_client.client_id, secret)
    )
    assert revoked.status_code == 200
    assert client.get("/api/v1/completions", headers=bearer(token)).status_code == 401


def test_reads_are_audited_with_the_force(client, database, two_forces, token_for):
    token, api_client = token_for("north")
    client.get("/api/v1/completions", headers=bearer(token))
    event = database.session.query(AuditEvent).filter_by(action="api.read").one()
    assert (event.force_id, event.target_id) == (two_forces["north"].id, str(api_client.id))


def test_api_is_rate_limited_per_token():
    from app.api import services
    from app.extensions import db
    from tests.factories import ForceFactory

    with rate_limited_app(API_RATE_LIMIT="2 per minute") as app, app.app_context():
        admin = UserFactory(role="admin", force=None)
        api_client, secret = services.create_client(
            ForceFactory(), name="HR", scope="completions:read", actor=admin
        )
        db.session.commit()
        http = app.test_client()
        token = http.post(
            "/api/oauth/token",
            data={"grant_type": "client_credentials"},
            headers=basic(api_client.client_id, secret),
        ).get_json()["access_token"]
        statuses = [http.get("/api/v1/completions", headers=bearer(token)).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_openapi_description_is_public_and_complete(client, database):
    spec = client.get("/api/openapi.json").get_json()
    assert set(spec["paths"]) == {"/api/v1/completions", "/api/v1/certificates/{serial}", "/api/v1/national"}
    flows = spec["components"]["securitySchemes"]["oauth2"]["flows"]
    assert flows["clientCredentials"]["tokenUrl"] == "/api/oauth/token"
    assert set(flows["clientCredentials"]["scopes"]) == {
        "completions:read",
        "certificates:read",
        "aggregates:read",
    }
    row = spec["components"]["schemas"]["NationalRow"]["properties"]
    assert {"force_code", "officers_ever_completed", "uptake"} <= set(row)


def test_html_pages_keep_their_own_error_pages(client, database):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response.mimetype == "text/html"


def test_the_only_aggregate_endpoint_is_the_national_reports(app):
    """National figures come only from the metrics report (tests/integration/api/test_national.py)."""
    rules = {r.rule for r in app.url_map.iter_rules() if r.rule.startswith("/api/")}
    assert {r for r in rules if "aggregate" in r or "national" in r or "metrics" in r} == {"/api/v1/national"}


def test_token_endpoint_works_with_csrf_protection_on():
    from app.api import services
    from app.extensions import db
    from tests.factories import ForceFactory

    with rate_limited_app(WTF_CSRF_ENABLED=True, RATELIMIT_ENABLED=False) as app, app.app_context():
        admin = UserFactory(role="admin", force=None)
        api_client, secret = services.create_client(
            ForceFactory(), name="HR", scope="completions:read", actor=admin
        )
        db.session.commit()
        http = app.test_client()
        response = http.post(
            "/api/oauth/token",
            data={"grant_type": "client_credentials"},
            headers=basic(api_client.client_id, secret),
        )
        assert response.status_code == 200
        assert http.post("/sign-out").status_code in (400, 401)  # CSRF still guards the pages


def test_tokens_a_day_past_expiry_are_pruned_when_a_new_one_is_issued(client, database, api_client_for):
    api_client, secret = api_client_for("north")

    def issue():
        response = client.post(
            "/api/oauth/token",
            data={"grant_type": "client_credentials"},
            headers=basic(api_client.client_id, secret),
        )
        assert response.status_code == 200

    issue()
    clock.travel(timedelta(hours=23))
    issue()
    assert database.session.query(ApiToken).count() == 2  # the first expired, but less than a day ago
    clock.travel(timedelta(hours=2))
    issue()
    assert database.session.query(ApiToken).count() == 2  # the first is gone, the second stays
