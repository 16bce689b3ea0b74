"""One truth: the status rule for one person, the SQL aggregates and the pages agree.

Hypothesis builds random officers (joining before or after the assignment, in one team or the
other), one assignment (whole force, one team or named officers, due on any day around today) and
certificates (none, revoked, expired, expiring today, expiring soon, valid, no expiry). The
expected figures are worked out person by person with the pure rules of app.assignments.status;
the lead's report (SQL aggregates), the assignment page and the attention list must say the same.
Compared before any disclosure control (the lead's private view).
"""

import secrets
from dataclasses import replace
from datetime import datetime, time, timedelta

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.assignments import queries as assignment_queries
from app.assignments import status as rules
from app.assignments.models import Assignment, AssignmentTarget
from app.auth.models import User
from app.auth.workforce import WorkforceType
from app.certificates.models import Certificate
from app.clock import today as clock_today
from app.extensions import db
from app.metrics import queries, services, summary
from tests.factories import ForceFactory, TeamFactory, UserFactory, make_course

CERTIFICATE = st.one_of(
    st.none(),
    st.tuples(
        st.integers(min_value=1, max_value=400),  # issued this many days ago
        st.one_of(st.none(), st.integers(min_value=-30, max_value=90)),  # expires in (None: never)
        st.booleans(),  # revoked
    ),
)
OFFICER = st.tuples(
    st.integers(min_value=-40, max_value=40),  # joined, days after the assignment was made
    st.booleans(),  # in team A
    CERTIFICATE,
    st.booleans(),  # named, when the assignment names officers
)
CASE = st.tuples(
    st.sampled_from(("force", "teams", "officers")),
    st.integers(min_value=1, max_value=60),  # the assignment was made this many days ago
    st.integers(min_value=0, max_value=60),  # and gave this many days
    st.lists(OFFICER, min_size=1, max_size=6),
)


def _at(day) -> datetime:
    return datetime.combine(day, time(12))


def _build(case):
    scope, made_ago, span, officers = case
    today = clock_today()
    created = today - timedelta(days=made_ago)
    course = make_course(n_modules=1, questions=1, lessons=1, certificate_valid_months=12)
    force = ForceFactory(headcount=100)
    team_a, team_b = TeamFactory(force=force), TeamFactory(force=force)
    assignment = Assignment(
        force_id=force.id,
        course_id=course.id,
        scope=scope,
        due_on=created + timedelta(days=span),
        created_at=_at(created),
    )
    db.session.add(assignment)
    db.session.flush()
    if scope == "teams":
        db.session.add(AssignmentTarget(assignment_id=assignment.id, team_id=team_a.id))
    people = []
    for joined_after, in_a, certificate, named in officers:
        joined = _at(min(created + timedelta(days=joined_after), today))  # nobody joins in the future
        team = team_a if in_a else team_b
        user = UserFactory(
            force=force, team=team, created_at=joined, force_joined_at=joined, team_joined_at=joined
        )
        if scope == "officers" and named:
            db.session.add(AssignmentTarget(assignment_id=assignment.id, user_id=user.id))
        held = None
        if certificate is not None:
            issued_ago, expires_in, revoked = certificate
            issued = today - timedelta(days=issued_ago)
            expires = None if expires_in is None else today + timedelta(days=expires_in)
            db.session.add(
                Certificate(
                    serial=secrets.token_hex(8),
                    user_id=user.id,
                    course_id=course.id,
                    force_id=force.id,
                    cycle=1,
                    holder_name=user.name,
                    course_slug=course.slug,
                    course_title=course.title,
                    course_version="1",
                    modules=[],
                    issued_at=_at(issued),
                    expires_on=expires,
                    revoked_at=_at(today) if revoked else None,
                )
            )
            held = None if revoked else (issued, expires)
        covered = scope == "force" or (scope == "teams" and in_a) or (scope == "officers" and named)
        joined_on = joined.date() if scope != "officers" else None
        due = rules.personal_due_on(assignment.due_on, created, joined_on)
        people.append((covered, due, held))
    db.session.flush()
    summary.rebuild(course.id)
    return force, course, assignment, people


