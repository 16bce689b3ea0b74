"""National figures served from a stored snapshot while fresh (app.metrics.snapshots)."""

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app import clock
from app.auth.models import User
from app.formatting import uk_datetime
from app.metrics import snapshots
from app.metrics.models import MetricsSnapshot
from tests.factories import UserFactory
from tests.integration.metrics.conftest import PERIOD, REGISTERED, SECRET_TEAM
from tests.integration.metrics.test_figures import _users, published
from tests.integration.metrics.test_pages import uptake_map, uptake_table

QUERY = {**PERIOD, "course": "fr-test"}


@pytest.fixture
def snapshots_on(app):
    app.config["METRICS_SNAPSHOT_SECONDS"] = 600
    yield
    app.config["METRICS_SNAPSHOT_SECONDS"] = 0


@pytest.fixture
def dataset(dataset, database):
    """The hand-built dataset with 12 more Avon officers, so the national total of registered
    officers (20) is shown (perturbed) rather than [c]."""
    for _ in range(12):
        UserFactory(force=dataset["avon"], created_at=REGISTERED, force_joined_at=REGISTERED)
    database.session.commit()
    return dataset


def _registered(database, dataset) -> list:
    """The officers registered for the course at the period end: Avon's active officers (a
    whole-force assignment) and Bristol's b1 and b2."""
    users = database.session.scalars(
        select(User).where(
            User.force_id == dataset["avon"].id,
            User.active.is_(True),
            User.role == "officer",
            User.created_at <= REGISTERED,
        )
    ).all()
    return [*users, *_users(database, *dataset["names"][7:9])]


def _expected(users) -> str:
    value = published(users)
    return "[c]" if value is None else str(value)


def _another_officer(database, dataset, users):
    """Add an Avon officer whose record key changes the published total (the noise of a new set
    of people is new, so it could by chance give the same figure: pick a key that does not)."""
    before = _expected(users)
    for key in range(256):
        newcomer = User(record_key=key)
        if _expected([*users, newcomer]) != before:
            break
    officer = UserFactory(force=dataset["avon"], created_at=REGISTERED, record_key=key)
    database.session.commit()
    return officer


def _row(client, query=QUERY, force="All forces") -> dict:
    """A row of the national CSV (headers: officers_registered, headcount...); by default the
    national totals."""
    response = client.get("/metrics/national.csv", query_string=query)
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    return next(row for row in rows if row["force_name"] == force)


def _stored(database) -> int:
    return database.session.scalar(select(func.count()).select_from(MetricsSnapshot))


def test_a_fresh_snapshot_is_served_until_it_is_older_than_the_limit(
    client, login_as, dataset, database, snapshots_on
):
    login_as(dataset["commissioner"])
    users = _registered(database, dataset)
    assert len(users) == 20
    assert _row(client)["officers_registered"] == _expected(users) != "[c]"
    assert _stored(database) == 1
    newcomer = _another_officer(database, dataset, users)
    assert _row(client)["officers_registered"] == _expected(users)  # still the snapshot
    clock.travel(timedelta(minutes=9))
    assert _row(client)["officers_registered"] == _expected(users)
    clock.travel(timedelta(minutes=2))  # 11 minutes: stale
    assert _row(client)["officers_registered"] == _expected([*users, newcomer])
    assert _stored(database) == 1  # replaced, not added


def test_without_snapshots_every_request_is_computed_and_nothing_is_stored(
    client, login_as, dataset, database
):
    login_as(dataset["commissioner"])
    users = _registered(database, dataset)
    assert _row(client)["officers_registered"] == _expected(users)
    newcomer = _another_officer(database, dataset, users)
    assert _row(client)["officers_registered"] == _expected([*users, newcomer])
    assert _stored(database) == 0


def test_the_page_says_when_its_figures_were_calculated(client, login_as, dataset, snapshots_on):
    login_as(dataset["commissioner"])
    first = client.get("/metrics/national", query_string=QUERY).get_data(as_text=True)
    stamp = clock.utcnow()
    assert (
        f"Figures calculated on {uk_datetime(stamp)}" in first
        or f"Figures calculated on {uk_datetime(stamp - timedelta(minutes=1))}" in first
    )
    assert "recalculated when they are more than 10 minutes old" in first
    clock.travel(timedelta(minutes=5))
    again = client.get("/metrics/national", query_string=QUERY).get_data(as_text=True)
    assert again.count("Figures calculated on") == 1
    # Five minutes later the same (stored) time is shown, not the time of the second request.
    assert uk_datetime(clock.utcnow()) not in again


