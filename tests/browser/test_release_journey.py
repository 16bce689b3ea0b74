"""Journey: the commissioner sees that the live view is provisional, opens last month's published
release and downloads its spreadsheet and CSV, and finds no officer's name or email in them."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from odfdo import Document

from tests.browser.conftest import DEMO_PASSWORD, flask_command
from tests.browser.test_commissioner_journey import PERSONAL

pytestmark = pytest.mark.browser


def _last_month() -> tuple[str, str]:
    """'YYYY-MM' and 'Month YYYY' of the month before today (UTC)."""
    last = datetime.now(UTC).date().replace(day=1) - timedelta(days=1)
    return f"{last:%Y-%m}", f"{last:%B %Y}"


def test_commissioner_opens_a_release_and_downloads_its_spreadsheet(journey, server):
    j = journey
    month, label = _last_month()
    flask_command(server, "metrics", "publish", "--month", month, "--by", "admin@demo.police.uk")

    # The live national view says it is provisional and points to the releases.
    j.sign_in("commissioner@demo.police.uk", DEMO_PASSWORD)
    assert j.page.url.split("?")[0].endswith("/metrics/national")
    assert j.page.locator("#provisional").inner_text().startswith("Provisional:")
    j.click(j.page.locator("#provisional a", has_text="Monthly releases"))
    assert j.page.url.endswith("/metrics/releases")

    # The list names the month; its page shows the frozen tables.
    j.click(j.page.locator("tbody th a", has_text=month))
    assert j.page.url.endswith(f"/metrics/releases/{month}/1")
    assert j.page.locator("h1").inner_text() == f"National figures, {label}"
    assert "Final, revision 1" in j.page.locator("#release-facts").inner_text()
    assert j.page.locator("table#table_1 tbody tr").count() >= 40  # every force and the total

    # The spreadsheet: cover, contents, notes, then the tables, titles in A1.
    ods = j.download(j.page.get_by_role("link", name="Download the spreadsheet (ODS)"))
    tables = {t.name: t.get_values() for t in Document(str(ods)).body.tables}
    assert list(tables)[:4] == ["Cover_sheet", "Contents", "Notes", "Table_1"]
    assert tables["Cover_sheet"][0][0].endswith(label)
    assert tables["Table_1"][0][0].startswith(f"Table 1: Training figures by force, All courses, {label}")
    assert all(v is not None for row in tables["Table_1"][3:] for v in row)  # codes, never blanks

    csv_text = j.download(j.page.get_by_role("link", name="Download the tables by force (CSV)")).read_text()
    rows = list(csv.DictReader(io.StringIO(csv_text)))
    assert {r["release_month"] for r in rows} == {month}

    sheet_text = " ".join(str(v) for values in tables.values() for row in values for v in row)
    for where, text in [*j.pages, ("release.ods", sheet_text), ("release.csv", csv_text)]:
        for personal in PERSONAL:
            assert personal.lower() not in text.lower(), f"{personal!r} appears in {where}"
