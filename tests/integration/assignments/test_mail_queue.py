"""The mail queue (app/queue.py): jobs run out of the request, once each, retried with backoff, dead
letters in the admin outbox with a retry button; forgotten-password requests look the same whatever
the address (issue 17, defect 6). Jobs run synchronously here (huey's immediate mode)."""

import json
from datetime import timedelta

import pytest
from sqlalchemy import event, func, select

from app import queue
from app.audit import AuditEvent
from app.auth import link_services
from app.auth.models import AccountLink
from app.extensions import db
from app.mail.models import MailJob, OutboxMessage
from tests.factories import UserFactory


def _huey(app):
    return queue.huey_of(app)


@pytest.fixture
def scheduled(app):
    """The retries huey has scheduled (immediate mode keeps them in memory); emptied afterwards."""
    huey = _huey(app)
    huey.flush()
    yield huey.scheduled
    huey.flush()


def _link_job(user, actor=None):
    _, job = link_services.queue_link(user, actor=actor)
    db.session.commit()
    return job


def test_a_job_delivered_twice_sends_one_email(app, database, mail_to, smtp_sink):
    user = UserFactory(email="ann@police.uk", password_hash=None)
    mail_to(smtp_sink.server_address[1])
    job = _link_job(user)
    task = app.extensions[queue.EXTENSION]["task"]
    task(job.id)
    task(job.id)  # the same job again: a retry, a second worker, a redelivery
    assert queue.run_job(job.id) == "sent"
    assert [m["rcpt"] for m in smtp_sink.messages] == [["ann@police.uk"]]
    assert db.session.scalar(select(func.count()).select_from(AccountLink)) == 1
    db.session.refresh(job)
    assert (job.status, job.tries) == ("sent", 1)


def test_a_failed_send_is_retried_with_exponential_backoff(app, database, mail_to, closed_port, scheduled):
    user = UserFactory(email="ann@police.uk", password_hash=None)
    mail_to(closed_port)
    job = _link_job(user)
    queue.dispatch(job)
    db.session.refresh(job)
    assert (job.status, job.tries) == ("failed", 1)
    assert "could not be sent" in job.last_error
    [retry] = scheduled()
    assert retry.args == (job.id,)
    assert retry.retries == app.config["QUEUE_RETRIES"] - 1
    # The next retry waits twice as long as this one (30 s, 60 s, 120 s, ... by default).
    assert retry.retry_delay == 2 * app.config["QUEUE_RETRY_DELAY"]
    assert db.session.scalar(select(func.count()).select_from(AccountLink)) == 0


def test_a_job_whose_retries_ran_out_is_a_dead_letter_an_admin_can_retry(
    app, client, login_as, database, mail_to, closed_port, smtp_sink, scheduled
):
    user = UserFactory(email="ann@police.uk", password_hash=None)
    mail_to(closed_port)
    job = _link_job(user)
    with pytest.raises(link_services.LinkSendError):
        queue.run_job(job.id, final=True)  # the last of its retries
    db.session.refresh(job)
    assert job.status == "dead"

    login_as(UserFactory(role="admin", force=None))
    page = client.get("/admin/outbox").get_data(as_text=True)
    assert "Not sent after every retry (1)" in page
    assert "ConnectionRefusedError" in page
    assert f'action="/admin/outbox/jobs/{job.id}/retry"' in page

    mail_to(smtp_sink.server_address[1])
    response = client.post(f"/admin/outbox/jobs/{job.id}/retry", follow_redirects=True)
    assert b"The email is back on the queue." in response.data
    assert [m["rcpt"] for m in smtp_sink.messages] == [["ann@police.uk"]]
    db.session.refresh(job)
    assert job.status == "sent"
    assert (
        db.session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "mail_job.retried")
        )
        == 1
    )
    # Pressed again: nothing is resent.
    response = client.post(f"/admin/outbox/jobs/{job.id}/retry", follow_redirects=True)
    assert b"That email is not waiting for a retry." in response.data
    assert len(smtp_sink.messages) == 1


