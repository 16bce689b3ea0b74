"""`flask xapi configure` points a force at its LRS; `flask xapi send` sends what is queued."""

import os

import click
from flask.cli import AppGroup
from sqlalchemy import select

from app.extensions import db
from app.forces.models import Force
from app.xapi import delivery

xapi_cli = AppGroup("xapi", help="Learning records to the forces' Learning Record Stores (xAPI).")


@xapi_cli.command("configure")
@click.option("--force", "code", required=True, help="The force's code.")
@click.option("--url", required=True, help="The LRS base URL (…/xAPI/ is appended).")
@click.option("--username", required=True)
@click.option(
    "--password-env", default="LRS_PASSWORD", show_default=True, help="Variable holding the password."
)
def configure(code: str, url: str, username: str, password_env: str) -> None:
    """Send a force's learning records to an LRS (Basic authentication)."""
    force = db.session.scalar(select(Force).where(Force.code == code))
    if force is None:
        raise click.ClickException(f"no force with code {code!r}.")
    password = os.environ.get(password_env, "")
    if not password:
        raise click.ClickException(f"set the LRS password in ${password_env}.")
    if not url.startswith(("https://", "http://")):
        raise click.ClickException("the URL must start with https:// (or http:// for a local test LRS).")
    delivery.configure(force, url, username, password)
    db.session.commit()
    click.echo(f"{force.name}: learning records go to {url}.")


@xapi_cli.command("send")
def send() -> None:
    """Send every queued or failed statement now (each at most once more)."""
    sent = failed = 0
    for statement_id in delivery.queued_ids():
        try:
            delivery.send(statement_id)
            sent += 1
        except Exception as exc:  # noqa: BLE001 (recorded on the row; report and go on)
            failed += 1
            click.echo(f"{statement_id}: {exc}", err=True)
    click.echo(f"{sent} sent, {failed} failed.")


def register(app) -> None:
    """Add `flask xapi`."""
    app.cli.add_command(xapi_cli)
