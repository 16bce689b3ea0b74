"""The officer's journey in the real Welsh catalogue: an officer whose force defaults to Welsh reads
My training, a quiz attempt and its result in Welsh, with the English content marked lang="en"."""

import re

import pytest

from app.assessments.models import Attempt
from app.extensions import db
from tests.factories import CourseModuleFactory, ForceFactory, UserFactory, make_course
from tests.integration.assessments.conftest import ALL_RIGHT, ALL_WRONG, form_data, make_quiz

TITLE = "Indicators of modern slavery"


@pytest.fixture
def welsh_officer(database):
    """An officer who has chosen no language, of a force whose default is Welsh."""
    force = ForceFactory(name="Heddlu Dyfed-Powys", default_language="cy")
    return UserFactory(role="officer", force=force, language=None)


@pytest.fixture
def module_slug(database):
    course = make_course(n_modules=0, title="Spotting the signs")
    version = make_quiz(pass_mark=80)
    version.title = TITLE
    version.module.current_version_id = version.id
    CourseModuleFactory(course=course, module=version.module, position=0)
    db.session.flush()
    return version.module.slug


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.get_data(as_text=True)
    assert '<html lang="cy"' in html
    return html


def _start_and_submit(client, slug, answers) -> int:
    started = client.post(f"/modules/{slug}/quiz")
    assert started.status_code == 302
    attempt_id = int(started.headers["Location"].rstrip("/").split("/")[-1])
    attempt = db.session.get(Attempt, attempt_id)
    html = _page(client, f"/attempts/{attempt_id}")
    assert "Cwestiwn 1 o 3" in html
    assert "Cyflwyno atebion" in html
    assert "Cadw a gorffen yn nes ymlaen" in html
    assert "Dewiswch un ateb." in html
    assert f'<h1 class="govuk-heading-l"><span lang="en">{TITLE}</span></h1>' in html
    assert re.search(r'class="govuk-body app-question__scenario" id="q1-scenario" lang="en"', html)
    one = _page(client, f"/attempts/{attempt_id}/questions/1")
    assert "Cwestiwn 1 o 3" in one
    assert "Cadw a pharhau" in one
    assert client.post(f"/attempts/{attempt_id}/submit", data=form_data(attempt, answers)).status_code == 302
    return attempt_id


def test_my_training_is_in_welsh_for_a_force_that_defaults_to_welsh(
    client, login_as, welsh_officer, module_slug
):
    login_as(welsh_officer)
    html = _page(client, "/training")
    assert "Fy hyfforddiant" in html
    assert "My training" not in html
    assert '<span lang="en">Spotting the signs</span>' in html  # an optional course
    courses = _page(client, "/courses")
    assert "Cyrsiau" in courses
    assert '<span lang="en">Spotting the signs</span>' in courses
    module = _page(client, f"/modules/{module_slug}")
    assert "Sefyll y cwis" in module
    assert f'<span lang="en">{TITLE}</span>' in module


def test_a_quiz_attempt_and_its_results_are_in_welsh(client, login_as, welsh_officer, module_slug):
    login_as(welsh_officer)
    intro = _page(client, f"/modules/{module_slug}/quiz")
    assert "Dechrau&#39;r cwis" in intro or "Dechrau'r cwis" in intro
    assert "Marc llwyddo" in intro

    failed = _start_and_submit(client, module_slug, ALL_WRONG)
    result = _page(client, f"/attempts/{failed}/result")
    assert "Heb lwyddo y tro hwn" in result
    assert "Eich atebion ac adborth" in result
    assert "Cwestiwn 1" in result
    assert f'Canlyniad: <span lang="en">{TITLE}</span>' in result
    assert 'class="govuk-body-s feedback" lang="en"' in result  # the quiz's own (English) feedback
    assert "Your score" not in result
    assert "Not passed this time" not in result

    passed = _start_and_submit(client, module_slug, ALL_RIGHT)
    result = _page(client, f"/attempts/{passed}/result")
    assert "Rydych chi wedi llwyddo" in result
    assert "Pa mor hyderus ydych chi&#39;n teimlo nawr?" in result or "teimlo nawr?" in result
    # The attempt remembers the language it was taken in.
    assert db.session.get(Attempt, passed).language == "cy"


def test_an_english_speaker_of_the_same_force_keeps_english(client, login_as, welsh_officer, module_slug):
    welsh_officer.language = "en"
    db.session.flush()
    login_as(welsh_officer)
    html = client.get(f"/modules/{module_slug}/quiz").get_data(as_text=True)
    assert '<html lang="en-GB"' in html
    assert "Start the quiz" in html
    assert f"Quiz: {TITLE}" in html
    assert 'lang="en"' not in html.split("<main", 1)[1]
