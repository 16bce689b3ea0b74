"""The LRS admin page: point a force at an LRS (password sealed, never shown), see its statements by
status, stop sending; bad input changes nothing; every change audited."""

import pytest

from app.audit import AuditEvent
from app.xapi import delivery
from app.xapi.models import LrsEndpoint, XapiStatement
from tests.factories import ForceFactory, UserFactory


@pytest.fixture
def admin(client, login_as, database):
    user = login_as(UserFactory(role="admin", force=None))
    database.session.commit()
    return user


def test_admin_points_a_force_at_an_lrs_and_the_password_is_never_shown(client, database, admin):
    force = ForceFactory(code="north", name="North Police")
    database.session.commit()
    data = {
        "force": "north",
        "url": "https://lrs.north.police.uk/",
        "username": "platform",
        "password": "s3cret-pw",
    }
    response = client.post("/admin/lrs", data=data)
    assert response.status_code == 302
    endpoint = database.session.query(LrsEndpoint).one()
    assert (endpoint.force_id, endpoint.url, endpoint.username) == (
        force.id,
        "https://lrs.north.police.uk",
        "platform",
    )
    assert "s3cret-pw" not in endpoint.password  # sealed
    page = client.get("/admin/lrs").get_data(as_text=True)
    assert "https://lrs.north.police.uk" in page
    assert "s3cret-pw" not in page
    event = database.session.query(AuditEvent).filter_by(action="xapi.lrs_configured").one()
    assert event.force_id == force.id
    assert "s3cret-pw" not in event.details


def test_statements_are_counted_by_status(client, database, admin):
    force = ForceFactory(code="north", name="North Police")
    delivery.configure(force, "https://lrs.example", "u", "p")
    for index, status in enumerate(["queued", "dead", "dead", "sent"]):
        database.session.add(
            XapiStatement(
                id=f"00000000-0000-4000-8000-00000000000{index}", force_id=force.id, body="{}", status=status
            )
        )
    database.session.commit()
    page = client.get("/admin/lrs").get_data(as_text=True)
    row = page.split("North Police</th>")[1].split("</tr>")[0]
    numeric = '<td class="govuk-table__cell govuk-table__cell--numeric">'
    cells = [c.split("</td>")[0] for c in row.split(numeric)[1:]]
    assert cells == ["1", "0", "0", "2", "1"]  # queued, sending, failed, dead, sent


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"force": ""}, "Choose the force"),
        ({"force": "nowhere"}, "Not a valid choice"),
        ({"url": "ftp://lrs.example"}, "starting with https://"),
        ({"url": "http://lrs.example.police.uk"}, "starting with https://"),
        ({"url": "https://user:pw@lrs.example"}, "address only"),
        ({"url": ""}, "Enter the LRS address"),
        ({"username": ""}, "Enter the LRS user name"),
        ({"password": ""}, "Enter the LRS password"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(client, database, admin, change, message):
    ForceFactory(code="north")
    database.session.commit()
    data = {"force": "north", "url": "https://lrs.example", "username": "u", "password": "p", **change}
    response = client.post("/admin/lrs", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert database.session.query(LrsEndpoint).count() == 0


def test_stop_sending_removes_the_settings_and_keeps_the_unsent(client, database, admin):
    force = ForceFactory(code="north", name="North Police")
    delivery.configure(force, "https://lrs.example", "u", "p")
    database.session.add(
        XapiStatement(id="00000000-0000-4000-8000-000000000009", force_id=force.id, body="{}")
    )
    database.session.commit()
    response = client.post("/admin/lrs/north/remove")
    assert response.status_code == 302
    assert database.session.query(LrsEndpoint).count() == 0
    assert database.session.query(XapiStatement).count() == 1
    assert database.session.query(AuditEvent).filter_by(action="xapi.lrs_removed").count() == 1
    assert client.post("/admin/lrs/north/remove").status_code == 404
