"""On a phone, a quiz comes one question a screen: the attempt page sends the officer to the
first question, each screen saves its answer and moves on, the count of answered questions goes
up, and after the last the whole attempt is shown to check and submit."""

import re

import pytest

from tests.browser.conftest import DEMO_PASSWORD, run_app
from tests.browser.journey import PHONE

pytestmark = pytest.mark.browser

OFFICER = "phone.officer@demo.police.uk"
MODULE = "spotting-the-signs"


def test_officer_takes_a_quiz_one_question_a_screen_on_a_phone(journey, server):
    j = journey
    run_app(
        server,
        f"""
from app.auth.user_services import create_user
from app.forces.models import Force
force = db.session.scalar(db.select(Force).where(Force.code == "avon-somerset"))
create_user(actor=None, email={OFFICER!r}, name="Robin Hale", role="officer", force=force,
            service_number="AS7301", password={DEMO_PASSWORD!r})
db.session.commit()
""",
    )
    j.sign_in(OFFICER, DEMO_PASSWORD)
    j.goto(f"/modules/{MODULE}/quiz")
    j.page.set_viewport_size(PHONE)  # the page checks leave the window at desktop width
    j.page.get_by_role("button", name="Start the quiz").click()
    # The attempt page hands a phone on to the first question.
    j.page.wait_for_url(re.compile(r"/attempts/\d+/questions/1$"))
    j.check()
    heading = j.page.locator("h1").inner_text()
    total = int(re.search(r"Question 1 of (\d+)", heading).group(1))
    assert total > 1
    assert j.page.locator("fieldset").count() == 1
    j.page.set_viewport_size(PHONE)

    for number in range(1, total + 1):
        assert f"You have answered {number - 1} of {total} questions." in j.page.locator("main").inner_text()
        j.answer_quiz(right=True)
        last = number == total
        button = "Save and check your answers" if last else "Save and continue"
        j.page.get_by_role("button", name=button).click()
        if not last:
            j.page.wait_for_url(re.compile(rf"/questions/{number + 1}$"))
            if number == 1:
                # Back a step: the answer given is still there, then on again.
                j.page.get_by_role("button", name="Previous question").click()
                j.page.wait_for_url(re.compile(r"/questions/1$"))
                assert j.page.locator("input:checked, select option:checked:not([value=''])").count() > 0
                j.page.get_by_role("button", name="Save and continue").click()
                j.page.wait_for_url(re.compile(r"/questions/2$"))
            j.check()
            j.page.set_viewport_size(PHONE)

    # The whole attempt, every answer filled in, stays put to be checked and submitted.
    j.page.wait_for_url(re.compile(r"/attempts/\d+\?all=1$"))
    j.check()
    assert j.page.locator("fieldset").count() == total
    assert f"You have answered {total} of {total} questions." in j.page.locator("main").inner_text()
    j.page.get_by_role("button", name="Submit answers").click()
    j.page.wait_for_url(re.compile(r"/result$"))
    j.check()
    assert "Your score: 100%" in j.page.locator("main").inner_text()
