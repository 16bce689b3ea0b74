"""Sign-in with a force's own OpenID Connect provider, against a real provider on a local port:
the happy paths, and every attack of issue 20 refused with nothing signed in."""

import json
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from joserfc.jwk import RSAKey

from app.audit import AuditEvent
from app.auth import oidc, sso_services
from app.auth.models import User, UserSession
from app.auth.sso_models import UserIdentity
from tests.factories import PASSWORD, UserFactory


def _sessions(database, user=None):
    query = database.session.query(UserSession)
    return (query.filter_by(user_id=user.id) if user else query).count()


def _invited(database, force, email, role="officer"):
    user = UserFactory(force=force, email=email, role=role)
    admin = UserFactory(role="admin", force=None)
    sso_services.invite(user, actor=admin)
    database.session.commit()
    return user


def test_invited_officer_links_at_first_sign_in_then_by_tid_and_oid(
    register, oidc_provider, sso_sign_in, database, client
):
    north = register("north")
    user = _invited(database, north.force, "pat@north.police.uk")
    claims = oidc_provider.add_user(north.tenant_id, "pat", email="pat@north.police.uk", name="Pat North")
    response = sso_sign_in("north", "pat")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    identity = database.session.query(UserIdentity).filter_by(user_id=user.id).one()
    assert (identity.tenant_id, identity.object_id) == (north.tenant_id, claims["oid"])
    assert _sessions(database, user) == 1
    assert user.name == "Pat North"
    assert database.session.query(AuditEvent).filter_by(action="user.sso_linked").count() == 1
    # Later the email changes at the provider: the stable ids still find the same account.
    client.post("/sign-out")
    oidc_provider.tenants[north.tenant_id].users["pat"]["email"] = "renamed@north.police.uk"
    assert sso_sign_in("north", "pat").status_code == 302
    assert _sessions(database, user) == 1


def test_pkce_state_and_nonce_are_sent(register, oidc_provider, sso_sign_in, client):
    north = register("north")
    start = client.get("/sign-in/sso/north")
    query = parse_qs(urlsplit(start.headers["Location"]).query)
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) >= 43
    assert query["state"][0]
    assert query["nonce"][0]
    assert query["client_id"] == [north.client_id]


def test_email_alone_never_signs_into_an_existing_account(register, oidc_provider, sso_sign_in, database):
    north = register("north", allow_new_accounts=True)
    existing = UserFactory(force=north.force, email="sam@north.police.uk")  # not invited
    oidc_provider.add_user(north.tenant_id, "sam", email="sam@north.police.uk", name="Sam")
    response = sso_sign_in("north", "sam")
    assert response.status_code == 403
    assert b"not linked" in response.data
    assert _sessions(database) == 0
    assert database.session.query(UserIdentity).filter_by(user_id=existing.id).count() == 0


def test_not_invited_and_no_new_accounts_is_refused(register, oidc_provider, sso_sign_in, database):
    north = register("north")
    oidc_provider.add_user(north.tenant_id, "kim", email="kim@north.police.uk")
    response = sso_sign_in("north", "kim")
    assert response.status_code == 403
    assert database.session.query(User).filter_by(email="kim@north.police.uk").count() == 0
    assert _sessions(database) == 0


def test_force_that_allows_it_gets_a_new_account_with_mapped_role(
    register, oidc_provider, sso_sign_in, database
):
    north = register("north", allow_new_accounts=True)
    oidc_provider.add_user(
        north.tenant_id, "lee", email="Lee@North.police.uk", name="Lee Lead", roles=["Training.Lead"]
    )
    assert sso_sign_in("north", "lee").status_code == 302
    user = database.session.query(User).filter_by(email="lee@north.police.uk").one()
    assert (user.force_id, user.role, user.password_hash) == (north.force.id, "training_lead", None)


def test_provider_never_grants_admin(register, oidc_provider, sso_sign_in, database):
    north = register("north", allow_new_accounts=True)
    oidc_provider.add_user(north.tenant_id, "eve", email="eve@north.police.uk", roles=["admin", "Admin"])
    assert sso_sign_in("north", "eve").status_code == 302
    assert database.session.query(User).filter_by(email="eve@north.police.uk").one().role == "officer"


