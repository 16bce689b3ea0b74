"""Answers no honest form could send, other people's attempts, other versions: 4xx, nothing stored."""

import pytest

from app.assessments import services
from app.assessments.models import AttemptAnswer, ModuleResult
from app.extensions import db
from tests.factories import UserFactory
from tests.integration.assessments.conftest import ALL_RIGHT, form_data


def _nothing_stored(attempt, saved=None):
    db.session.refresh(attempt)
    assert attempt.submitted_at is None
    assert attempt.score is None
    assert attempt.saved_answers == (saved or {})
    assert db.session.scalar(db.select(db.func.count(AttemptAnswer.id))) == 0
    assert db.session.scalar(db.select(db.func.count(ModuleResult.id))) == 0


@pytest.fixture
def attempt(client, login_as, officer, quiz):
    login_as(officer)
    started = services.start_attempt(officer, quiz.module)
    db.session.commit()
    return started


@pytest.mark.parametrize("action", ["submit", "save"])
@pytest.mark.parametrize(
    "change",
    [
        {"q1": "9"},  # an option code the question does not have
        {"q1": ["1", "2"]},  # two answers to a single-answer question
        {"q2": ["1", "1"]},  # the same option twice
        {"q2": ["1", "zzz"]},  # a foreign option among real ones
        {"q3-1": "7"},  # a position beyond the number of steps
        {"q3-1": "first"},  # not a position at all
    ],
)
def test_foreign_or_malformed_answers_are_refused(client, attempt, action, change):
    data = form_data(attempt, ALL_RIGHT)
    data.update(change)
    response = client.post(f"/attempts/{attempt.id}/{action}", data=data)
    assert response.status_code == 400
    _nothing_stored(attempt)


def test_service_rejects_answers_to_questions_not_in_the_attempt(database, officer, quiz):
    attempt = services.start_attempt(officer, quiz.module)
    with pytest.raises(services.InvalidSubmissionError):
        services.submit_attempt(officer, attempt, {**ALL_RIGHT, "other": "a"}, quiz.id)
    with pytest.raises(services.InvalidSubmissionError):
        services.submit_attempt(officer, attempt, {**ALL_RIGHT, "van": "z"}, quiz.id)
    _nothing_stored(attempt)


@pytest.mark.parametrize(
    ("method", "path"), [("GET", ""), ("POST", "/save"), ("POST", "/submit"), ("GET", "/result")]
)
def test_another_officers_attempt_is_not_found(client, login_as, quiz, method, path):
    owner = UserFactory()
    attempt = services.start_attempt(owner, quiz.module)
    db.session.commit()
    login_as(UserFactory(force=owner.force))
    response = client.open(f"/attempts/{attempt.id}{path}", method=method, data=form_data(attempt, ALL_RIGHT))
    assert response.status_code == 404
    _nothing_stored(attempt)


@pytest.mark.parametrize("action", ["submit", "save"])
def test_form_for_another_module_version_is_refused(client, attempt, quiz, action):
    from tests.factories import ModuleVersionFactory

    other = ModuleVersionFactory(module=quiz.module, number=2, make_current=False)
    data = form_data(attempt, ALL_RIGHT, module_version_id=str(other.id))
    response = client.post(f"/attempts/{attempt.id}/{action}", data=data)
    assert response.status_code == 409
    _nothing_stored(attempt)
    data.pop("module_version_id")
    assert client.post(f"/attempts/{attempt.id}/{action}", data=data).status_code == 409
    _nothing_stored(attempt)


def test_commissioner_and_admin_cannot_start_a_quiz(client, login_as, quiz):
    for role in ("commissioner", "admin"):
        login_as(UserFactory(role=role, force=None))
        assert client.post(f"/modules/{quiz.module.slug}/quiz").status_code == 403
        assert client.get(f"/modules/{quiz.module.slug}/quiz").status_code == 403


def test_unknown_or_unpublished_module_is_not_found(client, login_as, officer, quiz):
    login_as(officer)
    assert client.get("/modules/no-such-module/quiz").status_code == 404
    quiz.module.published = False
    db.session.flush()
    assert client.post(f"/modules/{quiz.module.slug}/quiz").status_code == 404
