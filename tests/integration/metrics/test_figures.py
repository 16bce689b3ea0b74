"""Every metric on the hand-built dataset (conftest.py); expected numbers worked out by hand."""

from datetime import date

import pytest

from app.metrics import disclosure, queries, services, summary
from app.metrics.definitions import Suppressed

FILTERS = dict(course="fr-test", date_from=date(2025, 1, 1), date_to=date(2025, 12, 31))


@pytest.fixture
def avon_report(dataset):
    return services.force_report(dataset["avon"], services.Filters(**FILTERS), private=True)


def test_officer_counts(avon_report):
    m = avon_report.totals_metrics
    # a1-a6 are active officers registered in 2024; a7 is inactive.
    assert m.registered == 6
    # a1-a5 have module results before the end; a6 read a lesson of module 2.
    assert m.started == 6
    # a1, a2 (2025) and a5 (2024) were issued unrevoked certificates; a4's was revoked, a7 is inactive.
    assert m.completed == 3
    # On 31 Dec 2025 a1 (expires 20 Jan 2026) and a2 hold valid ones; a5's expired on 2 Nov 2025.
    assert m.certified == 2
    assert m.uptake == pytest.approx(2 / 100)  # 2 currently certified / officer figure 100
    assert m.completion_rate == pytest.approx(2 / 6)  # 2 currently certified / 6 registered
    # Whole-force assignment due 30 Jun 2025: a3 (no certificate), a4 (revoked), a6 (none) and
    # a5, whose certificate expired before the period's last day (the assignment pages agree).
    assert m.overdue == 4


def test_overdue_list_names_the_earliest_due_then_by_name(dataset):
    # The four overdue (a3-a6) share the whole-force assignment's due date, so by name; the first
    # two listed carry their teams and the course, the total counts all four.
    scope, _course = services.scope_for(services.Filters(**FILTERS))
    listed, total = queries.overdue_officers(scope, dataset["avon"].id, limit=2)
    assert total == 4
    assert [(o.name, o.team, o.course_title, o.due_on) for o in listed] == [
        ("Caspian Thorne", "Night Owls Unit", "First responder (test)", date(2025, 6, 30)),
        ("Isolde Marchbank", "Response Team Two", "First responder (test)", date(2025, 6, 30)),
    ]
    everyone, _total = queries.overdue_officers(scope, dataset["avon"].id)
    assert [o.name for o in everyone] == [
        "Caspian Thorne",
        "Isolde Marchbank",
        "Lysander Crow",
        "Perpetua Vane",
    ]


def test_certificate_states(avon_report):
    m = avon_report.totals_metrics
    # Period end 2026-01-01; expiring means before 2026-03-02 (60 days).
    assert m.certificates_valid == 1  # a2, expires 2026-04-02
    assert m.certificates_expiring == 1  # a1, expires 2026-01-20
    assert m.certificates_expired == 1  # a5, expired 2025-11-02


def test_module_figures(avon_report):
    m1, m2 = avon_report.totals_metrics.modules
    # M1 first attempts in 2025: a1 (90, passed 1st), a2 (80, passed 3rd), a3 (60, not passed),
    # a4 (95, passed 1st); a5's first attempt was in 2024.
    assert m1.officers_attempted == 4
    assert m1.passes == 3
    assert m1.first_time_pass_rate == pytest.approx(2 / 4)
    assert m1.mean_attempts_to_pass == pytest.approx((1 + 3 + 1) / 3)
    assert m1.mean_best_score == pytest.approx((90 + 80 + 60 + 95) / 4)
    # M2: a1 (85, passed 2nd), a2 (100, passed 1st).
    assert (m2.officers_attempted, m2.passes) == (2, 2)
    assert m2.first_time_pass_rate == pytest.approx(1 / 2)
    assert m2.mean_attempts_to_pass == pytest.approx((2 + 1) / 2)
    assert m2.mean_best_score == pytest.approx((85 + 100) / 2)


def test_force_assessment_figures(avon_report):
    m = avon_report.totals_metrics
    assert m.counts.officers_assessed == 4  # a1, a2, a3, a4
    assert m.counts.officers_passed == 3  # a1, a2, a4
    assert m.first_time_pass_rate == pytest.approx((2 + 1) / (4 + 2))  # 0.5
    assert m.mean_attempts_to_pass == pytest.approx((5 + 3) / (3 + 2))  # 1.6
    assert m.mean_best_score == pytest.approx((325 + 185) / 6)  # 85.0


def test_confidence_gain(avon_report):
    m = avon_report.totals_metrics
    # a1: M1 2->4 (+2), M2 3->4 (+1), mean +1.5; a2: M1 1->4 (+3); a3 rated before only.
    assert m.counts.confidence_gain_count == 2
    assert m.mean_confidence_gain == pytest.approx((1.5 + 3) / 2)


