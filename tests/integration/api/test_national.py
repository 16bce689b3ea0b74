"""The national client: the commissioner's aggregates as the national report publishes them, with its
disclosure control, and nothing else; no force client can read them."""

import csv
import io

import pytest

from app.api import services
from app.audit import AuditEvent
from tests.factories import ForceFactory, UserFactory
from tests.integration.api.conftest import add_certificate, basic, bearer


@pytest.fixture
def national_token(client, database, two_forces):
    """A bearer token of a national client (aggregates:read)."""
    made, secret = services.create_client(
        None, name="Commissioner BI", scope="aggregates:read", actor=two_forces["admin"]
    )
    database.session.commit()
    response = client.post(
        "/api/oauth/token", data={"grant_type": "client_credentials"}, headers=basic(made.client_id, secret)
    )
    assert response.status_code == 200, response.data
    return response.get_json()["access_token"]


@pytest.fixture
def big_force(database, two_forces):
    """A force with 40 certified officers, so its figures are shown; north and south stay under 10."""
    force = ForceFactory(code="big", name="Big Police")
    for index in range(40):
        add_certificate(force, days_ago=index % 20, name=f"Officer {index}")
    database.session.commit()
    return force


def _csv_cell(value) -> str:
    """A JSON figure as the national CSV writes it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(int(value))
    return str(value)


def test_national_figures_are_the_national_csvs_to_the_last_digit(
    client, login_as, national_token, big_force
):
    response = client.get("/api/v1/national", headers=bearer(national_token))
    assert response.status_code == 200, response.data
    body = response.get_json()
    assert body["status"] == "provisional"
    login_as(UserFactory(role="commissioner", force=None))
    exported = list(csv.DictReader(io.StringIO(client.get("/metrics/national.csv").get_data(as_text=True))))
    total_code = body["totals"]["force_code"]
    rows = {r["force_code"]: r for r in exported if r["force_code"] != total_code}
    by_code = {r["force_code"]: r for r in body["forces"]}
    assert set(by_code) == set(rows) == {"north", "south", "big"}
    for code, row in by_code.items():
        for header, value in row.items():
            assert _csv_cell(value) == rows[code][header], (code, header)
    [total] = [r for r in exported if r["force_code"] == total_code]
    assert {h: _csv_cell(v) for h, v in body["totals"].items()} == {h: total[h] for h in body["totals"]}


def test_small_forces_are_withheld_and_large_ones_perturbed_within_bounds(client, national_token, big_force):
    body = client.get("/api/v1/national", headers=bearer(national_token)).get_json()
    by_code = {r["force_code"]: r for r in body["forces"]}
    assert by_code["north"]["officers_registered"] == "[c]"  # 3 officers
    assert by_code["south"]["officers_registered"] == "[c]"  # 1 officer
    assert 37 <= by_code["big"]["officers_registered"] <= 43  # 40, noise at most 3
    text = client.get("/api/v1/national", headers=bearer(national_token)).get_data(as_text=True)
    assert "key" not in text.lower()  # no record key, cell key or p-value leaves the server
    assert "Pat Officer" not in text
    assert "Officer 1" not in text


def test_national_client_reads_no_force_records(client, two_forces, national_token):
    serial = two_forces["certs"]["north"][0].serial
    for url in ("/api/v1/completions", f"/api/v1/certificates/{serial}"):
        response = client.get(url, headers=bearer(national_token))
        assert response.status_code == 403, url
        assert serial not in response.get_data(as_text=True)


def test_a_force_client_cannot_read_national_figures(client, token_for):
    token, _ = token_for("north")
    response = client.get("/api/v1/national", headers=bearer(token))
    assert response.status_code == 403
    assert "forces" not in response.get_json()
    assert client.get("/api/v1/national").status_code == 401


@pytest.mark.parametrize(
    ("force", "scope"),
    [("north", "aggregates:read"), ("north", "completions:read aggregates:read"), (None, "completions:read")],
)
def test_no_client_mixes_force_records_and_aggregates(database, two_forces, force, scope):
    with pytest.raises(services.ApiClientError):
        services.create_client(
            two_forces[force] if force else None, name="Mixed", scope=scope, actor=two_forces["admin"]
        )


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("nation=Atlantis", "nation"),
        ("force_type=imaginary", "force_type"),
        ("course=no-such-course", "course"),
        ("date_from=2026-05-01&date_to=2026-04-01", "date_from"),
        ("date_to=9999-12-31", "date_to"),
        ("date_from=yesterday", "date_from"),
    ],
)
def test_bad_filters_get_a_clear_422(client, national_token, query, field):
    response = client.get(f"/api/v1/national?{query}", headers=bearer(national_token))
    assert response.status_code == 422, response.data
    assert field in response.get_json()["errors"]["query"]


def test_filters_narrow_the_table(client, national_token, big_force):
    nation = big_force.nation
    body = client.get(f"/api/v1/national?nation={nation}", headers=bearer(national_token)).get_json()
    assert body["nation"] == nation
    assert {r["nation"] for r in body["forces"]} == {nation}


def test_national_reads_are_audited_without_a_force(client, database, national_token):
    client.get("/api/v1/national", headers=bearer(national_token))
    event = database.session.query(AuditEvent).filter_by(action="api.read").one()
    assert event.force_id is None
    assert event.details_dict["endpoint"] == "national"


def test_admin_creates_a_national_client(client, login_as, database):
    login_as(UserFactory(role="admin", force=None))
    response = client.post(
        "/admin/api-clients",
        data={"force": "national", "name": "Commissioner BI", "scope": "aggregates:read"},
    )
    assert response.status_code == 201, response.data
    assert "Client created for national aggregates" in response.get_data(as_text=True)
    refused = client.post(
        "/admin/api-clients", data={"force": "national", "name": "Wrong", "scope": "completions:read"}
    )
    assert refused.status_code == 400
    assert "A national client may hold only: aggregates:read" in refused.get_data(as_text=True)