def _dead_job():
    job = queue.submit("password_reset", {"email": "nobody@police.uk"})
    job.status = "dead"
    db.session.commit()
    return job


def test_only_an_admin_can_retry_a_dead_letter(client, login_as, database):
    job = _dead_job()
    login_as(UserFactory(role="training_lead"))
    assert client.post(f"/admin/outbox/jobs/{job.id}/retry").status_code == 403
    db.session.refresh(job)
    assert job.status == "dead"


def test_the_retry_button_needs_the_csrf_token(app, client, login_as, database):
    job = _dead_job()
    login_as(UserFactory(role="admin", force=None))
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert client.post(f"/admin/outbox/jobs/{job.id}/retry").status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    db.session.refresh(job)
    assert job.status == "dead"


def _writes_while(client, email: str) -> list[str]:
    """The INSERT/UPDATE/DELETE statements (verb and table) the forgot-password request makes."""
    statements: list[str] = []

    def _record(_conn, _cursor, statement, _params, _context, _many):
        verb = statement.split(None, 1)[0].upper()
        if verb in ("INSERT", "UPDATE", "DELETE"):
            statements.append(" ".join(statement.split()[:3]))

    engine = db.engine
    event.listen(engine, "before_cursor_execute", _record)
    try:
        assert client.post("/forgot-password", data={"email": email}).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", _record)
    return statements


def test_forgot_password_does_the_same_writes_and_queues_the_same_job_for_any_address(
    app, client, database, monkeypatch
):
    """Defect 6, by structure: no lookup, no mail and no different write inside the request."""
    UserFactory(email="ann@police.uk")
    db.session.commit()  # the new officer's own writes (the metrics rollup) happen here, not below
    dispatched: list[MailJob] = []
    monkeypatch.setattr(queue, "dispatch", lambda *jobs: dispatched.extend(jobs))
    known = _writes_while(client, "ann@police.uk")
    unknown = _writes_while(client, "nobody@police.uk")
    assert known == unknown == ["INSERT INTO mail_jobs"]
    assert [(j.kind, sorted(json.loads(j.payload))) for j in dispatched] == [
        ("password_reset", ["email"]),
        ("password_reset", ["email"]),
    ]
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
    assert db.session.scalar(select(func.count()).select_from(AccountLink)) == 0

    # The worker decides: a link for the account, nothing at all for the unknown address.
    assert [queue.run_job(j.id) for j in dispatched] == ["sent", "skipped"]
    assert list(db.session.scalars(select(OutboxMessage.to))) == ["ann@police.uk"]
    assert dispatched[1].note == "no active account"


def test_the_queue_is_sqlite_by_default_and_redis_when_queue_url_says_so(app, tmp_path):
    from huey import RedisHuey, SqliteHuey

    class Settings:
        instance_path = str(tmp_path)
        config = {"QUEUE_URL": ""}

    assert isinstance(queue.make_huey(Settings), SqliteHuey)
    assert (tmp_path / "queue.sqlite3").exists()
    Settings.config = {"QUEUE_URL": "redis://127.0.0.1:6390/3"}
    redis_queue = queue.make_huey(Settings)
    assert isinstance(redis_queue, RedisHuey)
    assert redis_queue.storage.conn.connection_pool.connection_kwargs["db"] == 3


def test_requeue_puts_back_jobs_the_queue_lost_and_they_send_once(app, database, mail_to, smtp_sink):
    user = UserFactory(email="ann@police.uk", password_hash=None)
    mail_to(smtp_sink.server_address[1])
    job = _link_job(user)  # committed, never dispatched: the queue was down
    job.created_at -= timedelta(minutes=30)
    db.session.commit()
    runner = app.test_cli_runner()
    first = runner.invoke(args=["queue", "requeue"])
    assert "Put 1 waiting job back on the queue." in first.output
    assert "Put 0 waiting jobs back" in runner.invoke(args=["queue", "requeue"]).output
    assert len(smtp_sink.messages) == 1
