"""SCIM writes: each request is one transaction, audited, and confined to the endpoint's force."""

from __future__ import annotations

from pydantic import ValidationError
from scim2_models import Context, PatchOp, SCIMException
from sqlalchemy import func, select

from app import audit
from app.auth.models import User
from app.clock import utcnow
from app.extensions import db
from app.forces.models import Force, Team
from app.roles import Role
from app.scim.mapping import Person, ScimError, ScimUser, person_from, resource


def parse_user(payload, context: Context) -> ScimUser:
    """A SCIM User from a request body, validated by scim2-models; ScimError 400 if it is not."""
    if not isinstance(payload, dict):
        raise ScimError(400, "the body must be a SCIM User in JSON.", "invalidSyntax")
    try:
        return ScimUser.model_validate(payload, scim_ctx=context)
    except (ValidationError, SCIMException, ValueError) as exc:
        raise ScimError(400, f"not a valid SCIM User: {_first_error(exc)}", "invalidValue") from exc


def _first_error(exc: Exception) -> str:
    if isinstance(exc, ValidationError) and exc.errors():
        error = exc.errors()[0]
        where = ".".join(str(p) for p in error.get("loc", ()))
        return f"{where}: {error.get('msg', '')}".strip(": ")
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def account(force: Force, user_id: str) -> User:
    """An account of this force by SCIM id; 404 for any other (another force's is not found)."""
    if not user_id.isdigit() or len(user_id) > 18:
        raise ScimError(404, "no such user.")
    found = db.session.get(User, int(user_id))
    if found is None or found.force_id != force.id:
        raise ScimError(404, "no such user.")
    return found


def representation(force: Force, found: User, location: str) -> dict:
    team = db.session.get(Team, found.team_id) if found.team_id else None
    return resource(found, team.name if team else None, location)


def find(force: Force, attribute: str, value: str) -> list[User]:
    """Accounts of this force whose userName (email) or externalId equals the value."""
    if attribute == "userName":
        condition = func.lower(User.email) == value.strip().lower()
    else:
        condition = User.scim_external_id == value
    return list(
        db.session.scalars(select(User).where(User.force_id == force.id, condition).order_by(User.id))
    )


def page(force: Force, start: int, count: int) -> tuple[list[User], int]:
    """Accounts of the force (inactive ones too), ordered by id, from 1-based start."""
    where = (User.force_id == force.id,)
    total = db.session.scalar(select(func.count()).select_from(User).where(*where))
    rows = db.session.scalars(select(User).where(*where).order_by(User.id).offset(start - 1).limit(count))
    return list(rows), int(total or 0)


def _team(force: Force, name: str | None) -> Team | None:
    if not name:
        return None
    return db.session.scalar(
        select(Team).where(Team.force_id == force.id, func.lower(Team.name) == name.lower())
    )


def _check_unique(force: Force, person: Person, current: User | None) -> None:
    same_email = db.session.scalar(select(User).where(func.lower(User.email) == person.email))
    if same_email is not None and same_email is not current:
        raise ScimError(409, "userName is already in use.", "uniqueness")
    if person.service_number:
        same_number = db.session.scalar(
            select(User).where(User.force_id == force.id, User.service_number == person.service_number)
        )
        if same_number is not None and same_number is not current:
            raise ScimError(409, "employeeNumber is already in use in this force.", "uniqueness")


def _apply(force: Force, target: User, person: Person) -> dict:
    """Set the person's fields on the account; return {field: new value} for what changed."""
    team = _team(force, person.team_name)
    wanted = {
        "email": person.email,
        "name": person.name,
        "active": person.active,
        "scim_external_id": person.external_id,
        "service_number": person.service_number,
        "team_id": team.id if team else None,
    }
    changed = {}
    for field_name, value in wanted.items():
        if getattr(target, field_name) != value:
            setattr(target, field_name, value)
            changed[field_name] = value
    if "team_id" in changed:
        target.team_joined_at = utcnow() if team else None
    return changed


def create(force: Force, payload) -> User:
    """POST /Users: a new officer of the force (no password: they sign in through the force's
    provider or an invitation). Never a privileged role: SCIM does not grant roles."""
    person = person_from(parse_user(payload, Context.RESOURCE_CREATION_REQUEST))
    _check_unique(force, person, None)
    created = User(force_id=force.id, role=Role.OFFICER.value, email=person.email, name=person.name)
    db.session.add(created)
    changed = _apply(force, created, person)
    db.session.flush()
    audit.record(
        "scim.user_created",
        target=created,
        force_id=force.id,
        team_found=bool(created.team_id) or not person.team_name,
        **{k: v for k, v in changed.items() if k != "email"},
    )
    return created


def replace(force: Force, target: User, payload) -> User:
    """PUT /Users/<id>: every mapped field from the body."""
    person = person_from(parse_user(payload, Context.RESOURCE_REPLACEMENT_REQUEST))
    _check_unique(force, person, target)
    _record_change(force, target, _apply(force, target, person), person)
    return target


def patch(force: Force, target: User, payload, location: str) -> User:
    """PATCH /Users/<id>: the operations applied (by scim2-models, case-insensitive ops, Entra's
    "False" strings) to the account's current representation, then written like a PUT."""
    if not isinstance(payload, dict):
        raise ScimError(400, "the body must be a SCIM PatchOp in JSON.", "invalidSyntax")
    try:
        operations = PatchOp[ScimUser].model_validate(payload, scim_ctx=Context.RESOURCE_PATCH_REQUEST)
        current = ScimUser.model_validate(
            representation(force, target, location), scim_ctx=Context.RESOURCE_REPLACEMENT_REQUEST
        )
        operations.patch(current)
    except (ValidationError, SCIMException, ValueError, TypeError) as exc:
        raise ScimError(400, f"the patch cannot be applied: {_first_error(exc)}", "invalidValue") from exc
    person = person_from(current)
    _check_unique(force, person, target)
    _record_change(force, target, _apply(force, target, person), person)
    return target


def deactivate(force: Force, target: User) -> None:
    """DELETE /Users/<id>: the account is deactivated, never removed (its records stay)."""
    if target.active:
        target.active = False
        audit.record("scim.user_deactivated", target=target, force_id=force.id)


def _record_change(force: Force, target: User, changed: dict, person: Person) -> None:
    if not changed:
        return  # a repeated request changes nothing and records nothing
    action = "scim.user_deactivated" if changed.get("active") is False else "scim.user_updated"
    audit.record(
        action,
        target=target,
        force_id=force.id,
        fields=sorted(changed),
        team_found=bool(target.team_id) or not person.team_name,
    )
