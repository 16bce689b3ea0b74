"""The national page's headline panel: read from the published report, never computed by the page.

The figures "a month earlier" are the published totals of the report whose period ends on the last
day of the month before (the same as asking the national CSV for that date), and the forces below
the target are the table's own rows.
"""

import re
from datetime import date

import pytest

from app.metrics import charts, disclosure, services
from app.metrics.published import HIDDEN
from app.metrics.services import Filters, headline
from tests.integration.metrics.conftest import PERIOD

FILTERS = Filters(
    course="fr-test",
    date_from=date.fromisoformat(PERIOD["date_from"]),
    date_to=date.fromisoformat(PERIOD["date_to"]),
)


@pytest.fixture
def shown_small(monkeypatch):
    """Show small counts, without noise, so the comparisons compare numbers, not [c]: with noise,
    whether a count of 2 survives depends on its record keys, which differ between databases."""
    monkeypatch.setattr(disclosure, "THRESHOLD", 1)
    monkeypatch.setattr(disclosure, "noise", lambda count, cell_key: 0)


def test_headline_is_the_published_report_now_and_a_month_earlier(app, dataset, shown_small):
    with app.test_request_context():
        now = services.national_report(FILTERS)
        h = now.headline
        assert h.previous_day == date(2025, 11, 30)
        earlier = services.national_report(Filters(**{**FILTERS.__dict__, "date_to": h.previous_day}))
    assert isinstance(h.certified, int)
    assert h.certified == now.totals["certified"]
    assert h.uptake == now.totals["uptake"]
    assert h.previous_certified == earlier.totals["certified"]
    assert h.previous_uptake == earlier.totals["uptake"]
    assert h.change_certified == h.certified - h.previous_certified
    shown_rates = {r["shown"]["force_name"]: r["shown"]["uptake"] for r in now.rows}
    assert [name for _, name, _ in h.below] == sorted(
        (n for n, u in shown_rates.items() if isinstance(u, float) and u < h.target),
        key=lambda n: (shown_rates[n], n),
    )


def test_the_page_leads_with_the_headline(client, login_as, dataset, shown_small):
    login_as(dataset["commissioner"])
    html = client.get("/metrics/national", query_string={**PERIOD, "course": "fr-test"}).get_data(
        as_text=True
    )
    assert html.index('id="headline"') < html.index('id="forces"')
    assert "below the target of 75%" in html
    assert "change since 30 November 2025" in html


def test_headline_unit_rules():
    rows = [
        {"code": "a", "shown": {"force_name": "A", "uptake": 0.4}},
        {"code": "b", "shown": {"force_name": "B", "uptake": 0.9}},
        {"code": "c", "shown": {"force_name": "C", "uptake": None}},
        {"code": "d", "shown": {"force_name": "D", "uptake": 0.2}},
    ]
    h = headline(
        {"certified": 120, "uptake": 0.5},
        {"certified": 100, "uptake": 0.45},
        rows,
        previous_day=date(2026, 11, 30),
        target=0.75,
    )
    assert [name for _, name, _ in h.below] == ["D", "A"]
    assert h.not_known == ["C"]
    assert h.change_certified == 20
    assert h.change_points == pytest.approx(5.0)
    withheld = headline(
        {"certified": HIDDEN, "uptake": HIDDEN},
        {"certified": 100, "uptake": 0.45},
        rows,
        previous_day=date(2026, 11, 30),
        target=0.75,
    )
    assert withheld.change_certified is None
    assert withheld.change_points is None


def test_uptake_chart_marks_the_national_average_shown_in_its_table(
    app, client, login_as, dataset, shown_small
):
    with app.test_request_context():
        report = services.national_report(FILTERS)
    average = report.totals["uptake"]
    assert isinstance(average, float)  # shown, not [c]
    assert report.uptake_average == charts.format_value(average * 100)
    assert report.uptake_average_marked
    login_as(dataset["commissioner"])
    html = client.get("/metrics/national", query_string={**PERIOD, "course": "fr-test"}).get_data(
        as_text=True
    )
    chart = html[
        html.index('id="uptake-by-force-title"') : html.index(
            "</svg>", html.index('id="uptake-by-force-title"')
        )
    ]
    assert f">National average {report.uptake_average}</text>" in chart
    table = html[html.index("</tbody>", html.index(chart[-50:])) :]
    assert re.search(
        rf"<tfoot[^>]*>.*?National average</th><td [^>]*>{re.escape(report.uptake_average)}</td>", table, re.S
    )


def test_no_average_line_when_the_national_uptake_is_withheld(client, login_as, dataset):
    login_as(dataset["commissioner"])
    html = client.get("/metrics/national", query_string={**PERIOD, "course": "fr-test"}).get_data(
        as_text=True
    )
    chart = html[
        html.index('id="uptake-by-force-title"') : html.index(
            "</svg>", html.index('id="uptake-by-force-title"')
        )
    ]
    assert 'class="reference"' not in chart  # the national total is [c] in this small dataset
    assert "The dashed line marks the national average" not in html
