"""Training in Welsh at the Welsh forces, for the national page: of the people who submitted a quiz
attempt in the period at each Welsh force (the force where it was sat), how many did so in Welsh
(attempts.language, app.i18n). Both counts go through the disclosure control like every other
figure the commissioner sees (app.metrics.disclosure: perturbed, [c] below the threshold), and the
share is worked out from the published counts.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select

from app.assessments.models import Attempt
from app.auth.models import User
from app.content.models import CourseModule
from app.extensions import db
from app.forces.models import Force
from app.metrics.disclosure import Cell, rate, shown
from app.metrics.published import HIDDEN

WALES = "Wales"
WELSH = "cy"


@dataclass(frozen=True)
class WelshTraining:
    """One Welsh force's row: published counts (None: not shown) and the share in Welsh."""

    code: str
    name: str
    trained: object  # a published count, or HIDDEN ([c])
    in_welsh: object
    share: object  # a rate from the published counts, HIDDEN when either is not shown


def welsh_forces(nation: str = "", force_type: str = "") -> list[Force]:
    """The Welsh forces the filters keep (none when another nation is chosen)."""
    if nation and nation != WALES:
        return []
    query = db.select(Force).where(Force.nation == WALES).order_by(Force.name)
    if force_type:
        query = query.where(Force.type == force_type)
    return list(db.session.scalars(query))


def counts(scope, force_ids: list[int]) -> dict[int, tuple[Cell, Cell]]:
    """force id -> (people who submitted an attempt there in the period, those who did so in
    Welsh at least once), each as a disclosure Cell (count and record-key sum)."""
    if not force_ids:
        return {}
    conditions = [
        Attempt.submitted_at.is_not(None),
        Attempt.submitted_at < scope.end,
        Attempt.force_id.in_(force_ids),
    ]
    if scope.start is not None:
        conditions.append(Attempt.submitted_at >= scope.start)
    if scope.course_id is not None:
        conditions.append(
            Attempt.module_id.in_(
                select(CourseModule.module_id).where(CourseModule.course_id == scope.course_id)
            )
        )
    per_person = (
        select(
            Attempt.force_id,
            Attempt.user_id,
            func.max(case((Attempt.language == WELSH, 1), else_=0)).label("welsh"),
        )
        .where(*conditions)
        .group_by(Attempt.force_id, Attempt.user_id)
        .subquery()
    )
    # Each person's record key looked up by primary key: the people who sat a quiz at the Welsh
    # forces are a few thousand of the users, and a join hashed every user's row (the planner
    # overestimates the per-person groups tenfold). Grouped by force and by "in Welsh at least
    # once", so the key is read once per person.
    record_key = select(User.record_key).where(User.id == per_person.c.user_id).scalar_subquery()
    rows = db.session.execute(
        select(per_person.c.force_id, per_person.c.welsh, func.count(), func.sum(record_key)).group_by(
            per_person.c.force_id, per_person.c.welsh
        )
    )
    found: dict[int, list[int]] = {}
    for force_id, welsh, n, keys in rows:
        # [people, their key sum, in Welsh, their key sum]
        sums = found.setdefault(force_id, [0, 0, 0, 0])
        sums[0] += int(n)
        sums[1] += int(keys or 0)
        if welsh:
            sums[2] += int(n)
            sums[3] += int(keys or 0)
    return {
        force_id: (Cell(n, keys), Cell(welsh, welsh_keys))
        for force_id, (n, keys, welsh, welsh_keys) in found.items()
    }


def rows(scope, nation: str = "", force_type: str = "") -> list[WelshTraining]:
    """Each Welsh force in the filters with its published figures."""
    forces = welsh_forces(nation, force_type)
    found = counts(scope, [f.id for f in forces])
    out = []
    for force in forces:
        trained, in_welsh = found.get(force.id, (Cell(0), Cell(0)))
        shown_trained, shown_welsh = shown(trained), shown(in_welsh)
        hidden = shown_trained is None or shown_welsh is None
        out.append(
            WelshTraining(
                force.code,
                force.name,
                HIDDEN if shown_trained is None else shown_trained,
                HIDDEN if shown_welsh is None else shown_welsh,
                HIDDEN if hidden else rate(shown_welsh, shown_trained),
            )
        )
    return out
