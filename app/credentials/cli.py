"""`flask credentials rotate-key`: a new signing key for Open Badges credentials."""

import click
from flask.cli import AppGroup

from app.credentials import keys

credentials_cli = AppGroup("credentials", help="Open Badges 3.0 credentials.")


@credentials_cli.command("rotate-key")
def rotate_key() -> None:
    """Make a new signing key; earlier keys stay published, so earlier credentials still verify."""
    kid = keys.rotate()
    click.echo(f"New signing key {kid}; {len(keys.kids())} key(s) published at /.well-known/jwks.json.")


def register(app) -> None:
    """Add `flask credentials`."""
    app.cli.add_command(credentials_cli)
