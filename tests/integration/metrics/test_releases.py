"""Monthly releases: publishing freezes the commissioner's figures; revisions; pages and downloads."""

import csv
import io
import json
from datetime import date

import pytest
from odfdo import Document
from pypdf import PdfReader
from sqlalchemy import select

from app.audit import AuditEvent
from app.metrics import releases, services
from app.metrics.models import MetricsRelease
from app.metrics.release_data import METHODOLOGY_VERSION, ReleaseError
from tests.integration.metrics.conftest import SECRET_TEAM

MONTH = "2025-04"  # a1 and a2 certified by its end; 4 first attempts in April


def _publish(runner, *args):
    return runner.invoke(args=["metrics", "publish", "--month", MONTH, *args])


def test_publish_freezes_the_figures_the_commissioner_sees(app, dataset, database):
    result = _publish(app.test_cli_runner())
    assert result.exit_code == 0, result.output
    assert f"Published {MONTH} revision 1" in result.output
    release = database.session.scalar(select(MetricsRelease))
    assert (release.month, release.revision, release.published_by) == (MONTH, 1, "system")
    assert release.methodology_version == METHODOLOGY_VERSION
    data = json.loads(release.payload)
    assert (data["period_from"], data["period_to"]) == ("2025-04-01", "2025-04-30")
    assert [s["course"] for s in data["sections"]] == ["all", "fr-test"]
    # The frozen table is the national report's shown values, codes for what it hides.
    report = services.national_report(
        services.Filters(course="fr-test", date_from=date(2025, 4, 1), date_to=date(2025, 4, 30))
    )
    frozen = data["sections"][1]["forces"]
    columns = [c["key"] for c in frozen["columns"]]
    by_code = {row[0]: dict(zip(columns, row, strict=True)) for row in frozen["rows"]}
    for row in [*report.rows, {"shown": report.totals}]:
        shown = row["shown"]
        for key, value in shown.items():
            cell = by_code[shown["force_code"]][key]
            if isinstance(value, services.Suppressed):
                assert cell == "[c]", key
            elif value is None:
                assert cell == "[x]", key
            elif isinstance(value, float):
                assert cell == pytest.approx(value, abs=1e-4), key
            elif value != "":
                assert cell == value, key
    assert by_code["ALL"]["nation"] == "[z]"
    assert by_code["bristol-t"]["headcount"] == "[x]"
    assert "[c]" in by_code["bristol-t"].values()
    assert [row[0] for row in frozen["rows"]][-1] == "ALL"  # totals are their own, last, row


def test_release_holds_aggregates_only(app, dataset, database):
    _publish(app.test_cli_runner())
    payload = database.session.scalar(select(MetricsRelease.payload))
    for secret in [*dataset["names"], *dataset["emails"], SECRET_TEAM]:
        assert secret not in payload


def test_publishing_again_is_refused_and_a_revision_keeps_the_old_one(app, dataset, database):
    runner = app.test_cli_runner()
    _publish(runner)
    again = _publish(runner)
    assert again.exit_code != 0
    assert "published releases do not change" in again.output
    assert '--revise "the reason"' in again.output
    revised = _publish(
        runner, "--revise", "A late certificate was recorded", "--by", dataset["commissioner"].email
    )
    assert revised.exit_code == 0, revised.output
    rows = database.session.scalars(select(MetricsRelease).order_by(MetricsRelease.revision)).all()
    assert [(r.revision, r.reason) for r in rows] == [(1, ""), (2, "A late certificate was recorded")]
    assert rows[1].published_by == dataset["commissioner"].email
    actions = database.session.scalars(
        select(AuditEvent.action).where(AuditEvent.action.like("metrics.%"))
    ).all()
    assert sorted(actions) == ["metrics.release_published", "metrics.release_revised"]
    event = database.session.scalar(select(AuditEvent).where(AuditEvent.action == "metrics.release_revised"))
    assert event.actor_id == dataset["commissioner"].id
    assert event.details_dict["reason"] == "A late certificate was recorded"


def test_a_published_release_cannot_be_changed(app, dataset, database):
    _publish(app.test_cli_runner())
    release = database.session.scalar(select(MetricsRelease))
    release.payload = "{}"
    with pytest.raises(ValueError, match="cannot change"):
        database.session.flush()
    database.session.rollback()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--month", "2999-01"], "has not ended yet"),
        (["--month", "2025-13"], "YYYY-MM"),
        (["--month", MONTH, "--revise", "typo"], "nothing to revise"),
        (["--month", MONTH, "--by", "nobody@nowhere.police.uk"], "No user has the email address"),
    ],
)
def test_publish_refuses(app, dataset, database, args, message):
    result = app.test_cli_runner().invoke(args=["metrics", "publish", *args])
    assert result.exit_code != 0
    assert message in result.output
    assert database.session.scalar(select(MetricsRelease)) is None


def test_the_current_month_is_refused(app, dataset):
    with pytest.raises(ReleaseError, match="has not ended"):
        releases.publish(services.clock.today().strftime("%Y-%m"))


@pytest.fixture
def published(app, dataset, database):
    """April 2025 published, then revised."""
    runner = app.test_cli_runner()
    _publish(runner)
    _publish(runner, "--revise", "Correction")
    return dataset


