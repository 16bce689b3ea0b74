"""My certificates, the force list, expiring certificates, admin search and revoking (audited)."""

import json
from datetime import timedelta

import pytest

from app import clock
from app.audit import AuditEvent
from app.certificates import queries, services
from app.certificates.models import Certificate
from app.extensions import db
from tests.factories import ForceFactory, UserFactory, make_course

from .conftest import insert_certificate


@pytest.fixture
def admin(database):
    return UserFactory(role="admin", force=None)


def _page(response) -> str:
    return response.get_data(as_text=True)


def test_my_certificates_lists_only_mine_and_those_expiring(officer, client, login_as):
    soon = insert_certificate(
        officer, course_title="Expiring Course", expires_on=clock.today() + timedelta(days=30)
    )
    later = insert_certificate(
        officer, course_title="Later Course", expires_on=clock.today() + timedelta(days=300)
    )
    other = insert_certificate(UserFactory(force=officer.force), course_title="Not Mine")
    login_as(officer)
    page = _page(client.get("/certificates"))
    assert soon.serial in page
    assert later.serial in page
    assert other.serial not in page
    assert "Not Mine" not in page
    assert "expiring within 60 days" in page
    expiring_section = page.split('id="expiring-title"')[1].split("</ul>")[0]
    assert "Expiring Course" in expiring_section
    assert "Later Course" not in expiring_section
    assert "in 30 days" in page


def test_my_certificates_without_any(officer, client, login_as):
    login_as(officer)
    assert "You have no certificates yet" in _page(client.get("/certificates"))


def test_force_list_shows_own_force_only(officer, client, login_as):
    mine = insert_certificate(officer, expires_on=clock.today() + timedelta(days=10))
    elsewhere = insert_certificate(UserFactory(force=ForceFactory(), name="Outsider Person"))
    login_as(UserFactory(force=officer.force, role="training_lead"))
    page = _page(client.get("/force/certificates"))
    assert mine.serial in page
    assert "Siobhán Ní Dhuibhir" in page
    assert elsewhere.serial not in page
    assert "Outsider Person" not in page
    assert "Certificates expiring within 60 days" in page
    searched = _page(client.get("/force/certificates", query_string={"q": "Outsider"}))
    assert "0 certificates" in searched


def test_expiring_certificates_query(officer):
    force_id = officer.force_id
    today = clock.today()
    due = insert_certificate(officer, expires_on=today + timedelta(days=60))
    insert_certificate(officer, expires_on=today + timedelta(days=61))  # too far
    insert_certificate(officer, expires_on=today - timedelta(days=1))  # already expired
    insert_certificate(officer, expires_on=None)  # never expires
    revoked = insert_certificate(officer, expires_on=today + timedelta(days=5))
    revoked.revoked_at = clock.utcnow()
    course = make_course(n_modules=1)
    insert_certificate(officer, course=course, cycle=1, expires_on=today + timedelta(days=3))
    insert_certificate(officer, course=course, cycle=2, expires_on=today + timedelta(days=400))
    insert_certificate(UserFactory(force=ForceFactory()), expires_on=today + timedelta(days=5))
    db.session.flush()
    assert queries.expiring_certificates(force_id) == [due]
    assert queries.expiring_certificates(force_id, days=61)[-1].expires_on == today + timedelta(61)
    assert len(queries.expiring_certificates(None)) == 2
    assert queries.expiring_certificates(None, user_id=officer.id) == [due]


def test_admin_searches_by_serial_partial_serial_and_name(officer, admin, client, login_as):
    target = insert_certificate(officer)
    other = insert_certificate(UserFactory(force=officer.force, name="Jordan Example"))
    login_as(admin)
    by_serial = _page(client.get("/admin/certificates", query_string={"q": target.serial.lower()}))
    assert target.serial in by_serial
    assert other.serial not in by_serial
    partial = target.serial[:13]  # e.g. "MSA-7K3Q-9XW2"
    assert target.serial in _page(client.get("/admin/certificates", query_string={"q": partial}))
    by_name = _page(client.get("/admin/certificates", query_string={"q": "jordan"}))
    assert other.serial in by_name
    assert target.serial not in by_name
    everything = _page(client.get("/admin/certificates"))
    assert target.serial in everything
    assert other.serial in everything


def test_admin_revokes_with_a_reason_and_it_is_audited(officer, admin, client, login_as):
    certificate = insert_certificate(officer)
    login_as(admin)
    response = client.post(
        f"/admin/certificates/{certificate.serial}/revoke", data={"reason": "Issued in error"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    stored = db.session.get(Certificate, certificate.id)
    assert stored.revoked_at is not None
    assert (stored.revoked_reason, stored.revoked_by_id) == ("Issued in error", admin.id)
    [event] = db.session.query(AuditEvent).filter_by(action="certificate.revoke").all()
    assert (event.actor_id, event.target_type, event.target_id) == (
        admin.id,
        "certificate",
        str(certificate.id),
    )
    assert event.force_id == officer.force_id
    assert json.loads(event.details)["reason"] == "Issued in error"
    assert json.loads(event.details)["serial"] == certificate.serial
    detail = _page(client.get(f"/admin/certificates/{certificate.serial}"))
    assert "Issued in error" in detail
    assert "Revoke this certificate" not in detail


def test_revoke_needs_a_reason_and_happens_once(officer, admin, client, login_as):
    certificate = insert_certificate(officer)
    login_as(admin)
    response = client.post(f"/admin/certificates/{certificate.serial}/revoke", data={"reason": " "})
    assert response.status_code == 400
    assert "Enter the reason for revoking" in _page(response)
    assert db.session.get(Certificate, certificate.id).revoked_at is None
    client.post(f"/admin/certificates/{certificate.serial}/revoke", data={"reason": "First"})
    again = client.post(
        f"/admin/certificates/{certificate.serial}/revoke",
        data={"reason": "Second"},
        headers={"Referer": f"/admin/certificates/{certificate.serial}"},
    )
    assert again.status_code == 302
    db.session.expire_all()
    assert db.session.get(Certificate, certificate.id).revoked_reason == "First"
    assert db.session.query(AuditEvent).filter_by(action="certificate.revoke").count() == 1


def test_revoke_service_refuses_an_empty_reason(officer, admin):
    certificate = insert_certificate(officer)
    with pytest.raises(services.CertificateError):
        services.revoke(certificate, actor=admin, reason="")


def test_admin_detail_of_unknown_serial_is_not_found(admin, client, login_as):
    login_as(admin)
    assert client.get("/admin/certificates/MSA-0000-0000-0000-0000").status_code == 404
    assert client.get("/admin/certificates/nonsense").status_code == 404
