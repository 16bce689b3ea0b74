"""The durable queue: email leaves the request and is sent by a separate worker process.

A request writes a MailJob row (the job, with its idempotency key) in its own transaction and,
after the commit, puts the job's id on a huey queue. The worker (`flask queue worker`, which
`make run` starts beside the web server) runs `run_job`: it claims the row with one conditional
UPDATE (queued or failed -> sending), sends, and marks it sent or skipped. A job therefore sends
at most once however often it is delivered. A failure is retried with exponential backoff
(QUEUE_RETRIES times, first after QUEUE_RETRY_DELAY seconds, doubling); a job whose retries ran
out is dead and listed in the admin outbox with a retry button.

Storage: QUEUE_URL=redis://... uses Redis (production, several app servers); otherwise a SQLite
file under instance/ (the embedded default of `make run`), or QUEUE_URL=sqlite:////path/queue.db.
QUEUE_IMMEDIATE runs each job synchronously in the process that enqueues it (the tests).
"""

import json
import uuid

from sqlalchemy import update

from app.clock import utcnow
from app.extensions import db

EXTENSION = "mail_queue"


def make_huey(app):
    """The huey instance named by the app's QUEUE_* settings."""
    from huey import MemoryHuey, RedisHuey, SqliteHuey

    url = app.config.get("QUEUE_URL") or ""
    if app.config.get("QUEUE_IMMEDIATE"):
        return MemoryHuey("msa-mail", immediate=True, results=False)
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey("msa-mail", url=url, results=False)
    path = url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else ""
    return SqliteHuey("msa-mail", filename=path or f"{app.instance_path}/queue.sqlite3", results=False)


def init_app(app) -> None:
    """Make the app's queue and register the job task on it."""
    app.extensions[EXTENSION] = {"huey": make_huey(app)}
    app.extensions[EXTENSION]["task"] = register_task(app, "run_job", run_job)


def register_task(app, name: str, work):
    """Register `work(item, final=...)` as a huey task on the app's queue: retried with backoff
    (QUEUE_RETRIES times, first after QUEUE_RETRY_DELAY seconds, doubling), run in an app context,
    and told whether this is its last try (`final`), so it can mark its record dead."""
    retries = int(app.config.get("QUEUE_RETRIES", 5))
    delay = int(app.config.get("QUEUE_RETRY_DELAY", 30))

    @huey_of(app).task(retries=retries, retry_delay=delay, retry_backoff=2, context=True, name=name)
    def run(item, task=None):
        final = task is None or not task.retries
        if _has_app_context():
            return work(item, final=final)
        with app.app_context():
            return work(item, final=final)

    return run


def _has_app_context() -> bool:
    from flask import has_app_context

    return has_app_context()


def huey_of(app):
    """The huey instance of an app (for the worker)."""
    return app.extensions[EXTENSION]["huey"]


def submit(kind: str, payload: dict):
    """Add a job for `kind` (flushed, not committed); `dispatch` it after the commit."""
    from app.mail.models import MailJob

    job = MailJob(
        key=uuid.uuid4().hex, kind=kind, payload=json.dumps(payload, sort_keys=True), status="queued"
    )
    db.session.add(job)
    db.session.flush()
    return job


def dispatch(*jobs) -> None:
    """Put committed jobs on the queue (in immediate mode they run now, in this process)."""
    from flask import current_app

    task = current_app.extensions[EXTENSION]["task"]
    for job in jobs:
        task(job.id)


def failure(job) -> str | None:
    """The last error of a job that has failed so far (known at once only in immediate mode)."""
    db.session.refresh(job)
    return job.last_error if job.status in ("failed", "dead") else None


def retry(job) -> bool:
    """Send a dead or failed job again (the admin's retry button); False if it is not one."""
    claimed = db.session.execute(
        update(type(job))
        .where(type(job).id == job.id, type(job).status.in_(("dead", "failed")))
        .values(status="queued", last_error=None, updated_at=utcnow())
    ).rowcount
    return claimed == 1


def run_job(job_id: int, *, final: bool = True) -> str:
    """Run one job once; return its status. Raises after recording a failure (huey retries it)."""
    from app.mail.models import MailJob

    claimed = db.session.execute(
        update(MailJob)
        .where(MailJob.id == job_id, MailJob.status.in_(("queued", "failed")))
        .values(status="sending", tries=MailJob.tries + 1, updated_at=utcnow())
    ).rowcount
    db.session.commit()
    job = db.session.get(MailJob, job_id)
    if claimed != 1:  # already sent, skipped, dead, or being sent: never twice
        return job.status if job is not None else "missing"
    try:
        note = HANDLERS[job.kind](json.loads(job.payload))
    except Exception as exc:
        db.session.rollback()
        job = db.session.get(MailJob, job_id)
        job.status = "dead" if final else "failed"
        job.last_error = f"{type(exc).__name__}: {exc}"[:1000]
        job.updated_at = utcnow()
        db.session.commit()
        raise
    job.status = "skipped" if note else "sent"
    job.note, job.last_error, job.updated_at = note, None, utcnow()
    db.session.commit()
    return job.status


def _send_link(payload: dict) -> str | None:
    """An invitation or reset link chosen by an admin (or an import) for one user."""
    from app.auth import link_services
    from app.auth.models import User

    user = db.session.get(User, payload["user_id"])
    actor = db.session.get(User, payload["actor_id"]) if payload.get("actor_id") else None
    if user is None or not user.active:
        return "no active account"
    with link_services.mailbox() as box:
        link_services.send_link(
            user, actor=actor, box=box, url_base=link_services.base_url(), purpose=payload["purpose"]
        )
    return None


def _password_reset(payload: dict) -> str | None:
    """A forgotten-password request: a link if an active account has the address, else nothing."""
    from app.auth import link_services

    with link_services.mailbox() as box:
        return link_services.send_reset(payload["email"], box=box, url_base=link_services.base_url())


class RemindersNotSentError(Exception):
    """Some reminders failed; the job is retried (each retry sends only those still undelivered)."""


def _reminders(payload: dict) -> str | None:
    """Deliver every pending or failed reminder (planned by `flask assignments remind --queue`).

    Each reminder is committed as it is settled, so a retry of this job resends none that went.
    """
    from flask import current_app

    from app.assignments.mailer import deliver
    from app.mail.sending import MailSettings

    counts = deliver(
        MailSettings.from_config(current_app.config),
        base_url=current_app.config["PUBLIC_BASE_URL"],
        after_each=db.session.commit,
    )
    if counts["failed"]:
        raise RemindersNotSentError(f"{counts['failed']} reminder(s) not sent; {counts['sent']} sent")
    return None if counts["sent"] else "nothing to send"


def _feedback(payload: dict) -> str | None:
    """A message from the feedback form (app.main.services), to the service's feedback address."""
    from flask import current_app

    from app.mail.sending import Mailbox, MailSettings
    from app.main.services import FEEDBACK_SUBJECT

    with Mailbox(MailSettings.from_config(current_app.config)) as box:
        box.send(payload["to"], FEEDBACK_SUBJECT, payload["body"])
    return None


HANDLERS = {
    "link": _send_link,
    "password_reset": _password_reset,
    "reminders": _reminders,
    "feedback": _feedback,
}
