"""The pages and exports: small numbers, force scoping, no names for the commissioner."""

import csv
import io
import os
import re
import xml.etree.ElementTree as ET

import pytest
from pypdf import PdfReader

from app.metrics import services
from app.metrics.definitions import METRIC_DEFINITIONS
from tests.factories import UserFactory
from tests.integration.metrics.conftest import PERIOD, SECRET_TEAM
from tests.integration.metrics.test_figures import _users, published

QUERY = {**PERIOD, "course": "fr-test"}


def _commissioner_outputs(client, dataset):
    """Every commissioner page and export, as text."""
    avon, bristol = dataset["avon"].code, dataset["bristol"].code
    texts = {}
    for url, extra in (
        ("/metrics/national", {}),
        (f"/metrics/forces/{avon}", {}),
        (f"/metrics/forces/{bristol}", {}),
        ("/metrics/national.csv", {}),
        ("/metrics/national", {"sort": "registered", "dir": "desc"}),
    ):
        response = client.get(url, query_string={**QUERY, **extra})
        assert response.status_code == 200, url
        texts[f"{url} {extra}"] = response.get_data(as_text=True)
    pdf = client.get("/metrics/national.pdf", query_string=QUERY)
    assert pdf.status_code == 200
    assert pdf.mimetype == "application/pdf"
    texts["pdf"] = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    return texts


def test_commissioner_sees_no_names_emails_or_teams(client, login_as, dataset):
    login_as(dataset["commissioner"])
    for where, text in _commissioner_outputs(client, dataset).items():
        for secret in [*dataset["names"], *dataset["emails"], SECRET_TEAM]:
            assert secret not in text, f"{secret!r} appears in {where}"


def test_national_page_shows_small_numbers_and_totals(client, login_as, dataset):
    login_as(dataset["commissioner"])
    html = client.get("/metrics/national", query_string=QUERY).get_data(as_text=True)
    assert '<abbr title="confidential">[c]</abbr>' in html  # the method is explained
    assert ">[c]<" in html  # small counts are not shown
    assert "fewer than 5" not in html
    assert "withheld" not in html
    assert "Avon Test Constabulary" in html
    assert "Bristol Test Police" in html
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart"' in html
    assert (
        'govuk-table__caption--s">Uptake by force (police officers currently certified, '
        "% of officer figure)</caption>" in html
    )
    assert 'aria-sort="ascending"' in html  # sorted by force name by default
    assert " style=" not in html  # the CSP forbids inline styles


SVG = "{http://www.w3.org/2000/svg}"


def uptake_table(html: str) -> dict[str, str]:
    """The uptake table under the chart: force name to the figure shown."""
    caption = "Uptake by force (police officers currently certified, % of officer figure)</caption>"
    table = html[html.index(caption) : html.index("</tbody>", html.index(caption))]
    return dict(
        re.findall(
            r'<th scope="row" class="govuk-table__header">([^<]+)</th>'
            r'<td class="govuk-table__cell govuk-table__cell--numeric">([^<]+)</td>',
            table,
        )
    )


def uptake_map(html: str) -> dict[str, tuple[str, list[str]]]:
    """The hexagon map: each hexagon's title (force name, figure) and the texts drawn in it."""
    start = html.index(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img"', html.index('id="map"')
    )
    root = ET.fromstring(html[start : html.index("</svg>", start) + len("</svg>")])
    assert root.get("aria-labelledby") == "uptake-map-title uptake-map-desc"
    hexagons = {}
    for group in root.iter(f"{SVG}g"):
        if (group.get("class") or "").startswith("hex"):
            name, _, figure = group.find(f"{SVG}title").text.partition(": ")
            hexagons[name] = (figure, [t.text for t in group.iter(f"{SVG}text")])
    return hexagons


