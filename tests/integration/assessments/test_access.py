"""Who gets what on attempt URLs: the owner, another learner, and roles that take no quizzes."""

import pytest

from app.assessments import services
from app.extensions import db
from tests.factories import UserFactory
from tests.integration.assessments.conftest import ALL_RIGHT, form_data


@pytest.fixture
def attempts(database, quiz):
    """An officer's submitted attempt and a lead's open attempt."""
    officer = UserFactory(role="officer")
    lead = UserFactory(role="training_lead", force=officer.force)
    done = services.start_attempt(officer, quiz.module)
    services.submit_attempt(officer, done, ALL_RIGHT, quiz.id)
    open_ = services.start_attempt(lead, quiz.module)
    db.session.commit()
    return {"officer": officer, "lead": lead, "done": done, "open": open_}


@pytest.mark.parametrize(
    ("who", "url", "status"),
    [
        ("officer", "/attempts/{done}/result", 200),
        ("officer", "/attempts/{done}", 302),
        ("officer", "/attempts/{open}", 404),
        ("officer", "/attempts/{open}/result", 404),
        ("lead", "/attempts/{open}", 200),
        ("lead", "/attempts/{open}/result", 302),
        ("lead", "/attempts/{done}/result", 404),
        ("lead", "/attempts/{done}", 404),
    ],
)
def test_only_the_owner_sees_an_attempt(client, login_as, attempts, who, url, status):
    login_as(attempts[who])
    url = url.format(done=attempts["done"].id, open=attempts["open"].id)
    assert client.get(url).status_code == status


def test_lead_owner_can_save_and_submit_but_the_officer_cannot(client, login_as, attempts):
    attempt = attempts["open"]
    data = form_data(attempt, ALL_RIGHT)
    login_as(attempts["officer"])
    assert client.post(f"/attempts/{attempt.id}/save", data=data).status_code == 404
    assert client.post(f"/attempts/{attempt.id}/submit", data=data).status_code == 404
    login_as(attempts["lead"])
    assert client.post(f"/attempts/{attempt.id}/save", data=data).status_code == 302
    assert client.post(f"/attempts/{attempt.id}/submit", data=data).status_code == 302
    db.session.refresh(attempt)
    assert attempt.percent == 100


@pytest.mark.parametrize("role", ["commissioner", "admin"])
def test_roles_that_take_no_quizzes_are_refused(client, login_as, attempts, role):
    login_as(UserFactory(role=role, force=None))
    done = attempts["done"].id
    assert client.get(f"/attempts/{done}/result").status_code == 403
    assert client.post(f"/attempts/{done}/submit").status_code == 403


def test_anonymous_is_sent_to_sign_in(client, attempts):
    response = client.get(f"/attempts/{attempts['done'].id}/result")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]
    assert client.post(f"/attempts/{attempts['open'].id}/submit").status_code == 401
