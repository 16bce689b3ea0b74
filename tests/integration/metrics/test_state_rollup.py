"""The officer-state rollup (app.metrics.rollup) says what the SQL statement says, on any day.

Hypothesis builds a random world (two forces with two teams each, two courses, officers and
training leads of every workforce type joining on any day, assignments to a force, a team or named
officers made, withdrawn and due on any day, lessons begun, certificates issued, renewed, revoked
and expiring, law-change updates owed and done), then changes it the way the features do (an
officer moves force or team, leaves, changes type; an assignment is withdrawn or re-dated; a
certificate is revoked or renewed; an update is done). Before and after the change, on random
reference days from long before to months after today, for every course scope and grouping:

- the rollup kept by the writes equals queries.sql_officer_state_counts (computed from the records);
- the rollup kept by the writes equals one rebuilt from the records.
"""

import secrets
from datetime import datetime, time, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app import events
from app.assignments.models import Assignment, AssignmentTarget
from app.auth.models import User
from app.auth.workforce import WorkforceType
from app.certificates.models import Certificate
from app.clock import today as clock_today
from app.content.models import CourseModule, ModuleVersion
from app.extensions import db
from app.law_updates.models import LawChange, LawUpdate
from app.metrics import queries, rollup
from app.metrics.models import RollupStatus, StateRollup
from app.roles import Role
from tests.factories import ForceFactory, TeamFactory, UserFactory, make_course

OFFICER = st.fixed_dictionaries(
    {
        "force": st.integers(0, 1),
        "team": st.integers(0, 2),  # 2: no team
        "joined": st.integers(0, 400),  # days ago
        "kind": st.sampled_from([w.value for w in WorkforceType]),
        "lead": st.booleans(),
        "started": st.lists(st.tuples(st.integers(0, 1), st.integers(0, 400)), max_size=2),
        # (course, issued days ago, expires in days (None: never), revoked)
        "certificates": st.lists(
            st.tuples(
                st.integers(0, 1), st.integers(0, 400), st.none() | st.integers(-60, 400), st.booleans()
            ),
            max_size=3,
        ),
        "update": st.none() | st.tuples(st.integers(0, 300), st.none() | st.integers(0, 300)),
    }
)
ASSIGNMENT = st.fixed_dictionaries(
    {
        "force": st.integers(0, 1),
        "course": st.integers(0, 1),
        "scope": st.sampled_from(["force", "teams", "officers"]),
        "made": st.integers(0, 400),
        "span": st.integers(0, 90),
        "withdrawn": st.none() | st.integers(0, 400),
    }
)
CHANGE = st.sampled_from(
    [
        "move_force",
        "move_team",
        "leave",
        "retype",
        "withdraw",
        "redate",
        "revoke",
        "renew",
        "update_done",
        "none",
    ]
)
DAYS = st.lists(st.integers(-450, 200), min_size=3, max_size=5)


def _at(days_ago: int) -> datetime:
    return datetime.combine(clock_today() - timedelta(days=days_ago), time(10))


def _certificate(user, course, force, days_ago, expires_in, revoked, cycle):
    certificate = Certificate(
        serial=secrets.token_hex(8),
        user_id=user.id,
        course_id=course.id,
        force_id=force.id,
        cycle=cycle,
        holder_name=user.name,
        course_slug=course.slug,
        course_title=course.title,
        course_version="1",
        modules=[],
        issued_at=_at(days_ago),
        expires_on=None if expires_in is None else clock_today() + timedelta(days=expires_in),
        revoked_at=_at(0) if revoked else None,
    )
    db.session.add(certificate)
    db.session.flush()
    events.certificate_issued.send(None, certificate=certificate)
    return certificate


