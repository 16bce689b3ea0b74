"""Journey: the law changes after an officer is certified. A synced module version marked
`supersedes_for_law` gives her a short update; she does it; the public check, her PDF and her
training lead's page show it.

She is an officer of her own (the demo officers' states belong to other journeys). The marked
version stays current afterwards: its lessons are the real ones, and certificates the later
journeys earn on it owe no update."""

import io
import re
import shutil

import pytest
from pypdf import PdfReader

from app.content.validation import load_tree
from tests.browser.conftest import DEMO_PASSWORD, ROOT, complete_course, flask_command, run_app

pytestmark = pytest.mark.browser

OFFICER = "lena.lawupdate@demo.police.uk"
NAME = "Lena Lawupdate"
LEAD = "lead@demo.police.uk"  # West Yorkshire
SUMMARY = "Journey check: criminal exploitation section revised"
QUESTION = "sts-sergeant-wants-cce-charge"


def _marked_copy(tmp_path):
    """The real content with spotting-the-signs marked as a law change on one section."""
    root = tmp_path / "content"
    shutil.copytree(ROOT / "content", root)
    module = root / "modules" / "spotting-the-signs" / "module.md"
    text = module.read_text()
    end = text.index("\n---\n", 4)
    block = (
        f'supersedes_for_law: "{SUMMARY}"\nlaw_changes:\n'
        "  sections: [02-forms-of-exploitation.md#criminal-exploitation]\n"
        f"  questions: [{QUESTION}]"
    )
    module.write_text(text[:end] + "\n" + block + text[end:])
    return root


def test_certified_officer_catches_up_on_a_law_change(journey, server, tmp_path):
    j = journey
    run_app(
        server,
        f"""
from app.auth.user_services import create_user
from app.forces.models import Force
force = db.session.scalar(db.select(Force).where(Force.code == "west-yorkshire"))
create_user(actor=None, email={OFFICER!r}, name={NAME!r}, role="officer", force=force,
            service_number="WY7201", password={DEMO_PASSWORD!r})
db.session.commit()
""",
    )
    serial = complete_course(server, OFFICER)
    root = _marked_copy(tmp_path)
    right = next(
        o.key
        for q in load_tree(root).modules["spotting-the-signs"].questions
        if q.key == QUESTION
        for o in q.options
        if o.correct
    )
    assert "Modules: 0 added, 1 changed" in flask_command(server, "content", "sync", str(root))

    # Her certificate says an update is due, and the public check says so too.
    j.sign_in(OFFICER, DEMO_PASSWORD)
    j.goto("/certificates")
    card = j.page.locator(".cert-card").filter(has_text=serial)
    assert "Update due by" in card.inner_text()
    assert SUMMARY in card.inner_text()
    j.goto(f"/verify/{serial}")
    assert "Update due" in j.page.locator("main").inner_text()

    # She reads the changed section and answers the question on it.
    j.goto("/certificates")
    j.click(j.page.locator(".cert-card").filter(has_text=serial).get_by_role("link", name="Do the update"))
    assert re.search(r"/updates/\d+$", j.page.url), j.page.url
    assert "Criminal exploitation" in j.page.locator("main").inner_text()
    j.page.check(f"input[name='q-{QUESTION}'][value='{right}']")
    j.click(j.page.get_by_role("button", name="Submit answers"))
    assert j.page.url.endswith("/certificates")
    assert f"Updated for {SUMMARY} on" in j.page.locator(".cert-card").filter(has_text=serial).inner_text()

    # The public check and the PDF note the update; the certificate itself is as issued.
    j.goto(f"/verify/{serial}")
    main = j.page.locator("main").inner_text()
    assert f"Updated for {SUMMARY} on" in main
    assert "Update due" not in main
    pdf = j.fetch(f"/certificates/{serial}/pdf")
    text = " ".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert f"UPDATED FOR {SUMMARY}" in text
    j.sign_out()

    # Her lead sees she has caught up.
    j.sign_in(LEAD, DEMO_PASSWORD)
    j.goto("/force/certificates")
    j.click("text=Who has caught up on law changes")
    row = j.page.locator("tbody tr").filter(has_text=NAME)
    assert "Updated" in row.inner_text()
    assert SUMMARY in row.inner_text()
