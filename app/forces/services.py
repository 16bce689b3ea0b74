"""Writes for forces and teams: the reference data sync, headcount updates, new teams."""

import csv
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from sqlalchemy import func

from app import audit
from app.errors import DomainError
from app.extensions import db
from app.forces.models import MEASURE_LABELS, Force, Team

CSV_COLUMNS = (
    "code",
    "name",
    "nation",
    "type",
    "officers_headcount",
    "officers_as_of",
    "officers_source",
    "officers_measure",
)


class TeamError(DomainError):
    """A team could not be created."""


class ForcesFileError(DomainError):
    """The forces CSV is malformed; nothing was loaded."""


def read_forces_csv(path: Path) -> list[dict]:
    """Parse and validate the forces CSV; raise ForcesFileError listing every bad line."""
    problems, rows = [], []
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in CSV_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ForcesFileError(f"{path}:1: missing column(s) {', '.join(missing)}")
        for row in reader:
            line = reader.line_num
            try:
                headcount = int(row["officers_headcount"]) if row["officers_headcount"] else None
                as_of = date.fromisoformat(row["officers_as_of"]) if row["officers_as_of"] else None
            except ValueError as exc:
                problems.append(f"{path}:{line}: {exc}")
                continue
            if not row["code"] or not row["name"]:
                problems.append(f"{path}:{line}: code and name are required")
                continue
            measure = (row["officers_measure"] or "").strip().lower() or None
            if measure is not None and measure not in MEASURE_LABELS:
                problems.append(
                    f"{path}:{line}: officers_measure {row['officers_measure']!r} must be "
                    "headcount, fte or blank"
                )
                continue
            if measure is not None and headcount is None:
                problems.append(
                    f"{path}:{line}: officers_measure is {measure} but officers_headcount is blank"
                )
                continue
            rows.append(
                {
                    "code": row["code"].strip(),
                    "name": row["name"].strip(),
                    "nation": row["nation"].strip(),
                    "type": row["type"].strip(),
                    "headcount": headcount,
                    "headcount_as_of": as_of,
                    "headcount_source": row["officers_source"].strip(),
                    "headcount_measure": measure,
                }
            )
    if problems:
        raise ForcesFileError("\n".join(problems))
    return rows


def sync_forces(rows: Iterable[dict]) -> tuple[int, int]:
    """Insert new forces and refresh names; headcounts an admin has changed since are kept.

    A figure travels with its measure. A force still holding the file's own figure (same number,
    date and source) takes the file's measure, which is how forces loaded before the measure
    existed get theirs.
    """
    existing = {f.code: f for f in db.session.scalars(db.select(Force))}
    added = updated = 0
    for row in rows:
        force = existing.get(row["code"])
        if force is None:
            db.session.add(Force(**row))
            added += 1
            continue
        changed = False
        for key in ("name", "nation", "type"):
            if getattr(force, key) != row[key]:
                setattr(force, key, row[key])
                changed = True
        # A newer reference figure replaces an older one; an admin's newer figure stays.
        if row["headcount_as_of"] and (
            force.headcount_as_of is None or row["headcount_as_of"] > force.headcount_as_of
        ):
            force.headcount = row["headcount"]
            force.headcount_as_of = row["headcount_as_of"]
            force.headcount_source = row["headcount_source"]
            force.headcount_measure = row["headcount_measure"]
            changed = True
        elif force.headcount_measure != row["headcount_measure"] and (
            force.headcount,
            force.headcount_as_of,
            force.headcount_source,
        ) == (row["headcount"], row["headcount_as_of"], row["headcount_source"]):
            force.headcount_measure = row["headcount_measure"]
            changed = True
        updated += changed
    db.session.flush()
    return added, updated


def update_headcount(
    force: Force,
    *,
    actor,
    headcount: int | None,
    as_of: date | None,
    source: str,
    measure: str | None = None,
) -> None:
    """Change a force's officer figure and its measure (audited, with the old and new values)."""
    measure = measure or None
    if measure is not None and measure not in MEASURE_LABELS:
        raise DomainError(f"Unknown measure {measure!r}: headcount or fte.")
    if headcount is None:
        measure = None  # an unknown figure has no measure
    audit.record(
        "force.headcount",
        actor=actor,
        target=force,
        force_id=force.id,
        old=[force.headcount, force.headcount_as_of, force.headcount_measure],
        new=[headcount, as_of, measure],
        source=source,
    )
    force.headcount, force.headcount_as_of, force.headcount_source = headcount, as_of, source.strip()
    force.headcount_measure = measure


def create_team(force: Force, name: str, *, actor) -> Team:
    """Add a team to a force (audited); names are unique within a force, ignoring case."""
    name = " ".join(name.split())
    if not name:
        raise TeamError("Enter the team's name.")
    clash = db.session.scalar(
        db.select(Team.id).where(Team.force_id == force.id, func.lower(Team.name) == name.lower())
    )
    if clash:
        raise TeamError(f"{force.name} already has a team called {name}.")
    team = Team(force_id=force.id, name=name)
    db.session.add(team)
    db.session.flush()
    audit.record("team.create", actor=actor, target=team, force_id=force.id, name=name)
    return team