def test_a_force_a_token_never_signs_into_a_force_b_account(register, oidc_provider, sso_sign_in, database):
    north, south = register("north"), register("south")
    victim = _invited(database, south.force, "ali@police.uk")
    # Same person, same email, but a user of north's tenant: south's invited account stays unlinked.
    oidc_provider.add_user(north.tenant_id, "ali", email="ali@police.uk")
    response = sso_sign_in("north", "ali")
    assert response.status_code == 403
    assert _sessions(database) == 0
    assert database.session.query(UserIdentity).filter_by(user_id=victim.id).one().object_id is None


def test_a_bound_account_of_force_b_is_not_reachable_through_force_a(
    register, oidc_provider, sso_sign_in, database
):
    north, south = register("north"), register("south")
    victim = _invited(database, south.force, "ali@police.uk")
    claims = oidc_provider.add_user(south.tenant_id, "ali", email="ali@police.uk")
    assert sso_sign_in("south", "ali").status_code == 302
    database.session.query(UserSession).delete()
    database.session.commit()
    # A token of south's tenant, with south's tid and issuer, fed into north's sign-in.
    oidc_provider.add_user(north.tenant_id, "ali", email="ali@police.uk", oid=claims["oid"])
    oidc_provider.overrides = {"tid": south.tenant_id, "iss": oidc_provider.issuer(south.tenant_id)}
    response = sso_sign_in("north", "ali")
    assert response.status_code == 401
    assert _sessions(database, victim) == 0


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"tid": "00000000-0000-0000-0000-000000000000"}, b"another tenant"),
        ({"aud": "some-other-application"}, b"another application"),
        ({"nonce": None}, b"nonce"),
        ({"nonce": "a-nonce-from-an-earlier-sign-in"}, b"nonce"),
        ({"exp": 1_000_000_000, "iat": 999_990_000, "nbf": 999_990_000}, b"expired"),
        ({"oid": None}, b"object id"),
    ],
    ids=["wrong-tid", "wrong-audience", "missing-nonce", "replayed-nonce", "expired", "no-oid"],
)
def test_tampered_token_is_refused(register, oidc_provider, sso_sign_in, database, overrides, reason):
    north = register("north")
    user = _invited(database, north.force, "pat@north.police.uk")
    oidc_provider.add_user(north.tenant_id, "pat", email="pat@north.police.uk")
    oidc_provider.overrides = overrides
    response = sso_sign_in("north", "pat")
    assert response.status_code == 401
    assert reason in response.data
    assert _sessions(database, user) == 0


def test_shared_multi_tenant_issuer_in_the_token_is_refused(register, oidc_provider, sso_sign_in, database):
    north = register("north")
    _invited(database, north.force, "pat@north.police.uk")
    oidc_provider.add_user(north.tenant_id, "pat", email="pat@north.police.uk")
    oidc_provider.overrides = {"iss": oidc_provider.base_url + "/organizations/v2.0"}
    assert sso_sign_in("north", "pat").status_code == 401
    assert _sessions(database) == 0


def test_bad_signature_is_refused(register, oidc_provider, sso_sign_in, database):
    north = register("north")
    _invited(database, north.force, "pat@north.police.uk")
    oidc_provider.add_user(north.tenant_id, "pat", email="pat@north.police.uk")
    oidc_provider.sign_with = RSAKey.generate_key(2048, parameters={"kid": "test-key-1"})
    response = sso_sign_in("north", "pat")
    assert response.status_code == 401
    assert b"signature" in response.data
    assert _sessions(database) == 0


def test_replayed_state_is_refused(register, oidc_provider, sso_sign_in, database, client):
    north = register("north")
    user = _invited(database, north.force, "pat@north.police.uk")
    oidc_provider.add_user(north.tenant_id, "pat", email="pat@north.police.uk")
    first = sso_sign_in("north", "pat")
    assert first.status_code == 302
    client.post("/sign-out")
    parts = urlsplit(first.callback_url)
    again = client.get(parts.path + "?" + parts.query)
    assert again.status_code == 400
    assert _sessions(database, user) == 0


