"""Journey 4, the administrator: import officers from a CSV with a bad row (see the row error,
nothing imported), fix it, import; then look the new officers up."""

import pytest

from tests.browser.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.browser

BAD = ("name,email,service_number,force_code,team\n"
       "Nadia Browser,nadia.browser@demo.police.uk,WY7001,west-yorkshire,Response Team B\n"
       "Owen Browser,owen.browser@demo.police.uk,WY7002,atlantis,Response Team B\n")


def test_admin_imports_officers_after_fixing_a_bad_row(journey, tmp_path):
    j = journey
    j.sign_in("admin@demo.police.uk", DEMO_PASSWORD)
    assert j.page.title().startswith("Users")

    j.goto("/admin/users/import")
    bad = tmp_path / "officers.csv"
    bad.write_text(BAD)
    j.page.set_input_files("#file", str(bad))
    j.page.click("text=Import officers >> nth=-1")
    j.page.wait_for_load_state()
    j.check()
    summary = j.page.locator(".error-summary").inner_text()
    assert "Nothing was imported" in summary
    assert "Line 3: unknown force code 'atlantis'." in summary

    j.goto("/admin/users?q=browser")
    assert "Nadia Browser" not in j.page.content()

    good = tmp_path / "fixed.csv"
    good.write_text(BAD.replace("atlantis", "west-yorkshire"))
    j.goto("/admin/users/import")
    j.page.set_input_files("#file", str(good))
    j.page.click("text=Import officers >> nth=-1")
    j.page.wait_for_load_state()
    j.check()
    assert "Imported 2 officers" in j.page.content()

    j.goto("/admin/users?q=browser")
    assert "Nadia Browser" in j.page.content()
    assert "Owen Browser" in j.page.content()
    j.goto("/admin/audit")
    assert "users.import" in j.page.content()
