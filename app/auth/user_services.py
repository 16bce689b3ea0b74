"""User administration and passwords: create, update, (de)activate, set and change a password."""

from flask_babel import gettext as _

from app import audit, security_log
from app.auth.identity import check_email, clean_service_number
from app.auth.models import AccountLink, User
from app.auth.passwords import hash_password, password_problems, verify_password
from app.auth.session_services import end_all_sessions
from app.auth.workforce import default_for_role, parse_workforce_type
from app.clock import utcnow
from app.errors import DomainError
from app.extensions import db
from app.forces.models import Force, Team
from app.i18n import translated
from app.roles import FORCE_ROLES, Role


class UserError(DomainError):
    """A user could not be created or changed; the message says why."""


def _checked(check, value):
    """Run a shared identity or workforce check; its refusal becomes a UserError sentence, in
    the page's language (English on the command line)."""
    try:
        return check(value)
    except ValueError as exc:
        reason = exc.args[0] if exc.args else ""
        message = translated(reason) if isinstance(reason, str) else str(exc)
        raise UserError(message[:1].upper() + message[1:]) from exc


def _check_placement(role: str, force: Force | None, team: Team | None) -> None:
    if role not in set(Role):
        raise UserError(_("Unknown role %(role)s.", role=repr(role)))
    if role in FORCE_ROLES and force is None:
        raise UserError(_("Officers and training leads must belong to a force."))
    if team is not None and (force is None or team.force_id != force.id):
        raise UserError(_("The team must belong to the user's force."))


def create_user(
    *,
    actor: User | None,
    email: str,
    name: str,
    role: str,
    force: Force | None,
    team: Team | None = None,
    service_number: str | None = None,
    password: str | None = None,
    workforce_type: str | None = None,
) -> User:
    """Create a user (audited); the password, if given, must meet the rules.

    Email and service number pass the same checks as the officer CSV import (app.auth.identity).
    Without a workforce type, officers are police officers and every other role police staff.
    """
    email = _checked(check_email, email)
    service_number = _checked(clean_service_number, service_number)
    kind = _checked(parse_workforce_type, workforce_type) if workforce_type else default_for_role(role)
    if db.session.scalar(db.select(User.id).where(User.email == email)):
        raise UserError(_("A user with the email %(email)s already exists.", email=email))
    _check_placement(role, force, team)
    user = User(
        email=email,
        name=name.strip(),
        role=role,
        workforce_type=kind.value,
        force=force,
        team=team,
        service_number=service_number,
        active=True,
    )
    if team is not None:
        user.team_joined_at = utcnow()
    if password is not None:
        problems = password_problems(password, email=email, name=name)
        if problems:
            raise UserError(" ".join(problems))
        user.password_hash = hash_password(password)
        # Typed by an admin on the web: the officer must choose their own on first sign-in
        # (ASVS V6.4.1). From the command line (actor None) it is the operator's own account.
        user.must_change_password = actor is not None
    db.session.add(user)
    db.session.flush()
    audit.record("user.create", actor=actor, target=user, role=role, workforce_type=kind.value, email=email)
    return user


def update_user(
    user: User,
    *,
    actor: User,
    role: str,
    force: Force | None,
    team: Team | None,
    name: str,
    service_number: str | None,
    workforce_type: str | None,
) -> User:
    """Change a user's role, force, team or details (audited).

    A workforce type of None is decided from the (new) role, as when creating a user.
    """
    _check_placement(role, force, team)
    service_number = _checked(clean_service_number, service_number)
    kind = (
        _checked(parse_workforce_type, workforce_type) if workforce_type else default_for_role(role)
    ).value
    changes = {}
    if role != user.role:
        changes["role"] = [user.role, role]
    if kind != user.workforce_type:
        changes["workforce_type"] = [user.workforce_type, kind]
    if (force.id if force else None) != user.force_id:
        changes["force"] = [user.force_id, force.id if force else None]
        user.force_joined_at = utcnow()
    if (team.id if team else None) != user.team_id:
        changes["team"] = [user.team_id, team.id if team else None]
        user.team_joined_at = utcnow() if team else None
    if name.strip() != user.name:
        changes["name"] = [user.name, name.strip()]
    if service_number != user.service_number:
        changes["service_number"] = [user.service_number, service_number]
    user.role, user.force, user.team, user.workforce_type = role, force, team, kind
    user.name, user.service_number = name.strip(), service_number
    if "role" in changes or "force" in changes:
        end_all_sessions(user)
    audit.record("user.update", actor=actor, target=user, **changes)
    return user


def set_active(user: User, *, actor: User, active: bool) -> None:
    """Deactivate (signing the user out everywhere) or reactivate a user (audited)."""
    if user.id == actor.id and not active:
        raise UserError(_("You cannot deactivate your own account."))
    user.active = active
    if not active:
        end_all_sessions(user)
    audit.record("user.activate" if active else "user.deactivate", actor=actor, target=user)


def set_password(user: User, password: str, *, actor: User | None, via: str = "") -> None:
    """Set a new password after checking the rules (audited).

    Every session of the user ends, and every account link still waiting is cancelled (a reset
    link must not outlive the password it was sent to replace).
    """
    problems = password_problems(password, email=user.email, name=user.name)
    if problems:
        raise UserError(" ".join(problems))
    user.password_hash = hash_password(password)
    # Chosen by someone else (an admin): to be changed on first use (ASVS V6.4.1).
    user.must_change_password = actor is not None and actor.id != user.id
    end_all_sessions(user)
    db.session.execute(
        db.update(AccountLink)
        .where(AccountLink.user_id == user.id, AccountLink.used_at.is_(None))
        .values(used_at=utcnow())
    )
    audit.record("user.password", actor=actor, target=user, **({"via": via} if via else {}))


class WrongPasswordError(UserError):
    """The current password given to change it was not right."""


def change_own_password(user: User, current: str, new: str) -> None:
    """Change your own password: the current one must be right (ASVS V6.2.3)."""
    if not verify_password(user.password_hash, current):
        security_log.event("password_change.wrong_current", user_id=user.id)
        raise WrongPasswordError(
            _("Your current password is not right. Enter the password you sign in with now.")
        )
    set_password(user, new, actor=user)
