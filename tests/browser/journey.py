"""A user's journey through the site: every page visited is checked for accessibility (axe-core,
WCAG 2.0/2.1/2.2 A and AA), phone-width overflow and title uniqueness, and screenshotted."""

import re
from pathlib import Path

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 900}
_ID = re.compile(r"/\d+(?=/|$)")


class Journey:
    """Wraps one browser page; `check()` runs the page checks and records problems."""

    def __init__(self, context, server, *, name: str, artifacts: Path, axe: Path):
        self.context = context
        self.page = context.new_page()
        self.server = server
        self.name = re.sub(r"[^a-z0-9_-]+", "-", name.lower())
        self.dir = artifacts / self.name
        self.dir.mkdir(parents=True, exist_ok=True)
        self.axe_source = axe.read_text()
        self.problems: list[str] = []
        self.titles: dict[str, str] = {}
        self.visited: list[str] = []
        self.console_errors: list[str] = []
        self.page.on("console", self._console)
        self.page.on("response", self._response)
        self._shot = 0

    def _console(self, message):
        # A form answered with 400 is logged as a failed load; real failures are caught below.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.console_errors.append(message.text)

    def _response(self, response):
        if response.status >= 400 and response.request.resource_type != "document":
            self.console_errors.append(f"{response.status} for {response.url}")

    # -- navigation ------------------------------------------------------------------------
    def goto(self, path: str):
        """Open a page and check it."""
        self.page.goto(path)
        self.check()
        return self.page

    def sign_in(self, email: str, password: str):
        """Sign in through the real form."""
        self.goto("/sign-in")
        self.page.fill("#email", email)
        self.page.fill("#password", password)
        self.page.click("button[type=submit], input[type=submit]")
        self.page.wait_for_load_state()
        self.check()

    def sign_out(self):
        """Sign out with the header button."""
        self.page.click("text=Sign out")
        self.page.wait_for_load_state()

    def travel(self, minutes: int):
        """Move the server's clock forward (test servers only)."""
        token = self.page.locator("input[name=csrf_token]").first.get_attribute("value")
        response = self.page.request.post("/_test/travel", form={
            "minutes": str(minutes), "csrf_token": token or ""})
        assert response.ok, response.status

    # -- checks ------------------------------------------------------------------------------
    def check(self):
        """Accessibility, phone-width overflow, a unique title, and two screenshots."""
        page = self.page
        path = page.url.split(self.server["base"], 1)[-1].split("?")[0].split("#")[0]
        self.visited.append(path)
        title = page.title()
        pattern = _ID.sub("/<id>", path)
        other = self.titles.setdefault(title, pattern)
        if other != pattern:
            self.problems.append(f"title {title!r} is used by {other} and {pattern}")
        result = page.evaluate(self.axe_source + "\n;axe.run(document, {runOnly: {type: 'tag', "
                               f"values: {AXE_TAGS!r}}}}})")
        for violation in result["violations"]:
            targets = [n["target"] for n in violation["nodes"]][:3]
            self.problems.append(f"{path}: axe {violation['id']} ({violation['impact']}): "
                                 f"{violation['help']} at {targets}")
        self._shot += 1
        stem = f"{self._shot:02d}{pattern.replace('/', '_').replace('<', '').replace('>', '')}"
        page.screenshot(path=str(self.dir / f"{stem}-desktop.png"), full_page=True)
        page.set_viewport_size(PHONE)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 0:
            self.problems.append(f"{path}: {overflow}px horizontal scroll at 360px")
        page.screenshot(path=str(self.dir / f"{stem}-phone.png"), full_page=True)
        page.set_viewport_size(DESKTOP)

    def assert_clean(self):
        """Fail the journey on any recorded problem (or CSP/console error)."""
        problems = self.problems + [f"console: {e}" for e in self.console_errors]
        assert not problems, "\n".join(problems)
