"""Per-user limit on expensive generation: certificate PDFs and CSV/PDF exports share one budget
(EXPORT_RATE_LIMIT, 30 per minute by default), keyed by the signed-in user, not the address."""

import pytest

from app.auth.session_services import start_session
from app.extensions import db
from app.roles import Role
from tests.conftest import rate_limited_app
from tests.factories import ForceFactory, UserFactory
from tests.integration.certificates.conftest import insert_certificate

STORED_PDF = b"%PDF-1.7 stored certificate"


@pytest.fixture
def export_app():
    """Rate limits on, with the export budget at its default."""
    with rate_limited_app() as application:
        assert application.config["EXPORT_RATE_LIMIT"] == "30 per minute"
        yield application


def _signed_in_client(application, token: str):
    client = application.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = token
        session["_fresh"] = True
    return client


@pytest.fixture
def officers(export_app):
    """Two officers of one force, each holding a certificate; (client, url) for each."""
    with export_app.app_context():
        force = ForceFactory()
        people = []
        for _ in range(2):
            officer = UserFactory(force=force)
            certificate = insert_certificate(officer, pdf=STORED_PDF)
            people.append((start_session(officer), f"/certificates/{certificate.serial}/pdf"))
        db.session.commit()
    return [(_signed_in_client(export_app, token), url) for token, url in people]


def test_the_31st_download_in_a_minute_is_refused_for_that_user_only(officers):
    (ann, ann_url), (bob, bob_url) = officers
    statuses = [ann.get(ann_url).status_code for _ in range(31)]
    assert statuses[:30] == [200] * 30
    refused = ann.get(ann_url)
    assert statuses[30] == 429
    assert refused.status_code == 429
    assert b"Too many requests" in refused.data  # the friendly error page
    assert "Retry-After" in refused.headers
    # Same address (the test client's), another user: still served.
    served = bob.get(bob_url)
    assert served.status_code == 200
    assert served.data == STORED_PDF


def test_exports_share_one_budget_across_pages(export_app):
    with export_app.app_context():
        lead = UserFactory(role=Role.TRAINING_LEAD.value)
        url = f"/certificates/{insert_certificate(lead, pdf=STORED_PDF).serial}/pdf"
        token = start_session(lead)
        db.session.commit()
    client = _signed_in_client(export_app, token)
    for _ in range(20):
        assert client.get(url).status_code == 200
    csv_statuses = [client.get("/metrics/force.csv").status_code for _ in range(11)]
    assert csv_statuses == [200] * 10 + [429]


def test_the_budget_is_configurable(officers, export_app):
    export_app.config["EXPORT_RATE_LIMIT"] = "2 per minute"
    (ann, url), _ = officers
    assert [ann.get(url).status_code for _ in range(3)] == [200, 200, 429]


# Every URL that generates a file; a new .csv, .pdf or .ods route must be added here (and limited).
EXPORT_URLS = {
    "certificates.download": "/certificates/{serial}/pdf",
    "metrics.national_csv": "/metrics/national.csv",
    "metrics.national_pdf": "/metrics/national.pdf",
    "metrics.force_csv": "/metrics/force.csv?force={force}",
    "assignments.export_csv": "/assignments/999999/export.csv",
    "metrics.release_csv": "/metrics/releases/2025-04/1.csv",
    "metrics.release_ods": "/metrics/releases/2025-04/1.ods",
    "content.pocket_card": "/modules/spotting-the-signs/pocket-card.pdf",
    "auth.admin_audit_csv": "/admin/audit.csv",
    "auth.admin_import_template": "/admin/users/import-template.csv",
    "assignments.attention_csv": "/assignments/attention.csv",
}


def test_every_export_page_draws_on_the_budget(export_app):
    generated = {
        rule.endpoint
        for rule in export_app.url_map.iter_rules()
        if rule.rule.endswith((".csv", ".pdf", "/pdf", ".ods"))
    }
    assert generated == set(EXPORT_URLS)
    export_app.config["EXPORT_RATE_LIMIT"] = "1 per minute"
    with export_app.app_context():
        admin = UserFactory(role=Role.ADMIN.value)
        serial = insert_certificate(admin, pdf=STORED_PDF).serial
        force = admin.force.code
        token = start_session(admin)
        db.session.commit()
    client = _signed_in_client(export_app, token)
    assert client.get(f"/certificates/{serial}/pdf").status_code == 200
    # The budget is spent: every other export is refused before any work is done.
    for endpoint, url in EXPORT_URLS.items():
        response = client.get(url.format(serial=serial, force=force))
        assert response.status_code == 429, endpoint
