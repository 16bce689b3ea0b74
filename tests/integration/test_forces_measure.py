"""Each force's officer figure carries its measure: loaded by `flask forces sync`, validated, shown."""

from datetime import date

import pytest

from app.forces.models import Force
from app.forces.services import ForcesFileError, read_forces_csv, sync_forces
from tests.factories import ForceFactory, UserFactory

HEADER = "code,name,nation,type,officers_headcount,officers_as_of,officers_source,officers_measure\n"


def test_sync_loads_each_measure_from_the_reference_file(app, database):
    result = app.test_cli_runner().invoke(args=["forces", "sync"])
    assert result.exit_code == 0, result.output
    forces = {f.code: f for f in database.session.query(Force)}
    assert forces["west-yorkshire"].headcount_measure == "fte"
    assert forces["police-scotland"].headcount_measure == "fte"
    assert forces["psni"].headcount_measure == "headcount"
    assert forces["jersey"].figure_label == "201 headcount, 12 December 2024"
    assert forces["avon-somerset"].figure_label == "3,327 FTE, 31 March 2025"
    assert forces["mdp"].headcount_measure is None  # its source does not say
    assert forces["nca"].figure_label == "unknown"
    measures = [f.headcount_measure for f in forces.values()]
    assert (measures.count("fte"), measures.count("headcount"), measures.count(None)) == (45, 4, 3)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("kent,Kent Police,England,territorial,4168,2025-03-31,x,people", "officers_measure 'people'"),
        ("kent,Kent Police,England,territorial,,,x,fte", "officers_measure is fte but officers_headcount"),
    ],
)
def test_a_bad_measure_is_refused_with_its_line_and_nothing_is_loaded(app, database, tmp_path, row, message):
    bad = tmp_path / "forces.csv"
    bad.write_text(HEADER + "essex,Essex Police,England,territorial,3760,2025-03-31,x,FTE\n" + row + "\n")
    result = app.test_cli_runner().invoke(args=["forces", "sync", "--file", str(bad)])
    assert result.exit_code != 0
    assert f"{bad}:3: {message}" in result.output
    assert database.session.query(Force).count() == 0


def test_a_file_without_the_measure_column_is_refused(tmp_path):
    old = tmp_path / "forces.csv"
    old.write_text(HEADER.replace(",officers_measure", "") + "kent,Kent Police,England,territorial,1,,x\n")
    with pytest.raises(ForcesFileError, match="missing column.*officers_measure"):
        read_forces_csv(old)


def row(**changes):
    base = {
        "code": "kent",
        "name": "Kent Police",
        "nation": "England",
        "type": "territorial",
        "headcount": 4168,
        "headcount_as_of": date(2025, 3, 31),
        "headcount_source": "Home Office",
        "headcount_measure": "fte",
    }
    return base | changes


def test_sync_gives_a_force_loaded_before_measures_the_measure_of_the_same_figure(database):
    force = ForceFactory(
        code="kent", name="Kent Police", headcount=4168, headcount_as_of=date(2025, 3, 31),
        headcount_source="Home Office", headcount_measure=None,
    )  # fmt: skip
    assert sync_forces([row()]) == (0, 1)
    assert force.headcount_measure == "fte"


def test_sync_keeps_an_admins_figure_and_its_measure(database):
    force = ForceFactory(
        code="kent", name="Kent Police", headcount=4200, headcount_as_of=date(2025, 6, 30),
        headcount_source="Kent HR", headcount_measure="headcount",
    )  # fmt: skip
    sync_forces([row()])
    assert (force.headcount, force.headcount_measure) == (4200, "headcount")


def test_a_newer_reference_figure_brings_its_measure(database):
    force = ForceFactory(
        code="kent", name="Kent Police", headcount=4100, headcount_as_of=date(2024, 9, 30),
        headcount_source="older", headcount_measure="headcount",
    )  # fmt: skip
    sync_forces([row()])
    assert (force.headcount, force.headcount_measure) == (4168, "fte")


@pytest.mark.parametrize(
    ("headcount", "as_of", "measure", "figure", "label"),
    [
        (3327, date(2025, 3, 31), "fte", "3,327 FTE, 31 March 2025", "FTE"),
        (201, date(2024, 12, 12), "headcount", "201 headcount, 12 December 2024", "headcount"),
        (6192, None, "headcount", "6,192 headcount, date unknown", "headcount"),
        (2593, None, None, "2,593 (measure unknown), date unknown", ""),
        (None, None, None, "unknown", ""),
    ],
)
def test_figure_and_measure_labels(headcount, as_of, measure, figure, label):
    force = Force(headcount=headcount, headcount_as_of=as_of, headcount_measure=measure)
    assert (force.figure_label, force.measure_label) == (figure, label)


def test_admin_sets_the_measure_with_the_figure_and_it_is_audited(client, login_as, database):
    from app.audit import AuditEvent

    login_as(UserFactory(role="admin", force=None))
    force = ForceFactory(code="kent", headcount=4168, headcount_measure="fte")
    response = client.post(
        "/forces/kent/headcount",
        data={
            "headcount": "4300",
            "headcount_as_of": ["30", "9", "2025"],  # day, month and year boxes
            "headcount_measure": "headcount",
            "headcount_source": "Kent HR",
        },
    )
    assert response.status_code == 302
    database.session.refresh(force)
    assert force.figure_label == "4,300 headcount, 30 September 2025"
    [event] = database.session.query(AuditEvent).filter_by(action="force.headcount").all()
    assert event.details_dict["new"] == [4300, "2025-09-30", "headcount"]
    page = client.get("/forces").get_data(as_text=True)
    assert '<td class="govuk-table__cell">headcount</td>' in page


@pytest.mark.parametrize(
    "as_of", [["31", "2", "2025"], ["", "3", "2025"], ["31", "3", "25"], ["x", "y", "z"]]
)
def test_an_incomplete_or_impossible_as_of_date_is_refused_with_how_to_write_it(
    client, login_as, database, as_of
):
    login_as(UserFactory(role="admin", force=None))
    force = ForceFactory(code="kent", headcount=4168, headcount_as_of=date(2025, 3, 31))
    response = client.post(
        "/forces/kent/headcount",
        data={"headcount": "4300", "headcount_as_of": as_of, "headcount_source": "Kent HR"},
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Enter the date as day, month and year, for example 31 3 2025" in page
    assert 'href="#headcount_as_of"' in page  # the summary links to the day box
    database.session.refresh(force)
    assert (force.headcount, force.headcount_as_of) == (4168, date(2025, 3, 31))


def test_empty_as_of_boxes_mean_the_date_is_unknown(client, login_as, database):
    login_as(UserFactory(role="admin", force=None))
    force = ForceFactory(code="kent", headcount=4168, headcount_as_of=date(2025, 3, 31))
    page = client.get("/forces/kent/headcount").get_data(as_text=True)
    assert 'id="headcount_as_of" name="headcount_as_of" type="text" value="31"' in page
    response = client.post(
        "/forces/kent/headcount",
        data={"headcount": "4300", "headcount_as_of": ["", "", ""], "headcount_source": "Kent HR"},
    )
    assert response.status_code == 302
    database.session.refresh(force)
    assert (force.headcount, force.headcount_as_of) == (4300, None)
