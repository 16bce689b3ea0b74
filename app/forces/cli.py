"""`flask forces sync`: load the force reference data from content/forces.csv."""

import click
from flask import current_app

from app.extensions import db
from app.forces.services import ForcesFileError, read_forces_csv, sync_forces


def register(app) -> None:
    """Add the `forces` command group."""

    @app.cli.group("forces")
    def forces():
        """Police force reference data."""

    @forces.command("sync")
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
