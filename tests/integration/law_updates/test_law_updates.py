"""Law changes: recorded on sync, updates assigned to certified officers, done, shown everywhere."""

from datetime import timedelta

import pytest

from app import clock
from app.certificates.models import Certificate
from app.clock import today
from app.content.errors import ContentInvalid
from app.extensions import db
from app.law_updates.models import LawChange, LawUpdate
from app.law_updates.queries import up_to_date_by_force
from tests.factories import ForceFactory, UserFactory
from tests.integration.content.helpers import example_tree, sync
from tests.integration.law_updates.helpers import (
    CHANGE_A,
    CHANGE_B,
    certificate,
    mark_law_change,
    pdf_pages,
    pdf_text,
)

RIGHT = {"q-who-may-interpret": ["a", "b"]}
WRONG = {"q-who-may-interpret": ["c"]}


@pytest.fixture
def world(app, database, tmp_path, monkeypatch):
    root = example_tree(tmp_path, "alpha")
    monkeypatch.setitem(app.config, "CONTENT_DIR", root)
    sync(root)
    force = ForceFactory(name="Northshire Police")
    officer = UserFactory(force=force, name="Olive Officer")
    return {"root": root, "force": force, "officer": officer, "cert": certificate(officer)}


def _updates():
    return list(db.session.scalars(db.select(LawUpdate).order_by(LawUpdate.id)))


def _snapshot(cert: Certificate) -> dict:
    db.session.expire_all()
    row = db.session.get(Certificate, cert.id)
    return {c.name: getattr(row, c.name) for c in Certificate.__table__.columns}


def test_sync_records_the_change_once_and_assigns_updates_due_in_60_days(world):
    before = _snapshot(world["cert"])
    mark_law_change(world["root"], CHANGE_A, "Check whether the new offence is in force.")
    summary = sync(world["root"])
    assert summary.modules_changed == ["alpha"]
    change = db.session.scalar(db.select(LawChange))
    assert (change.summary, change.version_number) == (CHANGE_A, 2)
    assert change.question_keys == ["who-may-interpret"]
    assert [s["ref"] for s in change.sections] == ["01-first-contact.md#speak-to-the-person-alone"]
    assert "Check whether the new offence is in force." in change.sections[0]["html"]
    assert "Signs to record" in change.sections[0]["html"]  # the h3 inside the section
    [update] = _updates()
    assert (update.certificate_id, update.due_on) == (world["cert"].id, today() + timedelta(days=60))
    assert _snapshot(world["cert"]) == before  # the certificate is never changed
    assert not sync(world["root"]).changed_anything
    assert len(_updates()) == 1


def test_only_current_valid_certificates_on_an_older_version_get_an_update(world):
    others = {
        "revoked": certificate(UserFactory(force=world["force"]), revoked=True),
        "expired": certificate(UserFactory(force=world["force"]), expires_on=today() - timedelta(days=1)),
        "on_v2": certificate(UserFactory(force=world["force"]), version=2),
    }
    renewed = UserFactory(force=world["force"])
    certificate(renewed, cycle=1)
    latest = certificate(renewed, cycle=2)
    mark_law_change(world["root"], CHANGE_A, "New wording.")
    sync(world["root"])
    assert {u.certificate_id for u in _updates()} == {world["cert"].id, latest.id}
    assert all(u.certificate_id != c.id for c in others.values() for u in _updates())


def test_due_days_are_configurable(app, world, monkeypatch):
    monkeypatch.setitem(app.config, "LAW_UPDATE_DUE_DAYS", 14)
    mark_law_change(world["root"], CHANGE_A, "New wording.")
    sync(world["root"])
    assert _updates()[0].due_on == today() + timedelta(days=14)


def test_a_broken_content_file_records_no_change_and_assigns_nothing(world):
    mark_law_change(world["root"], CHANGE_A, "New wording.")
    (world["root"] / "modules" / "alpha" / "02-the-duty-to-notify.md").write_text("no front matter\n")
    with pytest.raises(ContentInvalid):
        sync(world["root"])
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(LawChange)) == 0
    assert _updates() == []


def test_officer_does_the_update_and_every_page_and_the_pdf_show_it(world, client, login_as):
    mark_law_change(world["root"], CHANGE_A, "Check whether the new offence is in force.")
    sync(world["root"])
    [update] = _updates()
    serial = world["cert"].serial
    login_as(world["officer"])
    mine = client.get("/certificates").get_data(as_text=True)
    assert "Update due by" in mine
    assert CHANGE_A in mine
    assert f"/updates/{update.id}" in mine
    assert "Update due" in client.get(f"/verify/{serial}").get_data(as_text=True)
    page = client.get(f"/updates/{update.id}").get_data(as_text=True)
    assert "Check whether the new offence is in force." in page
    assert 'name="q-who-may-interpret"' in page
    assert "correct" not in page.split("<form", 1)[1]  # no answer key before submitting
    failed = client.post(f"/updates/{update.id}/submit", data=WRONG)
    assert failed.status_code == 200
    assert "the pass mark is 80%" in failed.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(LawUpdate, update.id).completed_at is None
    done = client.post(f"/updates/{update.id}/submit", data=RIGHT)
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(LawUpdate, update.id).percent == 100.0
    when = f"{today().day} {today():%B %Y}"
    assert f"Updated for {CHANGE_A} on {when}" in client.get("/certificates").get_data(as_text=True)
    public = client.get(f"/verify/{serial}").get_data(as_text=True)
    assert f"Updated for {CHANGE_A} on {when}" in public
    assert "Update due" not in public
    pdf = client.get(f"/certificates/{serial}/pdf")
    assert pdf.status_code == 200
    text = pdf_text(pdf.data)
    assert f"UPDATED FOR {CHANGE_A}, on {when}" in text
    assert "Olive Officer" in text
    assert pdf_pages(pdf.data) == 1
    assert db.session.get(Certificate, world["cert"].id).pdf is None  # the as-issued PDF is not replaced


