"""Attempt limits and the cool-down after a failed attempt, enforced on the server."""

from datetime import timedelta

import pytest

from app import clock
from app.assessments import queries, services
from app.assessments.models import Attempt
from app.extensions import db
from tests.integration.assessments.conftest import ALL_RIGHT, ALL_WRONG, make_quiz


def _take(officer, version, answers):
    attempt = services.start_attempt(officer, version.module)
    services.submit_attempt(officer, attempt, answers, attempt.module_version_id)
    return attempt


def test_attempts_allowed_is_enforced(database, officer):
    version = make_quiz(attempts_allowed=2)
    _take(officer, version, ALL_WRONG)
    _take(officer, version, ALL_WRONG)
    with pytest.raises(services.AttemptsUsedUpError, match="used all 2 attempts"):
        services.start_attempt(officer, version.module)
    assert db.session.scalar(db.select(db.func.count(Attempt.id))) == 2


def test_cool_down_after_a_failed_attempt_says_when(database, officer):
    version = make_quiz(cooldown_minutes=30)
    failed = _take(officer, version, ALL_WRONG)
    next_at = failed.submitted_at + timedelta(minutes=30)
    with pytest.raises(services.CoolingDownError) as refused:
        services.start_attempt(officer, version.module)
    assert refused.value.next_at == next_at
    assert queries.describe_time(next_at) in refused.value.message
    assert "You can try again after" in refused.value.message
    clock.travel(timedelta(minutes=29))
    with pytest.raises(services.CoolingDownError):
        services.start_attempt(officer, version.module)
    clock.travel(timedelta(minutes=1, seconds=1))
    assert services.start_attempt(officer, version.module).number == 2


def test_no_cool_down_after_a_pass(database, officer):
    version = make_quiz(cooldown_minutes=30)
    _take(officer, version, ALL_RIGHT)
    assert services.start_attempt(officer, version.module).number == 2


def test_an_open_attempt_is_resumed_even_at_the_limit(database, officer):
    version = make_quiz(attempts_allowed=1)
    attempt = services.start_attempt(officer, version.module)
    assert services.start_attempt(officer, version.module).id == attempt.id


def test_refusal_reaches_the_officer_with_the_time(client, login_as, officer):
    version = make_quiz(cooldown_minutes=45)
    login_as(officer)
    failed = _take(officer, version, ALL_WRONG)
    db.session.commit()
    expected = queries.describe_time(failed.submitted_at + timedelta(minutes=45))
    url = f"/modules/{version.module.slug}/quiz"
    intro = client.get(url).get_data(as_text=True)
    assert f"You can try again after {expected}" in intro
    assert "Start attempt" not in intro
    response = client.post(url, headers={"Referer": f"http://localhost{url}"})
    assert response.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert page.count(f"You can try again after {expected}") == 2  # flash and the notice
    response = client.post(url)  # no referrer: an error page with the same message
    assert response.status_code == 400
    assert expected in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Attempt.id))) == 1
    clock.travel(timedelta(minutes=46))
    login_as(officer)  # the idle session timed out meanwhile
    assert client.post(url).status_code == 302
    assert db.session.scalar(db.select(db.func.count(Attempt.id))) == 2


def test_limit_message_on_the_intro_page(client, login_as, officer):
    version = make_quiz(attempts_allowed=1)
    login_as(officer)
    _take(officer, version, ALL_WRONG)
    db.session.commit()
    intro = client.get(f"/modules/{version.module.slug}/quiz").get_data(as_text=True)
    assert "You have used all 1 attempts" in intro
    assert "(0 left)" in intro


def test_racing_start_returns_the_attempt_already_created(database, officer, quiz, monkeypatch):
    """Two requests computed the same attempt number; the unique constraint lets one win."""
    first = services.start_attempt(officer, quiz.module)
    db.session.flush()
    # The second request read before the first committed: no open attempt, number 1 free.
    monkeypatch.setattr(queries, "get_open_attempt", lambda *_args: None)
    monkeypatch.setattr(services, "_next_number", lambda *_args: 1)
    second = services.start_attempt(officer, quiz.module)
    assert second.id == first.id
    assert db.session.scalar(db.select(db.func.count(Attempt.id))) == 1
