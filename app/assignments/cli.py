"""`flask assignments remind`: today's due-soon and overdue reminders (cron-able, idempotent)."""

import click
from flask import current_app

from app.extensions import db


def register(app) -> None:
    """Add the `assignments` command group."""

    @app.cli.group("assignments")
    def assignments():
        """Course assignments and reminders."""

    @assignments.command("remind")
    def remind():
        """Plan today's reminders (at most one per officer, assignment and day) and send them.

        Sends by SMTP when MAIL_SERVER is set, otherwise writes to the outbox (/admin/outbox).
        Reminders that failed earlier are tried again; run it daily from cron.
        """
        from app.assignments.mailer import MailSettings, deliver
        from app.assignments.services import plan_reminders

        planned = plan_reminders()
        db.session.commit()
        settings = MailSettings.from_config(current_app.config)
        click.echo(
            f"Planned {planned['due_soon']} due-soon and {planned['overdue']} overdue "
            f"reminder(s); {planned['already']} already planned today."
        )
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
