"""Stored XSS and CSV formula injection: hostile values in every user-controlled field.

Hostile values go into user names, service numbers, team names, force names, headcount sources,
assignment messages, certificate holder names and revocation reasons; then every GET page of the
access matrix is opened as every role allowed on it, and no page may carry a payload as markup.
The values must come out escaped in HTML, as literal text in the certificate PDF (pypdf), and in
CSV exports with any cell a spreadsheet would run (= + - @) neutralised. Lesson content with
hostile Markdown goes through the real content sync (app.content.services.sync_folder).
"""

import csv
import io
import re
import shutil
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.assignments.models import Assignment
from app.auth.models import User
from app.certificates.models import Certificate
from app.clock import utcnow
from app.content.errors import ContentInvalid
from app.content.services import sync_folder
from app.extensions import db
from app.forces.models import Force, Team
from tests.access.rules import ROLES
from tests.factories import UserFactory
from tests.integration.certificates.conftest import insert_certificate, pdf_text
from tests.integration.content.helpers import EXAMPLE, write_courses
from tests.integration.test_access_matrix import all_routes, build_world

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
JS = "javascript:alert(1)"
# Each starts with a character a spreadsheet treats as a formula.
HOSTILE = {
    "officer_name": '=HYPERLINK("http://x.example")' + SCRIPT,
    "lead_name": "+1" + IMG,
    "service_number": "@" + JS,
    "team_name": "-1" + SCRIPT + IMG,
    "force_name": "=1+1" + IMG,
    "headcount_source": IMG + SCRIPT,
    "message": SCRIPT + IMG + JS,
    "revoked_reason": IMG + SCRIPT,
}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def assert_no_markup(body: str, where: str) -> None:
    """No payload survives as markup (escaped text is fine)."""
    assert SCRIPT not in body, f"raw <script> on {where}"
    assert "<img src=x" not in body, f"raw <img onerror> on {where}"
    assert not re.search(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", body, re.I), (
        f"javascript: URL on {where}"
    )


def assert_no_formula(text: str, where: str) -> None:
    for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))):
        for cell in row:
            assert not cell.startswith(FORMULA_START), f"formula cell {cell!r} in {where}"


def poison(world) -> None:
    """Put hostile values into every user-controlled field of the access-matrix world."""
    users = world["users"]
    users["officer"].name = HOSTILE["officer_name"]
    users["officer"].service_number = HOSTILE["service_number"]
    users["training_lead"].name = HOSTILE["lead_name"]
    world["team"].name = HOSTILE["team_name"]
    world["force"].name = HOSTILE["force_name"]
    world["force"].headcount_source = HOSTILE["headcount_source"]
    assignment = db.session.get(Assignment, world["assignment_id"])
    assignment.message = HOSTILE["message"]
    certificate = db.session.get(Certificate, world["certificate_id"])
    certificate.holder_name = HOSTILE["officer_name"]
    certificate.service_number = HOSTILE["service_number"]
    certificate.force_name = HOSTILE["force_name"]
    revoked = insert_certificate(
        users["officer"],
        holder_name=HOSTILE["officer_name"],
        revoked_at=utcnow(),
        revoked_reason=HOSTILE["revoked_reason"],
        revoked_by_id=users["admin"].id,
    )
    world["revoked_serial"] = revoked.serial
    db.session.flush()


@pytest.fixture
def poisoned(database):
    world = build_world(database)
    poison(world)
    database.session.commit()
    return world


GET_ROUTES = [r for r in all_routes() if r.method == "GET"]


@pytest.mark.parametrize("who", ROLES)
def test_no_page_renders_a_payload_as_markup(who, poisoned, client, login_as):
    login_as(poisoned["users"][who])
    seen = 0
    for route in GET_ROUTES:
        if who not in route.allowed:
            continue
        url = route.url.format(**poisoned)
        response = client.get(url)
        assert response.status_code < 500, f"{who}: {response.status_code} on {url}"
        if response.mimetype == "text/html":
            assert_no_markup(response.get_data(as_text=True), f"{url} as {who}")
            seen += 1
        elif response.mimetype == "text/csv":
            assert_no_formula(response.get_data(as_text=True), f"{url} as {who}")
    assert seen


