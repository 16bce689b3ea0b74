"""Admin user pages: search, create, change, deactivate; every change audited."""

from app.audit import AuditEvent
from app.auth.models import User, UserSession
from app.auth.session_services import start_session
from tests.factories import ForceFactory, TeamFactory, UserFactory


def events(database, action):
    return database.session.query(AuditEvent).filter_by(action=action).all()


def test_search_finds_by_name_email_and_service_number(client, login_as, database):
    login_as(UserFactory(role="admin", force=None))
    UserFactory(name="Zebedee Quinn", email="zq@police.uk", service_number="XY999")
    for q in ("zebedee", "zq@", "xy999"):
        assert b"Zebedee Quinn" in client.get("/admin/users", query_string={"q": q}).data
    assert b"Zebedee Quinn" not in client.get("/admin/users", query_string={"q": "nobody"}).data


def test_admin_creates_a_user_and_it_is_audited(client, login_as, database):
    admin = login_as(UserFactory(role="admin", force=None))
    force = ForceFactory()
    response = client.post(
        "/admin/users/new",
        data={
            "name": "New Officer",
            "email": "New@Police.uk",
            "service_number": "N1",
            "role": "officer",
            "force_id": str(force.id),
            "team_id": "",
            "password": "",
        },
    )
    assert response.status_code == 302
    user = database.session.query(User).filter_by(email="new@police.uk").one()
    assert user.force_id == force.id
    [event] = events(database, "user.create")
    assert (event.actor_id, event.target_id) == (admin.id, str(user.id))


def test_duplicate_email_is_refused_case_insensitively(client, login_as, database):
    login_as(UserFactory(role="admin", force=None))
    force = ForceFactory()
    UserFactory(email="ann@police.uk")
    response = client.post(
        "/admin/users/new",
        data={"name": "Ann Again", "email": "ANN@police.uk", "role": "officer", "force_id": str(force.id)},
    )
    assert b"already exists" in response.data
    assert database.session.query(User).filter_by(email="ann@police.uk").count() == 1


def test_officer_without_force_is_refused(client, login_as, database):
    login_as(UserFactory(role="admin", force=None))
    response = client.post(
        "/admin/users/new",
        data={"name": "No Force", "email": "nf@police.uk", "role": "officer", "force_id": ""},
    )
    assert b"must belong to a force" in response.data
    assert database.session.query(User).filter_by(email="nf@police.uk").count() == 0


def test_team_of_another_force_is_refused(client, login_as, database):
    login_as(UserFactory(role="admin", force=None))
    officer = UserFactory()
    other_team = TeamFactory()
    response = client.post(
        f"/admin/users/{officer.id}",
        data={
            "name": officer.name,
            "email": officer.email,
            "role": "officer",
            "force_id": str(officer.force_id),
            "team_id": str(other_team.id),
        },
    )
    assert b"must belong to the user" in response.data
    database.session.refresh(officer)
    assert officer.team_id is None


def test_role_change_is_audited_and_signs_the_user_out(client, login_as, database):
    login_as(UserFactory(role="admin", force=None))
    officer = UserFactory()
    start_session(officer)
    database.session.flush()
    client.post(
        f"/admin/users/{officer.id}",
        data={
            "name": officer.name,
            "email": officer.email,
            "role": "training_lead",
            "force_id": str(officer.force_id),
            "team_id": "",
        },
    )
    database.session.refresh(officer)
    assert officer.role == "training_lead"
    [event] = events(database, "user.update")
    assert event.details_dict["role"] == ["officer", "training_lead"]
    assert database.session.query(UserSession).filter_by(user_id=officer.id).count() == 0


def test_deactivation_is_audited_and_ends_sessions(client, login_as, database):
    login_as(UserFactory(role="admin", force=None))
    officer = UserFactory()
    start_session(officer)
    database.session.flush()
    client.post(f"/admin/users/{officer.id}/active", data={"active": "0"})
    database.session.refresh(officer)
    assert officer.active is False
    assert len(events(database, "user.deactivate")) == 1
    assert database.session.query(UserSession).filter_by(user_id=officer.id).count() == 0


def test_admin_cannot_deactivate_themselves(client, login_as, database):
    admin = login_as(UserFactory(role="admin", force=None))
    client.post(f"/admin/users/{admin.id}/active", data={"active": "0"})
    database.session.refresh(admin)
    assert admin.active is True


def test_audit_log_page_lists_events(client, login_as, database):
    login_as(UserFactory(role="admin", force=None))
    officer = UserFactory()
    client.post(f"/admin/users/{officer.id}/active", data={"active": "0"})
    assert b"user.deactivate" in client.get("/admin/audit").data


def test_headcount_update_is_audited_and_unknown_shows_as_unknown(client, login_as, database):
    login_as(UserFactory(role="admin", force=None))
    force = ForceFactory(code="kent", headcount=4168)
    response = client.post(
        "/forces/kent/headcount",
        data={"headcount": "", "headcount_as_of": "", "headcount_source": "figure withdrawn"},
    )
    assert response.status_code == 302
    database.session.refresh(force)
    assert force.headcount is None
    [event] = events(database, "force.headcount")
    assert event.details_dict["old"][0] == 4168
    page = client.get("/forces").data.decode()
    row = page[page.index(force.name) :][:400]
    assert "unknown" in row


