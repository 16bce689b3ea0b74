"""`flask forces sync`: load the force reference data from content/forces.csv."""

import click
from flask import current_app
from flask.cli import AppGroup

from app.extensions import db
from app.forces.services import ForcesFileError, read_forces_csv, sync_forces

forces_cli = AppGroup("forces", help="Police force reference data.")


@forces_cli.command("sync")
@click.option(
    "--file",
    "path",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="CSV to load (default: content/forces.csv).",
)
def sync(path):
    """Insert or refresh every UK force from the CSV (all or nothing)."""
    from pathlib import Path

    try:
        rows = read_forces_csv(Path(path) if path else current_app.config["FORCES_CSV"])
    except ForcesFileError as exc:
        raise click.ClickException(f"Nothing loaded:\n{exc.message}") from exc
    added, updated = sync_forces(rows)
    db.session.commit()
    click.echo(f"Forces: {added} added, {updated} updated, {len(rows)} in the file.")


def register(app) -> None:
    """Add `flask forces`."""
    app.cli.add_command(forces_cli)