@pytest.mark.parametrize(
    ("who", "url", "values"),
    [
        ("admin", "/admin/users/{officer_id}", ["officer_name", "service_number"]),
        ("admin", "/admin/users?q=HYPERLINK", ["officer_name"]),
        ("admin", "/forces", ["force_name", "headcount_source"]),
        ("admin", "/admin/certificates/{revoked_serial}", ["officer_name", "revoked_reason"]),
        ("admin", "/assignments/{assignment_id}", ["message", "officer_name", "team_name"]),
        ("training_lead", "/assignments/{assignment_id}", ["message", "officer_name"]),
        ("training_lead", "/teams", ["team_name"]),
        ("training_lead", "/metrics/force", ["team_name"]),
        ("training_lead", "/force/certificates", ["officer_name"]),
        ("officer", "/training", ["message"]),
        ("officer", "/certificates", []),
        ("commissioner", "/metrics/national", ["force_name"]),
        ("admin", "/admin/audit", []),
    ],
)
def test_pages_show_the_values_as_escaped_text(who, url, values, poisoned, client, login_as):
    login_as(poisoned["users"][who])
    response = client.get(url.format(**poisoned))
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert_no_markup(body, url)
    for key in values:
        escaped = (
            HOSTILE[key].replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;")
        )
        assert escaped in body, f"{key} not shown escaped on {url}"


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("officer", "/certificates"),
        ("training_lead", "/force/certificates"),
        ("admin", "/admin/certificates"),
    ],
)
def test_lists_holding_a_revoked_certificate_render(who, url, poisoned, client, login_as):
    """Regression: the download-link macro read current_user, which imported macros could not
    see, so any list holding a revoked certificate was a 500 (fixed in app/web.py)."""
    login_as(poisoned["users"][who])
    assert client.get(url).status_code == 200


def test_svg_charts_escape_team_and_force_names(poisoned, client, login_as):
    login_as(poisoned["users"]["training_lead"])
    body = client.get("/metrics/force").get_data(as_text=True)
    for svg in re.findall(r"<svg.*?</svg>", body, re.S):
        assert "<script" not in svg
        assert "<img" not in svg


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("training_lead", "/assignments/{assignment_id}/export.csv"),
        ("admin", "/assignments/{assignment_id}/export.csv"),
        ("training_lead", "/metrics/force.csv"),
        ("admin", "/metrics/national.csv"),
        ("commissioner", "/metrics/national.csv"),
    ],
)
def test_csv_exports_neutralise_formulas_and_keep_the_text(who, url, poisoned, client, login_as):
    login_as(poisoned["users"][who])
    response = client.get(url.format(**poisoned))
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert_no_formula(text, url)
    cells = [c for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for c in row]
    if "export.csv" in url:
        assert "'" + HOSTILE["officer_name"] in cells
        assert "'" + HOSTILE["service_number"] in cells
        assert "'" + HOSTILE["team_name"] in cells
    elif "force.csv" in url:
        assert "'" + HOSTILE["team_name"] in cells
    else:
        assert "'" + HOSTILE["force_name"] in cells


