"""`flask forces sync`: load the force reference data from content/forces.csv; `flask forces
language`: the language a force's people start in."""

import click
from flask import current_app
from flask.cli import AppGroup

from app import audit
from app.extensions import db
from app.forces.models import Force
from app.forces.services import ForcesFileError, read_forces_csv, sync_forces
from app.i18n import LANGUAGES

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


@forces_cli.command("language")
@click.argument("code")
@click.argument("language", type=click.Choice(sorted(LANGUAGES)))
def language(code, language):
    """Set the language CODE's people start in (en or cy) until they choose one themselves."""
    force = db.session.scalar(db.select(Force).where(Force.code == code))
    if force is None:
        raise click.ClickException(f"No force has the code {code!r} (see `flask forces sync`).")
    force.default_language = language
    audit.record("force.language", target=force, force_id=force.id, language=language)
    db.session.commit()
    click.echo(f"{force.name}: its people start in {LANGUAGES[language]}.")


def register(app) -> None:
    """Add `flask forces`."""
    app.cli.add_command(forces_cli)