def _expected(people):
    """Counts from the one-person rules, over the officers the report counts (registered for
    the course: covered by the assignment or holding a certificate of it)."""
    today = clock_today()
    counts = {
        "registered": 0,
        "overdue": 0,
        "certified": 0,
        rules.VALID: 0,
        rules.EXPIRING: 0,
        rules.EXPIRED: 0,
    }
    for covered, due, held in people:
        if not covered and held is None:
            continue
        counts["registered"] += 1
        issued, expires = held or (None, None)
        if covered and rules.is_overdue(due, today, issued_on=issued, expires_on=expires):
            counts["overdue"] += 1
        if held is not None:
            counts["certified"] += rules.is_certified(issued, expires, today)
            counts[rules.certificate_state(expires, today)] += 1
    return counts


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=CASE)
def test_rule_sql_and_pages_agree(database, case):
    force, course, assignment, people = _build(case)
    expected = _expected(people)

    report = services.force_report(force, services.Filters(course=course.slug), private=True)
    m = report.totals_metrics
    sql = {
        "registered": m.registered,
        "overdue": m.overdue,
        "certified": m.certified,
        rules.VALID: m.certificates_valid,
        rules.EXPIRING: m.certificates_expiring,
        rules.EXPIRED: m.certificates_expired,
    }
    assert sql == expected

    # The assignment page and the attention list (Python, one person at a time).
    statuses = assignment_queries.officer_statuses(assignment)
    assert sum(s.derived.status == rules.OVERDUE for s in statuses) == expected["overdue"]
    assert len(statuses) == sum(covered for covered, _due, _held in people)
    _summaries, flagged = assignment_queries.force_overview(force.id)
    assert len(flagged) == expected["overdue"]
    # The named overdue list on the lead's dashboard.
    assert report.overdue_total == expected["overdue"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=CASE, second_course=st.booleans(), police=st.booleans())
def test_the_headlines_certified_statement_agrees_with_the_officer_states(
    database, case, second_course, police
):
    """certified_counts (the headline's month-earlier figure, read with fewer joins) equals the
    certified column of officer_state_counts, for one course and for all courses (where an officer
    assigned a course they have not begun is not certified), today and a month earlier."""
    force, course, _assignment, _people = _build(case)
    if second_course:  # a second course assigned to the whole force, begun by nobody
        other = make_course(n_modules=1, questions=1, lessons=1)
        db.session.add(
            Assignment(
                force_id=force.id,
                course_id=other.id,
                scope="force",
                due_on=clock_today(),
                created_at=datetime.combine(clock_today() - timedelta(days=90), time()),
            )
        )
    if not police:  # the headline counts police officers only
        for user in db.session.scalars(select(User).where(User.force_id == force.id)).all()[:2]:
            user.workforce_type = WorkforceType.PCSO.value
    db.session.flush()
    grouping = queries.Grouping(force_ids=(force.id,))
    today = services.scope_for(services.Filters())[0]
    column = queries.STATE_FIELDS.index("certified")
    for course_id in (course.id, None):
        for scope in (
            replace(today, course_id=course_id),
            queries.month_before(replace(today, course_id=course_id)),
        ):
            full = queries.officer_state_counts(replace(scope, force_ids=(force.id,)), grouping)
            slim = queries.certified_counts(scope, grouping)
            expected = {
                key: (row[column], row[len(queries.STATE_FIELDS) + column])
                for key, row in full.items()
                if row[column]
            }
            assert slim == expected, (course_id, scope.end)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=CASE, days_ago=st.integers(min_value=0, max_value=120), with_start=st.booleans())
# Both teams covered for over 30 days, one officer certified: every summed figure is non-zero.
@example(
    case=(
        "force",
        45,
        10,
        [(0, True, None, False), (0, False, (5, None, False), False), (-10, False, None, False)],
    ),
    days_ago=0,
    with_start=False,
)
def test_the_leads_force_row_summed_from_its_teams_equals_the_force_counted_alone(
    database, case, days_ago, with_start
):
    """force_and_team_counts (the lead's dashboard) gives the force row force_counts gives for the
    force, and the team rows it gives by team, on any reference day, with or without a start."""
    force, course, _assignment, _people = _build(case)
    today = services.scope_for(services.Filters())[0]
    scope = replace(today, end=today.end - timedelta(days=days_ago))
    if with_start:
        scope = replace(scope, start=scope.end - timedelta(days=75))
    [group] = queries.force_groups([force])
    teams = queries.team_groups(force.id)
    for course_id in (course.id, None):
        in_scope = replace(scope, course_id=course_id)
        summed, team_rows = queries.force_and_team_counts(in_scope, group, teams)
        [alone] = queries.force_counts(in_scope, [group], queries.Grouping(force_ids=(force.id,)))
        by_team = queries.force_counts(in_scope, teams, queries.Grouping(team_force_id=force.id))
        assert summed == alone
        assert team_rows == by_team
        if course_id is None and days_ago == 0:  # every officer is registered: the case is not empty
            assert alone.registered == len(case[3])
