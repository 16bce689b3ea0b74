"""The commissioner's and the administrator's pages in the pseudo-locale: every interface string
goes through the catalogue (tests/integration/welsh/test_pseudo_locale.py explains the check)."""

import io
import re

import pytest

from app.api.models import ApiClient
from app.clock import today
from app.metrics import hexmap
from tests.integration.metrics.conftest import dataset  # noqa: F401 - the metrics data, a fixture
from tests.integration.welsh.conftest import assert_all_translated, data_values
from tests.support.pseudo import english_left

# Data on the metrics pages: the forces, their nations and types, their abbreviations on the map,
# the period's dates as typed, the course's title, module titles and question text.
METRICS_DATA = (
    "Avon Test Constabulary",
    "Bristol Test Police",
    "England",
    "Wales",
    "Territorial",
    "Special",
    "territorial",
    "special",
    "ATC",
    "BTP",
    "GP",
    "avon-t",
    "bristol-t",
    "First responder (test)",
)


@pytest.fixture
def map_abbreviations(app) -> tuple[str, ...]:
    """The forces' abbreviations the map writes in its hexagons (data: content/force_hexes.csv)."""
    return tuple(h.abbreviation for h in hexmap.read_hexes(app.config["FORCE_HEXES_CSV"]))


@pytest.mark.usefixtures("dataset")
@pytest.mark.parametrize(
    "url",
    [
        "/metrics/national",
        "/metrics/national?date_from=2025-01-01&date_to=2025-12-31",
    ],
)
def test_national_metrics(client, login_as, people, pseudo_welsh, map_abbreviations, url):
    assert_all_translated(client, login_as, people, "commissioner", url, *METRICS_DATA, *map_abbreviations)


@pytest.mark.usefixtures("dataset")
def test_national_metrics_with_filter_errors(client, login_as, people, pseudo_welsh, map_abbreviations):
    url = "/metrics/national?date_from=31+2+&date_to=1+1+2020"
    data = (*METRICS_DATA, *map_abbreviations)
    assert_all_translated(client, login_as, people, "commissioner", url, *data, status=400)


def test_monthly_releases_none_yet(client, login_as, people, pseudo_welsh):
    assert_all_translated(client, login_as, people, "commissioner", "/metrics/releases")


@pytest.mark.parametrize("role", ["commissioner", "admin"])
@pytest.mark.usefixtures("dataset")
def test_police_forces(client, login_as, people, pseudo_welsh, role):
    code = people["officer"].force.code
    assert_all_translated(client, login_as, people, role, "/forces", *METRICS_DATA, "test data", code)


@pytest.mark.usefixtures("dataset")
def test_headcount_form(client, login_as, people, pseudo_welsh):
    assert_all_translated(client, login_as, people, "admin", "/forces/avon-t/headcount", *METRICS_DATA)


@pytest.mark.usefixtures("dataset")
def test_headcount_form_with_errors(client, login_as, people, pseudo_welsh):
    login_as(people["admin"])
    form = {
        "headcount": "0",
        "headcount_measure": "",
        "headcount_as_of": ["1", "", ""],
        "headcount_source": "",
    }
    response = client.post("/forces/avon-t/headcount", data=form)
    html = response.get_data(as_text=True)
    assert "govuk-error-summary" in html
    left = english_left(html, data_values(people, *METRICS_DATA, "0", "1"))
    assert not left, "English left:\n" + "\n".join(left)


# ---- The administrator's user pages, import, audit log and a force's sign-in settings ------------

# Dates and times are data: their Welsh comes from app.formatting (CLDR), not the catalogue.
WELSH_DATES = (
    *("Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin"),
    *("Gorffennaf", "Awst", "Medi", "Hydref", "Tachwedd", "Rhagfyr"),
    *("Ion", "Chwef", "Maw", "Ebr", "Meh", "Gorff", "Hyd", "Tach", "Rhag"),
    *("(amser y DU)", "yb", "yp", "canol dydd", "canol nos"),
)


@pytest.fixture
def audit_events(people, database):
    """A few audit events of different kinds, about people, a force and a refused import."""
    from app import audit

    admin, officer = people["admin"], people["officer"]
    audit.record("user.create", actor=admin, target=officer)
    audit.record("user.update", actor=admin, target=officer, role="officer", name="Person 0")
    audit.record("force.headcount", actor=admin, target=officer.force, old=100, new=120)
    audit.record("users.import_refused", actor=admin, problems=3)
    audit.record("content.sync", target_type="content", target_id="all", created=2)
    database.session.commit()


