"""The officer of a Welsh force who works in Welsh: My training, the refresher's lesson and quiz,
the result and the certificate (in both languages), then English and back, every page axe-core
clean with lang="cy"; English content on a Welsh page is marked lang="en"."""

import io
import re

import pytest
from pypdf import PdfReader

from tests.browser.conftest import DEMO_PASSWORD, run_app

pytestmark = pytest.mark.browser

OFFICER = "gwenllian.wyn@demo.police.uk"
NAME = "Gwenllian Ŵyn ap Llŷr"
MODULE = "first-responder-refresher"


def _in_welsh(j):
    assert j.page.locator("html").get_attribute("lang") == "cy", j.page.url
    assert j.page.locator("a[hreflang=en]").inner_text() == "English"


def test_an_officer_of_a_welsh_force_trains_in_welsh(journey, server):
    j = journey
    run_app(
        server,
        f"""
from app.auth.user_services import create_user
from app.forces.models import Force
force = db.session.scalar(db.select(Force).where(Force.code == "dyfed-powys"))
force.default_language = "cy"
create_user(actor=None, email={OFFICER!r}, name={NAME!r}, role="officer", force=force,
            service_number="DP7401", password={DEMO_PASSWORD!r})
db.session.commit()
""",
    )
    # Her force starts its people in Welsh: from the first page after signing in.
    j.sign_in(OFFICER, DEMO_PASSWORD)
    assert j.page.url.endswith("/training")
    _in_welsh(j)
    assert j.page.locator("h1").inner_text() == "Fy hyfforddiant"

    # The refresher's lesson: its English content is marked as English inside the Welsh page.
    j.goto(f"/modules/{MODULE}/lessons/1")
    _in_welsh(j)
    assert j.page.locator("main [lang=en]").count() >= 1
    j.click(j.page.locator("main form button.govuk-button").first)  # mark as read and go on
    j.goto(f"/modules/{MODULE}/quiz")
    _in_welsh(j)
    j.click(j.page.locator("main form button.govuk-button").first)  # start
    assert "/attempts/" in j.page.url
    _in_welsh(j)
    j.answer_quiz(right=True)
    j.click(j.page.locator("main form button.govuk-button").first)  # submit
    assert j.page.url.endswith("/result")
    _in_welsh(j)
    assert "100%" in j.page.locator("main").inner_text()

    # The certificate, printed in both languages: the Welsh page first, Welsh letters intact.
    j.goto("/certificates")
    _in_welsh(j)
    link = j.page.locator("main a[href$='/pdf?language=both']").first
    pdf = j.download(link)
    reader = PdfReader(io.BytesIO(pdf.read_bytes()))
    assert len(reader.pages) == 2
    welsh, english = (" ".join(p.extract_text().split()) for p in reader.pages)
    assert "Tystysgrif cwblhau" in welsh
    assert NAME in welsh
    assert "Certificate of completion" in english

    # English, then Welsh again, from the link on the page; the choice stays with her.
    j.click("a[hreflang=en]")
    assert j.page.locator("html").get_attribute("lang") == "en-GB"
    assert j.page.locator("h1").inner_text() == "My certificates"
    j.goto("/training")
    assert j.page.locator("h1").inner_text() == "My training"
    j.click("a[hreflang=cy]")
    _in_welsh(j)
    assert re.search(r"/training$", j.page.url)
    assert j.page.locator("h1").inner_text() == "Fy hyfforddiant"
