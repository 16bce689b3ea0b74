"""`flask assignments remind`: today's due-soon and overdue reminders (cron-able, idempotent)."""

import click
from flask import current_app
from flask.cli import AppGroup

from app.clock import today as clock_today
from app.extensions import db
from app.formatting import plural

assignments_cli = AppGroup("assignments", help="Course assignments and reminders.")


@assignments_cli.command("remind")
@click.option(
    "--queue",
    "queued",
    is_flag=True,
    help="Plan here, and leave the sending to the mail worker (retried with backoff).",
)
def remind(queued):
    """Plan today's reminders (at most one per officer, assignment and day) and send them.

    Sends by SMTP when MAIL_SERVER is set, otherwise writes to the outbox (/admin/outbox).
    Reminders that failed earlier are tried again; run it daily from cron. With --queue the
    sending is one job for the mail worker (`flask queue worker`), retried with backoff.
    """
    from app.assignments.mailer import deliver
    from app.assignments.services import plan_reminders
    from app.mail.sending import MailSettings

    planned = plan_reminders()
    db.session.commit()
    settings = MailSettings.from_config(current_app.config)
    click.echo(
        f"Planned {plural(planned['due_soon'] + planned['overdue'], 'reminder')} "
        f"({planned['due_soon']} due soon, {planned['overdue']} overdue); "
        f"{planned['already']} already planned today."
    )
    if queued:
        from app import queue

        job = queue.submit("reminders", {"planned_on": str(clock_today())})
        db.session.commit()
        queue.dispatch(job)
        click.echo(f"Queued their delivery for the mail worker (job {job.id}; see /admin/outbox).")
        return
    sent = deliver(settings, base_url=current_app.config["PUBLIC_BASE_URL"], after_each=db.session.commit)
    db.session.commit()
    where = f"SMTP {settings.server}:{settings.port}" if settings.server else "the outbox"
    click.echo(
        f"Delivered {sent['sent']} to {where}; {sent['failed']} failed (retried on "
        f"the next run); {sent['superseded']} superseded; {sent['cancelled']} cancelled "
        f"(no longer due)."
    )
    if sent["failed"]:
        raise SystemExit(1)


def register(app) -> None:
    """Add `flask assignments`."""
    app.cli.add_command(assignments_cli)
