"""One question a screen (the phone layout): each answer saved as the officer goes, then check."""

import re

import pytest

from app.assessments import services
from app.assessments.models import AttemptAnswer
from app.extensions import db
from tests.factories import ModuleVersionFactory, UserFactory
from tests.integration.assessments.conftest import ALL_RIGHT, form_data


@pytest.fixture
def attempt(client, login_as, officer, quiz):
    login_as(officer)
    started = services.start_attempt(officer, quiz.module)
    db.session.commit()
    return started


def _url(attempt, number):
    return f"/attempts/{attempt.id}/questions/{number}"


def _only(data, number):
    """The fields of one question (and the version), as its screen would post them."""
    return {k: v for k, v in data.items() if k == "module_version_id" or re.fullmatch(rf"q{number}(-.*)?", k)}


def test_a_screen_shows_one_question_as_the_page_heading(client, attempt):
    html = client.get(_url(attempt, 2)).get_data(as_text=True)
    assert html.count("<fieldset") == 1
    assert re.search(r"<h1 class=\"govuk-fieldset__heading\">Question 2 of 3", html)
    assert "You have answered 0 of 3 questions." in html
    assert "Previous question" in html
    assert "Save and continue" in html


def test_continuing_saves_the_answer_and_goes_to_the_next_question(client, attempt):
    response = client.post(_url(attempt, 1), data=_only(form_data(attempt, ALL_RIGHT), 1))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(_url(attempt, 2))
    db.session.refresh(attempt)
    assert attempt.saved_answers == {"van": "a"}
    response = client.post(_url(attempt, 2), data=_only(form_data(attempt, ALL_RIGHT), 2))
    db.session.refresh(attempt)
    assert attempt.saved_answers == {"van": "a", "signs": ["a", "b"]}
    html = client.get(_url(attempt, 1)).get_data(as_text=True)
    assert "You have answered 2 of 3 questions." in html
    code = form_data(attempt, ALL_RIGHT)["q1"]
    assert f'value="{code}" checked' in html


def test_previous_saves_this_answer_and_goes_back(client, attempt):
    data = _only(form_data(attempt, ALL_RIGHT), 2) | {"go": "back"}
    response = client.post(_url(attempt, 2), data=data)
    assert response.headers["Location"].endswith(_url(attempt, 1))
    db.session.refresh(attempt)
    assert attempt.saved_answers == {"signs": ["a", "b"]}


def test_continuing_without_an_answer_clears_only_that_question(client, attempt):
    client.post(f"/attempts/{attempt.id}/save", data=form_data(attempt, {"van": "a", "signs": ["a"]}))
    response = client.post(_url(attempt, 1), data={"module_version_id": str(attempt.module_version_id)})
    assert response.status_code == 302
    db.session.refresh(attempt)
    assert attempt.saved_answers == {"signs": ["a"]}


def test_after_the_last_question_the_whole_attempt_is_shown_to_check_and_submit(client, attempt):
    response = client.post(_url(attempt, 3), data=_only(form_data(attempt, ALL_RIGHT), 3))
    assert response.headers["Location"].endswith(f"/attempts/{attempt.id}?all=1")
    db.session.refresh(attempt)
    assert attempt.saved_answers == {"peace": {"a": 1, "b": 2, "c": 3, "d": 4}}
    html = client.get(f"/attempts/{attempt.id}?all=1").get_data(as_text=True)
    assert html.count("<fieldset") == 3
    # Asked for the whole page: the phone script is not told to leave it.
    assert "data-one-question" not in html
    assert "Save and check your answers" in client.get(_url(attempt, 3)).get_data(as_text=True)


def test_the_attempt_page_offers_the_first_unanswered_question(client, attempt):
    html = client.get(f"/attempts/{attempt.id}").get_data(as_text=True)
    assert "data-one-question" in html
    assert f'href="{_url(attempt, 1)}"' in html
    client.post(f"/attempts/{attempt.id}/save", data=form_data(attempt, {"van": "a"}))
    html = client.get(f"/attempts/{attempt.id}").get_data(as_text=True)
    assert f'href="{_url(attempt, 2)}"' in html
    assert "js/one-question.js" in html


def test_a_submission_with_problems_stays_on_the_whole_page(client, attempt):
    response = client.post(f"/attempts/{attempt.id}/submit", data=form_data(attempt, {"van": "a"}))
    assert response.status_code == 400
    assert "data-one-question" not in response.get_data(as_text=True)


@pytest.mark.parametrize("number", [0, 4, 99999999999999999999])
def test_a_question_number_outside_the_attempt_is_not_found(client, attempt, number):
    assert client.get(_url(attempt, number)).status_code == 404


@pytest.mark.parametrize("change", [{"q1": "9"}, {"q1": ["1", "2"]}, {"q3-1": "7"}])
def test_a_tampered_screen_is_refused_and_changes_nothing(client, attempt, change):
    client.post(f"/attempts/{attempt.id}/save", data=form_data(attempt, {"signs": ["a"]}))
    number = int(next(iter(change))[1])
    response = client.post(_url(attempt, number), data=_only(form_data(attempt, ALL_RIGHT), number) | change)
    assert response.status_code == 400
    db.session.refresh(attempt)
    assert attempt.saved_answers == {"signs": ["a"]}


def test_a_screen_for_another_version_is_refused(client, attempt, quiz):
    other = ModuleVersionFactory(module=quiz.module, number=2, make_current=False)
    data = _only(form_data(attempt, ALL_RIGHT), 1) | {"module_version_id": str(other.id)}
    assert client.post(_url(attempt, 1), data=data).status_code == 409
    db.session.refresh(attempt)
    assert attempt.saved_answers in (None, {})


def test_another_officers_attempt_is_not_found(client, login_as, quiz):
    owner = UserFactory()
    attempt = services.start_attempt(owner, quiz.module)
    db.session.commit()
    login_as(UserFactory(force=owner.force))
    assert client.get(_url(attempt, 1)).status_code == 404
    assert client.post(_url(attempt, 1), data=_only(form_data(attempt, ALL_RIGHT), 1)).status_code == 404
    db.session.refresh(attempt)
    assert attempt.saved_answers in (None, {})


def test_a_submitted_attempt_goes_to_its_result(client, attempt):
    client.post(f"/attempts/{attempt.id}/submit", data=form_data(attempt, ALL_RIGHT))
    response = client.post(_url(attempt, 1), data=_only(form_data(attempt, ALL_RIGHT), 1))
    assert response.headers["Location"].endswith(f"/attempts/{attempt.id}/result")
    assert client.get(_url(attempt, 1)).headers["Location"].endswith(f"/attempts/{attempt.id}/result")
    assert db.session.scalar(db.select(db.func.count(AttemptAnswer.id))) == 3
