"""The commissioner's and the administrator's pages in the pseudo-locale: every interface string
goes through the catalogue (tests/integration/welsh/test_pseudo_locale.py explains the check)."""

import pytest

from app.metrics import hexmap
from tests.integration.metrics.conftest import dataset  # noqa: F401 - the metrics data, a fixture
from tests.integration.welsh.conftest import assert_all_translated, data_values
from tests.support.pseudo import english_left

# Data on the metrics pages: the forces, their nations and types, their abbreviations on the map,
# the period's dates as typed, the course's title, module titles and question text.
METRICS_DATA = (
    "Avon Test Constabulary",
    "Bristol Test Police",
    "England",
    "Wales",
    "Territorial",
    "Special",
    "territorial",
    "special",
    "ATC",
    "BTP",
    "GP",
    "avon-t",
    "bristol-t",
    "First responder (test)",
)


@pytest.fixture
def map_abbreviations(app) -> tuple[str, ...]:
    """The forces' abbreviations the map writes in its hexagons (data: content/force_hexes.csv)."""
    return tuple(h.abbreviation for h in hexmap.read_hexes(app.config["FORCE_HEXES_CSV"]))


@pytest.mark.usefixtures("dataset")
@pytest.mark.parametrize(
    "url",
    [
        "/metrics/national",
        "/metrics/national?date_from=2025-01-01&date_to=2025-12-31",
    ],
)
def test_national_metrics(client, login_as, people, pseudo_welsh, map_abbreviations, url):
    assert_all_translated(client, login_as, people, "commissioner", url, *METRICS_DATA, *map_abbreviations)


@pytest.mark.usefixtures("dataset")
def test_national_metrics_with_filter_errors(client, login_as, people, pseudo_welsh, map_abbreviations):
    url = "/metrics/national?date_from=31+2+&date_to=1+1+2020"
    data = (*METRICS_DATA, *map_abbreviations)
    assert_all_translated(client, login_as, people, "commissioner", url, *data, status=400)


def test_monthly_releases_none_yet(client, login_as, people, pseudo_welsh):
    assert_all_translated(client, login_as, people, "commissioner", "/metrics/releases")


@pytest.mark.parametrize("role", ["commissioner", "admin"])
@pytest.mark.usefixtures("dataset")
def test_police_forces(client, login_as, people, pseudo_welsh, role):
    code = people["officer"].force.code
    assert_all_translated(client, login_as, people, role, "/forces", *METRICS_DATA, "test data", code)


@pytest.mark.usefixtures("dataset")
def test_headcount_form(client, login_as, people, pseudo_welsh):
    assert_all_translated(client, login_as, people, "admin", "/forces/avon-t/headcount", *METRICS_DATA)


@pytest.mark.usefixtures("dataset")
def test_headcount_form_with_errors(client, login_as, people, pseudo_welsh):
    login_as(people["admin"])
    form = {
        "headcount": "0",
        "headcount_measure": "",
        "headcount_as_of": ["1", "", ""],
        "headcount_source": "",
    }
    response = client.post("/forces/avon-t/headcount", data=form)
    html = response.get_data(as_text=True)
    assert "govuk-error-summary" in html
    left = english_left(html, data_values(people, *METRICS_DATA, "0", "1"))
    assert not left, "English left:\n" + "\n".join(left)