def test_national_page_maps_each_force_with_the_figure_in_the_uptake_table(
    client, login_as, dataset, database
):
    dataset["avon"].code = "avon-somerset"  # a force with a cell on the map
    database.session.flush()
    login_as(dataset["commissioner"])
    html = client.get("/metrics/national", query_string=QUERY).get_data(as_text=True)
    assert '<h2 class="govuk-heading-l" id="map">Map of uptake by force</h2>' in html
    assert "The same figures are in the table above." in html
    table, hexagons = uptake_table(html), uptake_map(html)
    assert set(table) == {"Avon Test Constabulary", "Bristol Test Police"}
    for force, figure in table.items():
        assert hexagons[force][0].split(" (")[0] == figure
        assert figure in hexagons[force][1]  # the figure is drawn in the hexagon too
    assert "ASP" in hexagons["Avon Test Constabulary"][1]  # on the map, in Avon and Somerset's cell
    assert "BTP" in hexagons["Bristol Test Police"][1]  # no cell: in the group beside the map


def test_sort_links_work_without_javascript(client, login_as, dataset):
    login_as(dataset["commissioner"])
    html = client.get(
        "/metrics/national", query_string={**QUERY, "sort": "mean_best_score", "dir": "desc"}
    ).get_data(as_text=True)
    assert 'aria-sort="descending"' in html
    assert html.index("Avon Test Constabulary") < html.index("Bristol Test Police")


def test_national_csv(client, login_as, dataset, database):
    login_as(dataset["commissioner"])
    response = client.get("/metrics/national.csv", query_string=QUERY)
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert list(rows[0]) == [*(d.csv_header for d in METRIC_DEFINITIONS), *services.CONTEXT_HEADERS]
    # Every row says what it is: when calculated, for which period, course and filters.
    assert {(r["period_from"], r["period_to"], r["course"]) for r in rows} == {
        ("2025-01-01", "2025-12-31", "fr-test")
    }
    assert all(r["calculated_at_utc"].endswith("Z") for r in rows)
    by_code = {r["force_code"]: r for r in rows}
    assert by_code["bristol-t"]["officers_registered"] == "[c]"
    assert by_code["bristol-t"]["uptake"] == ""  # officer figure unknown
    assert by_code["avon-t"]["officers_registered"] == "[c]"  # 6 officers
    assert by_code["avon-t"]["uptake"] == "[c]"  # 2 certified
    assert by_code["avon-t"]["officer_figure"] == "100"
    assert by_code["bristol-t"]["officer_figure"] == ""  # unknown
    # Avon's pass rate and best score rest on 6 officer-modules: [c] whatever the noise.
    assert by_code["avon-t"]["mean_best_score"] == "[c]"
    # For one course, registered = assigned or started: Cornelius Pike (Bristol) is neither. The
    # total is a cell of its own: the 8 registered officers' count, perturbed with their keys.
    registered = published(_users(database, *dataset["names"][:6], *dataset["names"][7:9]))
    assert by_code["ALL"]["officers_registered"] == (str(registered) if registered else "[c]")
    assert by_code["ALL"]["uptake"] == "[c]"  # rests on 2 currently certified


def test_csv_is_safe_from_formula_injection(client, login_as, dataset, database):
    dataset["bristol"].name = '=HYPERLINK("http://evil")'
    database.session.flush()
    login_as(dataset["commissioner"])
    text = client.get("/metrics/national.csv", query_string=QUERY).get_data(as_text=True)
    assert "'=HYPERLINK" in text
    assert not any(line.startswith("=") or ",=" in line for line in text.splitlines())


def test_pdf_report_content(client, login_as, dataset):
    login_as(dataset["commissioner"])
    text = _commissioner_outputs(client, dataset)["pdf"]
    assert "Produced on" in text
    assert "Avon Test Constabulary" in text
    assert "Bristol Test Police" in text
    assert "[c]" in text
    assert "small fixed noise" in text  # the method is stated in the PDF
    assert "Uptake by force" in text
    assert "Map of uptake by force" in text
    # The force table comes in two parts, so its text can stay at 9pt on an A4 page.
    assert "(part 1 of 2)" in text
    assert "(part 2 of 2)" in text


def test_pdf_force_table_text_is_at_least_9pt():
    import re
    from pathlib import Path

    css = (Path(__file__).resolve().parents[3] / "app" / "static" / "css" / "metrics.css").read_text()
    report_rules = [line for line in css.splitlines() if line.startswith((".report", "body.report"))]
    sizes = [float(s) for line in report_rules for s in re.findall(r"font(?:-size)?:\s*([\d.]+)pt", line)]
    assert sizes
    assert min(sizes) >= 9


