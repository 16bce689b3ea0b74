"""SCIM 2.0 provisioning, replaying the requests Microsoft Entra ID sends (learn.microsoft.com,
"Develop and plan provisioning for a SCIM endpoint": its request samples, with the known quirks:
capitalised ops and `active` as the string "False")."""

import json

import pytest
from sqlalchemy import select

from app.audit import AuditEvent
from app.auth.models import User
from app.scim import tokens
from tests.factories import ForceFactory, TeamFactory, UserFactory

CORE = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
USER_NAME = "Test_User_dfeef4c5-5681-4387-b016-bdf221e82081@kent.police.example"


@pytest.fixture
def kent(database):
    force = ForceFactory(code="kent-t", name="Kent Test Police")
    TeamFactory(force=force, name="Response North")
    database.session.commit()
    return force


@pytest.fixture
def token(kent, database):
    value = tokens.rotate(kent, None)
    database.session.commit()
    return value


def _call(client, method, path, token, body=None, **query):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    data = json.dumps(body) if body is not None else None
    return client.open(
        f"/scim/v2/forces/kent-t{path}",
        method=method,
        headers=headers,
        data=data,
        content_type="application/scim+json",
        query_string=query,
    )


def _entra_create_body(user_name=USER_NAME, department="Response North"):
    return {
        "schemas": [CORE, ENTERPRISE],
        "externalId": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
        "userName": user_name,
        "active": True,
        "emails": [{"primary": True, "type": "work", "value": user_name}],
        "meta": {"resourceType": "User"},
        "name": {"formatted": "Ada Lovelace", "familyName": "Lovelace", "givenName": "Ada"},
        "roles": [],
        ENTERPRISE: {"employeeNumber": "KT1234", "department": department},
    }


def _actions(database, user_id):
    rows = database.session.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.target_type == "user", AuditEvent.target_id == str(user_id))
        .order_by(AuditEvent.id)
    )
    return list(rows)


def test_the_entra_lifecycle_create_find_update_disable_delete(client, kent, token, database):
    # Entra looks the user up before creating them.
    found = _call(client, "GET", "/Users", token, filter=f'userName eq "{USER_NAME}"')
    assert found.status_code == 200
    assert found.mimetype == "application/scim+json"
    assert found.json["totalResults"] == 0
    created = _call(client, "POST", "/Users", token, _entra_create_body())
    assert created.status_code == 201, created.json
    body = created.json
    assert body["userName"] == USER_NAME.lower()
    assert body["externalId"] == "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"
    assert body[ENTERPRISE] == {"employeeNumber": "KT1234", "department": "Response North"}
    assert body["meta"]["location"].endswith(f"/scim/v2/forces/kent-t/Users/{body['id']}")
    account = database.session.get(User, int(body["id"]))
    assert (account.force_id, account.role, account.name) == (kent.id, "officer", "Ada Lovelace")
    assert account.password_hash is None  # signs in through the force's provider or an invitation
    # Found again by userName and by externalId; and by id.
    again = _call(client, "GET", "/Users", token, filter=f'userName eq "{USER_NAME}"')
    assert [r["id"] for r in again.json["Resources"]] == [body["id"]]
    by_external = _call(
        client, "GET", "/Users", token, filter='externalId eq "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"'
    )
    assert by_external.json["totalResults"] == 1
    assert _call(client, "GET", f"/Users/{body['id']}", token).json["displayName"] == "Ada Lovelace"
    # Entra's update: capitalised op, attribute paths.
    patched = _call(
        client,
        "PATCH",
        f"/Users/{body['id']}",
        token,
        {
            "schemas": [PATCH],
            "Operations": [
                {"op": "Replace", "path": "displayName", "value": "Ada King"},
                {"op": "Add", "path": f"{ENTERPRISE}:employeeNumber", "value": "KT9999"},
            ],
        },
    )
    assert patched.status_code == 200, patched.json
    database.session.refresh(account)
    assert (account.name, account.service_number) == ("Ada King", "KT9999")
    # Disabling: Entra sends the string "False" without the aadOptscim062020 flag.
    disable = {"schemas": [PATCH], "Operations": [{"op": "Replace", "path": "active", "value": "False"}]}
    assert _call(client, "PATCH", f"/Users/{body['id']}", token, disable).status_code == 200
    database.session.refresh(account)
    assert account.active is False
    # Inactive users are still returned by GET.
    assert _call(client, "GET", f"/Users/{body['id']}", token).json["active"] is False
    # Idempotent: the same request again changes nothing and records nothing.
    before = _actions(database, account.id)
    assert _call(client, "PATCH", f"/Users/{body['id']}", token, disable).status_code == 200
    assert _actions(database, account.id) == before
    assert before == ["scim.user_created", "scim.user_updated", "scim.user_deactivated"]
    # DELETE deactivates; the account and its records stay.
    assert _call(client, "DELETE", f"/Users/{body['id']}", token).status_code == 204
    assert database.session.get(User, account.id) is not None


