"""Messages written by pure modules (app.messages), in the real Welsh catalogue: a refused officer
import's row problems, the admin user form's email check and a content sync's summary read in
Welsh on a Welsh page, and stay English on the command line (tests/integration/auth/test_import.py,
tests/integration/content/test_cli.py)."""

import html
import io

import pytest

from app.content.reviews import REVIEW_MONTHS
from tests.factories import ForceFactory, UserFactory
from tests.integration.content.helpers import example_tree

HEADER = "name,email,service_number,force_code,team\n"


@pytest.fixture
def welsh_admin(login_as, database):
    return login_as(UserFactory(role="admin", force=None, language="cy"))


def _upload(client, text: str):
    return client.post(
        "/admin/users/import",
        data={"file": (io.BytesIO(text.encode()), "officers.csv")},
        content_type="multipart/form-data",
    )


@pytest.mark.usefixtures("welsh_admin")
def test_a_refused_import_lists_its_row_problems_in_welsh(client):
    ForceFactory(code="gwent", name="Heddlu Gwent")
    UserFactory(email="taken@police.uk")
    rows = (
        "Ann Test,not-an-email,1,gwent,Tîm A\n"
        ",bo@police.uk,2,gwent,Tîm A\n"
        "Cai Test,cai@police.uk,3,nosuch,Tîm A\n"
        "Dai Test,taken@police.uk,4,gwent,Tîm A\n"
        "Eli Test,eli@police.uk\n"
    )
    response = _upload(client, HEADER + rows)
    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    assert '<html lang="cy"' in page
    assert "Llinell 2: nid yw 'not-an-email' yn gyfeiriad e-bost dilys." in page
    assert "Llinell 3: mae'r golofn name yn wag." in page
    assert "Llinell 4: cod heddlu anhysbys 'nosuch'." in page
    assert "Llinell 5: mae defnyddiwr â'r cyfeiriad e-bost taken@police.uk yn bodoli eisoes." in page
    assert "Llinell 6: roedd disgwyl 5 gwerth, cafwyd 2." in page
    assert "not a valid email address" not in page
    summary = page.split('class="govuk-error-summary__body"')[1].split("</ul>")[0]
    assert 'lang="en"' not in summary


@pytest.mark.usefixtures("welsh_admin")
def test_a_file_without_the_columns_is_refused_in_welsh(client):
    response = _upload(client, "name,email\nAnn,ann@police.uk\n")
    page = html.unescape(response.get_data(as_text=True))
    assert (
        "Llinell 1: Colofn(au) ar goll: service_number, force_code, team. Rhaid i'r rhes pennawd "
        "enwi: name, email, service_number, force_code, team." in page
    )


def test_the_same_file_is_refused_in_english_for_an_english_admin(client, login_as, database):
    login_as(UserFactory(role="admin", force=None, language="en"))
    response = _upload(client, HEADER + "Ann Test,not-an-email,1,gwent,Tîm A\n")
    page = html.unescape(response.get_data(as_text=True))
    assert "Line 2: 'not-an-email' is not a valid email address." in page


@pytest.mark.usefixtures("welsh_admin")
def test_the_admin_user_form_refuses_an_email_in_welsh(client):
    form = {"name": "Ann Test", "email": "ann@exämple.police.uk", "role": "commissioner"}
    page = html.unescape(client.post("/admin/users/new", data=form).get_data(as_text=True))
    assert "Mae 'ann@exämple.police.uk' yn cynnwys 'ä' (LATIN SMALL LETTER A WITH DIAERESIS)" in page


@pytest.mark.usefixtures("welsh_admin")
def test_the_sync_summary_is_in_welsh(app, client, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "CONTENT_DIR", example_tree(tmp_path, "alpha"))
    response = client.post("/admin/content/sync", follow_redirects=True)
    assert response.status_code == 200
    page = html.unescape(response.get_data(as_text=True))
    assert (
        "Wedi cysoni'r cynnwys. Modiwlau: 1 wedi'u hychwanegu, 0 wedi newid, 0 heb newid, "
        "0 heb eu cyhoeddi mwyach. Cyrsiau: 1 wedi'u hychwanegu" in page
    )
    assert "Modules: 1 added" not in page


def _broken_tree(tmp_path):
    """The example module with three mistakes: a zero estimate, vague link text and an unknown
    setting under 'quiz' (a problem whose place, "in 'quiz'", is a message of its own)."""
    from tests.integration.content.helpers import edit

    root = example_tree(tmp_path, "alpha")
    module = root / "modules" / "alpha"
    edit(module / "module.md", "estimated_minutes: 10", "estimated_minutes: 0")
    edit(module / "module.md", "quiz:\n", "quiz:\n  colour: blue\n")
    edit(
        module / "01-first-contact.md",
        "## Speak to the person alone",
        "## Speak to the person alone\n\n[here](#x)",
    )
    return root


@pytest.mark.usefixtures("welsh_admin")
def test_the_content_check_lists_its_problems_in_welsh(app, client, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "CONTENT_DIR", _broken_tree(tmp_path))
    page = html.unescape(client.get("/admin/content/check").get_data(as_text=True))
    problems = page[page.index('id="problems-title"') : page.index('id="modules"')]
    assert (
        "<code>content/modules/alpha/module.md:4</code> rhaid i 'estimated_minutes' fod yn 1 o leiaf"
        in problems
    )
    assert "allwedd anhysbys 'colour' yn 'quiz' (caniateir: " in problems
    assert "nid yw testun y ddolen 'here' yn dweud i ble mae'r ddolen yn mynd" in problems
    assert "dolen wedi torri: nid oes pennawd '#x' yma" in problems
    assert 'lang="en"' not in problems
    assert "must be at least" not in problems


@pytest.mark.usefixtures("welsh_admin")
def test_review_warnings_are_in_welsh_with_a_welsh_date(app, client, tmp_path, monkeypatch):
    root = example_tree(tmp_path, "alpha")
    lesson = root / "modules" / "alpha" / "01-first-contact.md"
    lesson.write_text(lesson.read_text().replace("---\n\n", "reviewed_on: 2019-05-01\n---\n\n", 1))
    monkeypatch.setitem(app.config, "CONTENT_DIR", root)
    page = html.unescape(client.get("/admin/content/check").get_data(as_text=True))
    assert f"adolygwyd ddiwethaf ar 1 Mai 2019, dros {REVIEW_MONTHS} mis yn ôl" in page
    assert "last reviewed on" not in page
