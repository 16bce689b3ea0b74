"""`flask assignments remind`: idempotent per day, SMTP or outbox, failed sends retried."""

from datetime import timedelta

from sqlalchemy import func, select

from app import clock
from app.assignments.models import Reminder
from app.extensions import db
from app.mail.models import OutboxMessage
from tests.integration.assignments.conftest import assign, certify


def _remind(app):
    return app.test_cli_runner().invoke(args=["assignments", "remind"])


def _reminders() -> list[Reminder]:
    return list(db.session.scalars(select(Reminder).order_by(Reminder.day, Reminder.user_id)))


def _outbox_count() -> int:
    return db.session.scalar(select(func.count(OutboxMessage.id)))


def test_reminders_are_idempotent_per_day_and_written_to_the_outbox(app, place, mail_to):
    mail_to(None)
    certify(place["officers"][0], place["course"])  # complete: never reminded
    assign(place, days=7)
    first = _remind(app)
    assert first.exit_code == 0, first.output
    assert "Planned 3 reminders (3 due soon, 0 overdue)" in first.output
    assert "Delivered 3 to the outbox" in first.output
    second = _remind(app)
    assert "Planned 0 reminders" in second.output
    assert "3 already planned today" in second.output
    assert len(_reminders()) == 3
    assert _outbox_count() == 3
    assert {r.status for r in _reminders()} == {"sent"}
    clock.travel(timedelta(days=1))
    _remind(app)
    assert len(_reminders()) == 6
    assert _outbox_count() == 6
    message = db.session.scalar(select(OutboxMessage).order_by(OutboxMessage.id.desc()))
    assert message.subject == f"Training due soon: {place['course'].title}"
    assert "/training" in message.body


def test_overdue_reminder_kind(app, place, mail_to):
    mail_to(None)
    assign(place, scope="officers", user_ids=[place["officers"][1].id], days=1)
    clock.travel(timedelta(days=2))
    _remind(app)
    (reminder,) = _reminders()
    assert reminder.kind == "overdue"
    assert reminder.user_id == place["officers"][1].id
    assert "overdue" in db.session.scalar(select(OutboxMessage.body))
    # The reminder points at the email it became (the mail package knows nothing of reminders).
    message = db.session.get(OutboxMessage, reminder.outbox_message_id)
    assert message.to == place["officers"][1].email


def test_withdrawn_and_distant_assignments_send_nothing(app, place, mail_to):
    mail_to(None)
    assign(place, days=8)
    assign(place, days=1).withdrawn_at = clock.utcnow()
    db.session.flush()
    result = _remind(app)
    assert result.exit_code == 0
    assert _reminders() == []


def test_reminders_are_sent_by_smtp(app, place, mail_to, smtp_sink):
    mail_to(smtp_sink.server_address[1])
    assign(place, scope="officers", user_ids=[place["officers"][2].id], days=3)
    result = _remind(app)
    assert result.exit_code == 0, result.output
    assert "Delivered 1 to SMTP 127.0.0.1" in result.output
    (message,) = smtp_sink.messages
    assert message["rcpt"] == [place["officers"][2].email]
    assert f"Subject: Training due soon: {place['course'].title}" in message["data"]
    assert _outbox_count() == 1  # the record of what was sent


def test_failed_send_is_recorded_and_retried_on_the_next_run(app, place, mail_to, smtp_sink, closed_port):
    assign(place, scope="officers", user_ids=[place["officers"][0].id], days=2)
    mail_to(closed_port)
    failed = _remind(app)
    assert failed.exit_code == 1
    assert "1 failed" in failed.output
    (reminder,) = _reminders()
    assert reminder.status == "failed"
    assert reminder.tries == 1
    assert "Connection" in reminder.last_error or "refused" in reminder.last_error.lower()
    assert _outbox_count() == 0
    mail_to(smtp_sink.server_address[1])
    retried = _remind(app)
    assert retried.exit_code == 0
    assert "Delivered 1" in retried.output
    (reminder,) = _reminders()  # the same reminder, not a second one
    assert reminder.status == "sent"
    assert reminder.tries == 2
    assert reminder.last_error is None
    assert len(smtp_sink.messages) == 1


def test_yesterdays_failed_reminder_is_superseded_not_sent_twice(app, place, mail_to, smtp_sink, closed_port):
    assign(place, scope="officers", user_ids=[place["officers"][0].id], days=2)
    mail_to(closed_port)
    _remind(app)
    clock.travel(timedelta(days=1))
    mail_to(smtp_sink.server_address[1])
    _remind(app)
    old, new = _reminders()
    assert (old.status, new.status) == ("superseded", "sent")
    assert old.last_error  # the failure stays on record
    assert len(smtp_sink.messages) == 1


def test_failed_reminder_for_work_completed_since_is_cancelled(app, place, mail_to, closed_port):
    ada = place["officers"][0]
    assign(place, scope="officers", user_ids=[ada.id], days=2)
    mail_to(closed_port)
    _remind(app)
    certify(ada, place["course"])
    mail_to(None)
    result = _remind(app)
    assert "1 cancelled" in result.output
    assert _reminders()[0].status == "cancelled"
    assert _outbox_count() == 0


def test_outbox_page_lists_failed_reminders(app, place, mail_to, closed_port, client, login_as):
    from tests.factories import UserFactory

    assign(place, scope="officers", user_ids=[place["officers"][0].id], days=2)
    mail_to(closed_port)
    _remind(app)
    login_as(UserFactory(force=None, role="admin"))
    page = client.get("/admin/outbox").get_data(as_text=True)
    assert "Failed" in page
    assert place["officers"][0].email in page


def test_reminders_can_be_left_to_the_mail_worker(app, place, mail_to, smtp_sink):
    from app.mail.models import MailJob

    assign(place, days=3)
    mail_to(smtp_sink.server_address[1])
    result = app.test_cli_runner().invoke(args=["assignments", "remind", "--queue"])
    assert result.exit_code == 0, result.output
    assert "Queued their delivery for the mail worker" in result.output
    [job] = db.session.scalars(select(MailJob)).all()
    assert (job.kind, job.status) == ("reminders", "sent")  # immediate mode: the job ran
    assert len(smtp_sink.messages) == len(_reminders()) > 0
    assert {r.status for r in _reminders()} == {"sent"}


def test_a_reminder_is_in_the_officers_language(app, place, mail_to):
    mail_to(None)
    welsh, english = place["officers"][1], place["officers"][2]
    welsh.language = "cy"
    db.session.commit()
    assign(place, scope="officers", user_ids=[welsh.id, english.id], days=7)
    _remind(app)
    by_to = {m.to: m for m in db.session.scalars(select(OutboxMessage))}
    assert by_to[welsh.email].subject == f"Hyfforddiant yn ddyledus cyn bo hir: {place['course'].title}"
    assert f"Annwyl {welsh.name}," in by_to[welsh.email].body
    assert by_to[english.email].subject == f"Training due soon: {place['course'].title}"
    assert f"Dear {english.name}," in by_to[english.email].body
