"""The set-up commands: forces sync, users create, demo load (idempotent)."""

from app.auth.models import User
from app.auth.passwords import verify_password
from app.forces.models import Force


def test_forces_sync_loads_every_force_with_unknown_headcounts_kept_unknown(app, database):
    result = app.test_cli_runner().invoke(args=["forces", "sync"])
    assert result.exit_code == 0, result.output
    forces = {f.code: f for f in database.session.query(Force)}
    assert len(forces) == 52
    assert forces["west-yorkshire"].headcount > 0
    assert forces["nca"].headcount is None
    assert forces["nca"].headcount_label == "unknown"
    again = app.test_cli_runner().invoke(args=["forces", "sync"])
    assert "0 added, 0 updated" in again.output


def test_forces_sync_refuses_a_malformed_file_and_loads_nothing(app, database, tmp_path):
    bad = tmp_path / "forces.csv"
    bad.write_text(
        "code,name,nation,type,officers_headcount,officers_as_of,officers_source,officers_measure\n"
        "kent,Kent Police,England,territorial,lots,2025-03-31,x,fte\n"
    )
    result = app.test_cli_runner().invoke(args=["forces", "sync", "--file", str(bad)])
    assert result.exit_code != 0
    assert "Nothing loaded" in result.output
    assert f"{bad}:2:" in result.output
    assert database.session.query(Force).count() == 0


def test_users_create_reads_the_password_from_stdin(app, database):
    app.test_cli_runner().invoke(args=["forces", "sync"])
    result = app.test_cli_runner().invoke(
        args=[
            "users",
            "create",
            "--email",
            "New.Lead@Police.uk",
            "--name",
            "New Lead",
            "--role",
            "training_lead",
            "--force",
            "kent",
            "--password-stdin",
        ],
        input="quiet harbour lantern\n",
    )
    assert result.exit_code == 0, result.output
    user = database.session.query(User).filter_by(email="new.lead@police.uk").one()
    assert user.role == "training_lead"
    assert verify_password(user.password_hash, "quiet harbour lantern")


def test_users_create_refuses_a_weak_password(app, database):
    result = app.test_cli_runner().invoke(
        args=[
            "users",
            "create",
            "--email",
            "a@police.uk",
            "--name",
            "A",
            "--role",
            "admin",
            "--password-stdin",
        ],
        input="password1234\n",
    )
    assert result.exit_code != 0
    assert "too common" in result.output
    assert database.session.query(User).count() == 0


def test_demo_load_is_idempotent_and_prints_the_logins(app, database):
    app.test_cli_runner().invoke(args=["forces", "sync"])
    first = app.test_cli_runner().invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    count = database.session.query(User).count()
    second = app.test_cli_runner().invoke(args=["demo", "load"])
    assert second.exit_code == 0, second.output
    assert database.session.query(User).count() == count
    for role in ("officer", "training_lead", "commissioner", "admin"):
        assert role in second.output
    assert "spot-the-signs-2026" in second.output


def create(app, *extra, email="new@police.uk", role="officer", force="kent"):
    args = ["users", "create", "--email", email, "--name", "New Person", "--role", role]
    args += ["--force", force] if force else []
    return app.test_cli_runner().invoke(
        args=[*args, *extra, "--password-stdin"], input="quiet harbour lantern\n"
    )


def test_users_create_sets_the_workforce_type(app, database):
    app.test_cli_runner().invoke(args=["forces", "sync"])
    result = create(app, "--workforce-type", "special_constable")
    assert result.exit_code == 0, result.output
    assert "(Special constable)" in result.output
    assert database.session.query(User).filter_by(email="new@police.uk").one().workforce_type == (
        "special_constable"
    )


def test_users_create_without_a_workforce_type_follows_the_role(app, database):
    app.test_cli_runner().invoke(args=["forces", "sync"])
    assert create(app).exit_code == 0
    assert create(app, email="admin@police.uk", role="admin", force=None).exit_code == 0
    kinds = dict(database.session.query(User.email, User.workforce_type))
    assert kinds == {"new@police.uk": "police_officer", "admin@police.uk": "police_staff"}


def test_users_create_refuses_an_unknown_workforce_type(app, database):
    app.test_cli_runner().invoke(args=["forces", "sync"])
    result = create(app, "--workforce-type", "constable")
    assert result.exit_code != 0
    assert "constable" in result.output
    assert database.session.query(User).count() == 0


# Issue 17, defect 7: `flask users create` applies the CSV import's rules.


def test_users_create_refuses_control_characters_in_the_service_number(app, database):
    app.test_cli_runner().invoke(args=["forces", "sync"])
    result = create(app, "--service-number", "SN\x0742")
    assert result.exit_code != 0
    assert "The service number contains control or invisible characters." in result.output
    assert database.session.query(User).count() == 0


def test_users_create_strips_a_leading_tab_from_the_service_number(app, database):
    app.test_cli_runner().invoke(args=["forces", "sync"])
    assert create(app, "--service-number", "\tSN42").exit_code == 0
    assert database.session.query(User).one().service_number == "SN42"


def test_users_create_refuses_a_look_alike_email(app, database):
    result = create(app, email="adm\u0456n@police.uk", role="admin", force=None)  # Cyrillic i
    assert result.exit_code != 0
    assert "CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I" in result.output
    assert database.session.query(User).count() == 0


def test_users_create_normalises_the_email_with_nfkc(app, database):
    assert create(app, email="\uff41dmin@Police.UK", role="admin", force=None).exit_code == 0
    assert database.session.query(User).one().email == "admin@police.uk"


def test_demo_load_sample_adds_synthetic_officers_once(app, database, monkeypatch):
    monkeypatch.setattr("app.demo.cli.SAMPLE_OFFICERS", 400)
    app.test_cli_runner().invoke(args=["forces", "sync"])
    first = app.test_cli_runner().invoke(args=["demo", "load", "--scale", "sample"])
    assert first.exit_code == 0, first.output
    assert "Synthetic data generated" in first.output

    def synthetic():
        return database.session.query(User).filter(User.email.like("scale.%")).count()

    assert synthetic() == 400
    second = app.test_cli_runner().invoke(args=["demo", "load", "--scale", "sample"])
    assert second.exit_code == 0, second.output
    assert "none added" in second.output
    assert synthetic() == 400
    assert "spot-the-signs-2026" in second.output
