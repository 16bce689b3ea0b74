"""Law updates in the adoption figures: certified officers split into up to date and update due, in
the one metrics report (raw for a lead's force, perturbed for the commissioner), agreeing with the
law-update pages' own count (app.law_updates.queries.up_to_date_by_force)."""

from datetime import timedelta

import pytest

from app import clock
from app.clock import today
from app.extensions import db
from app.law_updates.models import LawUpdate
from app.law_updates.queries import up_to_date_by_force
from app.metrics import queries, services, summary
from app.metrics.definitions import Suppressed
from tests.factories import ForceFactory, UserFactory
from tests.integration.content.helpers import example_tree, sync
from tests.integration.law_updates.helpers import CHANGE_A, certificate, mark_law_change

RIGHT = {"q-who-may-interpret": ["a", "b"]}


@pytest.fixture
def world(app, database, tmp_path, monkeypatch):
    """Northshire: 14 certified police officers, 3 of whom do the update after a law change;
    Southshire: 2 certified, neither updated; one Northshire PCSO certified (never in these)."""
    root = example_tree(tmp_path, "alpha")
    monkeypatch.setitem(app.config, "CONTENT_DIR", root)
    monkeypatch.setitem(app.config, "METRICS_SNAPSHOT_SECONDS", 0)
    sync(root)
    north, south = ForceFactory(name="Northshire Police"), ForceFactory(name="Southshire Police")
    north_officers = [UserFactory(force=north) for _ in range(14)]
    for user in [*north_officers, *(UserFactory(force=south) for _ in range(2))]:
        certificate(user)
    certificate(UserFactory(force=north, workforce_type="pcso"))
    summary.rebuild()
    db.session.commit()
    mark_law_change(root, CHANGE_A, "New wording.")
    sync(root)
    clock.travel(timedelta(days=2))
    return {"north": north, "south": south, "updated": north_officers[:3], "root": root}


def _do_updates(client, login_as, users):
    for user in users:
        login_as(user)
        update = db.session.scalar(db.select(LawUpdate).where(LawUpdate.user_id == user.id))
        assert client.post(f"/updates/{update.id}/submit", data=RIGHT).status_code == 302


def _counts(force):
    scope = services.scope_for(services.Filters())[0]
    [row] = queries.force_counts(
        scope, queries.force_groups([force]), queries.Grouping(force_ids=(force.id,))
    )
    return row


def test_certified_officers_split_into_up_to_date_and_update_due(world, client, login_as):
    before = _counts(world["north"])
    assert (before.certified, before.law_update_due, before.law_up_to_date) == (14, 14, 0)
    _do_updates(client, login_as, world["updated"])
    north = _counts(world["north"])
    assert (north.certified, north.law_update_due, north.law_up_to_date) == (14, 11, 3)
    south = _counts(world["south"])
    assert (south.law_update_due, south.law_up_to_date) == (2, 0)
    # The same people as the law-update pages count (police officers, by force).
    by_force = {r.force_id: r for r in up_to_date_by_force(today(), workforce_types=("police_officer",))}
    assert (by_force[world["north"].id].update_due, by_force[world["north"].id].up_to_date) == (11, 3)
    # A period ending before the updates were done: everyone still owed it.
    past = services.scope_for(services.Filters(date_to=today() - timedelta(days=1)))[0]
    [row] = queries.force_counts(
        past, queries.force_groups([world["north"]]), queries.Grouping(force_ids=(world["north"].id,))
    )
    assert (row.law_update_due, row.law_up_to_date) == (14, 0)


def test_commissioner_sees_them_through_the_disclosure_control(world, client, login_as):
    _do_updates(client, login_as, world["updated"])
    report = services.national_report(services.Filters())
    shown = {r["code"]: r["shown"] for r in report.rows}
    north, south = shown[world["north"].code], shown[world["south"].code]
    assert isinstance(north["law_up_to_date"], Suppressed)  # 3 officers
    assert isinstance(south["law_update_due"], Suppressed)  # 2 officers
    assert isinstance(north["law_up_to_date_rate"], Suppressed)  # over a withheld count
    due = north["law_update_due"]
    assert isinstance(due, Suppressed) or 8 <= due <= 14  # 11, noise at most 3, under 10 withheld
    login_as(UserFactory(role="commissioner", force=None))
    page = client.get("/metrics/national").get_data(as_text=True)
    assert "Up to date with the law" in page
    csv_text = client.get("/metrics/national.csv").get_data(as_text=True)
    assert "officers_up_to_date_with_law" in csv_text.splitlines()[0]


def test_the_lead_sees_their_own_force_unperturbed(world, client, login_as):
    _do_updates(client, login_as, world["updated"])
    report = services.force_report(world["north"], services.Filters(), private=True)
    assert (report.totals["law_up_to_date"], report.totals["law_update_due"]) == (3, 11)
    assert report.totals["law_up_to_date_rate"] == pytest.approx(3 / 14)
