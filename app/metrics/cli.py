"""`flask metrics`: rebuild (summary), refresh (snapshots), publish (releases)."""

import time

import click
from flask.cli import AppGroup

metrics_cli = AppGroup("metrics", help="Adoption metrics.")


@metrics_cli.command("rebuild")
def rebuild():
    """Recompute the metrics summary (officer_course_status) and the officer-state rollup
    (officer_timelines, state_rollups) from the source tables."""
    from app.extensions import db
    from app.metrics import rollup, summary

    started = time.perf_counter()
    rows = summary.rebuild()
    timelines = rollup.rebuild()
    db.session.commit()
    click.echo(
        f"Rebuilt {rows:,} officer course status rows and {timelines:,} officer timelines "
        f"in {time.perf_counter() - started:.1f} s."
    )


@metrics_cli.command("refresh")
def refresh():
    """Recompute the national figures' snapshots for today (all courses and each course).

    Run it from cron more often than METRICS_SNAPSHOT_SECONDS so that the commissioner never
    waits for the national aggregates."""
    from app.metrics import queries, services, snapshots

    started = time.perf_counter()
    scopes = [
        services.scope_for(services.Filters(course=slug))[0]
        for slug in ["", *(c.slug for c in queries.courses())]
    ]
    count = snapshots.refresh(scopes)
    click.echo(f"Refreshed {count} national snapshots in {time.perf_counter() - started:.1f} s.")


@metrics_cli.command("publish")
@click.option("--month", required=True, help="The calendar month to publish, YYYY-MM (it must have ended).")
@click.option("--by", "by", default=None, help="Email address of the user publishing (default: system).")
@click.option(
    "--revise", default=None, help="Publish a new revision of a month already published, for this reason."
)
def publish(month, by, revise):
    """Freeze a month's national figures as a release (immutable; see docs/metrics.md)."""
    from app.extensions import db
    from app.metrics import releases
    from app.metrics.release_data import ReleaseError

    started = time.perf_counter()
    try:
        release = releases.publish(month, by=by, revise=revise)
    except ReleaseError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(
        f"Published {release.month} revision {release.revision} "
        f"(methodology {release.methodology_version}) in {time.perf_counter() - started:.1f} s."
    )


def register(app) -> None:
    """Add `flask metrics`."""
    app.cli.add_command(metrics_cli)
