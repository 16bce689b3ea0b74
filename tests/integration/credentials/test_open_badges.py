"""Certificates as Open Badges 3.0 credentials (VC-JWT, RS256): issued to the holder, verified by
the platform's published keys, with every kind of tampering, revocation, expiry and key rotation."""

import base64
import json
from datetime import date, datetime

import pytest
from joserfc import jwt
from joserfc.jwk import KeySet

from app import clock
from app.certificates.models import Certificate
from app.certificates.serial import new_serial
from app.credentials import keys, services
from app.extensions import db
from tests.factories import CourseFactory, UserFactory


@pytest.fixture
def certificate(database):
    officer = UserFactory(role="officer", email="holder@police.example", service_number="HO123")
    course = CourseFactory(title="First responder", slug="first-responder")
    found = Certificate(
        serial=new_serial(),
        user_id=officer.id,
        course_id=course.id,
        force_id=officer.force_id,
        holder_name=officer.name,
        service_number="HO123",
        force_name=officer.force.name,
        course_slug=course.slug,
        course_title=course.title,
        course_version="1",
        modules=[],
        issued_at=datetime(2026, 11, 1, 9, 30),
        expires_on=date(2027, 11, 1),
    )
    db.session.add(found)
    db.session.flush()
    return found


def _parts(token):
    return token.split(".")


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _unb64(part: str) -> dict:
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def test_the_holder_downloads_a_credential_that_a_third_party_can_verify(client, login_as, certificate):
    from app.auth.models import User

    login_as(db.session.get(User, certificate.user_id))
    page = client.get("/certificates").get_data(as_text=True)
    link = f"/certificates/{certificate.serial}/credential.jwt"
    assert f'href="{link}"' in page  # the holder finds it beside the PDF
    assert "Download digital credential" in page
    response = client.get(link)
    assert response.status_code == 200
    assert response.mimetype == "application/jwt"
    token = response.get_data(as_text=True)
    header, claims = _unb64(_parts(token)[0]), _unb64(_parts(token)[1])
    assert header == {"alg": "RS256", "kid": header["kid"], "typ": "JWT"}
    assert header["kid"].startswith("http://localhost/credentials/keys/")
    assert claims["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert claims["iss"] == claims["issuer"]["id"] == "http://localhost/credentials/issuer"
    assert claims["jti"] == claims["id"] == f"http://localhost/credentials/{certificate.serial}"
    assert claims["sub"] == claims["credentialSubject"]["id"]
    assert claims["sub"].startswith("urn:uuid:")
    assert "holder@police.example" not in json.dumps(claims)  # the subject is opaque
    assert "HO123" not in json.dumps(claims)
    assert claims["credentialStatus"]["type"] == "1EdTechRevocationList"
    # A third party verifies with the published JWKS alone (the kid URL resolves to the key).
    jwks = client.get("/.well-known/jwks.json").get_json()
    decoded = jwt.decode(token, KeySet.import_key_set(jwks), algorithms=["RS256"])
    assert decoded.claims["name"] == "First responder"
    kid_path = header["kid"].removeprefix("http://localhost")
    assert client.get(kid_path).get_json()["n"] == jwks["keys"][0]["n"]
    # And the platform's checker says valid, for pasted text and for an uploaded file.
    assert services.verify(token).status == "valid"
    page = client.post("/verify/credential", data={"token": token}).get_data(as_text=True)
    assert "Valid" in page
    import io

    uploaded = client.post(
        "/verify/credential",
        data={"file": (io.BytesIO(token.encode()), "c.jwt")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    assert "Valid" in uploaded


def _tampered_payload(token: str, change) -> str:
    header, payload, signature = _parts(token)
    claims = _unb64(payload)
    change(claims)
    return f"{header}.{_b64(claims)}.{signature}"


@pytest.mark.parametrize(
    "change",
    [
        lambda c: c.update(name="Senior investigating officer"),
        lambda c: c["credentialSubject"].update(id="urn:uuid:00000000-0000-0000-0000-000000000000"),
        lambda c: c["credentialSubject"]["achievement"].update(name="Another course"),
        lambda c: c.update(validUntil="2099-12-31T23:59:59Z", exp=4102444799),
        lambda c: c.update(validFrom="2020-01-01T00:00:00Z", nbf=1577836800),
        lambda c: c["issuer"].update(name="Someone else"),
        lambda c: c.update(jti="http://localhost/credentials/XXXX"),
        lambda c: c.pop("credentialStatus"),
    ],
)
def test_any_change_to_the_credential_is_tampering(certificate, change):
    token = services.issue_jwt(certificate)
    assert services.verify(_tampered_payload(token, change)).status == "tampered"


def test_a_changed_header_or_signature_or_an_unsigned_token_is_tampering(certificate):
    token = services.issue_jwt(certificate)
    header, payload, signature = _parts(token)
    none_header = _b64({"alg": "none", "typ": "JWT"})
    assert services.verify(f"{none_header}.{payload}.").status == "tampered"
    other_kid = _b64({**_unb64(header), "kid": "http://localhost/credentials/keys/k1"})
    assert services.verify(f"{other_kid}.{payload}.{signature}").status == "tampered"
    flipped = signature[:-2] + ("A" if signature[-2] != "A" else "B") + signature[-1]
    assert services.verify(f"{header}.{payload}.{flipped}").status == "tampered"
    assert services.verify("not a credential").status == "unknown"


def test_revoked_and_expired_credentials_say_so(certificate):
    token = services.issue_jwt(certificate)
    clock.travel(datetime(2027, 11, 3) - clock.utcnow())
    assert services.verify(token).status == "expired"
    clock.reset()
    certificate.revoked_at = datetime(2027, 1, 2)
    db.session.flush()
    assert services.verify(token).status == "revoked"
    revoked = services.revocation_list()["revokedCredentials"]
    assert revoked == [
        {"id": f"http://localhost/credentials/{certificate.serial}", "revocationDate": "2027-01-02T00:00:00Z"}
    ]


def test_a_credential_signed_before_a_key_rotation_still_verifies(certificate, client):
    before = services.issue_jwt(certificate)
    old_kid = _unb64(_parts(before)[0])["kid"]
    keys.rotate()
    after = services.issue_jwt(certificate)
    new_kid = _unb64(_parts(after)[0])["kid"]
    assert new_kid != old_kid
    assert services.verify(before).status == services.verify(after).status == "valid"
    published = {k["kid"] for k in client.get("/.well-known/jwks.json").get_json()["keys"]}
    assert {old_kid, new_kid} <= published  # the retired key stays published


def test_only_those_who_may_see_the_certificate_download_it(client, login_as, certificate):
    login_as(UserFactory(role="officer"))
    assert client.get(f"/certificates/{certificate.serial}/credential.jwt").status_code == 404
    certificate.revoked_at = datetime(2027, 1, 2)
    db.session.flush()
    from app.auth.models import User

    login_as(db.session.get(User, certificate.user_id))
    assert client.get(f"/certificates/{certificate.serial}/credential.jwt").status_code == 410


def test_the_rotate_key_command_adds_a_published_key(app, database):
    before = len(keys.kids())
    result = app.test_cli_runner().invoke(args=["credentials", "rotate-key"])
    assert result.exit_code == 0, result.output
    assert len(keys.kids()) == before + 1
    assert "published at /.well-known/jwks.json" in result.output


def test_the_verify_page_leads_to_the_credential_check(client, database):
    page = client.get("/verify").get_data(as_text=True)
    assert 'href="/verify/credential"' in page
