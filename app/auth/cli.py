"""`flask users create` and `flask users import`."""

import sys

import click

from app.auth.import_service import import_officers
from app.auth.roles import Role
from app.auth.services import UserError, create_user
from app.extensions import db
from app.forces.models import Force, Team


def register(app) -> None:
    """Add the `users` command group."""

    @app.cli.group("users")
    def users():
        """User accounts."""

    @users.command("create")
    @click.option("--email", required=True)
    @click.option("--name", required=True)
    @click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
    @click.option("--force", "force_code", default=None, help="Force code (officers and leads).")
    @click.option("--team", "team_name", default=None)
    @click.option("--service-number", default=None)
    @click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
    def create(email, name, role, force_code, team_name, service_number, password_stdin):
        """Create a user; the password is prompted for (or read from stdin)."""
        if password_stdin:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
        force = team = None
        if force_code:
            force = db.session.scalar(db.select(Force).where(Force.code == force_code))
            if force is None:
                raise click.ClickException(f"Unknown force code {force_code!r}.")
        if team_name:
            if force is None:
                raise click.ClickException("--team needs --force.")
            team = db.session.scalar(db.select(Team).where(Team.force_id == force.id,
                                                           Team.name == team_name))
            if team is None:
                raise click.ClickException(f"{force.name} has no team {team_name!r}.")
        try:
            user = create_user(actor=None, email=email, name=name, role=role, force=force,
                               team=team, service_number=service_number, password=password)
        except UserError as exc:
            raise click.ClickException(exc.message) from exc
        db.session.commit()
        click.echo(f"Created {user.role} {user.email}.")

    @users.command("import")
    @click.argument("file", type=click.File("rb"))
    def import_(file):
        """Import officers from a CSV (name, email, service_number, force_code, team)."""
        data = file.read()
        total = max(data.count(b"\n") - 1, 1)
        with click.progressbar(length=total, label="Importing officers") as bar:
            done = [0]

            def progress(count: int) -> None:
                bar.update(count - done[0])
                done[0] = count

            result = import_officers(data, actor=None, progress=progress)
        if not result.ok:
            db.session.rollback()
            for problem in result.problems:
                click.echo(f"{file.name}:{problem.line}: {problem.message}", err=True)
            raise click.ClickException(f"Nothing imported: {len(result.problems)} problem(s).")
        db.session.commit()
        click.echo(f"Imported {result.created} officers ({result.teams_created} new teams).")