def test_unknown_state_is_refused(register, oidc_provider, sso_sign_in, database):
    north = register("north")
    _invited(database, north.force, "pat@north.police.uk")
    oidc_provider.add_user(north.tenant_id, "pat", email="pat@north.police.uk")

    def forge(url):
        parts = urlsplit(url)
        query = parse_qs(parts.query)
        query["state"] = ["made-up-by-an-attacker"]
        return parts._replace(query=urlencode(query, doseq=True)).geturl()

    assert sso_sign_in("north", "pat", tamper=forge).status_code == 400
    assert _sessions(database) == 0


def test_a_changed_client_secret_applies_at_once(register, oidc_provider, sso_sign_in, database):
    north = register("north")
    _invited(database, north.force, "pat@north.police.uk")
    oidc_provider.add_user(north.tenant_id, "pat", email="pat@north.police.uk")
    oidc_provider.tenants[north.tenant_id].client_secret = "rotated-at-the-provider"
    assert sso_sign_in("north", "pat").status_code == 401  # the old secret is refused
    admin = UserFactory(role="admin", force=None)
    provider = sso_services.provider_for(north.force.id)
    sso_services.save_provider(
        north.force,
        actor=admin,
        tenant_id=provider.tenant_id,
        issuer=provider.issuer,
        client_id=provider.client_id,
        secret="rotated-at-the-provider",
        mapping=sso_services.oidc.ClaimMapping.from_dict(provider.claim_mapping),
        enabled=True,
        sso_only=False,
        mfa_enforced=True,
        allow_new_accounts=False,
    )
    database.session.commit()
    assert sso_sign_in("north", "pat").status_code == 302  # no restart, no cache to clear


def test_deactivated_account_cannot_start_a_session(register, oidc_provider, sso_sign_in, database):
    north = register("north")
    user = _invited(database, north.force, "pat@north.police.uk")
    oidc_provider.add_user(north.tenant_id, "pat", email="pat@north.police.uk")
    user.active = False
    database.session.commit()
    assert sso_sign_in("north", "pat").status_code == 403
    assert _sessions(database) == 0


def test_person_the_provider_no_longer_vouches_for_cannot_sign_in(
    register, oidc_provider, sso_sign_in, database
):
    north = register("north")
    _invited(database, north.force, "pat@north.police.uk")
    oidc_provider.add_user(north.tenant_id, "pat", email="pat@north.police.uk")
    assert sso_sign_in("north", "pat").status_code == 302
    database.session.query(UserSession).delete()
    database.session.commit()
    del oidc_provider.tenants[north.tenant_id].users["pat"]  # removed from the directory
    assert sso_sign_in("north", "pat").status_code == 401
    assert _sessions(database) == 0


def test_sso_only_turns_local_passwords_off(register, client, database):
    north = register("north", sso_only=True)
    UserFactory(force=north.force, email="pat@north.police.uk")
    response = client.post("/sign-in", data={"email": "pat@north.police.uk", "password": PASSWORD})
    assert response.status_code == 401
    assert b"Sign in with North Police" in response.data
    assert _sessions(database) == 0
    other = UserFactory(email="someone@elsewhere.police.uk")  # a force without SSO-only
    assert client.post("/sign-in", data={"email": other.email, "password": PASSWORD}).status_code == 302


def test_lead_uses_platform_second_factor_when_force_has_not_recorded_mfa(
    app, register, oidc_provider, sso_sign_in, database, client
):
    north = register("north", mfa_enforced=False)
    _invited(database, north.force, "lee@north.police.uk", role="training_lead")
    oidc_provider.add_user(north.tenant_id, "lee", email="lee@north.police.uk", roles=["Training.Lead"])
    app.config["MFA_REQUIRED_ROLES"] = frozenset({"training_lead"})
    try:
        assert sso_sign_in("north", "lee").status_code == 302
        assert client.get("/teams").headers["Location"] == "/account/two-factor"
    finally:
        app.config["MFA_REQUIRED_ROLES"] = frozenset()