def new_user(client, **fields):
    data = {"name": "New Person", "email": "new@police.uk", "role": "officer", "team_id": ""}
    data.update(fields)
    return client.post("/admin/users/new", data=data)


def test_admin_sets_the_workforce_type_and_the_pages_show_it(client, login_as, database):
    login_as(UserFactory(role="admin", force=None))
    force = ForceFactory()
    response = new_user(client, force_id=str(force.id), workforce_type="pcso")
    assert response.status_code == 302
    user = database.session.query(User).filter_by(email="new@police.uk").one()
    assert user.workforce_type == "pcso"
    assert events(database, "user.create")[0].details_dict["workforce_type"] == "pcso"
    assert "PCSO" in client.get(f"/admin/users/{user.id}").get_data(as_text=True)
    listing = client.get("/admin/users", query_string={"q": "new@"}).get_data(as_text=True)
    cell = '<td class="govuk-table__cell">'
    assert f"{cell}Officer</td>{cell}PCSO</td>" in listing


def test_without_a_workforce_type_it_follows_the_role(client, login_as, database):
    login_as(UserFactory(role="admin", force=None))
    force = ForceFactory()
    new_user(client, force_id=str(force.id), workforce_type="")
    new_user(client, email="lead@police.uk", role="training_lead", force_id=str(force.id))
    kinds = dict(database.session.query(User.email, User.workforce_type).filter(User.force_id == force.id))
    assert kinds == {"new@police.uk": "police_officer", "lead@police.uk": "police_staff"}


def test_unknown_workforce_type_is_refused(client, login_as, database):
    login_as(UserFactory(role="admin", force=None))
    force = ForceFactory()
    response = new_user(client, force_id=str(force.id), workforce_type="constable")
    assert response.status_code == 200
    assert database.session.query(User).filter_by(email="new@police.uk").count() == 0


def test_editing_changes_the_workforce_type_and_audits_it(client, login_as, database):
    login_as(UserFactory(role="admin", force=None))
    officer = UserFactory()
    assert officer.workforce_type == "police_officer"
    page = client.get(f"/admin/users/{officer.id}").get_data(as_text=True)
    assert '<option value="police_officer" selected>' in page
    client.post(
        f"/admin/users/{officer.id}",
        data={
            "name": officer.name,
            "email": officer.email,
            "service_number": officer.service_number,
            "role": "officer",
            "workforce_type": "special_constable",
            "force_id": str(officer.force_id),
            "team_id": "",
        },
    )
    database.session.refresh(officer)
    assert officer.workforce_type == "special_constable"
    [event] = events(database, "user.update")
    assert event.details_dict["workforce_type"] == ["police_officer", "special_constable"]


# Issue 17, defect 7: the admin form applies the CSV import's service-number and email rules.


def test_admin_service_number_loses_a_leading_tab(client, login_as, database):
    login_as(UserFactory(role="admin", force=None))
    force = ForceFactory()
    new_user(client, force_id=str(force.id), service_number="\tSN42 ")
    assert database.session.query(User).filter_by(email="new@police.uk").one().service_number == "SN42"


def test_admin_service_number_with_control_characters_is_refused(client, login_as, database):
    login_as(UserFactory(role="admin", force=None))
    force = ForceFactory()
    response = new_user(client, force_id=str(force.id), service_number="SN\x1b[2J42")
    assert "control or invisible characters" in response.get_data(as_text=True)
    assert database.session.query(User).filter_by(email="new@police.uk").count() == 0


def test_admin_edit_refuses_control_characters_in_the_service_number(client, login_as, database):
    login_as(UserFactory(role="admin", force=None))
    officer = UserFactory(service_number="SN1")
    response = client.post(
        f"/admin/users/{officer.id}",
        data={
            "name": officer.name,
            "email": officer.email,
            "service_number": "SN\u200b1",
            "role": "officer",
            "force_id": str(officer.force_id),
            "team_id": "",
        },
    )
    assert "control or invisible characters" in response.get_data(as_text=True)
    database.session.refresh(officer)
    assert officer.service_number == "SN1"


def test_admin_email_with_a_cyrillic_look_alike_is_refused(client, login_as, database):
    login_as(UserFactory(role="admin", force=None))
    force = ForceFactory()
    UserFactory(email="ann@police.uk")
    response = new_user(client, force_id=str(force.id), email="\u0430nn@police.uk")
    assert "plain Latin letters" in response.get_data(as_text=True)
    assert database.session.query(User).count() == 2  # the admin and the real Ann


def test_admin_email_is_nfkc_normalised(client, login_as, database):
    login_as(UserFactory(role="admin", force=None))
    force = ForceFactory()
    new_user(client, force_id=str(force.id), email="\uff21nn@Police.UK")  # fullwidth A
    assert database.session.query(User).filter_by(email="ann@police.uk").count() == 1
