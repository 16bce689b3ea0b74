"""A small hand-built dataset: two forces, a two-module course, results, certificates, ratings.

Every expected figure in the tests is worked out by hand from the rows below (see each test).
The report period is 1 Jan 2025 to 31 Dec 2025, so the period end is 2026-01-01 00:00.
"""

from datetime import date, datetime

import pytest

from app.assessments.models import ConfidenceRating, ModuleResult, QuestionStat
from app.assignments.models import Assignment, AssignmentTarget
from app.certificates.models import Certificate
from app.courses.models import LessonProgress
from app.metrics import summary
from tests.factories import ForceFactory, TeamFactory, UserFactory, make_course

REGISTERED = datetime(2024, 6, 1)
SECRET_NAME = "Zebedee Quillfeather"
SECRET_EMAIL = "zebedee.quillfeather@secret.police.uk"
SECRET_TEAM = "Night Owls Unit"
PERIOD = {"date_from": "2025-01-01", "date_to": "2025-12-31"}


def _result(user, module, *, attempts, best, first_at, passed_at=None, to_pass=None, first_passed=False):
    return ModuleResult(
        user_id=user.id,
        module_id=module.id,
        force_id=user.force_id,
        team_id=user.team_id,
        attempts=attempts,
        best_percent=best,
        first_attempt_at=first_at,
        passed_at=passed_at,
        attempts_to_pass=to_pass,
        first_attempt_passed=first_passed,
    )


def _certificate(user, course, issued, expires, revoked=None):
    return Certificate(
        serial=f"T-{user.id}-{issued:%Y%m%d}",
        user_id=user.id,
        course_id=course.id,
        force_id=user.force_id,
        holder_name=user.name,
        force_name=user.force.name,
        course_slug=course.slug,
        course_title=course.title,
        course_version="1",
        modules=[],
        issued_at=issued,
        expires_on=expires,
        revoked_at=revoked,
    )


def _rating(user, module, stage, rating, at):
    return ConfidenceRating(
        user_id=user.id, module_id=module.id, force_id=user.force_id, stage=stage, rating=rating, rated_at=at
    )


def _stat(module, key, force, n, right, month="2025-05"):
    return QuestionStat(
        module_id=module.id,
        question_key=key,
        force_id=force.id,
        month=month,
        n=n,
        sum_x=right,
        sum_x2=right,
        sum_y=n * 0.5,
        sum_y2=n * 0.3,
        sum_xy=right * 0.6,
        max_points=1.0,
    )


