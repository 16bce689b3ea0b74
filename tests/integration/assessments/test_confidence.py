"""Confidence ratings: before the first attempt, after passing; one per stage, re-rating updates."""

import re

from app.assessments import services
from app.assessments.models import ConfidenceRating
from app.extensions import db
from tests.integration.assessments.conftest import ALL_RIGHT, ALL_WRONG


def _ratings():
    return {(r.stage, r.rating) for r in db.session.scalars(db.select(ConfidenceRating))}


def _rate(client, slug, stage, rating=None, **extra):
    data = {"stage": stage, **extra}
    if rating is not None:
        data["rating"] = str(rating)
    return client.post(f"/modules/{slug}/confidence", data=data)


def test_before_prompt_on_intro_and_rating_is_stored_then_updated(client, login_as, officer, quiz):
    login_as(officer)
    slug = quiz.module.slug
    intro = client.get(f"/modules/{slug}/quiz").get_data(as_text=True)
    assert "Before you start: how confident do you feel?" in intro
    assert intro.count('name="rating"') == 5
    assert "<legend" in intro
    response = _rate(client, slug, "before", 2)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/quiz")
    _rate(client, slug, "before", 3)
    assert _ratings() == {("before", 3)}
    row = db.session.scalar(db.select(ConfidenceRating))
    assert row.force_id == officer.force_id
    assert row.user_id == officer.id
    assert "You rated 3" in client.get(f"/modules/{slug}/quiz").get_data(as_text=True)


def test_after_rating_needs_a_pass_and_shows_on_the_result(client, login_as, officer, quiz):
    login_as(officer)
    slug = quiz.module.slug
    attempt = services.start_attempt(officer, quiz.module)
    services.submit_attempt(officer, attempt, ALL_WRONG, quiz.id)
    db.session.commit()
    assert "How confident do you feel now?" not in client.get(f"/attempts/{attempt.id}/result").get_data(
        as_text=True
    )
    assert _rate(client, slug, "after", 4).status_code == 400
    second = services.start_attempt(officer, quiz.module)
    services.submit_attempt(officer, second, ALL_RIGHT, quiz.id)
    db.session.commit()
    result_url = f"/attempts/{second.id}/result"
    page = client.get(result_url).get_data(as_text=True)
    assert "How confident do you feel now?" in page
    assert f'value="{result_url}"' in page
    response = _rate(client, slug, "after", 4, next=result_url)
    assert response.headers["Location"].endswith(result_url)
    assert _ratings() == {("after", 4)}


def test_before_rating_refused_once_the_quiz_is_taken(client, login_as, officer, quiz):
    login_as(officer)
    attempt = services.start_attempt(officer, quiz.module)
    services.submit_attempt(officer, attempt, ALL_WRONG, quiz.id)
    db.session.commit()
    assert _rate(client, quiz.module.slug, "before", 2).status_code == 400
    assert _ratings() == set()


def test_missing_or_bad_rating_stores_nothing(client, login_as, officer, quiz):
    login_as(officer)
    slug = quiz.module.slug
    response = _rate(client, slug, "before")
    assert response.status_code == 302  # back to the page with the message
    assert "Choose how confident you feel" in client.get(f"/modules/{slug}/quiz").get_data(as_text=True)
    assert _rate(client, slug, "before", 9).status_code == 302
    assert _rate(client, slug, "during", 3).status_code == 400
    assert _ratings() == set()


def test_next_must_stay_on_this_site(client, login_as, officer, quiz):
    login_as(officer)
    response = _rate(client, quiz.module.slug, "before", 3, next="https://evil.example/")
    assert response.headers["Location"].endswith(f"/modules/{quiz.module.slug}/quiz")


def test_confidence_is_asked_in_the_start_form_before_the_button(client, login_as, officer, quiz):
    login_as(officer)
    intro = client.get(f"/modules/{quiz.module.slug}/quiz").get_data(as_text=True)
    form = intro[intro.index(f'action="/modules/{quiz.module.slug}/quiz"') :]
    form = form[: form.index("</form>")]
    assert form.count('type="radio"') == 5
    assert form.index('name="rating"') < form.index("Start the quiz")
    assert "/confidence" not in intro  # no separate form: the question is part of starting


def test_starting_with_a_rating_stores_it_as_before(client, login_as, officer, quiz):
    login_as(officer)
    response = client.post(f"/modules/{quiz.module.slug}/quiz", data={"rating": "2"})
    assert response.status_code == 302
    assert "/attempts/" in response.headers["Location"]
    assert _ratings() == {("before", 2)}
    row = db.session.scalar(db.select(ConfidenceRating))
    assert (row.user_id, row.force_id) == (officer.id, officer.force_id)


def test_starting_without_a_rating_stores_none(client, login_as, officer, quiz):
    login_as(officer)
    response = client.post(f"/modules/{quiz.module.slug}/quiz")
    assert response.status_code == 302
    assert "/attempts/" in response.headers["Location"]
    assert _ratings() == set()


def test_starting_with_a_bad_rating_is_refused(client, login_as, officer, quiz):
    login_as(officer)
    assert client.post(f"/modules/{quiz.module.slug}/quiz", data={"rating": "9"}).status_code == 400
    assert _ratings() == set()


def test_a_rating_given_earlier_is_ticked_in_the_start_form(client, login_as, officer, quiz):
    login_as(officer)
    _rate(client, quiz.module.slug, "before", 4)
    intro = client.get(f"/modules/{quiz.module.slug}/quiz").get_data(as_text=True)
    assert re.search(r'name="rating" type="radio" value="4"\s+checked', intro)
    assert "You rated 4; you can change it" in intro
