"""Officer CSV import through the admin page and the CLI: all or nothing, every problem listed."""

import html
import io
import re

from app.audit import AuditEvent
from app.auth.models import User
from app.forces.models import Team
from tests.factories import ForceFactory, UserFactory

HEADER = "name,email,service_number,force_code,team\n"


def upload(client, text):
    return client.post(
        "/admin/users/import",
        data={"file": (io.BytesIO(text.encode()), "officers.csv")},
        content_type="multipart/form-data",
    )


def confirm(client, page: str, **changes):
    """Post the confirmation step back, with the hidden fields the page carries (or changed)."""
    fields = dict(re.findall(r'name="(confirm-[a-z_]+)" type="hidden" value="([^"]*)"', page))
    fields = {name: html.unescape(value) for name, value in fields.items()}
    fields.update({f"confirm-{k}": v for k, v in changes.items()})
    return client.post(
        "/admin/users/import", data={**fields, "confirm-confirm": "Import and create these teams"}
    )


def test_good_file_imports_everyone_and_creates_teams(client, login_as, database):
    login_as(UserFactory(role="admin", force=None))
    force = ForceFactory(code="kent", name="Kent Police")
    before = database.session.query(User).count()
    response = upload(
        client, HEADER + "Ann Lee,ann@police.uk,K1,kent,CID\nBo Chan,bo@police.uk,K2,kent,cid\n"
    )
    # First the new team is listed for the admin to confirm; nothing is written yet.
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Create 1 new team?" in page
    assert (
        '<td class="govuk-table__cell">Kent Police</td><th scope="row" class="govuk-table__header">CID</th>'
        in page
    )
    assert database.session.query(User).count() == before
    assert database.session.query(Team).count() == 0
    response = confirm(client, page)
    assert response.status_code == 302
    users = database.session.query(User).filter(User.email.in_(["ann@police.uk", "bo@police.uk"])).all()
    assert {u.force_id for u in users} == {force.id}
    [team] = database.session.query(Team).filter_by(force_id=force.id).all()
    assert team.name == "CID"
    assert {u.team_id for u in users} == {team.id}
    assert database.session.query(AuditEvent).filter_by(action="users.import").count() == 1


def test_one_bad_row_imports_nothing_and_names_the_line(client, login_as, database):
    login_as(UserFactory(role="admin", force=None))
    ForceFactory(code="kent")
    before = database.session.query(User).count()
    response = upload(client, HEADER + "Ann Lee,ann@police.uk,K1,kent,CID\nBad,bad@police.uk,K2,atlantis,\n")
    assert response.status_code == 400
    assert b"Line 3: unknown force code &#39;atlantis&#39;." in response.data
    assert b"Nothing was imported" in response.data
    assert database.session.query(User).count() == before
    assert database.session.query(Team).count() == 0
    from app.audit import AuditEvent

    refused = database.session.query(AuditEvent).filter_by(action="users.import_refused").one()
    assert refused.details_dict["problems"] == 1  # the attempt is on record, nothing else


def test_email_already_registered_is_a_row_error(client, login_as, database):
    login_as(UserFactory(role="admin", force=None))
    ForceFactory(code="kent")
    UserFactory(email="ann@police.uk")
    response = upload(client, HEADER + "Ann Lee,ANN@police.uk,K1,kent,\n")
    assert b"Line 2: a user with the email ann@police.uk already exists." in response.data


def test_header_only_file_is_refused(client, login_as, database):
    login_as(UserFactory(role="admin", force=None))
    response = upload(client, HEADER)
    assert b"no officers" in response.data


def test_cli_import_reports_path_line_and_writes_nothing(app, database, tmp_path):
    ForceFactory(code="kent")
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "Ann Lee,ann@police.uk,K1,kent,\nNo Email,,K2,kent,\n")
    result = app.test_cli_runner().invoke(args=["users", "import", str(bad)])
    assert result.exit_code != 0
    assert f"{bad}:3: email is empty." in result.output
    assert database.session.query(User).filter_by(email="ann@police.uk").count() == 0