def test_patch_without_a_path_and_with_boolean_values(client, kent, token, database):
    created = _call(client, "POST", "/Users", token, _entra_create_body()).json
    patch = {
        "schemas": [PATCH],
        "Operations": [{"op": "replace", "value": {"active": False, "displayName": "Ada Byron"}}],
    }
    assert _call(client, "PATCH", f"/Users/{created['id']}", token, patch).status_code == 200
    account = database.session.get(User, int(created["id"]))
    assert (account.active, account.name) == (False, "Ada Byron")
    reactivate = {"schemas": [PATCH], "Operations": [{"op": "Replace", "path": "active", "value": "True"}]}
    assert _call(client, "PATCH", f"/Users/{created['id']}", token, reactivate).json["active"] is True


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer wrong", "Basic dXNlcjpwYXNz", "bearer scim_not-the-token"],
)
def test_without_the_forces_token_nothing_is_answered(client, kent, token, header, database):
    headers = {"Authorization": header} if header else {}
    response = client.post(
        "/scim/v2/forces/kent-t/Users", headers=headers, data=json.dumps(_entra_create_body())
    )
    assert response.status_code == 401
    assert response.json["status"] == "401"
    assert database.session.scalar(select(User).where(User.email == USER_NAME.lower())) is None


def test_a_token_works_for_its_own_force_only(client, kent, token, database):
    essex = ForceFactory(code="essex-t")
    essex_token = tokens.rotate(essex, None)
    essex_officer = UserFactory(force=essex, email="someone@essex.police.example")
    database.session.commit()
    # Kent's token on Essex's endpoint, Essex's on Kent's: refused, and the same for an unknown force.
    assert (
        client.get("/scim/v2/forces/essex-t/Users", headers={"Authorization": f"Bearer {token}"}).status_code
        == 401
    )
    assert _call(client, "GET", "/Users", essex_token).status_code == 401
    assert (
        client.get("/scim/v2/forces/nowhere/Users", headers={"Authorization": f"Bearer {token}"}).status_code
        == 401
    )
    # An Essex officer cannot be read, changed or deactivated through Kent's endpoint ...
    for method in ("GET", "PATCH", "PUT", "DELETE"):
        body = {"schemas": [PATCH], "Operations": [{"op": "Replace", "path": "active", "value": False}]}
        response = _call(
            client, method, f"/Users/{essex_officer.id}", token, body if method != "GET" else None
        )
        assert response.status_code == 404, method
    database.session.refresh(essex_officer)
    assert essex_officer.active is True
    # ... nor taken over by creating a Kent account with the same address.
    taken = _call(
        client, "POST", "/Users", token, _entra_create_body(user_name="someone@essex.police.example")
    )
    assert taken.status_code == 409
    assert taken.json["scimType"] == "uniqueness"
    database.session.refresh(essex_officer)
    assert essex_officer.force_id == essex.id


def test_rotating_a_token_stops_the_old_one_at_once(client, kent, token, database):
    new = tokens.rotate(kent, None)
    database.session.commit()
    assert _call(client, "GET", "/Users", token).status_code == 401
    assert _call(client, "GET", "/Users", new).status_code == 200