def test_headcount_and_names_are_current_even_from_a_snapshot(
    client, login_as, dataset, database, snapshots_on
):
    login_as(dataset["commissioner"])
    users = _registered(database, dataset)
    assert _row(client, force="Avon Test Constabulary")["officer_figure"] == "100"
    dataset["avon"].headcount = 200
    _another_officer(database, dataset, users)
    assert _row(client, force="Avon Test Constabulary")["officer_figure"] == "200"
    assert _row(client)["officer_figure"] == "200"  # the total: Bristol's is unknown
    assert _row(client)["officers_registered"] == _expected(users)  # counts are the snapshot's


def test_the_map_from_a_snapshot_shows_the_table_figures(client, login_as, dataset, database, snapshots_on):
    login_as(dataset["commissioner"])
    _registered(database, dataset)
    client.get("/metrics/national", query_string=QUERY)
    assert _stored(database) == 1
    html = client.get("/metrics/national", query_string=QUERY).get_data(as_text=True)  # the snapshot
    hexagons = uptake_map(html)
    for force, figure in uptake_table(html).items():
        assert hexagons[force][0].split(" (")[0] == figure


def test_a_snapshot_holds_aggregates_only(client, login_as, dataset, database, snapshots_on):
    login_as(dataset["commissioner"])
    for query in (QUERY, PERIOD, {}):
        assert client.get("/metrics/national", query_string=query).status_code == 200
    payloads = database.session.scalars(select(MetricsSnapshot.payload)).all()
    assert len(payloads) == 3
    for payload in payloads:
        for secret in [*dataset["names"], *dataset["emails"], SECRET_TEAM]:
            assert secret not in payload


def test_filters_have_their_own_snapshots(client, login_as, dataset, database, snapshots_on):
    login_as(dataset["commissioner"])
    wales = _stored_after(client, {**QUERY, "nation": "Wales"}, database)
    assert wales == 1
    assert _stored_after(client, QUERY, database) == 2
    html = client.get("/metrics/national", query_string={**QUERY, "nation": "Wales"}).get_data(as_text=True)
    assert "Bristol Test Police" in html
    assert "Avon Test Constabulary" not in html


def _stored_after(client, query, database) -> int:
    assert client.get("/metrics/national", query_string=query).status_code == 200
    return _stored(database)


def test_old_snapshots_are_pruned_when_a_new_one_is_stored(client, login_as, dataset, database, snapshots_on):
    database.session.add(
        MetricsSnapshot(key="x" * 64, payload="{}", computed_at=clock.utcnow() - timedelta(days=3))
    )
    database.session.commit()
    login_as(dataset["commissioner"])
    client.get("/metrics/national", query_string=QUERY)
    keys = database.session.scalars(select(MetricsSnapshot.key)).all()
    assert "x" * 64 not in keys
    assert len(keys) == 1


def test_refresh_command_stores_todays_views_ahead_of_the_first_visit(
    app, client, login_as, dataset, database, snapshots_on
):
    result = app.test_cli_runner().invoke(args=["metrics", "refresh"])
    assert result.exit_code == 0, result.output
    courses = len(snapshots.queries.courses())
    assert f"Refreshed {courses + 1} national snapshots" in result.output
    assert _stored(database) == courses + 1
    login_as(dataset["commissioner"])
    # All courses: every active officer and lead of a force is registered.
    users = database.session.scalars(
        select(User).where(
            User.force_id.is_not(None), User.active.is_(True), User.role.in_(("officer", "training_lead"))
        )
    ).all()
    assert _row(client, {})["officers_registered"] == _expected(users)
    newcomer = _another_officer(database, dataset, users)  # counted by the next computation
    assert _row(client, {})["officers_registered"] == _expected(users)  # the stored one
    clock.travel(timedelta(minutes=11))
    assert _row(client, {})["officers_registered"] == _expected([*users, newcomer])
