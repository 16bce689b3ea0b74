"""The glossary: lessons synced with links at the first use of each term, and the /glossary page."""

import re

from app.content.models import Module
from app.extensions import db
from tests.factories import UserFactory
from tests.integration.content.helpers import edit, example_tree, real_tree, sync

GLOSSARY = """\
terms:
  - id: nrm
    term: National Referral Mechanism
    abbreviation: NRM
    definition: The UK framework for identifying and supporting victims.
  - id: dtn
    term: Duty to Notify
    also: [Duty to Notify report]
    definition: The s.52 duty.
    see_also: [nrm]
"""
LINK = re.compile(r'<a href="/glossary#([\w-]+)" class="glossary-term" title="([^"]*)">(.*?)</a>', re.S)


def _lessons(slug: str) -> dict[int, str]:
    version = db.session.scalar(db.select(Module).where(Module.slug == slug)).current_version
    return {lesson.number: lesson.html for lesson in version.lessons}


def test_sync_links_the_first_use_of_each_term_in_each_lesson(database, tmp_path):
    root = example_tree(tmp_path, "alpha")
    (root / "glossary.yml").write_text(GLOSSARY)
    sync(root)
    second = _lessons("alpha")[2]
    assert LINK.findall(second) == [
        ("nrm", "Glossary: National Referral Mechanism (NRM)", "National Referral Mechanism"),
        ("dtn", "Glossary: Duty to Notify", "Duty to Notify report"),
    ]
    assert "(NRM); no consent" in second  # the second use stays plain text
    assert "glossary" not in _lessons("alpha")[1]  # lesson 1 uses no term


def test_a_glossary_change_moves_nobody_and_a_new_term_is_linked_from_the_next_version(database, tmp_path):
    root = example_tree(tmp_path, "alpha")
    (root / "glossary.yml").write_text(GLOSSARY)
    sync(root)
    edit(root / "glossary.yml", "The s.52 duty.", "The duty in s.52 of the Modern Slavery Act 2015.")
    assert sync(root).modules_unchanged == ["alpha"]
    with (root / "glossary.yml").open("a") as file:
        file.write("  - id: interpreter\n    term: Professional interpreter\n    definition: I.\n")
    assert sync(root).modules_unchanged == ["alpha"]  # nobody mid-course is moved
    assert "professional interpreter" not in [m[2] for m in LINK.findall(_lessons("alpha")[1])]
    lesson = next((root / "modules" / "alpha").glob("01-*.md"))
    lesson.write_text(lesson.read_text() + "\nA new paragraph.\n")
    assert sync(root).modules_changed == ["alpha"]  # the next version gets the new term's link
    assert LINK.findall(_lessons("alpha")[1])[0][2] == "professional interpreter"


def test_every_link_in_the_real_lessons_lands_on_an_entry_of_the_glossary_page(
    app, database, client, login_as, tmp_path, monkeypatch
):
    root = real_tree(tmp_path)
    monkeypatch.setitem(app.config, "CONTENT_DIR", root)
    sync(root)
    login_as(UserFactory(role="officer"))
    page = client.get("/glossary").get_data(as_text=True)
    anchors = set(re.findall(r'<dt id="([\w-]+)">', page))
    linked = set()
    for slug in ("spotting-the-signs", "using-the-act", "victim-centred-interviewing"):
        for number, html in _lessons(slug).items():
            found = [anchor for anchor, _, _ in LINK.findall(html)]
            assert len(found) == len(set(found)), f"{slug} lesson {number} links a term twice"
            assert not re.search(r"<h[1-6][^>]*>[^<]*<a href=\"/glossary", html)
            linked |= set(found)
    assert linked <= anchors
    nrm = _lessons("using-the-act")[6]
    assert nrm.count('href="/glossary#nrm"') == 1
    assert LINK.search(nrm).group(3) == "National Referral Mechanism"


def test_the_lesson_page_shows_the_link(app, database, client, login_as, tmp_path, monkeypatch):
    root = example_tree(tmp_path, "alpha")
    (root / "glossary.yml").write_text(GLOSSARY)
    monkeypatch.setitem(app.config, "CONTENT_DIR", root)
    sync(root)
    login_as(UserFactory(role="officer"))
    page = client.get("/modules/alpha/lessons/2").get_data(as_text=True)
    assert (
        '<a href="/glossary#nrm" class="glossary-term" '
        'title="Glossary: National Referral Mechanism (NRM)">National Referral Mechanism</a>' in page
    )


def test_the_glossary_page_lists_terms_a_to_z_with_anchors_and_definitions(
    app, database, client, login_as, tmp_path, monkeypatch
):
    root = tmp_path / "content"
    root.mkdir()
    (root / "glossary.yml").write_text(GLOSSARY)
    monkeypatch.setitem(app.config, "CONTENT_DIR", root)
    login_as(UserFactory(role="officer"))
    response = client.get("/glossary")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.findall(r'<dt id="([\w-]+)">', page) == ["dtn", "nrm"]  # by term, not file order
    assert '<dt id="nrm"><dfn>National Referral Mechanism</dfn> (NRM)</dt>' in page
    assert "The UK framework for identifying and supporting victims." in page
    see_also = 'See also:\n        <a class="govuk-link" href="#nrm">National Referral Mechanism (NRM)</a>'
    assert see_also in page
    assert 'class="govuk-service-navigation__link" href="/glossary"' in page  # in the navigation


def test_the_real_glossary_page_links_definitions_to_their_lessons(app, client, login_as, database):
    login_as(UserFactory(role="training_lead"))
    page = client.get("/glossary").get_data(as_text=True)
    assert '<dt id="rg-decision"><dfn>Reasonable grounds decision</dfn> (RG)</dt>' in page
    assert 'href="/modules/using-the-act/lessons/6#reasonable-grounds-rg"' in page
    assert "08000 121 700" in page


def test_a_broken_glossary_file_is_never_half_shown(app, database, client, login_as, tmp_path, monkeypatch):
    root = tmp_path / "content"
    root.mkdir()
    (root / "glossary.yml").write_text(GLOSSARY + "  - id: broken\n    term: Broken\n")
    monkeypatch.setitem(app.config, "CONTENT_DIR", root)
    login_as(UserFactory(role="officer"))
    response = client.get("/glossary")
    assert response.status_code == 503
    assert "National Referral Mechanism" not in response.get_data(as_text=True)


def test_no_glossary_file_gives_an_empty_page(app, database, client, login_as, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "CONTENT_DIR", tmp_path)
    login_as(UserFactory(role="admin"))
    response = client.get("/glossary")
    assert response.status_code == 200
    assert "There are no glossary entries yet." in response.get_data(as_text=True)