def test_median_days_to_completion(avon_report, dataset):
    m = avon_report.totals_metrics
    # Assigned 1 Feb 2025. a1 completed 10 Mar (28 + 9 = 37 days), a2 2 Apr (28 + 31 + 1 = 60);
    # a5 completed before the assignment, a4's certificate is revoked. Median of 37, 60.
    assert m.counts.days_to_completion_count == 2
    assert m.median_days_to_completion == pytest.approx((37 + 60) / 2)


def test_median_with_odd_count_and_national(dataset, database):
    from datetime import datetime

    from app.auth.models import User
    from tests.integration.metrics.conftest import _certificate

    a6 = database.session.scalar(database.select(User).where(User.name == "Isolde Marchbank"))
    certificate = _certificate(a6, dataset["course"], datetime(2025, 2, 5), None)
    database.session.add(certificate)
    database.session.flush()
    summary.note_certificate(certificate)  # as the certificate write path does
    report = services.national_report(services.Filters(**FILTERS))
    avon = next(r["metrics"] for r in report.rows if r["code"] == "avon-t")
    # Avon now has 4, 37 and 60 days: the median is 37. Nationally too (Bristol has none).
    assert avon.median_days_to_completion == 37
    assert report.totals_metrics.median_days_to_completion == 37


def test_team_breakdown(avon_report, dataset):
    teams = {r["metrics"].force_name: r["metrics"] for r in avon_report.rows}
    night, response = teams["Night Owls Unit"], teams["Response Team Two"]
    # Team 1: a1, a2, a3; team 2: a4, a5, a6 (a7 inactive).
    assert (night.registered, night.completed, night.overdue) == (3, 2, 1)
    assert (response.registered, response.completed, response.overdue) == (3, 1, 3)  # a4, a5, a6
    assert night.mean_confidence_gain == pytest.approx(2.25)
    assert night.median_days_to_completion == pytest.approx(48.5)
    assert [m.officers_attempted for m in night.modules] == [3, 2]  # a1, a2, a3 / a1, a2


def test_an_officers_results_in_two_teams_add_up_per_module_and_count_once(dataset, database):
    """The lead's force module rows are the sums of its teams' (a result row has one team); the
    officers assessed are counted for the force, where an officer in two teams is one officer."""
    from app.assessments.models import ModuleResult

    avon, m2 = dataset["avon"], dataset["m2"]
    moved = database.session.scalar(  # a1's module 2 result (a1 is the first to sit it)
        database.select(ModuleResult).where(ModuleResult.module_id == m2.id).order_by(ModuleResult.id)
    )
    response = next(t for t in queries.team_groups(avon.id) if t.name == "Response Team Two")
    moved.team_id = response.id  # a1 sat module 2 after moving to Response Team Two
    database.session.flush()
    report = services.force_report(avon, services.Filters(**FILTERS), private=True)
    teams = {r["metrics"].force_name: r["metrics"] for r in report.rows}
    night, moved_to = teams["Night Owls Unit"], teams["Response Team Two"]
    forces = report.totals_metrics
    assert [m.officers_attempted for m in night.modules] == [3, 1]  # a1, a2, a3 / a2
    assert [m.officers_attempted for m in moved_to.modules] == [1, 1]  # a4 / a1
    assert [m.officers_attempted for m in forces.modules] == [4, 2]  # the teams' sums
    assert [m.mean_best_score for m in forces.modules] == pytest.approx(
        [(90 + 80 + 60 + 95) / 4, (85 + 100) / 2]
    )
    assert forces.counts.officers_assessed == 4  # a1 once, though in both teams
    assert night.counts.officers_assessed + moved_to.counts.officers_assessed == 5
    # The commissioner's view of the force (counted for the force alone) gives the same rows.
    alone = services.force_report(avon, services.Filters(**FILTERS), private=False).totals_metrics
    assert alone.modules == forces.modules
    assert alone.counts.officers_assessed == forces.counts.officers_assessed


def test_trend(avon_report):
    trend = {row.month: row for row in avon_report.trend}
    # a5 completed in Nov 2024 (opening total 1); a1 in Mar 2025, a2 in Apr 2025.
    assert list(trend)[0] == "2025-01"
    assert list(trend)[-1] == "2025-12"
    assert (trend["2025-01"].completions, trend["2025-01"].cumulative) == (0, 1)
    assert (trend["2025-03"].completions, trend["2025-03"].cumulative) == (1, 2)
    assert (trend["2025-04"].completions, trend["2025-04"].cumulative) == (1, 3)
    assert trend["2025-12"].uptake == pytest.approx(3 / 100)
    assert not any(row.partial for row in avon_report.trend)  # the period ends on 31 December


def test_the_month_a_period_ends_in_is_marked_so_far(dataset):
    filters = services.Filters(course="fr-test", date_from=date(2025, 1, 1), date_to=date(2025, 4, 10))
    report = services.force_report(dataset["avon"], filters, private=True)
    assert [(row.month, row.partial) for row in report.trend][-2:] == [("2025-03", False), ("2025-04", True)]
    assert report.trend[-1].label == "2025-04 (so far)"
    assert "2025-04 (so far)" in report.completions_chart


