"""Keyboard use: a quiz can be started, answered and submitted with Tab, Space, the arrow keys and
Enter alone; every element that takes focus shows it; error summaries link to their fields and
following a link moves focus there. (Page titles are checked on every page by Journey.)"""

import pytest

from tests.browser.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.browser

MODULE = "spotting-the-signs"
MAX_TABS = 400

# Describe the focused element and whether the one focused before it showed its focus: its
# outline, box shadow or background while focused must differ from how it looks once left.
FOCUS_PROBE = """() => {
  const look = e => { const s = getComputedStyle(e);
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0
      && !/rgba\\(.*, 0\\)$/.test(s.outlineColor)
      ? `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}` : '';
    return {outline, shadow: s.boxShadow, background: s.backgroundColor}; };
  const describe = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
    (e.name ? `[name=${e.name}]` : '') + ' "' + (e.innerText || e.value || '').trim().slice(0, 40) + '"';
  const el = document.activeElement;
  let unseen = null;
  const prev = window.__focused;
  if (prev && prev.el !== el && prev.el.isConnected) {
    const after = look(prev.el);
    if (prev.look.outline === after.outline && prev.look.shadow === after.shadow
        && prev.look.background === after.background) unseen = prev.name;
  }
  window.__focused = el && el !== document.body ? {el, look: look(el), name: describe(el)} : null;
  return {unseen, tag: el.tagName.toLowerCase(), type: el.type || '', id: el.id, name: el.name || '',
          text: (el.innerText || el.value || '').trim(), href: el.getAttribute('href') || '',
          inSummary: !!el.closest('.govuk-error-summary'),
          group: el.type === 'radio' ? [...document.getElementsByName(el.name)].map(r => r.id) : []};
}"""


class Keyboard:
    """Tabs through a page, recording any focused element that did not show its focus."""

    def __init__(self, journey):
        self.j = journey
        self.page = journey.page
        self.unseen: list[str] = []

    def tab(self) -> dict:
        self.page.keyboard.press("Tab")
        return self.probe()

    def probe(self) -> dict:
        info = self.page.evaluate(FOCUS_PROBE)
        if info["unseen"]:
            self.unseen.append(f"{self.page.url}: {info['unseen']}")
        return info

    def tab_to(self, wanted) -> dict:
        """Press Tab until `wanted(info)` holds for the focused element."""
        for _ in range(MAX_TABS):
            info = self.tab()
            if wanted(info):
                return info
        raise AssertionError(f"never reached by Tab on {self.page.url}")

    def press_enter(self):
        """Press Enter on the focused link or button and check the page it leads to."""
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")
        self.page.wait_for_load_state()
        self.j.check()

    def answer(self, plan: dict[str, str]):
        """Tab through the attempt form answering by `plan` (element id -> "on" or a position):
        Space ticks a box, the arrow keys choose within a radio group and pick a position."""
        done_groups = set()
        info = self.probe()  # start from the focused element, if any
        for _ in range(MAX_TABS):
            if info["tag"] == "body":
                info = self.tab()
            if info["tag"] == "button" and info["text"] == "Submit answers":
                return
            if info["type"] == "radio" and info["name"] not in done_groups:
                done_groups.add(info["name"])
                group = info["group"]
                target = next(i for i in group if i in plan)
                steps = group.index(target) - group.index(info["id"])
                if steps == 0:
                    self.page.keyboard.press("Space")
                for _ in range(abs(steps)):
                    self.page.keyboard.press("ArrowDown" if steps > 0 else "ArrowUp")
                    self.probe()
            elif info["type"] == "checkbox" and info["id"] in plan:
                self.page.keyboard.press("Space")
            elif info["tag"] == "select" and info["id"] in plan:
                # A closed list: each Down arrow picks the next option ("Position", "1", "2" ...).
                for _ in range(int(plan[info["id"]])):
                    self.page.keyboard.press("ArrowDown")
                chosen = self.page.evaluate("document.activeElement.value")
                assert chosen == plan[info["id"]], (info["id"], chosen)
            info = self.tab()
        raise AssertionError("never reached the submit button")


def follow_first_error_link(keys: Keyboard):
    """Every error summary link names an element on the page; following the first by keyboard
    moves focus to that element."""
    page = keys.page
    hrefs = page.locator(".govuk-error-summary a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    assert hrefs, "the error summary has no links"
    for href in hrefs:
        assert href.startswith("#"), href
        assert page.locator(f"[id='{href[1:]}']").count() == 1, f"{href} names no element"
    keys.tab_to(lambda info: info["inSummary"] and info["href"] == hrefs[0])
    page.keyboard.press("Enter")
    focused = page.evaluate("document.activeElement.id")
    assert focused == hrefs[0][1:], f"following {hrefs[0]} left focus on #{focused}"
    return hrefs


def test_a_quiz_can_be_completed_by_keyboard_alone(journey):
    j = journey
    keys = Keyboard(j)
    j.sign_in("officer3@demo.police.uk", DEMO_PASSWORD)

    # From the quiz page, Tab to "Start the quiz" and press Enter.
    j.goto(f"/modules/{MODULE}/quiz")
    keys.tab_to(lambda info: info["tag"] == "button" and info["text"] == "Start the quiz")
    keys.press_enter()
    assert "/attempts/" in j.page.url
    questions = j.page.locator(".app-question").count()

    # Submit with nothing answered: an error summary lists every question and links to it.
    keys.tab_to(lambda info: info["tag"] == "button" and info["text"] == "Submit answers")
    keys.press_enter()
    assert j.page.title().startswith("Error: ")
    hrefs = follow_first_error_link(keys)
    assert len(hrefs) == questions

    # From the first question, where that link left focus, answer every question by keyboard
    # (right answers, from the question bank), then press Enter on "Submit answers".
    keys.answer(dict(j.choices(right=True)))
    keys.press_enter()
    assert j.page.url.endswith("/result")
    assert "You passed" in j.page.locator(".result-panel").inner_text()
    assert "Your score: 100%" in j.page.locator(".result-panel").inner_text()
    ordering = j.page.locator(".result-question ol.result-options").count()
    print(f"keyboard quiz: {questions} questions, {ordering} of them ordering")

    assert not keys.unseen, "focus not visible on:\n" + "\n".join(keys.unseen)


def test_error_summary_links_move_focus_to_the_field(journey):
    j = journey
    keys = Keyboard(j)
    # The public certificate check, submitted empty by keyboard.
    j.goto("/verify")
    keys.tab_to(lambda info: info["type"] == "submit" and info["text"] == "Check certificate")
    keys.press_enter()
    assert j.page.title() == "Error: Check a certificate – Modern Slavery Training"
    assert follow_first_error_link(keys) == ["#serial"]
    assert not keys.unseen, "focus not visible on:\n" + "\n".join(keys.unseen)