def test_a_second_change_before_the_first_update_is_done_is_caught_up_in_one_go(world, client, login_as):
    mark_law_change(world["root"], CHANGE_A, "First new wording.")
    sync(world["root"])
    mark_law_change(world["root"], CHANGE_B, "Second new wording.")
    sync(world["root"])
    first, second = _updates()
    assert (first.law_change.version_number, second.law_change.version_number) == (2, 3)
    login_as(world["officer"])
    page = client.get(f"/updates/{first.id}").get_data(as_text=True)
    assert CHANGE_A in page
    assert CHANGE_B in page
    # The section both changes name is shown once, as the second change left it.
    assert "Second new wording." in page
    assert page.count("From lesson 1") == 1
    assert client.post(f"/updates/{first.id}/submit", data=RIGHT).status_code == 302
    db.session.expire_all()
    assert all(u.completed_at is not None for u in _updates())
    mine = client.get("/certificates").get_data(as_text=True)
    assert f"Updated for {CHANGE_A}" in mine
    assert f"Updated for {CHANGE_B}" in mine
    assert "Update due" not in mine
    assert client.get(f"/updates/{second.id}").status_code == 200  # "update done"


def test_lead_sees_who_has_caught_up_in_their_force_only(world, client, login_as):
    other_force = ForceFactory(name="Elsewhere Police")
    certificate(UserFactory(force=other_force, name="Somebody Elsewhere"))
    caught_up = UserFactory(force=world["force"], name="Carl Caught-Up")
    cert = certificate(caught_up)
    mark_law_change(world["root"], CHANGE_A, "New wording.")
    sync(world["root"])
    login_as(caught_up)
    update = next(u for u in _updates() if u.certificate_id == cert.id)
    client.post(f"/updates/{update.id}/submit", data=RIGHT)
    login_as(UserFactory(force=world["force"], role="training_lead"))
    page = client.get("/force/law-updates").get_data(as_text=True)
    assert "1 done, 1 outstanding" in page
    assert "Olive Officer" in page
    assert "Carl Caught-Up" in page
    assert "Somebody Elsewhere" not in page
    assert page.index("Olive Officer") < page.index("Carl Caught-Up")  # outstanding first


def test_up_to_date_counts_per_force(world, client, login_as):
    other_force = ForceFactory()
    certificate(UserFactory(force=other_force))
    caught_up = UserFactory(force=world["force"])
    cert = certificate(caught_up)
    mark_law_change(world["root"], CHANGE_A, "New wording.")
    sync(world["root"])
    clock.travel(timedelta(days=2))
    login_as(caught_up)
    client.post(
        f"/updates/{next(u.id for u in _updates() if u.certificate_id == cert.id)}/submit", data=RIGHT
    )
    counts = {row.force_id: row for row in up_to_date_by_force(today())}
    mine = counts[world["force"].id]
    assert (mine.certified, mine.update_due, mine.up_to_date) == (2, 1, 1)
    elsewhere = counts[other_force.id]
    assert (elsewhere.certified, elsewhere.update_due, elsewhere.up_to_date) == (1, 1, 0)
    # The day before the update was done, both holders in the force still owed it.
    before = {row.force_id: row for row in up_to_date_by_force(today() - timedelta(days=1))}
    assert (before[world["force"].id].update_due, before[world["force"].id].up_to_date) == (2, 0)
    assert up_to_date_by_force(today(), workforce_types=("pcso",)) == []


def test_a_revoked_or_other_persons_update_cannot_be_done(world, client, login_as):
    mark_law_change(world["root"], CHANGE_A, "New wording.")
    sync(world["root"])
    [update] = _updates()
    login_as(UserFactory(force=world["force"]))
    assert client.post(f"/updates/{update.id}/submit", data=RIGHT).status_code == 404
    db.session.expire_all()
    assert db.session.get(LawUpdate, update.id).completed_at is None


def test_a_certificate_issued_after_the_change_on_an_older_version_owes_the_update(world):
    from app.certificates.services import issue_if_complete
    from app.content.models import Course, Module
    from tests.integration.certificates.conftest import pass_module

    late = UserFactory(force=world["force"])
    alpha = db.session.scalar(db.select(Module).where(Module.slug == "alpha"))
    pass_module(late, alpha)  # on version 1, before the change
    db.session.commit()
    mark_law_change(world["root"], CHANGE_A, "New wording.")
    sync(world["root"])
    course = db.session.scalar(db.select(Course).where(Course.slug == "test-course"))
    issued = issue_if_complete(late, course)
    db.session.commit()
    assert issued.modules[0]["version"] == 1
    assert [u.law_change.summary for u in _updates() if u.certificate_id == issued.id] == [CHANGE_A]
    on_new = UserFactory(force=world["force"])
    pass_module(on_new, db.session.get(Module, alpha.id))  # on version 2: nothing owed
    fresh = issue_if_complete(on_new, course)
    db.session.commit()
    assert [u for u in _updates() if u.certificate_id == fresh.id] == []