def test_lead_skips_platform_factor_when_conditional_access_enforces_mfa(
    app, register, oidc_provider, sso_sign_in, database, client
):
    north = register("north", mfa_enforced=True)
    _invited(database, north.force, "lee@north.police.uk", role="training_lead")
    oidc_provider.add_user(north.tenant_id, "lee", email="lee@north.police.uk", roles=["Training.Lead"])
    app.config["MFA_REQUIRED_ROLES"] = frozenset({"training_lead"})
    try:
        assert sso_sign_in("north", "lee").status_code == 302
        assert client.get("/teams").status_code == 200
    finally:
        app.config["MFA_REQUIRED_ROLES"] = frozenset()


def test_lead_with_a_factor_is_asked_for_the_code(app, register, oidc_provider, sso_sign_in, database):
    from app.auth import mfa_services

    north = register("north", mfa_enforced=False)
    lead = _invited(database, north.force, "lee@north.police.uk", role="training_lead")
    mfa_services.begin_mfa_setup(lead)
    lead.totp_enabled_at = lead.created_at
    database.session.commit()
    oidc_provider.add_user(north.tenant_id, "lee", email="lee@north.police.uk", roles=["Training.Lead"])
    app.config["MFA_REQUIRED_ROLES"] = frozenset({"training_lead"})
    try:
        response = sso_sign_in("north", "lee")
    finally:
        app.config["MFA_REQUIRED_ROLES"] = frozenset()
    assert response.headers["Location"] == "/sign-in/code"
    assert _sessions(database) == 0


def test_provider_session_obeys_the_idle_and_absolute_limits(
    app, register, oidc_provider, sso_sign_in, database, client
):
    from datetime import timedelta

    from app import clock

    north = register("north")
    _invited(database, north.force, "pat@north.police.uk")
    oidc_provider.add_user(north.tenant_id, "pat", email="pat@north.police.uk")
    assert sso_sign_in("north", "pat").status_code == 302
    assert client.get("/account/password").status_code == 200
    clock.travel(app.config["IDLE_TIMEOUT"] + timedelta(minutes=1))
    assert client.get("/account/password").status_code == 302  # idled out: sign in again


def test_next_is_kept_and_checked(register, oidc_provider, sso_sign_in, database):
    north = register("north")
    _invited(database, north.force, "pat@north.police.uk")
    oidc_provider.add_user(north.tenant_id, "pat", email="pat@north.police.uk")
    assert (
        sso_sign_in("north", "pat", next_url="/account/password").headers["Location"] == "/account/password"
    )


def test_sign_in_page_offers_each_registered_force(register, client):
    register("north")
    page = client.get("/sign-in")
    assert b"Sign in with North Police" in page.data
    assert b"/sign-in/sso/north" in page.data


def test_force_without_provider_has_no_sso(client, database):
    from tests.factories import ForceFactory

    ForceFactory(code="plain")
    assert client.get("/sign-in/sso/plain").status_code == 404


def test_sso_only_people_get_no_password_reset_mail(register, client, database):
    from tests.integration.auth.test_forgot_password import SENT, ask, outbox_to

    north = register("north", sso_only=True)
    UserFactory(force=north.force, email="pat@north.police.uk")
    response = ask(client, "pat@north.police.uk")
    assert SENT in response.data  # the same answer as for any address
    assert outbox_to("pat@north.police.uk") == 0


def test_a_role_change_from_the_provider_is_audited_and_ends_older_sessions(
    register, oidc_provider, sso_sign_in, database, client
):
    north = register("north")
    lead = _invited(database, north.force, "lee@north.police.uk", role="officer")
    oidc_provider.add_user(north.tenant_id, "lee", email="lee@north.police.uk", roles=["Training.Lead"])
    from app.auth.session_services import start_session

    start_session(lead)  # a session on another device, from before
    database.session.commit()
    assert sso_sign_in("north", "lee").status_code == 302
    assert lead.role == "training_lead"
    assert _sessions(database, lead) == 1  # only the new one
    event = database.session.query(AuditEvent).filter_by(action="user.sso_update").one()
    assert event.details_dict["role"] == ["officer", "training_lead"]


