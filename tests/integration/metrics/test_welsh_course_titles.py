"""A course's Welsh title (content/cy/courses.yml, stored in course_translations) on the metrics
pages: a Welsh reader sees it where the page names the course (the period line, the uptake
trend, the lead's overdue table, the PDF report, a release's table titles), not the English
marked lang="en"; an English reader sees the English."""

import io
from datetime import date

import pytest
from pypdf import PdfReader

from app.content.models import CourseTranslation
from tests.integration.metrics.conftest import PERIOD

QUERY = {**PERIOD, "course": "fr-test"}
ENGLISH = "First responder (test)"
WELSH = "Ymatebwr cyntaf (prawf)"
MARKED = f'<span lang="en">{ENGLISH}</span>'


@pytest.fixture
def welsh(dataset, database):
    database.session.add(
        CourseTranslation(course_id=dataset["course"].id, language="cy", title=WELSH, source_hash="0" * 16)
    )
    for role in ("commissioner", "lead"):
        dataset[role].language = "cy"
    database.session.commit()
    return dataset


def test_the_commissioner_pages_name_the_course_in_welsh(client, login_as, welsh):
    login_as(welsh["commissioner"])
    for url in ("/metrics/national", f"/metrics/forces/{welsh['avon'].code}"):
        html = client.get(url, query_string=QUERY).get_data(as_text=True)
        assert '<html lang="cy"' in html
        assert f"{WELSH}, " in html, url  # the period line: "<course>, <period>."
        assert MARKED not in html, url
    pdf = client.get("/metrics/national.pdf", query_string=QUERY)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert WELSH in text
    assert ENGLISH not in text


def test_the_lead_sees_the_welsh_title_in_the_overdue_table(client, login_as, welsh):
    login_as(welsh["lead"])
    html = client.get("/metrics/force", query_string=QUERY).get_data(as_text=True)
    assert f"{WELSH}, " in html  # the period line
    # Each of the four overdue officers' rows (a3, a4, a5, a6).
    assert html.count(f'<td class="govuk-table__cell">{WELSH}</td>') == 4
    assert MARKED not in html


def test_a_release_names_the_course_in_welsh(app, client, login_as, welsh):
    result = app.test_cli_runner().invoke(args=["metrics", "publish", "--month", "2025-04"])
    assert result.exit_code == 0, result.output
    login_as(welsh["commissioner"])
    html = client.get("/metrics/releases/2025-04").get_data(as_text=True)
    assert f", {WELSH}, " in html  # "Tabl 1: ..., <course>, <month>"
    assert MARKED not in html


def test_an_english_reader_sees_the_english(client, login_as, welsh, database):
    welsh["commissioner"].language = "en"
    database.session.commit()
    login_as(welsh["commissioner"])
    html = client.get("/metrics/national", query_string=QUERY).get_data(as_text=True)
    assert f"{ENGLISH}, " in html
    assert WELSH not in html


def test_the_course_filter_lists_the_welsh_title(client, login_as, welsh):
    login_as(welsh["commissioner"])
    html = client.get("/metrics/national", query_string=QUERY).get_data(as_text=True)
    course_select = html.split('name="course"', 1)[1].split("</select>", 1)[0]
    assert f">{WELSH}</option>" in course_select
    assert ENGLISH not in course_select


def test_the_dates_beside_the_figures_are_in_welsh(app, client, login_as, welsh, database):
    avon = welsh["avon"]
    avon.headcount, avon.headcount_measure, avon.headcount_as_of = 3000, "fte", date(2025, 3, 31)
    database.session.commit()
    login_as(welsh["lead"])
    html = client.get("/metrics/force", query_string=QUERY).get_data(as_text=True)
    assert "31 Mawrth 2025" in html
    assert "31 March 2025" not in html
    app.config["METRICS_SNAPSHOT_SECONDS"] = 600
    try:
        login_as(welsh["commissioner"])
        html = client.get("/metrics/national", query_string=QUERY).get_data(as_text=True)
    finally:
        app.config["METRICS_SNAPSHOT_SECONDS"] = 0
    note = html.split('id="figures-at">', 1)[1].split("</p>", 1)[0]
    assert "(amser y DU)" in note, note
    assert "UK time" not in note
