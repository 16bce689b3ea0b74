"""ModuleResult and QuestionStat after submissions, with hand-computed numbers; item analysis."""

import pytest

from app import clock
from app.assessments import queries, services
from app.assessments.models import ModuleResult, QuestionStat
from app.extensions import db
from tests.factories import ForceFactory, UserFactory
from tests.integration.assessments.conftest import ALL_RIGHT, ALL_WRONG

# docs/scoring.md's worked example: van 1/1, signs 1/6 of 1, peace 1 of 2: total 13/6 of 4.
WORKED = {"van": "a", "signs": ["a", "c"], "peace": ["a", "c", "b", "d"]}


def _take(user, version, answers):
    attempt = services.start_attempt(user, version.module)
    services.submit_attempt(user, attempt, answers, attempt.module_version_id)
    return attempt


def _stats(force_id):
    rows = db.session.scalars(db.select(QuestionStat).where(QuestionStat.force_id == force_id))
    return {r.question_key: r for r in rows}


def test_module_result_tracks_attempts_best_and_first_pass(database, officer, quiz):
    first = _take(officer, quiz, WORKED)
    result = db.session.scalar(db.select(ModuleResult))
    assert (result.attempts, result.best_percent, result.best_attempt_id) == (1, 54.17, first.id)
    assert result.first_attempt_at == first.submitted_at  # dated by the submission
    assert result.passed_at is None
    assert result.attempts_to_pass is None
    assert result.first_attempt_passed is False
    assert result.force_id == officer.force_id
    _take(officer, quiz, ALL_WRONG)
    assert (result.attempts, result.best_percent, result.best_attempt_id) == (2, 54.17, first.id)
    clock.travel(__import__("datetime").timedelta(hours=1))
    third = _take(officer, quiz, ALL_RIGHT)
    assert (result.attempts, result.best_percent, result.best_attempt_id) == (3, 100, third.id)
    assert result.passed_at == third.submitted_at
    assert result.attempts_to_pass == 3
    assert result.first_attempt_passed is False
    _take(officer, quiz, ALL_WRONG)  # a later, worse attempt changes neither best nor pass
    assert (result.attempts, result.best_percent, result.attempts_to_pass) == (4, 100, 3)
    assert result.passed_at == third.submitted_at


def test_first_attempt_pass_is_recorded(database, officer, quiz):
    _take(officer, quiz, ALL_RIGHT)
    result = db.session.scalar(db.select(ModuleResult))
    assert result.first_attempt_passed is True
    assert result.attempts_to_pass == 1


def test_question_stats_hold_first_attempt_sums_per_force(database, quiz):
    force = ForceFactory()
    one, two = UserFactory(force=force), UserFactory(force=force)
    _take(one, quiz, WORKED)
    _take(one, quiz, ALL_RIGHT)  # a second attempt: not counted
    _take(two, quiz, ALL_RIGHT)
    rows = _stats(force.id)
    # WORKED: van x=1, y=(13/6-1)/3=7/18; signs x=1/6, y=2/3; peace x=1/2, y=(7/6)/2=7/12.
    # ALL_RIGHT: every x=1 and y=1.
    expected = {"van": (1, 7 / 18), "signs": (1 / 6, 2 / 3), "peace": (1 / 2, 7 / 12)}
    for key, (x, y) in expected.items():
        row = rows[key]
        assert row.n == 2
        assert row.sum_x == pytest.approx(x + 1)
        assert row.sum_y == pytest.approx(y + 1)
        assert row.sum_x2 == pytest.approx(x * x + 1)
        assert row.sum_y2 == pytest.approx(y * y + 1)
        assert row.sum_xy == pytest.approx(x * y + 1)
    assert rows["peace"].max_points == 2
    assert rows["van"].max_points == 1


def test_item_analysis_per_force_and_national(database, quiz):
    home, away = ForceFactory(), ForceFactory()
    _take(UserFactory(force=home), quiz, WORKED)
    _take(UserFactory(force=home), quiz, ALL_RIGHT)
    _take(UserFactory(force=away), quiz, ALL_WRONG)
    local = {item.question_key: item for item in queries.item_analysis(quiz.module_id, home.id)}
    assert [k for k in local] == ["van", "signs", "peace"]
    # van at home: x = 1, 1 (no variance): facility 1, too easy, no discrimination.
    assert local["van"].n == 2
    assert local["van"].facility == pytest.approx(1.0)
    assert local["van"].discrimination_index is None
    assert "too easy" in local["van"].flags
    assert local["van"].needs_review is False  # below the minimum count
    assert local["van"].option_shares == {"a": 1.0, "b": 0.0, "c": 0.0}
    assert local["signs"].option_shares == {"a": 1.0, "b": 0.5, "c": 0.5, "d": 0.0, "e": 0.0}
    # Ordering: the share placing each item in its correct position (WORKED puts a and d right).
    assert local["peace"].option_shares == {"a": 1.0, "b": 0.5, "c": 0.5, "d": 1.0}
    national = {i.question_key: i for i in queries.item_analysis(quiz.module_id, min_attempts=3)}
    # signs nationally: x = 1/6, 1, 0 -> facility 7/18.
    assert national["signs"].n == 3
    assert national["signs"].facility == pytest.approx(7 / 18)
    assert national["van"].facility == pytest.approx(2 / 3)
    assert national["van"].option_shares["b"] == pytest.approx(1 / 3)
    # van: x = 1, 1, 0 and y = 7/18, 1, 0 -> r computed by hand from the sums.
    xs, ys = [1, 1, 0], [7 / 18, 1, 0]
    mx, my = sum(xs) / 3, sum(ys) / 3
    cov = sum((a - mx) * (b - my) for a, b in zip(xs, ys, strict=True))
    r = cov / (sum((a - mx) ** 2 for a in xs) * sum((b - my) ** 2 for b in ys)) ** 0.5
    assert national["van"].discrimination_index == pytest.approx(r)
    assert national["van"].discriminative_efficiency is None  # not available from sums


def test_needs_review_flags_a_mis_keyed_question(database):
    """docs/scoring.md: marks (1,1,0), (1,1,0), (0,0,1), (1,0,1) make c negatively discriminating."""
    from tests.factories import ModuleVersionFactory, QuestionFactory

    version = ModuleVersionFactory(pass_mark=50, quiz_settings={"cooldown_minutes": 0})
    for position, key in enumerate("abc"):
        QuestionFactory(module_version=version, key=key, position=position)
    force = ForceFactory()
    for marks in [(1, 1, 0), (1, 1, 0), (0, 0, 1), (1, 0, 1)]:
        _take(
            UserFactory(force=force),
            version,
            {k: ("a" if m else "b") for k, m in zip("abc", marks, strict=True)},
        )
    analysis = {i.question_key: i for i in queries.item_analysis(version.module_id, min_attempts=4)}
    assert analysis["c"].discrimination_index == pytest.approx(-0.9045, abs=1e-4)
    assert "negative discrimination" in analysis["c"].flags
    assert analysis["c"].needs_review