def test_commissioner_lists_and_opens_releases(client, login_as, published):
    login_as(published["commissioner"])
    listing = client.get("/metrics/releases").get_data(as_text=True)
    assert "/metrics/releases/2025-04/1" in listing
    assert "/metrics/releases/2025-04/2.ods" in listing
    page = client.get(f"/metrics/releases/{MONTH}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "National figures, April 2025" in html
    assert "Revised, revision 2: Correction" in html
    assert "Table 1: Training figures by force, All courses, April 2025" in html
    assert "[c]" in html
    old = client.get(f"/metrics/releases/{MONTH}/1").get_data(as_text=True)
    assert "Final, revision 1" in old
    for secret in [*published["names"], *published["emails"], SECRET_TEAM]:
        assert secret not in html


def test_release_page_shows_the_frozen_figures_not_live_ones(client, login_as, published, database):
    login_as(published["commissioner"])
    before = client.get(f"/metrics/releases/{MONTH}/1").get_data(as_text=True)
    published["avon"].name = "Renamed Since Publication"
    database.session.commit()
    after = client.get(f"/metrics/releases/{MONTH}/1").get_data(as_text=True)
    assert "Avon Test Constabulary" in after
    assert "Renamed Since Publication" not in after
    assert before == after


@pytest.mark.parametrize(
    "url", ["/metrics/releases/2025-05", "/metrics/releases/2025-04/9", "/metrics/releases/nope"]
)
def test_unknown_release_is_404(client, login_as, published, url):
    login_as(published["commissioner"])
    assert client.get(url).status_code == 404


def test_release_csv_uses_the_codes(client, login_as, published):
    login_as(published["commissioner"])
    response = client.get(f"/metrics/releases/{MONTH}/2.csv")
    assert response.mimetype == "text/csv"
    assert "2025-04-revision-2.csv" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert {r["course"] for r in rows} == {"all", "fr-test"}
    assert {(r["release_month"], r["revision"], r["status"]) for r in rows} == {("2025-04", "2", "revised")}
    by_code = {r["force_code"]: r for r in rows if r["course"] == "fr-test"}
    assert by_code["bristol-t"]["officer_figure"] == "[x]"
    assert by_code["ALL"]["nation"] == "[z]"
    assert "[c]" in by_code["bristol-t"].values()
    assert not any(value in ("", "fewer than 5", "withheld", "None") for r in rows for value in r.values())


def test_release_ods_is_laid_out_per_the_guidance(client, login_as, published):
    login_as(published["commissioner"])
    response = client.get(f"/metrics/releases/{MONTH}/1.ods")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.oasis.opendocument.spreadsheet"
    tables = {t.name: t for t in Document(io.BytesIO(response.data)).body.tables}
    assert list(tables)[:3] == ["Cover_sheet", "Contents", "Notes"]
    assert [n for n in tables if n.startswith("Table_")] == [f"Table_{n}" for n in range(1, 7)]
    cover = [row[0] for row in tables["Cover_sheet"].get_values()]
    assert cover[0].startswith("Modern slavery training for UK policing: national figures, April 2025")
    assert "Final" in cover
    assert METHODOLOGY_VERSION in cover
    forces = tables["Table_1"].get_values()
    assert forces[0][0].startswith("Table 1: Training figures by force, All courses, April 2025")
    header = forces[3]
    assert header[:2] == ["Force code", "Force"]
    body = forces[4:]
    assert [row[0] for row in body] == ["avon-t", "bristol-t", "ALL"]
    assert all(all(v is not None for v in row) for row in body)  # no blank cells or rows
    assert any("[c]" in row for row in body)
    for name, table in tables.items():
        values = table.get_values()
        assert isinstance(values[0][0], str), f"{name} has no title in A1"
        if name.startswith("Table_"):
            assert all(isinstance(h, str) for h in values[3]), f"{name}: header row"
            assert all(any(v is not None for v in row) for row in values[4:]), f"{name}: blank row"


def test_live_national_page_csv_and_pdf_say_provisional(client, login_as, dataset):
    login_as(dataset["commissioner"])
    html = client.get("/metrics/national").get_data(as_text=True)
    assert "Provisional:" in html
    assert 'href="/metrics/releases"' in html
    rows = list(csv.DictReader(io.StringIO(client.get("/metrics/national.csv").get_data(as_text=True))))
    assert {r["status"] for r in rows} == {"provisional"}
    pdf = client.get("/metrics/national.pdf")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Provisional" in text


def test_a_new_methodology_version_marks_a_break_in_series(app, client, login_as, dataset, database):
    database.session.add(
        MetricsRelease(
            month="2025-03", revision=1, methodology_version="2025.01", published_by="system", payload="{}"
        )
    )
    database.session.commit()
    release = releases.publish(MONTH)
    database.session.commit()
    assert json.loads(release.payload)["break_in_series"] is True
    login_as(dataset["commissioner"])
    html = client.get(f"/metrics/releases/{MONTH}").get_data(as_text=True)
    assert "[b] break in series" in html
    assert "April 2025 [b] [note 1]" in html


def test_publishing_with_snapshots_on_freezes_fresh_figures(app, dataset, database):
    app.config["METRICS_SNAPSHOT_SECONDS"] = 600
    try:
        result = _publish(app.test_cli_runner())
    finally:
        app.config["METRICS_SNAPSHOT_SECONDS"] = 0
    assert result.exit_code == 0, result.output
    with_snapshots = json.loads(database.session.scalar(select(MetricsRelease.payload)))
    fresh = releases.freeze(MONTH)
    assert with_snapshots["sections"] == fresh["sections"]
