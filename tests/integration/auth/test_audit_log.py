"""The audit log for admins: who (by name), what, which force, details readable; filtered by action
and person; paged; exported as CSV with the same filters, cells safe for spreadsheets."""

import csv
import io
import re

from app import audit
from tests.factories import ForceFactory, UserFactory


def _events(database):
    kent = ForceFactory(name="Kent Police")
    ann = UserFactory(role="admin", force=None, name="Ann Admin", email="ann@admin.example")
    bob = UserFactory(role="admin", force=None, name="Bob Boss", email="bob@admin.example")
    audit.record(
        "user.deactivate",
        actor=ann,
        target=UserFactory(force=kent, name="Len Leaver"),
        force_id=kent.id,
        already_reminded_today=0,
        reason="left",
    )
    audit.record(
        "certificate.revoke", actor=bob, target_type="certificate", target_id="MSA-1", reason="=HYPERLINK(1)"
    )
    audit.record("metrics.release_published", month="2026-11")
    database.session.commit()
    return ann


def test_the_log_names_people_and_forces_and_reads_details(client, login_as, database):
    login_as(_events(database))
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "Ann Admin" in page
    assert "ann@admin.example" in page
    assert "Kent Police" in page
    assert "<li>Reason: left</li>" in page
    assert "<li>Already reminded today: 0</li>" in page  # keys in words
    # What happened in words, and the person it was about by name, linked to their page.
    assert "Deactivated an account" in page
    assert "Revoked a certificate" in page
    assert ">Len Leaver</a>" in page
    assert "Certificate MSA-1" in page
    assert "System" in page  # an event with no actor
    assert "{&#34;" not in page  # no raw JSON
    assert '{"' not in page


def test_filters_by_action_and_by_person(client, login_as, database):
    login_as(_events(database))
    by_action = client.get("/admin/audit?action=certificate.revoke").get_data(as_text=True)
    assert "Bob Boss" in by_action
    assert "Ann Admin" not in by_action.split('<tbody class="govuk-table__body">')[1]
    by_person = client.get("/admin/audit?actor=ANN@").get_data(as_text=True)
    assert "user.deactivate" in by_person.split('<tbody class="govuk-table__body">')[1]
    assert "certificate.revoke" not in by_person.split('<tbody class="govuk-table__body">')[1]
    unknown = client.get("/admin/audit?action=no.such.action").get_data(as_text=True)
    assert "Bob Boss" in unknown  # an action the log does not have is ignored, not an error


def test_csv_export_has_the_filtered_events_and_no_formulas(client, login_as, database):
    login_as(_events(database))
    response = client.get("/admin/audit.csv?action=certificate.revoke")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [r["action"] for r in rows] == ["certificate.revoke"]
    assert rows[0]["actor_email"] == "bob@admin.example"
    assert rows[0]["what_happened"] == "Revoked a certificate"
    everything = list(csv.DictReader(io.StringIO(client.get("/admin/audit.csv").get_data(as_text=True))))
    assert {r["target_name"] for r in everything} == {"Len Leaver", ""}
    assert all(not cell.startswith("=") for cell in rows[0].values())


def test_pages_keep_the_filters(client, login_as, database):
    admin = login_as(UserFactory(role="admin", force=None))
    for index in range(105):
        audit.record("user.update", actor=admin, index=index)
    database.session.commit()
    page = client.get("/admin/audit?action=user.update").get_data(as_text=True)
    assert "105 events" in page
    older = re.search(r'href="/admin/audit\?page=2&amp;action=user.update" rel="next">(.*?)</a>', page, re.S)
    assert older
    assert "Older events" in older.group(1)