def test_force_drill_down_for_commissioner(client, login_as, dataset):
    login_as(dataset["commissioner"])
    html = client.get(f"/metrics/forces/{dataset['avon'].code}", query_string=QUERY).get_data(as_text=True)
    assert "Avon Test Constabulary: training metrics" in html
    assert "Response Team Two" not in html
    # The module table: M1 rests on 4 officers, M2 on 2: [c] whatever the noise.
    assert html.count(">[c]<") >= 2


def test_lead_sees_own_force_by_team_with_named_overdue(client, login_as, dataset):
    login_as(dataset["lead"])
    html = client.get("/metrics/force", query_string=QUERY).get_data(as_text=True)
    assert "Force dashboard: Avon Test Constabulary" in html
    assert SECRET_TEAM in html
    assert "Response Team Two" in html
    # Overdue: a3, a4, a5 (expired) and a6 are named; Bristol's officers never appear.
    for name in ("Caspian Thorne", "Perpetua Vane", "Lysander Crow", "Isolde Marchbank"):
        assert name in html
    for name in ("Bartholomew Quist", "Winifred Ashdown", "Cornelius Pike"):
        assert name not in html
    assert "[c]" not in html  # the lead's own officers: true figures, no perturbation


@pytest.mark.parametrize("url", ["/metrics/force", "/metrics/force.csv"])
def test_lead_cannot_open_another_force(client, login_as, dataset, url):
    login_as(dataset["lead"])
    assert client.get(url, query_string={"force": dataset["bristol"].code}).status_code == 404
    assert client.get(url, query_string={"force": "no-such-force"}).status_code == 404


def test_admin_opens_any_force_dashboard(client, login_as, dataset):
    login_as(dataset["admin"])
    chooser = client.get("/metrics/force").get_data(as_text=True)
    assert "Bristol Test Police" in chooser
    html = client.get("/metrics/force", query_string={"force": "bristol-t", **QUERY})
    assert html.status_code == 200
    # Due 31 Dec 2025: not overdue on that day, overdue the day after.
    assert "Winifred Ashdown" not in html.get_data(as_text=True)
    later = client.get(
        "/metrics/force", query_string={"force": "bristol-t", **QUERY, "date_to": "2026-01-01"}
    )
    assert "Winifred Ashdown" in later.get_data(as_text=True)


def test_lead_csv(client, login_as, dataset):
    login_as(dataset["lead"])
    response = client.get("/metrics/force.csv", query_string=QUERY)
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert list(rows[0])[1:] == [*(d.csv_header for d in METRIC_DEFINITIONS), *services.CONTEXT_HEADERS]
    assert rows[0]["period_to"] == "2025-12-31"
    assert rows[0]["team"] == ""
    assert rows[0]["officers_registered"] == "6"
    teams = {r["team"]: r for r in rows[1:]}
    assert teams[SECRET_TEAM]["officers_overdue"] == "1"  # a3
    assert teams["Response Team Two"]["officers_overdue"] == "3"  # a4, a5 (expired), a6


def test_bad_filters_fall_back_with_an_error(client, login_as, dataset):
    login_as(dataset["commissioner"])
    response = client.get(
        "/metrics/national",
        query_string={"date_from": "2025-12-31", "date_to": "2025-01-01", "sort": "nonsense"},
    )
    assert response.status_code == 400  # the page, with the error beside the field
    assert "The end date must be on or after the start date" in response.get_data(as_text=True)


@pytest.mark.parametrize("url", ["/metrics/national.csv", "/metrics/national.pdf"])
def test_an_export_with_a_bad_filter_is_refused_not_made_for_other_filters(client, login_as, dataset, url):
    login_as(dataset["commissioner"])
    response = client.get(url, query_string={**QUERY, "date_to": "9999-12-31"})
    assert response.status_code == 400
    assert "not made because a filter is not valid" in response.get_data(as_text=True)
    assert response.mimetype == "text/html"