@pytest.mark.parametrize(
    ("body", "scim_type"),
    [
        ({"schemas": [CORE], "active": True}, "invalidValue"),  # no userName
        ({"schemas": [CORE], "userName": "not an address", "displayName": "X"}, "invalidValue"),
        ({"schemas": [CORE], "userName": "a@kent.police.example"}, "invalidValue"),  # no name
        ({"schemas": [CORE], "userName": "a@kent.police.example", "displayName": "A\nB"}, "invalidValue"),
        (["not", "a", "user"], "invalidSyntax"),
    ],
)
def test_a_bad_request_is_refused_with_a_clear_error_and_changes_nothing(
    client, kent, token, database, body, scim_type
):
    count = database.session.scalar(
        select(User).where(User.force_id == kent.id).with_only_columns(User.id).limit(1)
    )
    response = _call(client, "POST", "/Users", token, body)
    assert response.status_code == 400
    assert response.json["scimType"] == scim_type
    assert response.json["detail"]
    assert (
        database.session.scalar(
            select(User).where(User.force_id == kent.id).with_only_columns(User.id).limit(1)
        )
        == count
    )


def test_a_patch_that_breaks_uniqueness_changes_nothing(client, kent, token, database):
    first = _call(client, "POST", "/Users", token, _entra_create_body()).json
    second = _call(
        client,
        "POST",
        "/Users",
        token,
        {**_entra_create_body(user_name="b@kent.police.example"), ENTERPRISE: {}},
    ).json
    clash = {"schemas": [PATCH], "Operations": [{"op": "Replace", "path": "userName", "value": USER_NAME}]}
    response = _call(client, "PATCH", f"/Users/{second['id']}", token, clash)
    assert response.status_code == 409
    assert database.session.get(User, int(second["id"])).email == "b@kent.police.example"
    assert database.session.get(User, int(first["id"])).email == USER_NAME.lower()


def test_an_unknown_department_leaves_the_team_empty_and_says_so_in_the_audit(client, kent, token, database):
    created = _call(client, "POST", "/Users", token, _entra_create_body(department="No Such Unit")).json
    account = database.session.get(User, int(created["id"]))
    assert account.team_id is None  # SCIM never creates teams
    event = database.session.scalar(select(AuditEvent).where(AuditEvent.action == "scim.user_created"))
    assert event.details_dict["team_found"] is False


def test_unsupported_filters_and_paging(client, kent, token, database):
    assert (
        _call(client, "GET", "/Users", token, filter='displayName co "a"').json["scimType"] == "invalidFilter"
    )
    for n in range(3):
        _call(
            client,
            "POST",
            "/Users",
            token,
            {**_entra_create_body(user_name=f"p{n}@kent.police.example"), ENTERPRISE: {}},
        )
    page = _call(client, "GET", "/Users", token, startIndex=2, count=1).json
    assert (page["totalResults"], page["startIndex"], page["itemsPerPage"]) == (3, 2, 1)
    assert _call(client, "GET", "/Users", token, count="x").status_code == 400


def test_admin_issues_rotates_and_revokes_tokens(client, login_as, kent, database):
    login_as(UserFactory(force=None, role="admin"))
    page = client.get("/admin/scim").get_data(as_text=True)
    assert "Kent Test Police" in page
    assert "Issue token" in page
    shown = client.post("/admin/scim/kent-t/rotate").get_data(as_text=True)
    assert "shown once" in shown
    token = shown.split('<code class="secret">scim_', 1)[1].split("</code>", 1)[0]
    assert _call(client, "GET", "/Users", "scim_" + token).status_code == 200
    assert client.post("/admin/scim/kent-t/revoke").status_code == 302
    assert _call(client, "GET", "/Users", "scim_" + token).status_code == 401
    actions = database.session.scalars(
        select(AuditEvent.action).where(AuditEvent.action.like("scim.token%")).order_by(AuditEvent.id)
    ).all()
    assert actions == ["scim.token_rotated", "scim.token_revoked"]
