"""Results stay with the force and team where the quiz was sat, dated by the submission."""

from datetime import date, datetime, time, timedelta

from app import clock
from app.assessments import services as assessments
from app.assessments.models import ModuleResult
from app.assignments.models import Assignment, AssignmentTarget
from app.metrics import services, summary
from tests.factories import ForceFactory, TeamFactory, UserFactory, make_course
from tests.integration.assignments.conftest import certify
from tests.integration.metrics.conftest import _stat


def _answers(attempt, right=True):
    return {entry["key"]: "a" if right else "b" for entry in attempt.question_keys}


def _result(database, user, module):
    return database.session.scalar(
        database.select(ModuleResult).where(
            ModuleResult.user_id == user.id, ModuleResult.module_id == module.id
        )
    )


def test_moving_force_and_team_never_drags_a_first_attempt_along(database):
    first, second = ForceFactory(headcount=100), ForceFactory(headcount=100)
    night, day = TeamFactory(force=first, name="Night"), TeamFactory(force=second, name="Day")
    course = make_course(n_modules=1, questions=2, lessons=1)
    [module] = course.modules
    officer = UserFactory(force=first, team=night)
    attempt = assessments.start_attempt(officer, module)
    assessments.submit_attempt(officer, attempt, _answers(attempt, right=False), attempt.module_version_id)

    officer.force_id, officer.team_id = second.id, day.id  # moves force and team
    database.session.flush()
    clock.travel(timedelta(days=2))  # past the cool-down, if any
    retry = assessments.start_attempt(officer, module)
    assessments.submit_attempt(officer, retry, _answers(retry), retry.module_version_id)

    result = _result(database, officer, module)
    assert (result.force_id, result.team_id) == (first.id, night.id)
    assert result.attempts == 2
    # The first force keeps the officer attempted (and, later, passed); the second has no result.
    filters = services.Filters(course=course.slug)
    old = services.force_report(first, filters, private=True).totals_metrics
    new = services.force_report(second, filters, private=True).totals_metrics
    assert old.modules[0].officers_attempted == 1
    assert new.modules == ()
    # By team, the result stays with Night, the team where it was sat.
    teams = {
        r["metrics"].force_name: r["metrics"]
        for r in services.force_report(first, filters, private=True).rows
    }
    assert teams["Night"].modules[0].officers_attempted == 1


def test_first_attempt_is_dated_by_its_submission_not_its_start(database):
    force = ForceFactory(headcount=100)
    course = make_course(n_modules=1, questions=2, lessons=1)
    [module] = course.modules
    officer = UserFactory(force=force)
    attempt = assessments.start_attempt(officer, module)
    started = attempt.started_at
    clock.travel(timedelta(days=1))
    assessments.submit_attempt(officer, attempt, _answers(attempt), attempt.module_version_id)
    result = _result(database, officer, module)
    assert result.first_attempt_at.date() == started.date() + timedelta(days=1)
    # A period ending the day the attempt was opened does not count it as assessed.
    day_opened = services.Filters(course=course.slug, date_to=started.date())
    assert services.force_report(force, day_opened, private=True).totals_metrics.modules == ()


def test_headline_counts_police_officers_only(database):
    force = ForceFactory(headcount=100, headcount_measure="fte")
    course = make_course(n_modules=1, questions=1, lessons=1, certificate_valid_months=12)
    certify(UserFactory(force=force), course)
    certify(UserFactory(force=force, workforce_type="special_constable"), course)
    certify(UserFactory(force=force, workforce_type="pcso"), course)
    summary.rebuild(course.id)
    m = services.force_report(force, services.Filters(course=course.slug), private=True).totals_metrics
    assert (m.certified, m.certified_other) == (1, 2)
    assert m.uptake == 1 / 100
    assert m.completion_rate == 3 / 3
    assert m.headcount_measure == "fte"


def test_days_to_completion_count_from_when_a_later_joiner_was_covered(database):
    today = clock.today()
    force = ForceFactory(headcount=100)
    course = make_course(n_modules=1, questions=1, lessons=1, certificate_valid_months=12)
    joined = datetime.combine(today - timedelta(days=20), time(9))
    officer = UserFactory(force=force, created_at=joined, force_joined_at=joined)
    database.session.add(
        Assignment(
            force_id=force.id,
            course_id=course.id,
            scope="force",
            due_on=today + timedelta(days=30),
            created_at=datetime.combine(today - timedelta(days=40), time(9)),
        )
    )
    certify(officer, course, issued_at=datetime.combine(today - timedelta(days=10), time(9)))
    summary.rebuild(course.id)
    m = services.force_report(force, services.Filters(course=course.slug), private=True).totals_metrics
    assert m.median_days_to_completion == 10  # from joining, not 30 from the assignment


def test_refresher_answers_count_under_the_original_questions_tags(database):
    force = ForceFactory(headcount=100)
    bank = make_course(n_modules=1, questions=1, lessons=1)
    refresher = make_course(n_modules=1, questions=1, lessons=1)
    [question] = bank.modules[0].current_version.questions
    question.tags = ["powers"]
    # Answers to the bank's question, sat in the refresher module (it draws from the bank).
    database.session.add(_stat(refresher.modules[0], question.key, force, 12, 4))
    database.session.flush()
    report = services.force_report(force, services.Filters(), private=True)
    assert [(t.text, t.responses) for t in report.tags] == [("powers", 12)]