def test_admin_users(client, login_as, people, pseudo_welsh):
    assert_all_translated(client, login_as, people, "admin", "/admin/users")
    assert_all_translated(client, login_as, people, "admin", "/admin/users?q=Person")


def test_admin_user_new(client, login_as, people, pseudo_welsh):
    assert_all_translated(client, login_as, people, "admin", "/admin/users/new")


def test_admin_user_new_with_errors(client, login_as, people, pseudo_welsh):
    login_as(people["admin"])
    response = client.post("/admin/users/new", data={"name": "", "email": "", "role": "officer"})
    html = response.get_data(as_text=True)
    assert "govuk-error-summary" in html
    left = english_left(html, data_values(people))
    assert not left, "English left:\n" + "\n".join(left)


@pytest.mark.usefixtures("audit_events")
def test_admin_user_page(client, login_as, people, pseudo_welsh):
    officer = people["officer"]
    url = f"/admin/users/{officer.id}"
    assert_all_translated(client, login_as, people, "admin", url, *WELSH_DATES)


def test_admin_import(client, login_as, people, pseudo_welsh):
    assert_all_translated(client, login_as, people, "admin", "/admin/users/import")


# Rows each refused for another reason: the row problems (app.messages) are translated on the page.
BAD_ROWS = (
    "Ann Test,not-an-email,1,nosuch,Team A,\n"
    ",bo@example.police.uk,2,nosuch,Team A,\n"
    "Cai Test,cai@example.police.uk,3,nosuch,Team A,Police staffer\n"
    "Dai Test,dai@example.police.uk,4,nosuch,Team A,\n"
    "Dai Test,dai@example.police.uk,5,nosuch,Team A,\n"
    "Eli Test,eli@example.police.uk,6,nosuch\n"
)


