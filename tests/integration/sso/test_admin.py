"""The admin page that registers a force's provider: validation, encryption, audit, invitations."""

from app.audit import AuditEvent
from app.auth import secret_box, sso_services
from app.auth.sso_models import ForceIdentityProvider, UserIdentity
from tests.factories import ForceFactory, UserFactory

TID = "72f988bf-86f1-41af-91ab-2d7cd011db47"


def _form(**changes):
    data = {
        "tenant_id": TID,
        "issuer": f"https://login.microsoftonline.com/{TID}/v2.0",
        "client_id": "app-client-id",
        "client_secret": "a-very-secret-value",
        "name_claim": "name",
        "role_claim": "roles",
        "role_map": "Training.Lead = training_lead",
        "enabled": "y",
        "mfa_enforced": "y",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_admin_registers_a_provider_with_the_secret_encrypted_and_audited(client, login_as, database):
    login_as(UserFactory(role="admin", force=None))
    force = ForceFactory(code="north")
    database.session.commit()
    response = client.post("/admin/forces/north/sign-in", data=_form())
    assert response.status_code == 302
    provider = database.session.query(ForceIdentityProvider).filter_by(force_id=force.id).one()
    assert provider.client_secret.startswith(secret_box.PREFIX)
    assert "a-very-secret-value" not in provider.client_secret
    assert sso_services.client_secret(provider) == "a-very-secret-value"
    assert provider.claim_mapping["roles"] == {"Training.Lead": "training_lead"}
    assert (provider.mfa_enforced, provider.sso_only, provider.allow_new_accounts) == (True, False, False)
    event = database.session.query(AuditEvent).filter_by(action="force.sso_settings").one()
    assert event.force_id == force.id
    assert "a-very-secret-value" not in event.details
    page = client.get("/admin/forces/north/sign-in")
    assert b"a-very-secret-value" not in page.data
    assert b"http://localhost/sign-in/sso/callback" in page.data
    audit_page = client.get("/admin/audit")
    assert audit_page.status_code == 200
    assert b"force.sso_settings" in audit_page.data


def test_empty_secret_keeps_the_stored_one(client, login_as, database):
    login_as(UserFactory(role="admin", force=None))
    force = ForceFactory(code="north")
    database.session.commit()
    client.post("/admin/forces/north/sign-in", data=_form())
    assert (
        client.post("/admin/forces/north/sign-in", data=_form(client_secret="", sso_only="y")).status_code
        == 302
    )
    provider = sso_services.provider_for(force.id)
    assert sso_services.client_secret(provider) == "a-very-secret-value"
    assert provider.sso_only is True


def test_bad_settings_are_refused_and_change_nothing(client, login_as, database):
    login_as(UserFactory(role="admin", force=None))
    ForceFactory(code="north")
    database.session.commit()
    for changes, message in [
        ({"issuer": "https://login.microsoftonline.com/organizations/v2.0"}, b"not the shared multi-tenant"),
        ({"tenant_id": "common"}, b"not common or organizations"),
        ({"role_map": "Admins = admin"}, b"officer or training_lead"),
        ({"client_secret": None}, b"Enter the client secret"),
        ({"client_id": ""}, b"Enter the application (client) ID"),
    ]:
        response = client.post("/admin/forces/north/sign-in", data=_form(**changes))
        assert response.status_code == 400, changes
        assert message in response.data, changes
    assert database.session.query(ForceIdentityProvider).count() == 0
    assert database.session.query(AuditEvent).filter_by(action="force.sso_settings").count() == 0


def test_a_tenant_belongs_to_one_force(client, login_as, database):
    login_as(UserFactory(role="admin", force=None))
    ForceFactory(code="north")
    ForceFactory(code="south")
    database.session.commit()
    client.post("/admin/forces/north/sign-in", data=_form())
    response = client.post("/admin/forces/south/sign-in", data=_form())
    assert response.status_code == 400
    assert b"already registered to another force" in response.data


def test_admin_invites_an_officer_of_a_force_with_sso(client, login_as, database):
    admin = login_as(UserFactory(role="admin", force=None))
    force = ForceFactory(code="north")
    database.session.commit()
    client.post("/admin/forces/north/sign-in", data=_form())
    officer = UserFactory(force=force)
    assert client.post(f"/admin/users/{officer.id}/sso-invite").status_code == 302
    identity = database.session.query(UserIdentity).filter_by(user_id=officer.id).one()
    assert (identity.object_id, identity.invited_by_id, identity.tenant_id) == (None, admin.id, TID)
    assert database.session.query(AuditEvent).filter_by(action="user.sso_invite").count() == 1


def test_invitation_needs_a_force_with_sso(client, login_as, database):
    login_as(UserFactory(role="admin", force=None))
    officer = UserFactory()
    client.post(f"/admin/users/{officer.id}/sso-invite")
    assert database.session.query(UserIdentity).count() == 0


def test_key_rotation_reseals_client_secrets(app, client, login_as, database):
    from cryptography.fernet import Fernet

    login_as(UserFactory(role="admin", force=None))
    force = ForceFactory(code="north")
    database.session.commit()
    client.post("/admin/forces/north/sign-in", data=_form())
    old_key, new_key = app.config.get("TOTP_ENCRYPTION_KEYS", ""), Fernet.generate_key().decode()
    provider = sso_services.provider_for(force.id)
    before = provider.client_secret
    app.config["TOTP_ENCRYPTION_KEYS"] = (
        new_key + "," + secret_box.derived_key(app.config["SECRET_KEY"]).decode()
    )
    try:
        result = app.test_cli_runner().invoke(args=["users", "seal-totp-secrets"])
        assert "Sealed 1 identity provider client secret." in result.output
        database.session.refresh(provider)
        assert provider.client_secret != before
        app.config["TOTP_ENCRYPTION_KEYS"] = new_key  # the old key is gone: still readable
        assert sso_services.client_secret(provider) == "a-very-secret-value"
    finally:
        app.config["TOTP_ENCRYPTION_KEYS"] = old_key
