"""Each role's main pages, and the public ones, at 1280 and 360 px: axe-core clean, no sideways
scroll outside a labelled table scroller, a unique title. Every page is screenshotted at both
widths; `make screenshots` keeps those pictures in docs/screenshots/ (SCREENSHOT_DIR)."""

import os
from pathlib import Path

import pytest

from tests.browser.conftest import AXE, DEMO_PASSWORD, ROOT

pytestmark = pytest.mark.browser

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
    if chosen:
        _shrink(j.dir)
    j.assert_clean()


def _shrink(folder: Path) -> None:
    """Keep the documentation pictures small: 64 colours are plenty for these pages."""
    from PIL import Image

    for picture in folder.glob("*.png"):
        with Image.open(picture) as image:
            small = image.convert("RGB").quantize(colors=64, method=Image.Quantize.MEDIANCUT)
        small.save(picture, optimize=True)


@pytest.mark.parametrize("role", ["public", *ROLE_PAGES])
def test_main_pages_of_each_role(shots, role):
    j = shots
    if role == "public":
        for path in PUBLIC:
            j.goto(path)
            assert j.page.locator("h1").count() == 1, path
        return
    # Signed in through the form (the sign-in page itself is checked with the public pages).
    j.page.goto("/sign-in")
    j.page.fill("#email", f"{role}@demo.police.uk")
    j.page.fill("#password", DEMO_PASSWORD)
    j.page.click("button[type=submit]")
    j.page.wait_for_load_state()
    assert "/sign-in" not in j.page.url
    for path in ROLE_PAGES[role]:
        response = j.page.goto(path)
        assert response.status == 200, path
        j.check()
        assert j.page.locator("h1").count() == 1, path