def test_place_filters_typed_into_a_single_force_page_are_ignored(client, login_as, dataset):
    # Nation and force type do not apply to one force: no error about a field the page does
    # not show, and the other filters still apply.
    login_as(dataset["lead"])
    for query in ({**QUERY, "nation": "Wales"}, {**QUERY, "force_type": "nonsense"}):
        response = client.get("/metrics/force.csv", query_string=query)
        rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
        assert rows[0]["officers_overdue"] == "4"  # the period still applies (a3, a4, a5, a6)
        html = client.get("/metrics/force", query_string=query).get_data(as_text=True)
        assert "There is a problem" not in html
        assert "1 January 2025 to 31 December 2025" in html
    login_as(dataset["commissioner"])
    html = client.get(
        f"/metrics/forces/{dataset['avon'].code}", query_string={**QUERY, "nation": "Wales"}
    ).get_data(as_text=True)
    assert "There is a problem" not in html
    assert "Avon Test Constabulary: training metrics" in html


def test_an_invalid_filter_is_dropped_alone(client, login_as, dataset):
    login_as(dataset["commissioner"])
    html = client.get("/metrics/national", query_string={**QUERY, "nation": "Atlantis"}).get_data(
        as_text=True
    )
    assert "Not a valid choice" in html
    assert "1 January 2025 to 31 December 2025" in html  # the period is kept
    assert "First responder (test)" in html.split("<h1")[1].split("</p>")[0]  # and the course


def test_outputs_never_carry_record_keys_or_cell_keys(client, login_as, dataset):
    login_as(dataset["commissioner"])
    for where, text in _commissioner_outputs(client, dataset).items():
        for word in ("record_key", "key_sum", "cell_key", "ckey", "pvalue"):
            assert word not in text, f"{word!r} appears in {where}"


def test_topics_show_their_names_from_content(client, login_as, dataset, app, tmp_path, monkeypatch):
    # The dataset's questions are tagged "powers" and "situational-indicators".
    (tmp_path / "topics.yml").write_text(
        "topics:\n  powers: Police powers under the Act\n  situational-indicators: Situational indicators\n"
    )
    monkeypatch.setitem(app.config, "CONTENT_DIR", tmp_path)
    login_as(UserFactory(role="commissioner", force=None))
    page = client.get("/metrics/national").get_data(as_text=True)
    gaps = page[page.index('id="gaps"') :]
    assert "Police powers under the Act" in gaps
    assert "Situational indicators" in gaps
    assert ">powers<" not in gaps  # never the raw tag where a name exists
    # Read once a page, as the file is then: a topic renamed shows on the next page, with no sync.
    topics = tmp_path / "topics.yml"
    topics.write_text(topics.read_text().replace("Police powers under the Act", "Powers of the Act"))
    os.utime(topics, (topics.stat().st_atime, topics.stat().st_mtime + 10))
    page = client.get("/metrics/national").get_data(as_text=True)
    assert "Powers of the Act" in page[page.index('id="gaps"') :]


def test_period_dates_are_day_month_and_year_boxes_and_links_keep_iso_dates(client, login_as, dataset):
    login_as(dataset["commissioner"])
    typed = client.get(
        "/metrics/national",
        query_string=[("course", "fr-test"), *(("date_from", v) for v in ("1", "1", "2025"))]
        + [("date_to", v) for v in ("31", "12", "2025")],
    )
    assert typed.status_code == 200
    html = typed.get_data(as_text=True)
    assert 'id="date_from" name="date_from" type="text" value="1"' in html  # the day box
    assert 'id="date_from-year" name="date_from" type="text" value="2025"' in html
    assert "date_from=2025-01-01" in html  # the sort and export links
    assert "date_to=2025-12-31" in html
    # A link's YYYY-MM-DD is read too, and fills the boxes.
    linked = client.get("/metrics/national", query_string=QUERY).get_data(as_text=True)
    assert 'id="date_to-month" name="date_to" type="text" value="12"' in linked


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (("", "4", "2025"), "The start date must include a day"),
        (("31", "2", "2025"), "Enter the start date as a real date, for example 1 4 2025"),
    ],
)
def test_a_partial_or_impossible_date_is_a_clear_error(client, login_as, dataset, parts, message):
    login_as(dataset["commissioner"])
    response = client.get("/metrics/national", query_string=[("date_from", v) for v in parts])
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert f'<a href="#date_from">{message}</a>' in html  # the summary links to the day box
    assert 'class="govuk-input govuk-date-input__input govuk-input--width-2 govuk-input--error"' in html