def _build(officers, assignments):
    forces = [ForceFactory(headcount=100), ForceFactory(headcount=100)]
    teams = [[TeamFactory(force=f), TeamFactory(force=f)] for f in forces]
    courses = [make_course(n_modules=1, questions=1, lessons=1) for _ in range(2)]
    module_of = {
        c.id: db.session.scalar(select(CourseModule.module_id).where(CourseModule.course_id == c.id))
        for c in courses
    }
    change = None
    people = []
    for spec in officers:
        force = forces[spec["force"]]
        team = teams[spec["force"]][spec["team"]] if spec["team"] < 2 else None
        user = UserFactory(
            force=force,
            team=team,
            role=Role.TRAINING_LEAD.value if spec["lead"] else Role.OFFICER.value,
            workforce_type=spec["kind"],
            created_at=_at(spec["joined"]),
            force_joined_at=_at(spec["joined"]),
            team_joined_at=_at(spec["joined"]) if team else None,
        )
        people.append(user)
        for course_index, ago in spec["started"]:
            course = courses[course_index]
            events.module_started.send(None, user_id=user.id, module_id=module_of[course.id], at=_at(ago))
        cycles = {}
        held = []
        for course_index, ago, expires_in, revoked in spec["certificates"]:
            course = courses[course_index]
            cycles[course.id] = cycles.get(course.id, 0) + 1
            held.append(_certificate(user, course, force, ago, expires_in, revoked, cycles[course.id]))
        if spec["update"] is not None and held:
            if change is None:
                module_id = module_of[held[0].course_id]
                change = LawChange(
                    module_id=module_id,
                    module_version_id=db.session.scalar(
                        select(ModuleVersion.id).where(ModuleVersion.module_id == module_id)
                    ),
                    version_number=2,
                    summary="A change",
                    sections=[],
                    question_keys=[],
                )
                db.session.add(change)
                db.session.flush()
            assigned, completed = spec["update"]
            db.session.add(
                LawUpdate(
                    law_change_id=change.id,
                    certificate_id=held[0].id,
                    user_id=user.id,
                    due_on=clock_today(),
                    assigned_at=_at(assigned),
                    completed_at=None if completed is None else _at(min(completed, assigned)),
                )
            )
    made = []
    for spec in assignments:
        force = forces[spec["force"]]
        assignment = Assignment(
            force_id=force.id,
            course_id=courses[spec["course"]].id,
            scope=spec["scope"],
            due_on=(clock_today() - timedelta(days=spec["made"] - spec["span"])),
            created_at=_at(spec["made"]),
            withdrawn_at=None if spec["withdrawn"] is None else _at(min(spec["withdrawn"], spec["made"])),
        )
        db.session.add(assignment)
        db.session.flush()
        if spec["scope"] == "teams":
            db.session.add(AssignmentTarget(assignment_id=assignment.id, team_id=teams[spec["force"]][0].id))
        elif spec["scope"] == "officers":
            for user in people:
                if user.force_id == force.id and user.id % 2:
                    db.session.add(AssignmentTarget(assignment_id=assignment.id, user_id=user.id))
        made.append(assignment)
    db.session.flush()
    return forces, teams, courses, people, made


def _change(kind, forces, teams, courses, people, made):
    user = people[0]
    if kind == "move_force":
        other = forces[1] if user.force_id == forces[0].id else forces[0]
        user.force_id, user.team_id, user.force_joined_at = other.id, None, _at(3)
    elif kind == "move_team":
        force_teams = teams[0] if user.force_id == forces[0].id else teams[1]
        user.team_id, user.team_joined_at = force_teams[1].id, _at(5)
    elif kind == "leave":
        user.active = False
    elif kind == "retype":
        user.workforce_type = (
            WorkforceType.PCSO.value
            if user.workforce_type == WorkforceType.POLICE_OFFICER.value
            else WorkforceType.POLICE_OFFICER.value
        )
    elif kind == "withdraw" and made:
        made[0].withdrawn_at = _at(1)
    elif kind == "redate" and made:
        made[0].due_on = made[0].due_on + timedelta(days=20)
    elif kind == "revoke":
        held = db.session.scalars(select(Certificate).where(Certificate.revoked_at.is_(None))).first()
        if held is not None:
            held.revoked_at = _at(0)
            db.session.flush()
            events.certificate_revoked.send(None, user_id=held.user_id, course_id=held.course_id)
    elif kind == "renew":
        force = db.session.get(type(forces[0]), user.force_id)
        _certificate(user, courses[0], force, 0, 365, False, 9)
    elif kind == "update_done":
        for update in db.session.scalars(select(LawUpdate)):
            update.completed_at = _at(0)
    db.session.flush()