@pytest.fixture
def dataset(database):
    """Avon (headcount 100, two teams, officers a1-a6 active, a7 inactive) and Bristol
    (headcount unknown, officers b1-b3)."""
    session = database.session
    avon = ForceFactory(
        code="avon-t", name="Avon Test Constabulary", headcount=100, nation="England", type="territorial"
    )
    bristol = ForceFactory(
        code="bristol-t", name="Bristol Test Police", headcount=None, nation="Wales", type="special"
    )
    course = make_course(n_modules=2, questions=2, lessons=1, slug="fr-test", title="First responder (test)")
    m1, m2 = course.modules
    q1a, q1b = m1.current_version.questions
    q1a.tags, q1b.tags = ["powers"], ["situational-indicators"]
    t1 = TeamFactory(force=avon, name=SECRET_TEAM)
    t2 = TeamFactory(force=avon, name="Response Team Two")

    def officer(force, team=None, **kw):
        return UserFactory(
            force=force,
            team=team,
            created_at=REGISTERED,
            force_joined_at=REGISTERED,
            team_joined_at=REGISTERED if team else None,
            **kw,
        )

    a1 = officer(avon, t1, name=SECRET_NAME, email=SECRET_EMAIL)
    a2, a3 = officer(avon, t1, name="Ottoline Brackenbury"), officer(avon, t1, name="Caspian Thorne")
    a4, a5 = officer(avon, t2, name="Perpetua Vane"), officer(avon, t2, name="Lysander Crow")
    a6 = officer(avon, t2, name="Isolde Marchbank")
    a7 = officer(avon, t2, name="Inactive Person", active=False)
    b1, b2 = officer(bristol, name="Bartholomew Quist"), officer(bristol, name="Winifred Ashdown")
    officer(bristol, name="Cornelius Pike")

    d = datetime
    session.add_all(
        [
            _result(
                a1,
                m1,
                attempts=1,
                best=90,
                first_at=d(2025, 2, 20),
                passed_at=d(2025, 3, 1),
                to_pass=1,
                first_passed=True,
            ),
            _result(a1, m2, attempts=2, best=85, first_at=d(2025, 3, 5), passed_at=d(2025, 3, 10), to_pass=2),
            _result(a2, m1, attempts=3, best=80, first_at=d(2025, 3, 1), passed_at=d(2025, 4, 1), to_pass=3),
            _result(
                a2,
                m2,
                attempts=1,
                best=100,
                first_at=d(2025, 4, 1),
                passed_at=d(2025, 4, 1),
                to_pass=1,
                first_passed=True,
            ),
            _result(a3, m1, attempts=2, best=60, first_at=d(2025, 5, 1)),
            _result(
                a4,
                m1,
                attempts=1,
                best=95,
                first_at=d(2025, 4, 1),
                passed_at=d(2025, 4, 1),
                to_pass=1,
                first_passed=True,
            ),
            _result(
                a5,
                m1,
                attempts=1,
                best=70,
                first_at=d(2024, 11, 1),
                passed_at=d(2024, 11, 1),
                to_pass=1,
                first_passed=True,
            ),
            _result(
                b1,
                m1,
                attempts=1,
                best=90,
                first_at=d(2025, 5, 1),
                passed_at=d(2025, 5, 1),
                to_pass=1,
                first_passed=True,
            ),
            LessonProgress(
                user_id=a6.id,
                lesson_id=m2.current_version.lessons[0].id,
                module_version_id=m2.current_version_id,
                first_read_at=d(2025, 6, 1),
                last_read_at=d(2025, 6, 1),
            ),
            _certificate(a1, course, d(2025, 3, 10, 12), date(2026, 1, 20)),  # expiring
            _certificate(a2, course, d(2025, 4, 2, 9), date(2026, 4, 2)),  # valid
            _certificate(a5, course, d(2024, 11, 2), date(2025, 11, 2)),  # expired
            _certificate(a4, course, d(2025, 5, 1), date(2026, 5, 1), revoked=d(2025, 6, 1)),
            _certificate(a7, course, d(2025, 5, 1), date(2026, 5, 1)),  # inactive officer
            _certificate(b1, course, d(2025, 6, 1), date(2026, 6, 1)),
            _rating(a1, m1, "before", 2, d(2025, 2, 20)),
            _rating(a1, m1, "after", 4, d(2025, 3, 1)),
            _rating(a1, m2, "before", 3, d(2025, 3, 5)),
            _rating(a1, m2, "after", 4, d(2025, 3, 10)),
            _rating(a2, m1, "before", 1, d(2025, 3, 1)),
            _rating(a2, m1, "after", 4, d(2025, 4, 1)),
            _rating(a3, m1, "before", 2, d(2025, 5, 1)),
            _rating(b1, m1, "before", 3, d(2025, 5, 1)),
            _rating(b1, m1, "after", 3, d(2025, 5, 1)),
            _stat(m1, q1a.key, avon, 10, 3),
            _stat(m1, q1a.key, bristol, 5, 4),
            _stat(m1, q1b.key, avon, 10, 9),
        ]
    )
    whole_force = Assignment(
        force_id=avon.id,
        course_id=course.id,
        scope="force",
        due_on=date(2025, 6, 30),
        created_at=d(2025, 2, 1),
    )
    one_officer = Assignment(
        force_id=bristol.id,
        course_id=course.id,
        scope="officers",
        due_on=date(2025, 12, 31),
        created_at=d(2025, 3, 1),
    )
    session.add_all([whole_force, one_officer])
    session.flush()
    session.add(AssignmentTarget(assignment_id=one_officer.id, user_id=b2.id))
    session.flush()
    # The rows above were inserted directly, not through the write paths that keep the metrics
    # summary in step, so build it as `flask metrics rebuild` would.
    summary.rebuild()
    return {
        "avon": avon,
        "bristol": bristol,
        "course": course,
        "m1": m1,
        "m2": m2,
        "q1a": q1a,
        "q1b": q1b,
        "t1": t1,
        "t2": t2,
        "lead": UserFactory(force=avon, role="training_lead", name="Lead Person"),
        "commissioner": UserFactory(force=None, role="commissioner", name="The Commissioner"),
        "admin": UserFactory(force=None, role="admin", name="Admin Person"),
        "names": [u.name for u in (a1, a2, a3, a4, a5, a6, a7, b1, b2)],
        "emails": [u.email for u in (a1, a2, a3, a4, a5, a6, a7, b1, b2)],
    }
