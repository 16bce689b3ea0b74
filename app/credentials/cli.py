"""`flask credentials rotate-key`: a new signing key for Open Badges credentials."""

import click
from flask.cli import AppGroup

from app.credentials import keys
from app.formatting import plural

credentials_cli = AppGroup("credentials", help="Open Badges 3.0 credentials.")


@credentials_cli.command("rotate-key")
def rotate_key() -> None:
    """Make a new signing key; earlier keys stay published, so earlier credentials still verify."""
    kid = keys.rotate()
    click.echo(
        f"New signing key {kid}; {plural(len(keys.kids()), 'key')} published at /.well-known/jwks.json."
    )


def register(app) -> None:
    """Add `flask credentials`."""
    app.cli.add_command(credentials_cli)
