"""Write a validated officer import in one statement batch, after checking it against the database."""

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import func, insert

from app import audit, events
from app.auth.importer import OfficerRow, RowProblem, parse_officer_csv
from app.auth.models import User
from app.clock import utcnow
from app.extensions import db
from app.forces.models import Force, Team
from app.formatting import N_
from app.messages import Message
from app.roles import Role


@dataclass
class ImportResult:
    """What an import did, or why it did nothing."""

    problems: list[RowProblem]
    created: int = 0
    teams_created: int = 0
    emails: list[str] = field(default_factory=list)
    # Teams the import would create that nobody has confirmed: (force code, force name, team name)
    new_teams: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the import was written."""
        return not self.problems and not self.new_teams

    @property
    def needs_confirmation(self) -> bool:
        """Every row is valid, but the import would create teams nobody has confirmed yet."""
        return not self.problems and bool(self.new_teams)


def import_officers(
    data: bytes | str,
    *,
    actor: User | None,
    only_force_id: int | None = None,
    progress: Callable[[int], None] | None = None,
    confirmed_teams: set[tuple[str, str]] | None = None,
) -> ImportResult:
    """Validate every row, then create all officers (and missing teams), or nothing at all.

    `confirmed_teams`: None creates any missing team (the command line); otherwise a set of
    (force code, team name) the person has confirmed, and an import that would create any other
    team writes nothing and lists them (`new_teams`), so a misspelt team is caught before it exists.
    """
    rows, problems = parse_officer_csv(data)
    forces = {f.code: f for f in db.session.scalars(db.select(Force))}
    emails = {r.email for r in rows}
    existing = set()
    chunk = list(emails)
    for start in range(0, len(chunk), 900):
        existing.update(
            db.session.scalars(db.select(User.email).where(User.email.in_(chunk[start : start + 900])))
        )
    taken_service = set(
        db.session.execute(
            db.select(User.force_id, User.service_number).where(User.service_number.is_not(None))
        )
    )
    for row in rows:
        force = forces.get(row.force_code)
        if force is None:
            message = Message(N_("unknown force code %(code)s."), code=repr(row.force_code))
            problems.append(RowProblem(row.line, message))
            continue
        if only_force_id is not None and force.id != only_force_id:
            message = Message(N_("%(force_name)s is not your force."), force_name=force.name)
            problems.append(RowProblem(row.line, message))
        if row.email in existing:
            message = Message(N_("a user with the email %(email)s already exists."), email=row.email)
            problems.append(RowProblem(row.line, message))
        if row.service_number and (force.id, row.service_number) in taken_service:
            problems.append(
                RowProblem(
                    row.line,
                    Message(
                        N_("service number %(number)s is already registered in %(force_name)s."),
                        number=row.service_number,
                        force_name=force.name,
                    ),
                )
            )
    if problems or not rows:
        if not rows and not problems:
            problems.append(RowProblem(2, Message(N_("The file has a header but no officers."))))
        problems.sort(key=lambda p: p.line)
        return ImportResult(problems)
    if confirmed_teams is not None:
        unconfirmed = [
            (code, forces[code].name, name)
            for code, name in missing_teams(rows, forces)
            if (code, name.lower()) not in {(c, n.lower()) for c, n in confirmed_teams}
        ]
        if unconfirmed:
            return ImportResult([], new_teams=unconfirmed)
    teams_created = _ensure_teams(rows, forces)
    now = utcnow()
    team_ids = {(t.force_id, t.name.lower()): t.id for t in db.session.scalars(db.select(Team))}
    batch = []
    for count, row in enumerate(rows, start=1):
        force = forces[row.force_code]
        team_id = team_ids.get((force.id, row.team.lower())) if row.team else None
        batch.append(
            {
                "email": row.email,
                "name": row.name,
                "service_number": row.service_number or None,
                "force_id": force.id,
                "team_id": team_id,
                "role": Role.OFFICER.value,
                "workforce_type": row.workforce_type.value,
                "active": True,
                "created_at": now,
                "force_joined_at": now,
                "team_joined_at": now if team_id else None,
            }
        )
        if len(batch) == 1000:
            db.session.execute(insert(User), batch)
            batch = []
            if progress:
                progress(count)
    if batch:
        db.session.execute(insert(User), batch)
    events.officers_imported.send(None, force_ids=sorted({forces[row.force_code].id for row in rows}))
    if progress:
        progress(len(rows))
    audit.record(
        "users.import",
        actor=actor,
        target_type="import",
        created=len(rows),
        teams_created=teams_created,
        force_id=only_force_id,
    )
    return ImportResult([], created=len(rows), teams_created=teams_created, emails=[r.email for r in rows])


def missing_teams(rows: list[OfficerRow], forces: dict[str, Force]) -> list[tuple[str, str]]:
    """(force code, team name) of the teams the rows name that do not exist yet (names ignore case;
    the first spelling in the file is kept)."""
    existing = {
        (fid, name.lower())
        for fid, name in db.session.execute(db.select(Team.force_id, func.lower(Team.name)))
    }
    missing: dict[tuple[int, str], tuple[str, str]] = {}
    for row in rows:
        if not row.team:
            continue
        key = (forces[row.force_code].id, row.team.lower())
        if key not in existing and key not in missing:
            missing[key] = (row.force_code, row.team)
    return sorted(missing.values())


def _ensure_teams(rows: list[OfficerRow], forces: dict[str, Force]) -> int:
    missing = missing_teams(rows, forces)
    for code, name in missing:
        db.session.add(Team(force_id=forces[code].id, name=name))
    db.session.flush()
    return len(missing)
