"""A user's journey through the site: every page visited is checked for accessibility (axe-core,
WCAG 2.0/2.1/2.2 A and AA), phone-width overflow and title uniqueness, and screenshotted."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy import text as sql

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
PHONE = {"width": 360, "height": 780}
REFLOW = {"width": 320, "height": 256}  # 1280 x 1024 at 400% zoom (WCAG 1.4.10)
DESKTOP = {"width": 1280, "height": 900}
_ID = re.compile(r"/\d+(?=/|$)")
# The session idles out after 30 minutes without a request: travel in smaller steps, with a
# request (the travel itself) between them, as a person who keeps the page open would.
TRAVEL_STEP_MINUTES = 20


class Journey:
    """Wraps one browser page; `check()` runs the page checks and records problems."""

    def __init__(self, context, server, *, name: str, artifacts: Path, axe: Path, titles: dict | None = None):
        self.context = context
        self.page = context.new_page()
        self.server = server
        self.name = re.sub(r"[^a-z0-9_-]+", "-", name.lower())
        self.dir = artifacts / self.name
        self.dir.mkdir(parents=True, exist_ok=True)
        for old in self.dir.iterdir():
            if old.is_file():
                old.unlink()
        self.axe_source = axe.read_text()
        self.problems: list[str] = []
        # Shared across the session's journeys when given, so titles are unique site-wide.
        self.titles: dict[str, str] = {} if titles is None else titles
        self.visited: list[str] = []
        self.pages: list[tuple[str, str]] = []  # (path, HTML) of every page checked
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

    def click(self, target):
        """Follow a link or press a button (a selector or a locator), then check the new page."""
        locator = self.page.locator(target) if isinstance(target, str) else target
        locator.click()
        self.page.wait_for_load_state()
        self.check()
        return self.page

    def download(self, target) -> Path:
        """Click a download link; save the file among the journey's artefacts and return it."""
        locator = self.page.locator(target) if isinstance(target, str) else target
        with self.page.expect_download() as info:
            locator.click()
        download = info.value
        path = self.dir / download.suggested_filename
        download.save_as(path)
        return path

    def fetch(self, path: str) -> bytes:
        """A file the signed-in user can fetch (as the browser would), without visiting a page."""
        response = self.page.request.get(path)
        assert response.ok, f"{path}: {response.status}"
        return response.body()

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
        while minutes > 0:
            step = min(minutes, TRAVEL_STEP_MINUTES)
            response = self.page.request.post(
                "/_test/travel", form={"minutes": str(step), "csrf_token": token or ""}
            )
            assert response.ok, response.status
            minutes -= step

    # -- quizzes ------------------------------------------------------------------------------
    def attempt_id(self) -> int:
        """The attempt shown on the current page (/attempts/<id>)."""
        found = re.search(r"/attempts/(\d+)", self.page.url)
        assert found, f"not an attempt page: {self.page.url}"
        return int(found.group(1))

    def answer_key(self) -> list[dict]:
        """For each question of the attempt on screen, in order: its type and, by option code,
        whether it is right and its correct position.

        The page never says which answers are right, so this reads the question bank from the
        server's database and matches each option's label text, as shown, to the authored options.
        """
        engine = create_engine(self.server["env"]["DATABASE_URL"])
        try:
            with engine.connect() as db:
                entries = _json(
                    db.execute(
                        sql("SELECT question_keys FROM attempts WHERE id = :id"), {"id": self.attempt_id()}
                    ).scalar_one()
                )
                rows = [
                    db.execute(
                        sql("SELECT type, options, module_version_id, key FROM questions WHERE id = :id"),
                        {"id": e["question_id"]},
                    ).one()
                    for e in entries
                ]
                # The same options as a translation shows them (app.content.localised).
                translated = {
                    (version_id, key): _json(questions).get(key, {}).get("options", {})
                    for version_id, key in {(r[2], r[3]) for r in rows}
                    for (questions,) in db.execute(
                        sql("SELECT questions FROM module_translations WHERE module_version_id = :v"),
                        {"v": version_id},
                    )
                }
        finally:
            engine.dispose()
        key = []
        for number, (kind, options, version_id, question_key) in enumerate(rows, start=1):
            authored = {}
            other = translated.get((version_id, question_key), {})
            for position, o in enumerate(_json(options), start=1):
                authored[_text(o["html"])] = (position, bool(o.get("correct")))
                if o["key"] in other:
                    authored[_text(other[o["key"]]["html"])] = (position, bool(o.get("correct")))
            shown = self.page.evaluate(
                """n => [...document.querySelectorAll(`[id^="q${n}-"]`)]
                      .filter(e => e.matches('input, select'))
                      .map(e => [e.id.slice(`q${n}-`.length),
                                 document.querySelector(`label[for="${e.id}"]`).textContent])""",
                number,
            )
            codes = {}
            for code, label in shown:
                text = " ".join(label.split())
                assert text in authored, f"question {number}: no authored option reads {text!r}"
                position, correct = authored[text]
                codes[code] = {"correct": correct, "position": position}
            key.append({"number": number, "type": kind, "codes": codes})
        return key

    def choices(self, right: bool) -> list[tuple[str, str]]:
        """(element id, value) pairs answering the attempt on screen all right or all wrong.

        Radios and checkboxes give ("q3-2", "on") to tick; ordering selects give ("q4-1", "3").
        """
        picks = []
        for question in self.answer_key():
            n, codes = question["number"], question["codes"]
            if question["type"] == "ordering":
                size = len(codes)
                for code, option in codes.items():
                    # Wrong: every step one place later (the last first), so none is right.
                    position = option["position"] if right else option["position"] % size + 1
                    picks.append((f"q{n}-{code}", str(position)))
                continue
            good = [c for c, o in codes.items() if o["correct"]]
            bad = [c for c, o in codes.items() if not o["correct"]]
            chosen = good if right else bad or good[:1]
            if question["type"] == "single":
                chosen = chosen[:1]
            picks.extend((f"q{n}-{code}", "on") for code in chosen)
        return picks

    def answer_quiz(self, right: bool):
        """Fill in the attempt on screen, all right or all wrong, with the mouse."""
        for element_id, value in self.choices(right):
            if value == "on":
                self.page.check(f"#{element_id}")
            else:
                self.page.select_option(f"#{element_id}", value)

    # -- checks ------------------------------------------------------------------------------
    def check(self):
        """Accessibility, phone-width overflow, a unique title, and two screenshots."""
        page = self.page
        path = page.url.split(self.server["base"], 1)[-1].split("?")[0].split("#")[0]
        self.visited.append(path)
        self.pages.append((path, page.content()))
        title = page.title()
        pattern = _ID.sub("/<id>", path)
        other = self.titles.setdefault(title, pattern)
        if other != pattern:
            self.problems.append(f"title {title!r} is used by {other} and {pattern}")
        if page.locator(".govuk-error-summary").count() and not title.startswith("Error: "):
            self.problems.append(
                f"{path}: the page shows an error summary but its title "
                f"{title!r} does not start with 'Error: '"
            )
        result = page.evaluate(
            self.axe_source + f"\n;axe.run(document, {{runOnly: {{type: 'tag', values: {AXE_TAGS!r}}}}})"
        )
        for violation in result["violations"]:
            nodes = [n for n in violation["nodes"] if not _reveal_finding(violation["id"], n)]
            if not nodes:
                continue
            targets = [n["target"] for n in nodes][:3]
            self.problems.append(
                f"{path}: axe {violation['id']} ({violation['impact']}): {violation['help']} at {targets}"
            )
        self._shot += 1
        stem = f"{self._shot:02d}{pattern.replace('/', '_').replace('<', '').replace('>', '')}"
        page.screenshot(path=str(self.dir / f"{stem}-desktop.png"), full_page=True)
        for viewport in (REFLOW, PHONE):  # WCAG 1.4.10 reflow at 320 px, then the phone shot
            page.set_viewport_size(viewport)
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            if overflow > 0:
                break
        if overflow > 0:
            # What sticks out: ignore what a scrolling table wrapper contains, except absolutely
            # positioned elements, which escape a wrapper that is not their containing block.
            wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1
                        && (!e.closest('.table-wrap, .app-table-scroller__region')
                            || ['absolute', 'fixed'].includes(getComputedStyle(e).position)))
                .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                        + (e.className && typeof e.className === 'string'
                           ? '.' + e.className.trim().split(/\\s+/).join('.') : ''))""")
            self.problems.append(f"{path}: {overflow}px horizontal scroll at {viewport['width']}px ({wide})")
        page.set_viewport_size(PHONE)
        page.screenshot(path=str(self.dir / f"{stem}-phone.png"), full_page=True)
        page.set_viewport_size(DESKTOP)

    def assert_clean(self):
        """Fail the journey on any recorded problem (or CSP/console error)."""
        problems = self.problems + [f"console: {e}" for e in self.console_errors]
        assert not problems, "\n".join(problems)


def _reveal_finding(rule: str, node: dict) -> bool:
    """GOV.UK Frontend's conditional reveal puts aria-expanded on the radio or checkbox that
    reveals content, which ARIA does not yet allow on those roles, so axe reports
    aria-allowed-attr. The package keeps it on purpose (screen readers announce it; a known issue,
    alphagov/govuk-frontend#979). Only that: the rule, on a GOV.UK radio or checkbox input that
    controls a reveal, and no other attribute named."""
    html = node.get("html", "")
    return (
        rule == "aria-allowed-attr"
        and html.startswith("<input")
        and ("govuk-radios__input" in html or "govuk-checkboxes__input" in html)
        and "aria-controls=" in html
        and "aria-expanded=" in html
        and all(
            "aria-expanded" in line
            for line in node.get("failureSummary", "").splitlines()[1:]
            if line.strip()
        )
    )


class _TextOnly(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data):
        self.parts.append(data)


def _json(value):
    """A JSON column's value: text on SQLite, already decoded on PostgreSQL."""
    return json.loads(value) if isinstance(value, str) else value


def _text(fragment: str) -> str:
    """The text of an HTML fragment, whitespace collapsed, as the browser's textContent gives."""
    parser = _TextOnly()
    parser.feed(fragment or "")
    parser.close()
    return " ".join("".join(parser.parts).split())
