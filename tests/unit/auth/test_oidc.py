"""The pure OpenID Connect rules: issuers, role mapping, and every claim check of an ID token."""

import subprocess
import sys

import pytest

from app.auth.oidc import (
    ClaimMapping,
    OidcError,
    check_issuer,
    format_role_map,
    map_role,
    parse_role_map,
    validate_claims,
)

TID = "72f988bf-86f1-41af-91ab-2d7cd011db47"
ISSUER = f"https://login.microsoftonline.com/{TID}/v2.0"
NOW = 1_800_000_000


def _claims(**changes):
    claims = {
        "iss": ISSUER,
        "tid": TID,
        "aud": "client-1",
        "oid": "0AF2-OID",
        "nonce": "n-1",
        "iat": NOW - 10,
        "exp": NOW + 3600,
        "name": "Pat",
        "email": "pat@police.uk",
    }
    claims.update(changes)
    return {k: v for k, v in claims.items() if v is not None}


def _validate(claims, **kw):
    args = {"issuer": ISSUER, "tenant_id": TID, "client_id": "client-1", "nonce": "n-1", "now": NOW}
    args.update(kw)
    return validate_claims(claims, mapping=ClaimMapping(), **args)


def test_the_module_needs_no_flask():
    code = "import sys, app.auth.oidc; assert 'flask' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_valid_claims_give_the_stable_ids():
    identity = _validate(_claims())
    assert (identity.tenant_id, identity.object_id, identity.role) == (TID, "0af2-oid", "officer")


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"tid": "11111111-1111-1111-1111-111111111111"}, "tid"),
        ({"tid": None}, "tid"),
        ({"iss": "https://login.microsoftonline.com/organizations/v2.0"}, "iss"),
        ({"aud": "another-client"}, "aud"),
        ({"aud": ["client-1", "another"], "azp": "another"}, "azp"),
        ({"nonce": None}, "nonce"),
        ({"nonce": "n-0"}, "nonce"),
        ({"exp": NOW - 121}, "exp"),
        ({"iat": NOW + 500}, "iat"),
        ({"nbf": NOW + 500}, "nbf"),
        ({"oid": None}, "oid"),
    ],
)
def test_each_bad_claim_is_refused(changes, reason):
    with pytest.raises(OidcError) as caught:
        _validate(_claims(**changes))
    assert caught.value.reason == reason


def test_an_empty_expected_nonce_refuses_a_token_without_one():
    with pytest.raises(OidcError):
        _validate(_claims(nonce=None), nonce="")


def test_clock_skew_of_two_minutes_is_allowed():
    assert _validate(_claims(exp=NOW - 100)).object_id


@pytest.mark.parametrize(
    "issuer",
    [
        "https://login.microsoftonline.com/common/v2.0",
        "https://login.microsoftonline.com/organizations/v2.0",
        "https://login.microsoftonline.com/{tenantid}/v2.0",
        f"http://login.microsoftonline.com/{TID}/v2.0",
        "https://login.microsoftonline.com/another-tenant/v2.0",
    ],
)
def test_shared_plain_or_other_tenant_issuers_are_refused(issuer):
    with pytest.raises(OidcError):
        check_issuer(issuer, TID)


def test_tenant_issuer_is_accepted_and_trimmed():
    assert check_issuer(ISSUER + "/ ", TID) == ISSUER
    assert check_issuer(f"http://127.0.0.1:9000/{TID}/v2.0", TID).startswith("http://127.0.0.1")


@pytest.mark.parametrize("tenant", ["common", "organizations", "", "a b"])
def test_shared_or_malformed_tenant_ids_are_refused(tenant):
    with pytest.raises(OidcError):
        check_issuer(f"https://login.microsoftonline.com/{tenant}/v2.0", tenant)


def test_role_map_round_trip_and_errors():
    roles = parse_role_map("Training.Lead = training_lead\n\nOfficer=officer")
    assert roles == {"Training.Lead": "training_lead", "Officer": "officer"}
    assert parse_role_map(format_role_map(roles)) == roles
    with pytest.raises(OidcError, match="Line 1"):
        parse_role_map("Admins = admin")
    with pytest.raises(OidcError, match="Line 2"):
        parse_role_map("A = officer\nno equals sign")


def test_training_lead_beats_officer_and_unknown_roles_give_officer():
    mapping = ClaimMapping(roles={"Lead": "training_lead", "Off": "officer"})
    assert map_role({"roles": ["Off", "Lead"]}, mapping) == "training_lead"
    assert map_role({"roles": ["Admin"]}, mapping) == "officer"
    assert map_role({"roles": "Lead"}, mapping) == "training_lead"
    assert map_role({}, mapping) == "officer"


def test_mapping_reads_named_claims():
    mapping = ClaimMapping(name="given", service_number="employeeId", team="department")
    claims = _claims(given="Pat P", employeeId="SN1", department="Response A")
    identity = validate_claims(
        claims, issuer=ISSUER, tenant_id=TID, client_id="client-1", nonce="n-1", now=NOW, mapping=mapping
    )
    assert (identity.name, identity.service_number, identity.team) == ("Pat P", "SN1", "Response A")
    assert ClaimMapping.from_dict(mapping.as_dict()) == mapping


def test_groups_overage_means_the_role_is_unknown():
    groups = ClaimMapping(role_claim="groups", roles={"g-lead": "training_lead"})
    assert map_role({"groups": ["g-lead"]}, groups) == "training_lead"
    assert map_role({"_claim_names": {"groups": "src1"}}, groups) is None
    assert map_role({"hasgroups": True}, groups) is None
    assert map_role({"hasgroups": "true", "groups": ["g-lead"]}, groups) is None
    # With app roles (the default) there is no overage: Entra never leaves roles out.
    assert (
        map_role({"_claim_names": {"groups": "src1"}}, ClaimMapping(roles={"Lead": "training_lead"}))
        == "officer"
    )
    identity = validate_claims(
        _claims(hasgroups=True),
        issuer=ISSUER,
        tenant_id=TID,
        client_id="client-1",
        nonce="n-1",
        now=NOW,
        mapping=groups,
    )
    assert identity.role is None