def test_new_account_with_a_taken_service_number_is_created_without_it(
    register, oidc_provider, sso_sign_in, database
):
    mapping = sso_services.oidc.ClaimMapping(service_number="employeeId")
    north = register("north", allow_new_accounts=True, mapping=mapping)
    UserFactory(force=north.force, service_number="WY777")
    oidc_provider.add_user(north.tenant_id, "new", email="new@north.police.uk", employeeId="WY777")
    oidc_provider.add_user(north.tenant_id, "fresh", email="fresh@north.police.uk", employeeId="WY778")
    assert sso_sign_in("north", "new").status_code == 302
    assert database.session.query(User).filter_by(email="new@north.police.uk").one().service_number is None
    assert sso_sign_in("north", "fresh").status_code == 302
    assert (
        database.session.query(User).filter_by(email="fresh@north.police.uk").one().service_number == "WY778"
    )


def test_new_account_needs_an_email_claim(register, oidc_provider, sso_sign_in, database):
    north = register("north", allow_new_accounts=True)
    oidc_provider.add_user(north.tenant_id, "anon", name="No Email")
    response = sso_sign_in("north", "anon")
    assert response.status_code == 403
    assert b"sends no email address" in response.data
    assert _sessions(database) == 0


GROUPS = oidc.ClaimMapping(role_claim="groups", roles={"0c1e-leads": "training_lead"})


def test_roles_can_come_from_groups(register, oidc_provider, sso_sign_in, database):
    north = register("north", mapping=GROUPS)
    lead = _invited(database, north.force, "lee@north.police.uk")
    oidc_provider.add_user(north.tenant_id, "lee", email="lee@north.police.uk", groups=["0c1e-leads", "x"])
    assert sso_sign_in("north", "lee").status_code == 302
    assert lead.role == "training_lead"


@pytest.mark.parametrize(
    "overage",
    [
        {"_claim_names": {"groups": "src1"}, "_claim_sources": {"src1": {"endpoint": "https://graph"}}},
        {"hasgroups": True},
    ],
)
def test_groups_overage_leaves_the_role_as_it_is_and_is_logged(
    register, oidc_provider, sso_sign_in, database, caplog, overage
):
    north = register("north", mapping=GROUPS, allow_new_accounts=True)
    lead = _invited(database, north.force, "lee@north.police.uk", role="training_lead")
    oidc_provider.add_user(north.tenant_id, "lee", email="lee@north.police.uk", **overage)
    oidc_provider.add_user(north.tenant_id, "new", email="new@north.police.uk", **overage)
    with caplog.at_level("INFO", logger="app.security"):
        assert sso_sign_in("north", "lee").status_code == 302
        assert sso_sign_in("north", "new").status_code == 302
    assert lead.role == "training_lead"  # not demoted because the token could not list its groups
    newcomer = database.session.query(User).filter_by(email="new@north.police.uk").one()
    assert newcomer.role == "officer"  # least privilege for an account the token cannot place
    logged = [json.loads(r.getMessage()) for r in caplog.records if r.name == "app.security"]
    assert {e["user_id"] for e in logged if e["event"] == "sso.groups_overage"} == {lead.id, newcomer.id}
    assert not database.session.query(AuditEvent).filter_by(action="user.sso_update").count()


def test_sign_in_rows_older_than_a_day_are_pruned_as_new_ones_start(register, client, database):
    from datetime import timedelta

    from app import clock
    from app.auth.sso_models import OidcSignIn

    register("north")
    assert client.get("/sign-in/sso/north").status_code == 302
    clock.travel(timedelta(hours=25))
    assert client.get("/sign-in/sso/north").status_code == 302
    rows = database.session.query(OidcSignIn).all()
    assert len(rows) == 1
    assert rows[0].created_at > clock.utcnow() - timedelta(minutes=1)