def test_knowledge_gaps_nationally(dataset):
    report = services.national_report(services.Filters(**FILTERS))
    # q1a: 3 of 10 (Avon) + 4 of 5 (Bristol) = 7 / 15; q1b: 9 / 10.
    assert [q.question_key for q in report.questions] == [dataset["q1a"].key, dataset["q1b"].key]
    assert report.questions[0].facility == pytest.approx(7 / 15)
    assert report.questions[0].officers == 15
    assert [(t.text, t.facility) for t in report.tags] == [
        ("powers", pytest.approx(7 / 15)),
        ("situational-indicators", pytest.approx(0.9)),
    ]
    by_force = {force.code: gap for force, gap in report.weakest_by_force}
    assert by_force["avon-t"].text == "powers"
    assert by_force["avon-t"].facility == 0.3
    # Bristol's 5 officers are under the threshold of 10 different officers: nothing is ranked.
    assert by_force["bristol-t"] is None


def _users(database, *names):
    from app.auth.models import User

    return database.session.scalars(database.select(User).where(User.name.in_(names))).all()


def published(users):
    """The count of these officers as published: independent of the report's own key sums."""
    return disclosure.shown(disclosure.Cell(len(users), sum(u.record_key for u in users)))


def test_national_totals_are_perturbed_cells_of_their_own(dataset, database):
    report = services.national_report(services.Filters(**FILTERS))
    rows = {r["code"]: r["shown"] for r in report.rows}
    avon, bristol = rows["avon-t"], rows["bristol-t"]
    # Every count of 6 or fewer officers is [c] whatever its noise (at most 3; threshold 10), and
    # so is every rate over one. A true 0 (Bristol's overdue: b2 is due on the last day) is [c]
    # too, so that a zero cannot be told from a small count.
    for key in ("registered", "started", "completed", "certified", "completion_rate", "overdue"):
        assert isinstance(bristol[key], Suppressed), key
        assert str(bristol[key]) == "[c]"
    assert bristol["uptake"] is None  # the officer figure is unknown (public): [x], not [c]
    assert isinstance(avon["uptake"], Suppressed)  # 2 certified
    assert isinstance(avon["registered"], Suppressed)  # 6 officers
    # Totals: registered a1-a6 and b1, b2 (8 officers), a cell with its own people and noise.
    registered = _users(database, *dataset["names"][:6], *dataset["names"][7:9])
    assert len(registered) == 8
    expected = published(registered)
    assert totals_value(report.totals["registered"]) == expected
    # The same people give the same figure on every page: Avon alone equals its drill-down.
    drill = services.force_report(dataset["avon"], services.Filters(**FILTERS), private=False)
    assert {k: str(v) for k, v in drill.totals.items() if k not in ("force_name",)} == {
        k: str(v) for k, v in avon.items() if k not in ("force_name",)
    }
    # National uptake uses Avon only (Bristol's figure is unknown): 2 currently certified / 100.
    assert report.totals_metrics.uptake == pytest.approx(0.02)
    assert report.totals_metrics.uptake_excluded == ("bristol-t",)


def totals_value(value):
    return None if isinstance(value, Suppressed) else value


def test_filters_nation_and_sort(dataset):
    report = services.national_report(services.Filters(nation="Wales", **FILTERS))
    assert [r["code"] for r in report.rows] == ["bristol-t"]
    report = services.national_report(services.Filters(sort="mean_best_score", direction="desc", **FILTERS))
    # Avon 85.0 (6 officer-modules); Bristol's rests on 1 officer so it sorts last.
    assert [r["code"] for r in report.rows][:2] == ["avon-t", "bristol-t"]


def test_all_courses_counts_any_certificate(dataset):
    report = services.force_report(
        dataset["avon"], services.Filters(date_to=date(2025, 12, 31)), private=True
    )
    assert report.totals_metrics.completed == 3
    assert report.period == "up to 31 December 2025"


def test_a_topic_is_ranked_on_different_officers_never_on_answers(database):
    from tests.factories import ForceFactory, make_course
    from tests.integration.metrics.conftest import _stat

    force = ForceFactory(headcount=100)
    course = make_course(n_modules=1, questions=5, lessons=1)
    module = course.modules[0]
    questions = module.current_version.questions
    for question in questions:
        question.tags = ["s30-breach"]
    # One officer answered all five questions of the topic: five answers, one officer.
    database.session.add_all([_stat(module, q.key, force, 1, 1) for q in questions])
    database.session.flush()
    report = services.force_report(force, services.Filters(), private=False)
    assert report.tags == []
    assert report.questions == []
    # Nine more officers answered the first question: 10 different officers, so it is ranked.
    database.session.add(_stat(module, questions[0].key, force, 9, 0, month="2025-06"))
    database.session.flush()
    report = services.force_report(force, services.Filters(), private=False)
    assert [t.text for t in report.tags] == ["s30-breach"]
    assert [q.question_key for q in report.questions] == [questions[0].key]
