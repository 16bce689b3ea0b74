"""Attempts stay on the version they started; included banks; drawing N questions."""

from app.assessments import queries, services
from app.extensions import db
from tests.factories import ModuleVersionFactory, QuestionFactory
from tests.integration.assessments.conftest import ALL_RIGHT, form_data, make_quiz


def test_new_version_published_mid_attempt_keeps_the_attempt_on_its_own(client, login_as, officer, quiz):
    login_as(officer)
    attempt = services.start_attempt(officer, quiz.module)
    db.session.commit()
    data = form_data(attempt, ALL_RIGHT)
    newer = ModuleVersionFactory(module=quiz.module, number=2, pass_mark=100)
    QuestionFactory(module_version=newer, key="van", position=0)
    db.session.commit()
    assert quiz.module.current_version_id == newer.id
    response = client.post(f"/attempts/{attempt.id}/submit", data=data)
    assert response.status_code == 302
    db.session.refresh(attempt)
    assert attempt.module_version_id == quiz.id
    assert attempt.percent == 100
    assert {a.question_id for a in attempt.answers} == {q.id for q in quiz.questions}
    result = client.get(f"/attempts/{attempt.id}/result").get_data(as_text=True)
    assert "Pass mark 80%" in result
    assert quiz.title in result
    # The next attempt starts on the new version.
    assert services.start_attempt(officer, quiz.module).module_version_id == newer.id


def test_included_banks_are_drawn_from_their_current_version(database, officer):
    shared = make_quiz()
    QuestionFactory(module_version=shared, key="shared-extra", position=5)
    refresher = ModuleVersionFactory(quiz_settings={"include": [shared.module.slug], "cooldown_minutes": 0})
    attempt = services.start_attempt(officer, refresher.module)
    keys = [e["key"] for e in attempt.question_keys]
    assert keys == ["van", "signs", "peace", "shared-extra"]
    assert attempt.module_version_id == refresher.id
    items = queries.attempt_items(attempt)
    assert [i.key for i in items] == keys
    # Resolved by the stored question ids, even after the included module changes version.
    ModuleVersionFactory(module=shared.module, number=2)
    db.session.flush()
    assert [q.id for q in queries.attempt_questions(attempt)] == [
        e["question_id"] for e in attempt.question_keys
    ]
    submission = services.submit_attempt(officer, attempt, ALL_RIGHT, refresher.id)
    assert submission.attempt.percent == 80.0  # 4 of 5 points: shared-extra unanswered is 0


def test_questions_per_attempt_draws_that_many(database, officer):
    version = make_quiz(questions_per_attempt=2)
    attempt = services.start_attempt(officer, version.module)
    assert len(attempt.question_keys) == 2
    assert all(e["key"] in {"van", "signs", "peace"} for e in attempt.question_keys)
