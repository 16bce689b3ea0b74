"""Training in Welsh at the Welsh forces: people who submitted an attempt in the period at each
Welsh force, and those who did so in Welsh, through the disclosure control."""

from datetime import datetime, timedelta

import pytest

from app.assessments.models import Attempt
from app.clock import utcnow
from app.extensions import db
from app.metrics import welsh
from app.metrics.disclosure import Cell, rate, shown
from app.metrics.published import HIDDEN
from app.metrics.queries import Scope
from tests.factories import ForceFactory, ModuleVersionFactory, UserFactory


def _attempt(user, version, language, *, days_ago=2, submitted=True, force=None):
    at = utcnow() - timedelta(days=days_ago)
    db.session.add(
        Attempt(
            user_id=user.id,
            module_id=version.module_id,
            module_version_id=version.id,
            force_id=(force or user.force).id,
            number=1
            + db.session.scalar(
                db.select(db.func.count(Attempt.id)).where(
                    Attempt.user_id == user.id, Attempt.module_id == version.module_id
                )
            ),
            seed=1,
            question_keys=[],
            started_at=at,
            submitted_at=at if submitted else None,
            percent=90.0 if submitted else None,
            passed=True if submitted else None,
            language=language,
        )
    )
    db.session.flush()


@pytest.fixture
def place(database):
    gwent = ForceFactory(code="gwent-t", name="Gwent Police", nation="Wales")
    north = ForceFactory(code="north-wales-t", name="North Wales Police", nation="Wales")
    england = ForceFactory(code="kent-t", name="Kent Police", nation="England")
    version = ModuleVersionFactory()
    people = {force.code: [UserFactory(force=force) for _ in range(20)] for force in (gwent, north, england)}
    return {"gwent": gwent, "north": north, "england": england, "version": version, "people": people}


def _scope(**kw):
    return Scope(end=datetime.combine(utcnow().date() + timedelta(days=1), datetime.min.time()), **kw)


def test_counts_people_not_attempts_at_the_force_where_they_sat(place):
    version, gwent_people = place["version"], place["people"]["gwent-t"]
    for person in gwent_people[:15]:
        _attempt(person, version, "en")
    for person in gwent_people[:12]:
        _attempt(person, version, "cy")  # 12 of the 15 also sat in Welsh: counted once each
    _attempt(gwent_people[19], version, "cy", submitted=False)  # never submitted
    _attempt(gwent_people[18], version, "cy", days_ago=400)  # before the period
    found = welsh.counts(_scope(start=utcnow() - timedelta(days=30)), [place["gwent"].id, place["north"].id])
    trained, in_welsh = found[place["gwent"].id]
    assert (trained.count, in_welsh.count) == (15, 12)
    keys = {p.id: p.record_key for p in gwent_people}
    assert trained.key_sum == sum(keys[p.id] for p in gwent_people[:15])
    assert in_welsh.key_sum == sum(keys[p.id] for p in gwent_people[:12])
    assert place["north"].id not in found


def test_rows_are_the_welsh_forces_with_published_figures(place):
    version = place["version"]
    for person in place["people"]["gwent-t"][:16]:
        _attempt(person, version, "cy")
    for person in place["people"]["gwent-t"][16:]:
        _attempt(person, version, "en")
    for person in place["people"]["kent-t"]:
        _attempt(person, version, "cy")  # not a Welsh force: not in the table
    for person in place["people"]["north-wales-t"][:3]:
        _attempt(person, version, "cy")  # too few to show
    rows = {r.code: r for r in welsh.rows(_scope())}
    assert set(rows) == {"gwent-t", "north-wales-t"}
    people = place["people"]["gwent-t"]
    expected_trained = shown(Cell(20, sum(p.record_key for p in people)))
    expected_welsh = shown(Cell(16, sum(p.record_key for p in people[:16])))
    gwent = rows["gwent-t"]
    assert (gwent.trained, gwent.in_welsh) == (expected_trained, expected_welsh)
    assert gwent.share == rate(expected_welsh, expected_trained)
    assert abs(gwent.trained - 20) <= 3
    north = rows["north-wales-t"]
    assert (north.trained, north.in_welsh, north.share) == (HIDDEN, HIDDEN, HIDDEN)


def test_another_nation_chosen_shows_no_welsh_forces(place):
    assert welsh.rows(_scope(), nation="England") == []
    assert [r.code for r in welsh.rows(_scope(), nation="Wales")] == ["gwent-t", "north-wales-t"]


def test_the_national_page_shows_the_welsh_forces_table(place, client, login_as):
    for person in place["people"]["gwent-t"][:16]:
        _attempt(person, place["version"], "cy")
    login_as(UserFactory(role="commissioner", force=None))
    page = client.get("/metrics/national?date_from=2000-01-01").get_data(as_text=True)
    assert 'id="welsh"' in page
    section = page[page.index('id="welsh"') :]
    section = section[: section.index("</table>")]
    assert "Gwent Police" in section
    assert "North Wales Police" in section
    assert "Kent Police" not in section
    assert "[c]" in section  # North Wales: nobody, so nothing shown
    england = client.get("/metrics/national?nation=England").get_data(as_text=True)
    assert 'id="welsh"' not in england