def _kept() -> dict:
    """state_rollups as {(force, team, course, day): non-zero sums}."""
    rows = db.session.execute(select(StateRollup)).scalars()
    out = {}
    for row in rows:
        values = tuple(getattr(row, c.key) for c in rollup.COLUMNS)
        if any(values):
            out[(row.force_id, row.team_key, row.course_id, row.day)] = values
    return out


def _histogram(statement, grouping) -> list:
    """completion_counts' histogram rows, the no-team key as None (coverage_spans store 0)."""
    rows = []
    for group, *rest in db.session.execute(statement):
        key = None if grouping.by_team and group == 0 else group
        rows.append((key, *(None if v is None else int(v) for v in rest)))
    return sorted(rows, key=str)


def _agree(forces, courses, days) -> None:
    today = clock_today()
    for offset in days:
        day = today + timedelta(days=offset)
        end = datetime.combine(day + timedelta(days=1), time())
        for course_id in (None, *(c.id for c in courses)):
            scope = queries.Scope(end=end, course_id=course_id)
            groupings = [
                queries.Grouping(),
                queries.Grouping(force_ids=(forces[1].id,)),
                queries.Grouping(team_force_id=forces[0].id),
            ]
            for grouping in groupings:
                kept = rollup.state_counts(course_id, scope.day, grouping.forces, grouping.team_force_id)
                computed = queries.sql_officer_state_counts(
                    queries.Scope(end=end, course_id=course_id, force_ids=grouping.forces), grouping
                )
                assert kept == computed, (offset, course_id, grouping)
                months = rollup.completion_months(
                    course_id, scope.day, grouping.forces, grouping.team_force_id
                )
                computed_months = queries.sql_completion_months(
                    queries.Scope(end=end, course_id=course_id, force_ids=grouping.forces), grouping
                )
                assert sorted(months, key=str) == sorted(computed_months, key=str), (
                    offset,
                    course_id,
                    grouping,
                )
                for start in (None, datetime.combine(day - timedelta(days=100), time())):
                    scoped = queries.Scope(
                        end=end, start=start, course_id=course_id, force_ids=grouping.forces
                    )
                    spans = _histogram(queries._span_histogram(scoped, grouping), grouping)
                    coverage = _histogram(queries._coverage_histogram(scoped, grouping), grouping)
                    assert spans == coverage, (offset, course_id, grouping, start)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    officers=st.lists(OFFICER, min_size=1, max_size=6),
    assignments=st.lists(ASSIGNMENT, max_size=3),
    change=CHANGE,
    days=DAYS,
)
def test_the_kept_rollup_equals_the_statement_and_a_rebuild(database, officers, assignments, change, days):
    world = _build(officers, assignments)
    forces, _teams, courses, _people, _made = world
    _agree(forces, courses, [0, *days])
    _change(change, *world)
    _agree(forces, courses, [0, *days])
    kept = _kept()
    rollup.rebuild()
    assert _kept() == kept


def test_a_stale_rollup_is_not_read_until_rebuilt(database):
    """Marked stale (as migration 0027 marks one over existing officers), the figures come from
    the records; `rebuild` makes it readable again, with the same figures."""
    forces, _teams, courses, _people, _made = _build(
        [
            {
                "force": 0,
                "team": 0,
                "joined": 30,
                "kind": "police_officer",
                "lead": False,
                "started": [],
                "certificates": [(0, 10, 300, False)],
                "update": None,
            }
        ],
        [],
    )
    db.session.add(RollupStatus(name=rollup.NAME, stale=True))
    db.session.flush()
    assert rollup.state_counts(None, clock_today(), None, None) is None
    end = datetime.combine(clock_today() + timedelta(days=1), time())
    counts = queries.officer_state_counts(queries.Scope(end=end), queries.Grouping())
    assert counts[forces[0].id][0] == 1  # registered, from the records
    rollup.rebuild()
    assert rollup.state_counts(None, clock_today(), None, None) == counts


