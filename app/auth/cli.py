"""`flask users create`, `flask users import` and `flask users invite`."""

import sys

import click
from flask import current_app
from flask.cli import AppGroup

from app.auth.identity import normalise_email
from app.auth.import_services import import_officers
from app.auth.link_services import base_url, invite, mailbox, send_link, users_to_invite
from app.auth.links import INVITE
from app.auth.models import User
from app.auth.user_services import UserError, create_user
from app.auth.workforce import WorkforceType
from app.errors import DomainError
from app.extensions import db
from app.forces.models import Force, Team
from app.formatting import plural
from app.mail.sending import MailSettings
from app.roles import Role

users_cli = AppGroup("users", help="User accounts.")


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--force", "force_code", default=None, help="Force code (officers and leads).")
@click.option("--team", "team_name", default=None)
@click.option("--service-number", default=None)
@click.option(
    "--workforce-type",
    type=click.Choice([w.value for w in WorkforceType]),
    default=None,
    help="Default: police_officer for officers, police_staff for every other role.",
)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create(email, name, role, force_code, team_name, service_number, workforce_type, password_stdin):
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
        team = db.session.scalar(db.select(Team).where(Team.force_id == force.id, Team.name == team_name))
        if team is None:
            raise click.ClickException(f"{force.name} has no team {team_name!r}.")
    try:
        user = create_user(
            actor=None,
            email=email,
            name=name,
            role=role,
            force=force,
            team=team,
            service_number=service_number,
            password=password,
            workforce_type=workforce_type,
        )
    except UserError as exc:
        raise click.ClickException(exc.message) from exc
    db.session.commit()
    click.echo(f"Created {user.role} {user.email} ({user.workforce_label}).")


@users_cli.command("import")
@click.argument("file", type=click.File("rb"))
@click.option(
    "--invite", is_flag=True, help="Then email an invitation to each imported officer without a password."
)
def import_(file, invite):
    """Import officers from a CSV (name, email, service_number, force_code, team[, workforce_type])."""
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
        raise click.ClickException(f"Nothing imported: {plural(len(result.problems), 'problem')}.")
    db.session.commit()
    click.echo(f"Imported {plural(result.created, 'officer')} ({plural(result.teams_created, 'new team')}).")
    if invite:
        _send_invitations(users_to_invite(result.emails))


@users_cli.command("seal-totp-secrets")
def seal_totp_secrets():
    """Encrypt stored two-factor secrets with the first TOTP_ENCRYPTION_KEYS key (after an
    upgrade from plaintext, or a key rotation)."""
    from app.auth.mfa_services import seal_totp_secrets as seal
    from app.auth.sso_services import seal_client_secrets

    count = seal()
    clients = seal_client_secrets()  # the force providers' client secrets use the same keys
    db.session.commit()
    click.echo(f"Sealed {plural(count, 'two-factor secret')}.")
    click.echo(f"Sealed {plural(clients, 'identity provider client secret')}.")


@users_cli.command("invite")
@click.option(
    "--all-without-password",
    "everyone",
    is_flag=True,
    help="Every active user who has no password and no invitation still waiting.",
)
@click.option(
    "--email",
    default=None,
    help="One user: an invitation, or a reset link if they already have a password.",
)
def invite_(everyone, email):
    """Email invitations (or one reset link) by SMTP, or to the outbox without MAIL_SERVER."""
    if everyone == bool(email):
        raise click.UsageError("Give either --all-without-password or --email.")
    if everyone:
        _send_invitations(users_to_invite())
        return
    user = db.session.scalar(db.select(User).where(User.email == normalise_email(email)))
    if user is None:
        raise click.ClickException(f"No user has the email {email}.")
    try:
        with mailbox() as box:
            purpose = send_link(user, actor=None, box=box, url_base=base_url())
    except DomainError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from exc
    db.session.commit()
    click.echo(
        f"Sent {'an invitation' if purpose == INVITE else 'a password reset link'} "
        f"to {user.email} ({_where()})."
    )


def register(app) -> None:
    """Add `flask users`."""
    app.cli.add_command(users_cli)


def _where() -> str:
    settings = MailSettings.from_config(current_app.config)
    return f"SMTP {settings.server}" if settings.server else "the outbox, /admin/outbox"


def _send_invitations(users: list) -> None:
    """Invite the users with a progress bar, committing after each (a crash resends nothing)."""
    if not users:
        click.echo("Nobody to invite: every active user has a password or a waiting invitation.")
        return
    with click.progressbar(length=len(users), label="Sending invitations") as bar, mailbox() as box:
        done = [0]

        def after_each(count: int) -> None:
            db.session.commit()
            bar.update(count - done[0])
            done[0] = count

        sent, failed = invite(users, actor=None, box=box, url_base=base_url(), after_each=after_each)
    db.session.commit()
    click.echo(f"Sent {plural(sent, 'invitation')} to {_where()}; {failed} failed.")
    if failed:
        raise click.ClickException(
            f"{plural(failed, 'invitation')} could not be sent; run "
            "`flask users invite --all-without-password` again later."
        )
