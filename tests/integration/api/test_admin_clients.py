"""Admin pages for API clients: the secret shown once, bad input refused, revocation."""

import re

from app.api.models import ApiClient, ApiToken
from app.audit import AuditEvent
from tests.factories import ForceFactory, UserFactory
from tests.integration.api.conftest import basic, bearer


def test_admin_creates_a_client_and_sees_the_secret_once(client, login_as, database):
    login_as(UserFactory(role="admin", force=None))
    ForceFactory(code="north", name="North Police")
    database.session.commit()
    response = client.post(
        "/admin/api-clients", data={"force": "north", "name": "North HR", "scope": ["completions:read"]}
    )
    assert response.status_code == 201
    stored = database.session.query(ApiClient).one()
    page = response.get_data(as_text=True)
    secret = re.search(r"Client secret\s*</dt>\s*<dd[^>]*>\s*<code[^>]*>([^<]+)</code>", page).group(1)
    assert secret not in stored.secret_hash
    assert stored.scope == "completions:read"
    assert secret not in client.get("/admin/api-clients").get_data(as_text=True)
    token = client.post(
        "/api/oauth/token", data={"grant_type": "client_credentials"}, headers=basic(stored.client_id, secret)
    )
    assert token.status_code == 200
    assert database.session.query(AuditEvent).filter_by(action="api.client_created").count() == 1


def test_bad_input_creates_nothing(client, login_as, database):
    login_as(UserFactory(role="admin", force=None))
    ForceFactory(code="north")
    database.session.commit()
    for data, message in [
        ({"force": "", "name": "X", "scope": ["completions:read"]}, "Choose the force"),
        ({"force": "north", "name": " ", "scope": ["completions:read"]}, "Enter a name"),
        ({"force": "north", "name": "X"}, "Choose at least one"),
        ({"force": "north", "name": "X", "scope": ["admin:write"]}, "Choose at least one"),
    ]:
        response = client.post("/admin/api-clients", data=data)
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)
    assert database.session.query(ApiClient).count() == 0


def test_revoking_a_client_ends_its_tokens_at_once(client, login_as, database):
    from app.api import services

    admin = login_as(UserFactory(role="admin", force=None))
    api_client, secret = services.create_client(
        ForceFactory(), name="HR", scope="completions:read", actor=admin
    )
    database.session.commit()
    token = client.post(
        "/api/oauth/token",
        data={"grant_type": "client_credentials"},
        headers=basic(api_client.client_id, secret),
    ).get_json()["access_token"]
    assert client.post(f"/admin/api-clients/{api_client.id}/revoke").status_code == 302
    assert database.session.query(ApiToken).one().revoked_at is not None
    assert client.get("/api/v1/completions", headers=bearer(token)).status_code == 401
    again = client.post(
        "/api/oauth/token",
        data={"grant_type": "client_credentials"},
        headers=basic(api_client.client_id, secret),
    )
    assert again.status_code == 401


def test_an_error_links_to_its_field_and_keeps_what_was_chosen(client, login_as, database):
    login_as(UserFactory(role="admin", force=None))
    ForceFactory(code="north", name="North Police")
    database.session.commit()
    for data, anchor in [
        ({"force": "", "name": "X", "scope": ["completions:read"]}, "#force"),
        ({"force": "north", "name": " ", "scope": ["completions:read"]}, "#name"),
        ({"force": "north", "name": "North HR"}, "#scope"),
    ]:
        page = client.post("/admin/api-clients", data=data).get_data(as_text=True)
        assert f'href="{anchor}"' in page
        assert page.count("govuk-error-message") == 1
    assert 'value="North HR"' in page
    assert '<option value="north" selected>' in page
