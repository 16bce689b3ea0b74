"""Each role's main pages, and the public ones, at 1280 and 360 px: axe-core clean, no sideways
scroll outside a labelled table scroller, a unique title. Every page is screenshotted at both
widths; `make screenshots` keeps those pictures in docs/screenshots/ (SCREENSHOT_DIR)."""

import os
from pathlib import Path

import pytest

from tests.browser.conftest import AXE, DEMO_PASSWORD, ROOT

PUBLIC = ["/sign-in", "/verify", "/help", "/cookies", "/privacy", "/accessibility", "/feedback"]
ROLE_PAGES = {
    "officer": [
        "/training",
        "/courses",
        "/modules/spotting-the-signs",
        "/modules/spotting-the-signs/lessons/1",
        "/modules/spotting-the-signs/lessons/2",
        "/modules/spotting-the-signs/quiz",
        "/certificates",
        "/glossary",
    ],
    "lead": [
        "/assignments",
        "/assignments/new",
        "/assignments/attention",
        "/metrics/force",
        "/teams",
        "/force/certificates",
        "/force/law-updates",
    ],
    "commissioner": ["/metrics/national", "/metrics/releases"],
    "admin": [
        "/admin/users",
        "/admin/users/new",
        "/admin/users/import",
        "/admin/audit",
        "/admin/content",
        "/admin/certificates",
        "/admin/outbox",
        "/forces",
    ],
}


@pytest.fixture
def shots(browser, server, titles, request):
    """A journey whose screenshots go to SCREENSHOT_DIR/<role> when set (make screenshots)."""
    from tests.browser.journey import Journey

    chosen = os.environ.get("SCREENSHOT_DIR")
    artifacts = Path(chosen) if chosen else ROOT / "test-artifacts" / "browser"
    context = browser.new_context(
        base_url=server["base"],
        viewport={"width": 1280, "height": 900},
        locale="en-GB",
        timezone_id="Europe/London",
    )
    role = request.node.callspec.params["role"]
    j = Journey(context, server, name=role, artifacts=artifacts, axe=AXE, titles=titles)
    yield j
    context.close()
    j.assert_clean()


@pytest.mark.parametrize("role", ["public", *ROLE_PAGES])
def test_main_pages_of_each_role(shots, role):
    j = shots
    if role == "public":
        for path in PUBLIC:
            j.goto(path)
            assert j.page.locator("h1").count() == 1, path
        return
    j.sign_in(f"{role}@demo.police.uk", DEMO_PASSWORD)
    for path in ROLE_PAGES[role]:
        response = j.page.goto(path)
        assert response.status == 200, path
        j.check()
        assert j.page.locator("h1").count() == 1, path