def test_knowledge_gaps_follow_the_period_by_month(database):
    force = ForceFactory(headcount=100)
    course = make_course(n_modules=1, questions=1, lessons=1)
    [question] = course.modules[0].current_version.questions
    question.tags = ["powers"]
    module = course.modules[0]
    database.session.add_all(
        [
            _stat(module, question.key, force, 10, 1, month="2025-03"),
            _stat(module, question.key, force, 14, 7, month="2025-06"),
            _stat(module, question.key, force, 18, 0, month=None),  # summed before monthly tracking
        ]
    )
    database.session.flush()

    def responses(**period):
        report = services.force_report(force, services.Filters(**period), private=True)
        return [(t.text, t.responses) for t in report.tags]

    assert responses(date_from=date(2025, 3, 15), date_to=date(2025, 4, 30)) == [("powers", 10)]
    assert responses(date_from=date(2025, 5, 1), date_to=date(2025, 12, 31)) == [("powers", 14)]
    assert responses(date_to=date(2025, 12, 31)) == [("powers", 42)]  # no start: undated sums too


def test_mean_best_score_leaves_out_attempts_after_the_period(database):
    force = ForceFactory(headcount=100)
    course = make_course(n_modules=1, questions=2, lessons=1)
    [module] = course.modules
    officer = UserFactory(force=force)
    first_day = clock.today()
    attempt = assessments.start_attempt(officer, module)
    assessments.submit_attempt(officer, attempt, _answers(attempt, right=False), attempt.module_version_id)
    clock.travel(timedelta(days=2))
    retry = assessments.start_attempt(officer, module)
    assessments.submit_attempt(officer, retry, _answers(retry), retry.module_version_id)
    assert retry.percent == 100
    assert attempt.percent < 100

    def best(day):
        filters = services.Filters(course=course.slug, date_to=day)
        return services.force_report(force, filters, private=True).totals_metrics.modules[0].mean_best_score

    assert best(first_day) == attempt.percent  # the retry came after this period
    assert best(clock.today()) == 100


def test_completed_within_days_leaves_out_officers_covered_too_recently(database):
    today = clock.today()
    force = ForceFactory(headcount=100)
    course = make_course(n_modules=1, questions=1, lessons=1, certificate_valid_months=12)
    database.session.add(
        Assignment(
            force_id=force.id,
            course_id=course.id,
            scope="force",
            due_on=today,
            created_at=datetime.combine(today - timedelta(days=100), time(9)),
        )
    )

    def officer(joined_ago, completed_after=None):
        joined = datetime.combine(today - timedelta(days=joined_ago), time(9))
        user = UserFactory(force=force, created_at=joined, force_joined_at=joined)
        if completed_after is not None:
            certify(user, course, issued_at=joined + timedelta(days=completed_after))

    officer(100, completed_after=10)  # within 30
    officer(100, completed_after=50)  # within 60, not 30
    officer(100)  # never
    officer(40, completed_after=35)  # covered 40 days: counted for 30 only, not within it
    officer(20, completed_after=5)  # covered 20 days ago: in no denominator yet
    summary.rebuild(course.id)
    m = services.force_report(force, services.Filters(course=course.slug), private=True).totals_metrics
    c = m.counts
    assert (c.covered_30, c.within_30) == (4, 1)
    assert (c.covered_60, c.within_60) == (3, 2)
    assert (c.covered_90, c.within_90) == (3, 2)
    assert m.completed_within_60 == 2 / 3


def test_all_courses_counts_officers_certified_for_every_course_they_are_on(database):
    today = clock.today()
    force = ForceFactory(headcount=100)
    first = make_course(n_modules=1, questions=1, lessons=1, certificate_valid_months=12)
    second = make_course(n_modules=1, questions=1, lessons=1, certificate_valid_months=12)
    long_ago = datetime.combine(today - timedelta(days=200), time(9))
    both, one_of_two, only_first = (
        UserFactory(force=force, created_at=long_ago, force_joined_at=long_ago) for _ in range(3)
    )
    for course in (first, second):
        certify(both, course)
    certify(one_of_two, first)
    certify(only_first, first)
    # one_of_two is also assigned the second course and has not begun it; only_first is not on it.
    assignment = Assignment(
        force_id=force.id, course_id=second.id, scope="officers", due_on=today, created_at=long_ago
    )
    database.session.add(assignment)
    database.session.flush()
    database.session.add(AssignmentTarget(assignment_id=assignment.id, user_id=one_of_two.id))
    database.session.add(AssignmentTarget(assignment_id=assignment.id, user_id=both.id))
    database.session.flush()
    summary.rebuild()
    m = services.force_report(force, services.Filters(), private=True).totals_metrics
    assert (m.registered, m.completed, m.certified) == (3, 2, 2)  # both, only_first
