"""Journey 5, a newly imported officer: the admin imports her with an invitation; she opens the
emailed link (read from the outbox, where mail goes without MAIL_SERVER), chooses a password,
signs in; the link then no longer works; "Forgotten your password?" answers the same for any
address."""

import re

import pytest

pytestmark = pytest.mark.browser

CSV = (
    "name,email,service_number,force_code,team\n"
    "Priya Invitee,priya.invitee@demo.police.uk,WY7101,west-yorkshire,Response Team B\n"
)
NEW_PASSWORD = "lantern-harbour-thistle-42"


def test_imported_officer_sets_her_password_from_the_invitation(journey, server, tmp_path):
    j = journey
    j.sign_in("admin@demo.police.uk", "spot-the-signs-2026")
    j.goto("/admin/users/import")
    upload = tmp_path / "officers.csv"
    upload.write_text(CSV)
    j.page.set_input_files("#file", str(upload))
    j.page.check("#invite")
    j.page.click("text=Import officers >> nth=-1")
    j.page.wait_for_load_state()
    j.check()
    assert "Imported 1 officer" in j.page.content()
    assert "Sent 1 invitation." in j.page.content()

    # The mail worker sends the invitation out of the request: wait (bounded) for it to arrive.
    message = j.page.locator(".app-outbox-message").filter(has_text="priya.invitee@demo.police.uk")
    for _ in range(40):
        j.goto("/admin/outbox")
        if message.count():
            break
        j.page.wait_for_timeout(250)
    assert message.count() == 1
    message.locator("summary").click()
    body = message.locator("pre").inner_text()
    link = re.search(r"https?://[^/\s]+(/account/set-password/\S+)", body).group(1)
    j.sign_out()

    j.goto(link)
    assert j.page.locator("h1").inner_text() == "Set up your account"
    j.page.fill("#password", NEW_PASSWORD)
    j.page.fill("#confirm", NEW_PASSWORD + "x")
    j.click(j.page.get_by_role("button", name="Set password"))
    j.check()
    assert "The two passwords do not match" in j.page.locator(".govuk-error-summary").inner_text()
    j.page.fill("#password", NEW_PASSWORD)
    j.page.fill("#confirm", NEW_PASSWORD)
    j.click(j.page.get_by_role("button", name="Set password"))
    assert "Your password has been set" in j.page.locator(".govuk-notification-banner").inner_text()

    j.sign_in("priya.invitee@demo.police.uk", NEW_PASSWORD)
    assert "Priya Invitee" in j.page.content()
    j.sign_out()

    # The link worked once.
    j.goto(link)
    assert j.page.locator("h1").inner_text() == "This link cannot be used"

    # Forgotten password: the same answer for a real and an unknown address.
    answers = []
    for email in ("priya.invitee@demo.police.uk", "nobody.here@demo.police.uk"):
        j.goto("/sign-in")
        j.click(j.page.get_by_role("link", name="Forgotten your password?"))
        j.page.fill("#email", email)
        j.click(j.page.get_by_role("button", name="Send me a link"))
        answers.append(j.page.locator("main").inner_text())
    assert answers[0] == answers[1]
