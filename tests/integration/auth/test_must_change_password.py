"""A password chosen by an admin must be changed on first use (ASVS V6.4.1)."""

from sqlalchemy import select

from app.auth.models import User
from tests.factories import ForceFactory, UserFactory

ADMIN_SET = "harbour violet compass"
OWN = "kettle orbit lantern"


def _sign_in(client, email, password):
    return client.post("/sign-in", data={"email": email, "password": password})


def _admin_sets_password(client, login_as, officer, password=ADMIN_SET):
    login_as(UserFactory(role="admin", force=None))
    response = client.post(f"/admin/users/{officer.id}/password", data={"password": password})
    assert response.status_code == 302
    client.post("/sign-out")


def test_after_an_admin_sets_a_password_every_page_leads_to_changing_it(client, login_as, database):
    officer = UserFactory(email="ann@police.uk")
    _admin_sets_password(client, login_as, officer)
    assert _sign_in(client, "ann@police.uk", ADMIN_SET).status_code == 302
    for url in ("/training", "/courses", "/certificates"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"] == "/account/password"
    page = client.get("/account/password").get_data(as_text=True)
    assert "Your password was set by an administrator" in page
    assert (
        client.post("/session/extend", headers={"Accept": "application/json"}).status_code == 200
    )  # the time-out warning still works on that page

    changed = client.post("/account/password", data={"current_password": ADMIN_SET, "password": OWN})
    assert changed.status_code == 302
    assert client.get("/training").status_code == 200
    database.session.expire_all()
    assert database.session.get(User, officer.id).must_change_password is False
    assert "Your password was set" not in client.get("/account/password").get_data(as_text=True)


def test_an_admin_typing_an_initial_password_flags_it(client, login_as, database):
    login_as(UserFactory(role="admin", force=None))
    force = ForceFactory()
    client.post(
        "/admin/users/new",
        data={
            "name": "New Officer",
            "email": "new@police.uk",
            "role": "officer",
            "force_id": str(force.id),
            "team_id": "",
            "password": ADMIN_SET,
        },
    )
    with_password = database.session.scalar(select(User).where(User.email == "new@police.uk"))
    assert with_password.must_change_password is True
    client.post(
        "/admin/users/new",
        data={
            "name": "Invited Officer",
            "email": "invited@police.uk",
            "role": "officer",
            "force_id": str(force.id),
            "team_id": "",
            "password": "",
        },
    )
    invited = database.session.scalar(select(User).where(User.email == "invited@police.uk"))
    assert invited.must_change_password is False  # no password yet: an invitation instead


def test_the_operators_own_account_from_the_command_line_is_not_flagged(app, database):
    result = app.test_cli_runner().invoke(
        args=[
            "users",
            "create",
            "--email",
            "ops@police.uk",
            "--name",
            "Ops Person",
            "--role",
            "admin",
            "--password-stdin",
        ],
        input=f"{ADMIN_SET}\n",
    )
    assert result.exit_code == 0, result.output
    user = database.session.scalar(select(User).where(User.email == "ops@police.uk"))
    assert user.must_change_password is False


def test_choosing_a_password_through_a_reset_link_clears_the_flag(client, login_as, database):
    from app.auth import link_services

    officer = UserFactory(email="ann@police.uk")
    _admin_sets_password(client, login_as, officer)
    database.session.expire_all()
    officer = database.session.get(User, officer.id)
    assert officer.must_change_password is True
    token, _link = link_services.issue(officer, "reset")
    link_services.redeem(token, OWN)
    assert officer.must_change_password is False