@pytest.mark.parametrize(
    ("csv", "data"),
    [
        (
            "name,email,service_number,force_code,team,workforce_type\n" + BAD_ROWS,
            (
                "not-an-email",
                "'not-an-email'",
                "name",
                "'nosuch'",
                "'Police staffer'",
                "police_officer",
                "special_constable",
                "pcso",
                "police_staff",
            ),
        ),
        (
            "name,email,service_number,force_code,team\nAnn Test,ann@example.police.uk,1,nosuch,A\n",
            ("'nosuch'",),
        ),
        (
            "name,email\nAnn Test,ann@example.police.uk\n",
            ("service_number", "force_code", "team", "name", "email"),
        ),
        ("name,email,service_number,force_code,team\n", ()),
    ],
    ids=["row problems", "unknown force", "missing columns", "no officers"],
)
def test_admin_import_with_a_bad_file(client, login_as, people, pseudo_welsh, csv, data):
    login_as(people["admin"])
    response = client.post(
        "/admin/users/import",
        data={"file": (io.BytesIO(csv.encode()), "officers.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "govuk-error-summary" in html
    left = english_left(html, data_values(people, *data))
    assert not left, "English left:\n" + "\n".join(left)


@pytest.mark.usefixtures("audit_events")
def test_admin_audit_log(client, login_as, people, pseudo_welsh):
    code = people["officer"].force.code
    assert_all_translated(
        client, login_as, people, "admin", "/admin/audit", code, "all", "officer", *WELSH_DATES
    )
    assert_all_translated(
        client, login_as, people, "admin", "/admin/audit?action=user.create", code, *WELSH_DATES
    )


def test_admin_sso_settings(client, login_as, people, pseudo_welsh):
    code = people["officer"].force.code
    example = "https://login.microsoftonline.com/<tenant ID>/v2.0"
    url = f"/admin/forces/{code}/sign-in"
    assert_all_translated(
        client, login_as, people, "admin", url, example, "http://localhost/sign-in/sso/callback"
    )


def test_admin_content(app, client, login_as, people, database, pseudo_welsh):
    from app.content.models import Course, Module
    from app.content.routes import _content_dir
    from tests.factories import make_course

    make_course(n_modules=2, title="Test course")
    slugs = [
        *database.session.scalars(database.select(Course.slug)),
        *database.session.scalars(database.select(Module.slug)),
    ]
    with app.test_request_context():
        folder = str(_content_dir())
    assert_all_translated(client, login_as, people, "admin", "/admin/content", folder, *slugs, *WELSH_DATES)


# ---- Certificates, provisioning (SCIM), Learning Record Stores and API clients ------------------

LRS_URL = "https://lrs.example.police.uk/"
DOCS = "docs/integration.md"
# What the LRS page names: the LRS as saved and the example address, the command that sends now.
LRS_DATA = (LRS_URL, LRS_URL.rstrip("/"), "/xAPI/statements", "flask xapi send", DOCS)


@pytest.fixture
def certificates(people, database):
    """Two certificates of the officer: one valid, one revoked by the admin."""
    from app.clock import utcnow
    from tests.factories import make_course
    from tests.integration.certificates.conftest import insert_certificate

    officer = people["officer"]
    course = make_course(n_modules=1, title="Test course")
    valid = insert_certificate(officer, course)
    revoked = insert_certificate(
        officer,
        course,
        cycle=2,
        revoked_at=utcnow(),
        revoked_by_id=people["admin"].id,
        revoked_reason="Issued in error",
    )
    database.session.commit()
    return valid, revoked


def _certificate_data(certificates) -> tuple[str, ...]:
    valid, _revoked = certificates
    serials = (c.serial for c in certificates)
    return (*serials, valid.course_title, valid.service_number, "Recognising the signs", "Issued in error")


def test_admin_certificates(client, login_as, people, pseudo_welsh, certificates):
    data = (*_certificate_data(certificates), *WELSH_DATES)
    assert_all_translated(client, login_as, people, "admin", "/admin/certificates", *data)
    assert_all_translated(client, login_as, people, "admin", "/admin/certificates?q=Person", *data)


def test_admin_certificate_pages(client, login_as, people, pseudo_welsh, certificates):
    data = (*_certificate_data(certificates), *WELSH_DATES)
    for certificate in certificates:
        url = f"/admin/certificates/{certificate.serial}"
        assert_all_translated(client, login_as, people, "admin", url, *data)


def test_admin_certificate_revoke_with_errors(client, login_as, people, pseudo_welsh, certificates):
    login_as(people["admin"])
    response = client.post(f"/admin/certificates/{certificates[0].serial}/revoke", data={"reason": ""})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "govuk-error-summary" in html
    left = english_left(html, data_values(people, *_certificate_data(certificates), *WELSH_DATES))
    assert not left, "English left:\n" + "\n".join(left)


def test_admin_scim_tokens(client, login_as, people, pseudo_welsh, database):
    from app.scim import tokens

    tokens.rotate(people["officer"].force, people["admin"])
    database.session.commit()
    base = "http://localhost/scim/v2/forces/<code>"
    url = "/admin/scim"
    assert_all_translated(client, login_as, people, "admin", url, base, DOCS, *WELSH_DATES)


def test_admin_scim_new_token(client, login_as, people, pseudo_welsh):
    login_as(people["admin"])
    code = people["officer"].force.code
    response = client.post(f"/admin/scim/{code}/rotate")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    secrets = re.findall(r'<code class="secret">([^<]*)</code>', html)
    left = english_left(html, data_values(people, *secrets))
    assert not left, "English left:\n" + "\n".join(left)


def test_admin_lrs(client, login_as, people, pseudo_welsh, database):
    from app.xapi import delivery

    delivery.configure(people["officer"].force, LRS_URL, "lrs-user", "lrs-secret")
    database.session.commit()
    assert_all_translated(client, login_as, people, "admin", "/admin/lrs", *LRS_DATA, "lrs-user")


def test_admin_lrs_with_errors(client, login_as, people, pseudo_welsh):
    login_as(people["admin"])
    form = {"force": "", "url": "ftp://user@lrs", "username": "", "password": ""}
    response = client.post("/admin/lrs", data=form)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "govuk-error-summary" in html
    left = english_left(html, data_values(people, "ftp://user@lrs", *LRS_DATA))
    assert not left, "English left:\n" + "\n".join(left)


def test_admin_api_clients(client, login_as, people, pseudo_welsh, database):
    from app.api import services

    admin = people["admin"]
    services.create_client(people["officer"].force, name="HR system", scope="completions:read", actor=admin)
    revoked, _secret = services.create_client(None, name="Home Office", scope="aggregates:read", actor=admin)
    services.revoke_client(revoked, actor=admin)
    database.session.commit()
    names = ("HR system", "Home Office", *database.session.scalars(database.select(ApiClient.client_id)))
    scopes = ("completions:read", "certificates:read", "aggregates:read", "/api/openapi.json", DOCS)
    assert_all_translated(
        client, login_as, people, "admin", "/admin/api-clients", *names, *scopes, *WELSH_DATES
    )


@pytest.mark.parametrize(
    ("form", "status"),
    [
        ({"force": "national", "name": "Home Office", "scope": "aggregates:read"}, 201),
        ({"force": "", "name": "", "scope": []}, 400),
        ({"force": "national", "name": "Home Office", "scope": "completions:read"}, 400),
        ({"force": "national", "name": "", "scope": "aggregates:read"}, 400),
    ],
)
def test_admin_api_client_created_or_refused(client, login_as, people, pseudo_welsh, database, form, status):
    login_as(people["admin"])
    response = client.post("/admin/api-clients", data=form)
    assert response.status_code == status
    html = response.get_data(as_text=True)
    secrets = re.findall(r'<code class="secret">([^<]*)</code>', html)
    ids = database.session.scalars(database.select(ApiClient.client_id))
    scopes = ("completions:read", "certificates:read", "aggregates:read", "/api/openapi.json", DOCS)
    left = english_left(html, data_values(people, "Home Office", *secrets, *ids, *scopes, *WELSH_DATES))
    assert not left, "English left:\n" + "\n".join(left)


# ---- A published monthly release --------------------------------------------------------------


@pytest.fixture
def published_release(app, dataset):  # noqa: F811 - the metrics data, a fixture
    """April 2025 published, then revised."""
    runner = app.test_cli_runner()
    runner.invoke(args=["metrics", "publish", "--month", "2025-04"])
    runner.invoke(args=["metrics", "publish", "--month", "2025-04", "--revise", "Correction"])


@pytest.mark.usefixtures("published_release")
@pytest.mark.parametrize("role", ["commissioner", "admin"])
@pytest.mark.parametrize("url", ["/metrics/releases/2025-04", "/metrics/releases/2025-04/1"])
def test_monthly_release(client, login_as, people, pseudo_welsh, role, url):
    from app.metrics.release_data import METHODOLOGY_VERSION

    data = (*METRICS_DATA, METHODOLOGY_VERSION, "Correction", "2025-04-01", "2025-04-30", "ALL", *WELSH_DATES)
    assert_all_translated(client, login_as, people, role, url, *data)


def _synced_content_data(database, folder) -> tuple[str, ...]:
    """What the content page shows as data after a sync: slugs, titles, question keys, hashes,
    the folder."""
    from app.content.models import Course, Lesson, Module, ModuleVersion, Question

    hashes = list(database.session.scalars(database.select(ModuleVersion.content_hash)))
    return (
        str(folder),
        *database.session.scalars(database.select(Course.slug)),
        *database.session.scalars(database.select(Course.title)),
        *database.session.scalars(database.select(Module.slug)),
        *database.session.scalars(database.select(ModuleVersion.title)),
        *database.session.scalars(database.select(Lesson.title)),
        *database.session.scalars(database.select(Question.key)),
        *hashes,
        *(h[:12] for h in hashes),
        *WELSH_DATES,
    )


def test_admin_content_sync_summary(
    app, client, login_as, people, database, pseudo_welsh, tmp_path, monkeypatch
):
    from tests.integration.content.helpers import example_tree

    root = example_tree(tmp_path, "alpha")
    monkeypatch.setitem(app.config, "CONTENT_DIR", root)
    login_as(people["admin"])
    response = client.post("/admin/content/sync", follow_redirects=True)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "govuk-notification-banner--success" in html
    left = english_left(html, data_values(people, *_synced_content_data(database, root)))
    assert not left, "English left:\n" + "\n".join(left)


@pytest.mark.parametrize("broken", [True, False], ids=["problems", "review warnings"])
def test_admin_content_check(
    app, client, login_as, people, database, pseudo_welsh, tmp_path, monkeypatch, broken
):
    from app.content.reviews import review_warnings
    from app.content.validation import check_tree, load_tree
    from tests.integration.content.helpers import edit, example_tree

    root = example_tree(tmp_path, "alpha")
    module = root / "modules" / "alpha"
    if broken:
        edit(module / "module.md", "estimated_minutes: 10", "estimated_minutes: 0")
        edit(module / "module.md", "quiz:\n", "quiz:\n  colour: blue\n")
        edit(
            module / "01-first-contact.md",
            "## Speak to the person alone",
            "## Speak\n\n[here](#x)\n\n#### Deep",
        )
        (module / "quiz.md").write_text((module / "quiz.md").read_text() + "\n## Bad Key\n\ntype: odd\n")
    monkeypatch.setitem(app.config, "CONTENT_DIR", root)
    found = check_tree(root) or review_warnings(load_tree(root), root, today())
    assert found
    login_as(people["admin"])
    response = client.get("/admin/content/check")
    html = response.get_data(as_text=True)
    places = {f"{p.path}:{p.line}" for p in found}
    left = english_left(html, data_values(people, str(root), *places, *WELSH_DATES))
    assert not left, "English left:\n" + "\n".join(left)