def test_cli_import_of_ten_thousand_rows(app, database, tmp_path):
    ForceFactory(code="kent")
    good = tmp_path / "good.csv"
    good.write_text(
        HEADER + "".join(f"Officer {i},o{i}@police.uk,S{i},kent,Team {i % 20}\n" for i in range(10_000))
    )
    result = app.test_cli_runner().invoke(args=["users", "import", str(good)])
    assert result.exit_code == 0, result.output
    assert "Imported 10,000 officers (20 new teams)." in result.output
    assert database.session.query(User).filter(User.email.like("o%@police.uk")).count() == 10_000


WORKFORCE_HEADER = "name,email,service_number,force_code,team,workforce_type\n"


def test_workforce_types_are_imported(client, login_as, database):
    login_as(UserFactory(role="admin", force=None))
    ForceFactory(code="kent")
    response = upload(
        client,
        WORKFORCE_HEADER
        + "Ann Lee,ann@police.uk,K1,kent,,\n"
        + "Bo Chan,bo@police.uk,K2,kent,,Special constable\n"
        + "Cy Dee,cy@police.uk,K3,kent,,PCSO\n",
    )
    assert response.status_code == 302
    kinds = dict(database.session.query(User.email, User.workforce_type).filter(User.role == "officer"))
    assert kinds == {
        "ann@police.uk": "police_officer",
        "bo@police.uk": "special_constable",
        "cy@police.uk": "pcso",
    }


def test_a_bad_workforce_type_imports_nothing_and_names_the_line(client, login_as, database):
    login_as(UserFactory(role="admin", force=None))
    ForceFactory(code="kent")
    before = database.session.query(User).count()
    response = upload(
        client,
        WORKFORCE_HEADER
        + "Ann Lee,ann@police.uk,K1,kent,CID,pcso\n"
        + "Bo Chan,bo@police.uk,K2,kent,,sergeant\n",
    )
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "Line 3: unknown workforce type &#39;sergeant&#39;" in text
    assert "Nothing was imported" in text
    assert database.session.query(User).count() == before
    assert database.session.query(Team).count() == 0


def test_cli_import_reports_a_bad_workforce_type_with_path_and_line(app, database, tmp_path):
    ForceFactory(code="kent")
    bad = tmp_path / "bad.csv"
    bad.write_text(WORKFORCE_HEADER + "Ann Lee,ann@police.uk,K1,kent,,pcso\nBo,bo@police.uk,K2,kent,,cop\n")
    result = app.test_cli_runner().invoke(args=["users", "import", str(bad)])
    assert result.exit_code != 0
    assert f"{bad}:3: unknown workforce type 'cop'" in result.output
    assert database.session.query(User).count() == 0


def test_a_team_nobody_confirmed_is_asked_about_again(client, login_as, database):
    login_as(UserFactory(role="admin", force=None))
    ForceFactory(code="kent")
    page = upload(client, HEADER + "Ann Lee,ann@police.uk,K1,kent,CID\n").get_data(as_text=True)
    # The file is changed on the way back to name another team: it is checked again, not trusted.
    import base64

    other = base64.b64encode((HEADER + "Ann Lee,ann@police.uk,K1,kent,Traffic\n").encode()).decode()
    response = confirm(client, page, pending=other)
    assert response.status_code == 200
    assert "Traffic" in response.get_data(as_text=True)
    assert database.session.query(Team).count() == 0
    assert database.session.query(User).filter_by(email="ann@police.uk").count() == 0
    assert confirm(client, page, pending="not base64!").status_code == 400
    assert confirm(client, page, teams="{broken").status_code == 400


def test_existing_teams_need_no_confirmation(client, login_as, database):
    from tests.factories import TeamFactory

    login_as(UserFactory(role="admin", force=None))
    force = ForceFactory(code="kent")
    TeamFactory(force=force, name="CID")
    assert upload(client, HEADER + "Ann Lee,ann@police.uk,K1,kent,cid\n").status_code == 302
    assert database.session.query(Team).count() == 1


def test_the_template_is_a_header_row(client, login_as, database):
    login_as(UserFactory(role="admin", force=None))
    response = client.get("/admin/users/import-template.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.get_data(as_text=True) == "name,email,service_number,force_code,team,workforce_type\r\n"
    assert "import-template.csv" in client.get("/admin/users/import").get_data(as_text=True)