def test_certificate_pdf_prints_hostile_values_as_literal_text(poisoned, client, login_as):
    login_as(poisoned["users"]["officer"])
    response = client.get(f"/certificates/{poisoned['serial']}/pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    _, text = pdf_text(response.data)
    flat = re.sub(r"\s+", "", text)
    assert re.sub(r"\s+", "", HOSTILE["officer_name"]) in flat
    assert "&lt;" not in text  # printed as the characters typed, not as escapes
    assert b"/JavaScript" not in response.data
    assert b"/JS " not in response.data
    assert b"/Launch" not in response.data


def test_national_pdf_prints_force_names_as_literal_text(poisoned, client, login_as):
    login_as(poisoned["users"]["commissioner"])
    response = client.get("/metrics/national.pdf")
    assert response.status_code == 200
    _, text = pdf_text(response.data)
    assert "&lt;" not in text
    assert b"/JavaScript" not in response.data


# --- through the real forms ----------------------------------------------------------------


def test_values_typed_into_forms_are_stored_as_typed_and_shown_escaped(client, login_as, poisoned):
    """Admin creates a user and sets a headcount source; the lead creates a team and an
    assignment; the admin revokes with a reason: all via POST, then shown escaped."""
    world = poisoned
    admin, lead = world["users"]["admin"], world["users"]["training_lead"]
    login_as(admin)
    name = SCRIPT + " Smith"
    response = client.post(
        "/admin/users/new",
        data={
            "name": name,
            "email": "xss@police.uk",
            "service_number": IMG[:40],
            "role": "officer",
            "force_id": str(world["force"].id),
            "team_id": "",
        },
    )
    assert response.status_code == 302
    created = db.session.scalar(select(User).where(User.email == "xss@police.uk"))
    assert (created.name, created.service_number) == (name, IMG[:40])
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert_no_markup(page, "new user page")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Smith" in page
    assert (
        client.post(
            f"/forces/{world['force_code']}/headcount",
            data={
                "headcount": "10",
                "headcount_as_of": "",
                "headcount_source": JS + SCRIPT,
            },
        ).status_code
        == 302
    )
    assert db.session.get(Force, world["force"].id).headcount_source == JS + SCRIPT
    assert (
        client.post(f"/admin/certificates/{world['serial']}/revoke", data={"reason": SCRIPT}).status_code
        == 302
    )
    detail = client.get(f"/admin/certificates/{world['serial']}").get_data(as_text=True)
    assert_no_markup(detail, "certificate detail")
    assert "&lt;script&gt;" in detail

    login_as(lead)
    assert client.post("/teams", data={"name": IMG}).status_code == 302
    assert db.session.scalar(select(Team).where(Team.name == IMG)) is not None
    response = client.post(
        f"/assignments/new?force={world['force_code']}",
        data={
            "course_id": str(world["course_id"]),
            "scope": "force",
            "due_on": (date.today() + timedelta(days=40)).strftime("%d %m %Y").split(),
            "message": SCRIPT + JS,
        },
    )
    assert response.status_code == 302
    detail = client.get(response.headers["Location"]).get_data(as_text=True)
    assert_no_markup(detail, "assignment detail")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;javascript:alert(1)" in detail
    assert_no_markup(client.get("/teams").get_data(as_text=True), "teams")

    login_as(world["users"]["officer"])
    training = client.get("/training").get_data(as_text=True)
    assert_no_markup(training, "my training")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in training


def test_search_terms_are_reflected_escaped(poisoned, client, login_as):
    login_as(poisoned["users"]["admin"])
    for url in ("/admin/users", "/admin/certificates"):
        body = client.get(url, query_string={"q": SCRIPT}).get_data(as_text=True)
        assert_no_markup(body, url)
    login_as(poisoned["users"]["training_lead"])
    body = client.get("/force/certificates", query_string={"q": IMG}).get_data(as_text=True)
    assert_no_markup(body, "/force/certificates")


def test_verify_page_escapes_a_hostile_serial(client, database):
    body = client.get("/verify", query_string={"serial": SCRIPT}).get_data(as_text=True)
    assert_no_markup(body, "/verify")
    body = client.get("/verify/" + IMG).get_data(as_text=True)
    assert_no_markup(body, "/verify/<serial>")


def test_error_flash_with_a_hostile_value_is_escaped(poisoned, client, login_as):
    login_as(poisoned["users"]["training_lead"])
    response = client.post(
        "/assignments/new",
        data={
            "course_id": str(poisoned["course_id"]),
            "scope": "officers",
            "due_on": ["1", "1", "2099"],
            "service_numbers": "x@" + IMG.replace(" ", ""),
        },
        follow_redirects=True,
    )
    assert_no_markup(response.get_data(as_text=True), "assignment form error")


# --- content -------------------------------------------------------------------------------


def _tree(tmp_path, lesson_extra: str = "", quiz_edit=None):
    root = tmp_path / "content"
    folder = root / "modules" / "hostile"
    shutil.copytree(EXAMPLE, folder)
    lesson = folder / "01-first-contact.md"
    lesson.write_text(lesson.read_text() + "\n" + lesson_extra)
    if quiz_edit:
        quiz_edit(folder / "quiz.md")
    write_courses(root, {"hostile-course": ("hostile",)})
    return root


@pytest.mark.parametrize(
    "markdown",
    [
        SCRIPT,
        'Text <img src=x onerror="alert(1)"> here.',
        "A [link to the guidance](javascript:alert(1)).",
        "A [link to the guidance](JaVaScRiPt:alert(1)).",
        '<iframe src="https://example.com"></iframe>',
        "![A chart](file:///etc/passwd)",
        '<a href="javascript:alert(1)">the guidance</a>',
    ],
)
def test_sync_refuses_lessons_with_hostile_markdown(markdown, tmp_path, database):
    from tests.integration.content.helpers import row_counts

    before = row_counts()
    with pytest.raises(ContentInvalid):
        sync_folder(_tree(tmp_path, "\n" + markdown + "\n"))
    database.session.rollback()
    assert row_counts() == before


def test_template_syntax_in_content_is_shown_literally(tmp_path, database, client, login_as):
    """No server-side template injection: Jinja syntax in a lesson is text, not code."""
    sync_folder(_tree(tmp_path, "\nThe answer is {{ 7*7 }} and {% if true %}x{% endif %}.\n"))
    database.session.commit()
    login_as(UserFactory())
    page = client.get("/modules/hostile/lessons/1?warning=seen")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "The answer is {{ 7*7 }} and {% if true %}x{% endif %}." in body
    assert_no_markup(body, "lesson")


@pytest.mark.parametrize(
    ("who", "method", "url", "data"),
    [
        ("training_lead", "POST", "/teams", {"name": "Team\x00A"}),
        ("admin", "GET", "/admin/users?q=a%00b", None),
        ("admin", "GET", "/admin/certificates?q=%00", None),
        ("training_lead", "GET", "/force/certificates?q=%00", None),
        ("admin", "GET", "/forces/a%00b/headcount", None),
        ("admin", "POST", "/admin/certificates/{serial}/revoke", {"reason": "why\x00"}),
    ],
)
def test_nul_bytes_are_refused_not_a_500(who, method, url, data, poisoned, client, login_as):
    """PostgreSQL text cannot hold NUL: without the check these were 500s on PostgreSQL."""
    login_as(poisoned["users"][who])
    response = client.open(url.format(**poisoned), method=method, data=data)
    assert response.status_code == 400
    assert "not allowed" in response.get_data(as_text=True)
