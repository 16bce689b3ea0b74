"""The session time-out warning (WCAG 2.2.1), driven with Playwright's fake clock: two minutes
before the 30-minute idle limit a modal dialog takes the focus; "Stay signed in" keeps the
session; left alone, the dialog says the session has ended and offers to sign in again."""

import pytest

from tests.browser.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def test_time_out_warning_can_be_answered_from_the_keyboard(journey):
    j = journey
    j.sign_in("officer@demo.police.uk", DEMO_PASSWORD)
    j.page.clock.install()
    j.goto("/modules/spotting-the-signs/lessons/2")
    dialog = j.page.locator("#session-warning")
    assert not dialog.is_visible()

    j.page.clock.run_for("27:00")
    assert not dialog.is_visible()
    j.page.clock.run_for("01:30")  # 28:30 idle: the warning is up
    assert dialog.is_visible()
    assert j.page.evaluate("document.activeElement.textContent") == "Stay signed in"
    assert "you will be signed out at" in dialog.inner_text()
    j.check()

    with j.page.expect_response("**/session/extend") as extended:
        j.page.keyboard.press("Enter")
    assert extended.value.status == 200
    j.page.wait_for_function("!document.getElementById('session-warning').open")

    j.page.clock.run_for("28:30")  # the count started again
    assert dialog.is_visible()
    j.page.clock.run_for("02:00")  # no answer: the end
    assert "You have been signed out" in dialog.inner_text()
    assert j.page.evaluate("document.activeElement.textContent") == "Sign in again"
    j.check()
