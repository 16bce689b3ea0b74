"""`flask queue worker`: the process that sends the queued email (app/queue.py)."""

import click


def register(app) -> None:
    """Add the `queue` command group."""

    @app.cli.group("queue")
    def queue_group():
        """The mail queue and its worker."""

    @queue_group.command("worker")
    @click.option("--workers", default=2, show_default=True, help="Threads sending jobs.")
    def worker(workers):
        """Run the worker until stopped (SIGINT or SIGTERM): it sends queued email and retries."""
        import logging

        from huey.consumer import Consumer

        from app.queue import huey_of

        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
        # Poll at least every second when idle (the default backs off to 10 s).
        Consumer(huey_of(app), workers=workers, worker_type="thread", periodic=False, max_delay=1.0).run()
