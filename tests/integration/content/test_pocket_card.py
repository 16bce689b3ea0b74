"""The pocket card: linked from the module page, served as a one-page tagged PDF of its key points."""

import io
import re

import pytest
from pypdf import PdfReader

from app.content.pocket_card import load_pocket_card
from tests.factories import LessonFactory, ModuleVersionFactory, UserFactory
from tests.integration.content.helpers import REAL_CONTENT, edit, real_tree


@pytest.fixture
def version(database):
    """The real 'using-the-act' module (its folder in content/ holds a card), one lesson."""
    found = ModuleVersionFactory(module__slug="using-the-act", title="Using the Modern Slavery Act 2015")
    LessonFactory(module_version=found, number=1)
    database.session.flush()
    return found


def _text(pdf: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return len(reader.pages), re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))


def test_the_module_page_links_the_card(client, login_as, version):
    login_as(UserFactory(role="officer"))
    page = client.get("/modules/using-the-act").get_data(as_text=True)
    assert '<h2 class="govuk-heading-m" id="pocket-card">Pocket card</h2>' in page
    assert 'href="/modules/using-the-act/pocket-card.pdf"' in page
    assert "(checked 3 December 2026)" in page


def test_the_card_is_a_one_page_pdf_of_the_key_points(client, login_as, version):
    login_as(UserFactory(role="officer"))
    response = client.get("/modules/using-the-act/pocket-card.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == 'inline; filename="pocket-card-using-the-act.pdf"'
    pages, text = _text(response.data)
    assert pages == 1
    card = load_pocket_card(REAL_CONTENT / "modules" / "using-the-act" / "module.md").card
    for point in card.points:
        assert point in text.replace("- ", "-")
    assert "s.12: after an arrest for s.2 (not s.1)" in text
    assert "http://localhost/modules/using-the-act" in text  # PUBLIC_BASE_URL, not the request host


def test_the_card_shows_the_folder_as_it_is_now(app, client, login_as, version, tmp_path, monkeypatch):
    root = real_tree(tmp_path)
    monkeypatch.setitem(app.config, "CONTENT_DIR", root)
    edit(root / "modules" / "using-the-act" / "module.md", "start the financial", "begin the financial")
    login_as(UserFactory(role="training_lead"))
    _, text = _text(client.get("/modules/using-the-act/pocket-card.pdf").data)
    assert "begin the financial investigation early" in text


def test_a_module_without_a_card_has_no_link_and_no_pdf(client, login_as, database):
    other = ModuleVersionFactory()
    LessonFactory(module_version=other, number=1)
    database.session.flush()
    login_as(UserFactory(role="officer"))
    assert "pocket-card" not in client.get(f"/modules/{other.module.slug}").get_data(as_text=True)
    assert client.get(f"/modules/{other.module.slug}/pocket-card.pdf").status_code == 404
    assert client.get("/modules/no-such-module/pocket-card.pdf").status_code == 404


def test_a_broken_card_is_never_printed(app, client, login_as, version, tmp_path, monkeypatch):
    root = real_tree(tmp_path)
    monkeypatch.setitem(app.config, "CONTENT_DIR", root)
    edit(root / "modules" / "using-the-act" / "module.md", "reviewed_on: 2026-12-03", "reviewed_on: soon")
    login_as(UserFactory(role="officer"))
    assert client.get("/modules/using-the-act/pocket-card.pdf").status_code == 404
    assert "pocket-card" not in client.get("/modules/using-the-act").get_data(as_text=True)


def test_an_unpublished_module_card_is_for_admins_only(client, login_as, version, database):
    version.module.published = False
    database.session.flush()
    login_as(UserFactory(role="officer"))
    assert client.get("/modules/using-the-act/pocket-card.pdf").status_code == 404
    login_as(UserFactory(role="admin"))
    assert client.get("/modules/using-the-act/pocket-card.pdf").status_code == 200


def test_a_welsh_reader_gets_the_card_in_welsh(client, login_as, database):
    """The page language picks the card: the module's current Welsh version's points and the
    catalogue's words for a Welsh reader, the English for an English one."""
    found = ModuleVersionFactory(
        module__slug="victim-centred-interviewing", title="Victim-centred interviewing"
    )
    LessonFactory(module_version=found, number=1)
    database.session.flush()
    reader = UserFactory(role="officer", language="cy")
    login_as(reader)
    _, welsh = _text(client.get("/modules/victim-centred-interviewing/pocket-card.pdf").data)
    assert "CERDYN POCED" in welsh
    assert "Trawma a datgelu" in welsh
    assert "Drafft yw'r fersiwn Gymraeg hon" in welsh
    assert "Trauma and disclosure" not in welsh
    reader.language = "en"
    database.session.commit()
    _, english = _text(client.get("/modules/victim-centred-interviewing/pocket-card.pdf").data)
    assert "Trauma and disclosure" in english
    assert "Trawma a datgelu" not in english
