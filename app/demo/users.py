"""Demo data for `make run`: two forces with teams, one user per role, idempotent."""

from app.auth.models import User
from app.auth.passwords import hash_password
from app.auth.workforce import default_for_role
from app.extensions import db
from app.forces.models import Force, Team
from app.roles import Role

DEMO_PASSWORD = "spot-the-signs-2026"

DEMO_TEAMS = {
    "west-yorkshire": ("Response Team B", "CID", "Neighbourhood North"),
    "avon-somerset": ("Response Team A", "Safeguarding Hub"),
}

# (email, name, role, force code, team, service number)
DEMO_USERS = (
    ("officer@demo.police.uk", "Sam Taylor", Role.OFFICER, "west-yorkshire", "Response Team B", "WY1001"),
    ("officer2@demo.police.uk", "Priya Shah", Role.OFFICER, "west-yorkshire", "CID", "WY1002"),
    ("officer3@demo.police.uk", "Jamie Evans", Role.OFFICER, "avon-somerset", "Response Team A", "AS2001"),
    ("lead@demo.police.uk", "Alex Morgan", Role.TRAINING_LEAD, "west-yorkshire", None, "WY0100"),
    ("lead2@demo.police.uk", "Chris Okafor", Role.TRAINING_LEAD, "avon-somerset", None, "AS0100"),
    ("commissioner@demo.police.uk", "Office of the Commissioner", Role.COMMISSIONER, None, None, None),
    ("admin@demo.police.uk", "Platform Administrator", Role.ADMIN, None, None, None),
)


def load_demo() -> list[tuple[str, str]]:
    """Create the demo teams and users if missing; return (email, role) of every demo login."""
    forces = {f.code: f for f in db.session.scalars(db.select(Force).where(Force.code.in_(DEMO_TEAMS)))}
    missing = set(DEMO_TEAMS) - set(forces)
    if missing:
        raise RuntimeError(f"Load the forces first (flask forces sync); missing {sorted(missing)}.")
    teams = {}
    for code, names in DEMO_TEAMS.items():
        for name in names:
            team = db.session.scalar(
                db.select(Team).where(Team.force_id == forces[code].id, Team.name == name)
            )
            if team is None:
                team = Team(force_id=forces[code].id, name=name)
                db.session.add(team)
            teams[(code, name)] = team
    db.session.flush()
    password_hash = None
    logins = []
    for email, name, role, code, team_name, service in DEMO_USERS:
        logins.append((email, role.value))
        if db.session.scalar(db.select(User.id).where(User.email == email)):
            continue
        password_hash = password_hash or hash_password(DEMO_PASSWORD)
        db.session.add(
            User(
                email=email,
                name=name,
                role=role.value,
                workforce_type=default_for_role(role).value,
                force=forces.get(code) if code else None,
                team=teams.get((code, team_name)),
                service_number=service,
                password_hash=password_hash,
            )
        )
    db.session.flush()
    return logins
