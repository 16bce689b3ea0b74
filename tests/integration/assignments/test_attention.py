"""The attention list: filters, paging, CSV export and reminders sent from it."""

import csv
import io
from datetime import timedelta

from sqlalchemy import func, select

from app import clock
from app.assignments import routes
from app.assignments.models import Reminder
from app.audit import AuditEvent
from app.clock import today
from app.extensions import db
from app.mail.models import MailJob, OutboxMessage
from tests.factories import ForceFactory, UserFactory
from tests.integration.assignments.conftest import assign


def _overdue(place, client, login_as):
    """Every officer of the place overdue on a whole-force assignment; the lead signed in."""
    assignment = assign(place, days=1)
    clock.travel(timedelta(days=3))
    login_as(place["lead"])
    return assignment


def _reminders() -> list[Reminder]:
    return list(db.session.scalars(select(Reminder).order_by(Reminder.user_id)))


def test_filters_by_team_and_status(place, client, login_as, mail_to):
    _overdue(place, client, login_as)
    team_a, team_b = place["teams"]
    page = client.get(f"/assignments/attention?team={team_b.id}").get_data(as_text=True)
    overdue = page.split('id="expiring"')[0]
    assert "Cat Cedar" in overdue
    assert "Ada Ash" not in overdue
    assert "Ben Birch" not in overdue
    due_soon = client.get("/assignments/attention?status=due_soon").get_data(as_text=True)
    assert "Nobody is due soon." in due_soon
    # A team of another force is ignored, not an error and not a leak.
    other = ForceFactory(name="Kent Police")
    from tests.factories import TeamFactory

    stranger_team = TeamFactory(force=other, name="Kent Team")
    page = client.get(f"/assignments/attention?team={stranger_team.id}").get_data(as_text=True)
    assert "Kent Team" not in page
    assert "Ada Ash" in page


def test_the_list_is_paged(place, client, login_as, monkeypatch, mail_to):
    monkeypatch.setattr(routes, "PER_PAGE", 2)
    _overdue(place, client, login_as)
    first = client.get("/assignments/attention").get_data(as_text=True)
    second = client.get("/assignments/attention?page=2").get_data(as_text=True)
    names = ("Ada Ash", "Ben Birch", "Cat Cedar", "Lee Lead")  # the lead is on the assignment too
    on_first = {n for n in names if f">{n}</a>" in first.split('id="expiring"')[0]}
    on_second = {n for n in names if f">{n}</a>" in second.split('id="expiring"')[0]}
    assert len(on_first) == 2
    assert len(on_second) == 2
    assert not on_first & on_second
    assert on_first | on_second == set(names)
    assert "page=2" in first
    assert client.get("/assignments/attention?page=99999999999999999999").status_code == 400


def test_csv_has_every_row_and_the_last_reminded_day(place, client, login_as, mail_to):
    mail_to(None)
    assignment = _overdue(place, client, login_as)
    ada = place["officers"][0]
    client.post("/assignments/attention/remind", data={"officer": f"{assignment.id}:{ada.id}"})
    response = client.get("/assignments/attention.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    # The lead is on the whole-force assignment too.
    assert {r["Name"] for r in rows} == {"Ada Ash", "Ben Birch", "Cat Cedar", "Lee Lead"}
    by_name = {r["Name"]: r for r in rows}
    assert by_name["Ada Ash"]["Last reminded on"] == today().isoformat()
    assert by_name["Ben Birch"]["Last reminded on"] == ""
    assert by_name["Ada Ash"]["Status"] == "Overdue"


def test_remind_the_ticked_officers_through_the_queue_once_a_day(place, client, login_as, mail_to):
    mail_to(None)  # the outbox: the mail worker runs the job at once in the tests
    assignment = _overdue(place, client, login_as)
    ada, ben, _cat = place["officers"]
    chosen = [f"{assignment.id}:{ada.id}", f"{assignment.id}:{ben.id}"]
    response = client.post("/assignments/attention/remind", data={"officer": chosen, "scope": "selected"})
    assert response.status_code == 302
    assert [r.user_id for r in _reminders()] == [ada.id, ben.id]
    assert {r.status for r in _reminders()} == {"sent"}
    assert db.session.scalar(select(func.count(MailJob.id)).where(MailJob.kind == "reminders")) == 1
    sent = db.session.scalars(select(OutboxMessage.to)).all()
    assert sorted(sent) == sorted([ada.email, ben.email])
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "reminders.send"))
    assert event.actor_id == place["lead"].id
    assert event.force_id == place["force"].id
    page = client.get("/assignments/attention").get_data(as_text=True)
    assert "2 reminders on the way." in page
    assert page.count(">Today<") == 2

    # Again today: nobody is reminded twice, whoever asks.
    client.post("/assignments/attention/remind", data={"scope": "all"})
    everyone = sorted([ada.id, ben.id, place["officers"][2].id, place["lead"].id])
    assert [r.user_id for r in _reminders()] == everyone
    page = client.get("/assignments/attention").get_data(as_text=True)
    assert "2 reminders on the way. Already reminded today, so not again: 2 officers." in page
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 4

    # The daily run plans none for them today either.
    result = client.application.test_cli_runner().invoke(args=["assignments", "remind"])
    assert "Planned 0 reminders (0 due soon, 0 overdue); 4 already planned today." in result.output


def test_remind_refuses_nonsense_and_ignores_officers_not_on_the_list(place, client, login_as, mail_to):
    mail_to(None)
    assignment = _overdue(place, client, login_as)
    stranger = UserFactory(force=ForceFactory(name="Kent Police"), name="Sam Stranger")
    assert client.post("/assignments/attention/remind", data={"officer": "1:2:3"}).status_code == 400
    assert client.post("/assignments/attention/remind", data={"officer": "a:b"}).status_code == 400
    client.post("/assignments/attention/remind", data={"officer": f"{assignment.id}:{stranger.id}"})
    assert _reminders() == []
    page = client.get("/assignments/attention").get_data(as_text=True)
    assert "0 reminders on the way. No longer on the list: 1 officer." in page
    client.post("/assignments/attention/remind", data={"scope": "selected"})
    assert "Choose at least one officer to remind." in client.get("/assignments/attention").get_data(
        as_text=True
    )
    assert _reminders() == []
