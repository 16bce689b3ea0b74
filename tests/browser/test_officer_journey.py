"""Journey 1, the officer: sign in, see the assigned course, read every lesson of the first module,
fail its quiz, read the feedback, meet the cool-down, retake and pass after it, pass the other two
modules, download the certificate and check it on the public page."""

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.browser.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.browser

COURSE = "Modern slavery: first responder"
FIRST = "spotting-the-signs"
OTHERS = ("using-the-act", "victim-centred-interviewing")
CONTENT = Path(__file__).resolve().parents[2] / "content" / "modules"


def take_quiz(j, right: bool):
    """Start (or resume) the attempt from the quiz page, answer it, submit; on the result page."""
    j.click(j.page.locator("form button.govuk-button", has_text=re.compile("Start")))
    assert "/attempts/" in j.page.url
    j.answer_quiz(right)
    j.click("text=Submit answers")
    assert j.page.url.endswith("/result")


def test_officer_completes_the_first_responder_course(journey):
    j = journey

    # My training: the course the lead assigned to Response Team B, due in 30 days.
    j.sign_in("officer@demo.police.uk", DEMO_PASSWORD)
    assert j.page.url.endswith("/training")
    assigned = j.page.locator(".training-list").first
    assert COURSE in assigned.inner_text()
    assert "Please complete this before your next set of night shifts." in assigned.inner_text()

    # The course, then its first module, then every lesson in turn: past a content warning when a
    # lesson has one, then "Mark as read and continue" (the last one goes on to the quiz).
    j.click(assigned.get_by_role("link", name=COURSE))
    assert j.page.locator("h1").inner_text() == COURSE
    j.click(j.page.locator(".module-list__title a").first)
    assert j.page.url.endswith(f"/modules/{FIRST}")
    lessons = j.page.locator(".lesson-list__text a").count()
    assert lessons >= 3
    j.click("text=Start reading")
    warned = 0
    for number in range(1, lessons + 1):
        if j.page.locator("h1", has_text="Content warning").count():
            warned += 1
            assert "Police Care UK" in j.page.locator("#support-title + p + ul").inner_text()
            j.click("text=Continue to the lesson")
        assert f"/modules/{FIRST}/lessons/{number}" in j.page.url
        assert f"Lesson {number} of {lessons}" in j.page.locator(".lesson-progress__label").inner_text()
        last = number == lessons
        j.click(
            f"button:has-text('{'Mark as read and go to the quiz' if last else 'Mark as read and continue'}')"
        )
    assert warned >= 1  # the first module warns before its distressing material
    assert j.page.url.endswith(f"/modules/{FIRST}/quiz")

    # Fail on purpose, and read the feedback on every answer.
    take_quiz(j, right=False)
    assert "Not passed this time" in j.page.locator(".result-panel").inner_text()
    assert j.page.locator(".result-question").count() == 10
    # Every question shows the right answer: a correct option marked, or for an ordering question
    # (whose steps are marked right only where the officer placed them) each step's right place.
    for question in j.page.locator(".result-question").all():
        shown = (
            question.locator(".result-option--right").count()
            or question.get_by_text("Should be position").count()
        )
        assert shown >= 1, question.inner_text()
    assert j.page.locator(".feedback").first.inner_text().strip()

    # Straight back: the cool-down says when the next attempt may start, and offers no button.
    j.click("text=Back to the quiz page to try again")
    notice = j.page.locator(".app-quiz-notice").inner_text()
    assert re.match(r"You can try again after \d{1,2} \w+ \d{4}, .+ \(UK time\)", notice), notice
    assert j.page.locator("form button", has_text="Start attempt").count() == 0

    # Thirty-one minutes later the second attempt may start; this time every answer is right.
    j.travel(31)
    j.goto(f"/modules/{FIRST}/quiz")
    take_quiz(j, right=True)
    assert "You passed" in j.page.locator(".result-panel").inner_text()
    assert "Your score: 100%" in j.page.locator(".result-panel").inner_text()

    # The other two modules: reading is encouraged, not required; pass each quiz first time.
    for slug in OTHERS:
        j.goto(f"/modules/{slug}/quiz")
        take_quiz(j, right=True)
        assert "You passed" in j.page.locator(".result-panel").inner_text()

    # My certificates: one for the course, valid; download the PDF and read it.
    j.goto("/certificates")
    card = j.page.locator(".cert-card").filter(has_text=COURSE)
    assert card.count() == 1
    serial = card.locator(".cert-serial").inner_text().strip()
    assert re.fullmatch(r"MSA(-[0-9A-Z]{4}){4}", serial), serial
    pdf = j.download(card.get_by_role("link", name=re.compile("Download PDF")))
    assert pdf.name == f"certificate-{serial}.pdf"
    credential = j.download(card.get_by_role("link", name=re.compile("Download digital credential")))
    assert credential.name == f"certificate-{serial}.jwt"
    assert credential.read_text().count(".") == 2  # a signed JWT: header.claims.signature
    text = " ".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.read_bytes())).pages).split())
    for expected in ("Sam Taylor", COURSE, serial):
        assert expected in text, f"{expected!r} not in the certificate: {text[:300]}"

    # Anyone can check it: type the serial on the public page (lower case, as people do).
    j.goto("/verify")
    j.page.fill("#serial", serial.lower())
    j.click("button[type=submit], input[type=submit] >> nth=-1")
    assert j.page.url.endswith(f"/verify/{serial}")
    assert j.page.locator("h1").inner_text() == "Valid certificate"
    assert "Sam Taylor" in j.page.locator(".govuk-summary-list").inner_text()


def test_every_module_and_lesson_passes_the_page_checks(journey):
    """The content pipeline's HTML, all of it: every module page and every lesson (the journey
    above reads only the first module). An administrator reads, so no progress is recorded."""
    j = journey
    j.sign_in("admin@demo.police.uk", DEMO_PASSWORD)
    slugs = sorted(p.name for p in CONTENT.iterdir() if (p / "module.md").exists())
    for slug in slugs:
        if slug == FIRST:
            continue  # read in full by the officer above
        j.goto(f"/modules/{slug}")
        lessons = j.page.locator(".lesson-list__text a").count()
        j.click(j.page.locator(".lesson-list__text a").first)
        for number in range(1, lessons + 1):
            if j.page.locator("h1", has_text="Content warning").count():
                j.click("text=Continue to the lesson")
            assert f"/modules/{slug}/lessons/{number}" in j.page.url
            if number < lessons:
                j.click("a[rel=next]")

    # Job aids: the first use of a term in a lesson leads to its glossary entry (the glossary page
    # gets the same page checks), and the module page offers the pocket card.
    j.goto("/modules/using-the-act/lessons/6")
    term = j.page.locator(".lesson__body a.glossary-term", has_text="National Referral Mechanism")
    assert term.count() == 1
    assert term.get_attribute("title") == "Glossary: National Referral Mechanism (NRM)"
    j.click(term)
    assert j.page.url.endswith("/glossary#nrm")
    assert j.page.locator("#nrm").inner_text() == "National Referral Mechanism (NRM)"
    j.goto("/modules/using-the-act")
    card = j.page.locator('a[href="/modules/using-the-act/pocket-card.pdf"]')
    assert card.count() == 1
    assert j.fetch("/modules/using-the-act/pocket-card.pdf").startswith(b"%PDF-")
