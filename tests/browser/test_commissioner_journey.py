"""Journey 3, the commissioner: open the national table, sort it, filter it to one nation, drill
into a force, download the CSV and the PDF report, and find no officer's name or email anywhere."""

import io
import re

import pytest
from pypdf import PdfReader

from tests.browser.conftest import DEMO_PASSWORD, complete_course, flask_command

pytestmark = pytest.mark.browser

# Six Gwent officers complete the course: a count of 6 or fewer is never shown (noise of at most 3,
# threshold 10), so their force's counts read [c] while its assessment figures show.
GWENT = [(f"Morgan Gwentbrowser{i}", f"morgan.gwent{i}@demo.police.uk", f"GW90{i:02d}") for i in range(1, 7)]
DEMO_OFFICERS = [
    "Sam Taylor",
    "Priya Shah",
    "Jamie Evans",
    "officer@demo.police.uk",
    "officer2@demo.police.uk",
    "officer3@demo.police.uk",
    "WY1001",
    "WY1002",
    "AS2001",
]
PERSONAL = DEMO_OFFICERS + [v for officer in GWENT for v in officer] + ["Gwentbrowser"]


def column(j, header: str) -> list[str]:
    """The cells of one column of the force table, top to bottom."""
    headers = [h.strip() for h in j.page.locator(".metrics-table thead th").all_inner_texts()]
    index = next(i for i, h in enumerate(headers) if h.startswith(header))
    return [
        row.locator("th, td").nth(index).inner_text().strip()
        for row in j.page.locator(".metrics-table tbody tr").all()
    ]


def test_commissioner_compares_forces_without_seeing_anyone(journey, server, tmp_path):
    j = journey
    roster = tmp_path / "gwent.csv"
    roster.write_text(
        "name,email,service_number,force_code,team\n"
        + "".join(f"{name},{email},{number},gwent,Response\n" for name, email, number in GWENT)
    )
    flask_command(server, "users", "import", str(roster))
    complete_course(server, *(email for _name, email, _number in GWENT))

    # The commissioner starts on the national table, forces in name order.
    j.sign_in("commissioner@demo.police.uk", DEMO_PASSWORD)
    assert j.page.url.split("?")[0].endswith("/metrics/national")
    forces = column(j, "Force")
    assert len(forces) >= 40
    assert forces == sorted(forces, key=str.casefold)
    # The headline comes first; the map shows a hexagon per force with its figure in its title.
    headline = j.page.locator("#headline")
    assert headline.bounding_box()["y"] < j.page.locator("#forces").bounding_box()["y"]
    assert "below the target of" in headline.inner_text()
    assert "change since" in headline.inner_text()
    gwent_hex = j.page.locator("#map + figure svg title").filter(has_text="Gwent Police")
    assert gwent_hex.count() >= 1

    # Sort by the number of officers who completed: select the column heading.
    j.click(j.page.locator(".metrics-table thead th a").filter(has_text="Completed").first)
    assert "sort=completed" in j.page.url
    header = j.page.locator(".metrics-table thead th[aria-sort]")
    assert header.count() == 1
    assert header.get_attribute("aria-sort") == "ascending"

    # Filter to Wales: only the four Welsh forces; Gwent's six completions are [c], never 6.
    j.page.select_option("#nation", "Wales")
    j.click(j.page.get_by_role("button", name="Apply filters"))
    assert "nation=Wales" in j.page.url
    assert "sort=completed" in j.page.url
    assert sorted(column(j, "Force")) == [
        "Dyfed-Powys Police",
        "Gwent Police",
        "North Wales Police",
        "South Wales Police",
    ]
    assert column(j, "Nation") == ["Wales"] * 4
    gwent = j.page.locator(".metrics-table tbody tr").filter(has_text="Gwent Police")
    assert "[c]" in gwent.inner_text(), gwent.inner_text()
    assert not re.search(r"\b6\b", gwent.inner_text()), gwent.inner_text()

    # The exports carry the same filters.
    csv_text = j.download(j.page.get_by_role("link", name=re.compile(r"\(CSV\)"))).read_text(
        encoding="utf-8-sig"
    )
    assert "Gwent Police" in csv_text
    assert "Avon and Somerset" not in csv_text
    pdf = j.download(j.page.get_by_role("link", name=re.compile(r"\(PDF\)")))
    pdf_text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.read_bytes())).pages)
    assert "Gwent Police" in pdf_text

    # Drill into Gwent: the force's figures, aggregates only.
    j.click(j.page.locator(".metrics-table tbody th a", has_text="Gwent Police"))
    assert j.page.url.split("?")[0].endswith("/metrics/forces/gwent")
    assert j.page.locator("h1").inner_text() == "Gwent Police: training metrics"

    # Nowhere a name, an email or a service number: not on any page, nor in either file.
    for where, text in [*j.pages, ("national.csv", csv_text), ("national.pdf", pdf_text)]:
        for personal in PERSONAL:
            assert personal.lower() not in text.lower(), f"{personal!r} appears in {where}"
