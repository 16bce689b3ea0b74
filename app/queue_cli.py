"""`flask queue worker` (the process that sends queued email) and `flask queue requeue`."""

from datetime import timedelta

import click
from flask import current_app
from flask.cli import AppGroup

from app.formatting import plural

queue_cli = AppGroup("queue", help="The mail queue and its worker.")


@queue_cli.command("worker")
@click.option("--workers", default=2, show_default=True, help="Threads sending jobs.")
def worker(workers):
    """Run the worker until stopped (SIGINT or SIGTERM): it sends queued email and retries."""
    import logging

    from huey.consumer import Consumer

    from app.queue import huey_of

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    huey = huey_of(current_app._get_current_object())
    # Poll at least every second when idle (the default backs off to 10 s).
    Consumer(huey, workers=workers, worker_type="thread", periodic=False, max_delay=1.0).run()


@queue_cli.command("requeue")
@click.option("--older-than", default=10, show_default=True, help="Minutes a job has waited.")
def requeue(older_than):
    """Put jobs still `queued` after a while back on the queue (lost when the queue was down).

    Safe to run at any time, from cron: a job that is on the queue as well still sends once.
    """
    from app import queue
    from app.clock import utcnow
    from app.extensions import db
    from app.mail.models import MailJob

    since = utcnow() - timedelta(minutes=older_than)
    jobs = list(
        db.session.scalars(
            db.select(MailJob)
            .where(MailJob.status == "queued", MailJob.created_at < since)
            .order_by(MailJob.id)
        )
    )
    queue.dispatch(*jobs)
    click.echo(f"Put {plural(len(jobs), 'waiting job')} back on the queue.")
