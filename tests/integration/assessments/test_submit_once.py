"""Submitting twice (double click, two tabs, a replayed POST) stores one result; the signal once."""

import pytest
from sqlalchemy.orm.attributes import set_committed_value

from app import events
from app.assessments import services
from app.assessments.models import AttemptAnswer, ModuleResult, QuestionStat
from app.extensions import db
from tests.integration.assessments.conftest import ALL_RIGHT, ALL_WRONG, form_data


@pytest.fixture
def passes():
    """Record every module_passed signal."""
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    with events.module_passed.connected_to(receiver):
        yield received


def _count(model):
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_double_submit_through_two_requests_stores_one_result(client, login_as, officer, quiz, passes):
    login_as(officer)
    attempt = services.start_attempt(officer, quiz.module)
    db.session.commit()
    data = form_data(attempt, ALL_RIGHT)
    first = client.post(f"/attempts/{attempt.id}/submit", data=data)
    second = client.post(f"/attempts/{attempt.id}/submit", data=data)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert _count(AttemptAnswer) == 3
    assert _count(ModuleResult) == 1
    assert db.session.scalar(db.select(ModuleResult)).attempts == 1
    assert {row.n for row in db.session.scalars(db.select(QuestionStat))} == {1}
    assert len(passes) == 1
    assert passes[0]["user"].id == officer.id
    assert passes[0]["module_id"] == quiz.module_id


def test_replayed_submission_with_other_answers_changes_nothing(client, login_as, officer, quiz):
    login_as(officer)
    attempt = services.start_attempt(officer, quiz.module)
    client.post(f"/attempts/{attempt.id}/submit", data=form_data(attempt, ALL_RIGHT))
    client.post(f"/attempts/{attempt.id}/submit", data=form_data(attempt, ALL_WRONG))
    db.session.refresh(attempt)
    assert attempt.percent == 100
    assert {a.question_key: a.score for a in attempt.answers} == {"van": 1.0, "signs": 1.0, "peace": 2.0}


def test_second_tab_that_loaded_the_attempt_earlier_stores_nothing(database, officer, quiz, passes):
    """Another request read the attempt while still open; the conditional UPDATE stops it."""
    attempt = services.start_attempt(officer, quiz.module)
    first = services.submit_attempt(officer, attempt, ALL_RIGHT, attempt.module_version_id)
    # What the other request saw: the attempt before this submission (not marked as a change).
    set_committed_value(attempt, "submitted_at", None)
    second = services.submit_attempt(officer, attempt, ALL_WRONG, attempt.module_version_id)
    assert first.newly_submitted is True
    assert second.newly_submitted is False
    assert second.attempt.percent == 100
    assert second.attempt.submitted_at is not None
    assert _count(AttemptAnswer) == 3
    assert len(passes) == 1
    assert db.session.scalar(db.select(ModuleResult)).attempts == 1


def test_signal_not_sent_on_fail(client, login_as, officer, quiz, passes):
    login_as(officer)
    attempt = services.start_attempt(officer, quiz.module)
    client.post(f"/attempts/{attempt.id}/submit", data=form_data(attempt, ALL_WRONG))
    db.session.refresh(attempt)
    assert attempt.passed is False
    assert passes == []