def test_a_new_officer_in_a_force_assigned_a_course_counts_from_the_day_they_join(database):
    """A write the features make (an officer added through the ORM) reaches the rollup in the
    same transaction: the force's whole-force assignment covers them and they are overdue once
    their own due date has passed."""
    forces, _teams, courses, _people, _made = _build(
        [],
        [{"force": 0, "course": 0, "scope": "force", "made": 100, "span": 10, "withdrawn": None}],
    )
    UserFactory(force=forces[0], created_at=_at(50), force_joined_at=_at(50))
    db.session.flush()
    counts = rollup.state_counts(courses[0].id, clock_today(), None, None)
    registered, overdue = counts[forces[0].id][0], counts[forces[0].id][3]
    assert (registered, overdue) == (1, 1)
    before = rollup.state_counts(courses[0].id, clock_today() - timedelta(days=45), None, None)
    assert before[forces[0].id][3] == 0  # joined 50 days ago with 10 days to do it: due 40 days ago


def test_a_refresh_that_changes_nothing_rewrites_nothing_and_a_later_due_date_leaves_the_covered(database):
    """An officer whose timelines and spans come out the same is left untouched: no statement
    deletes or inserts their rows. A second whole-force assignment of the same course due later
    changes nothing for officers already covered by the earlier one (the overdue day is the
    earlier due date's), so only the officer it newly covers is rewritten; the kept rollup still
    equals a rebuild."""
    from sqlalchemy import event

    forces, _teams, courses, _people, _made = _build(
        [
            {
                "force": 0,
                "team": 0,
                "joined": 200,
                "kind": WorkforceType.POLICE_OFFICER.value,
                "lead": False,
                "started": [],
                "certificates": [],
                "update": None,
            }
        ],
        [{"force": 0, "course": 0, "scope": "force", "made": 100, "span": 10, "withdrawn": None}],
    )
    covered = db.session.scalars(select(User).where(User.force_id == forces[0].id)).one()
    rollup.apply_pending()  # the build's own writes reach the rollup first
    written = []

    def _statement(_conn, _cursor, statement, _parameters, context, _many):
        if statement.lstrip().upper().startswith(("DELETE", "INSERT")) and (
            "officer_timelines" in statement or "coverage_spans" in statement
        ):
            rows = context.compiled_parameters  # by name, whatever the driver's style
            users = {v for row in rows for k, v in row.items() if k.startswith("user_id")}
            written.append((statement.split()[0].upper(), users))

    event.listen(db.engine, "before_cursor_execute", _statement)
    try:
        rollup.refresh([covered.id])
        assert written == []  # nothing changed, nothing rewritten
        newcomer = UserFactory(force=forces[0], created_at=_at(5), force_joined_at=_at(5))
        db.session.add(
            Assignment(
                force_id=forces[0].id,
                course_id=courses[0].id,
                scope="force",
                due_on=clock_today() + timedelta(days=60),
                created_at=_at(0),
            )
        )
        db.session.flush()
        rollup.apply_pending()
    finally:
        event.remove(db.engine, "before_cursor_execute", _statement)
    timelines = db.session.scalars(select(rollup.OfficerTimeline.user_id).distinct()).all()
    assert sorted(timelines) == sorted([covered.id, newcomer.id])
    # The newcomer's rows were written; the covered officer's were neither deleted nor inserted ...
    assert {verb for verb, _users in written} == {"DELETE", "INSERT"}
    assert set().union(*(users for _verb, users in written)) == {newcomer.id}
    kept = _kept()
    rollup.rebuild()
    assert _kept() == kept  # ... and the sums agree with the records
    _agree(forces, courses, [0, -30, 30, 90])
