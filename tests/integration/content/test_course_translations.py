"""A course's Welsh title, audience and description (content/cy/courses.yml): stored at sync
without giving the course a new version, shown to Welsh readers wherever the course is named
(marked as a draft), the English again once the English changes; the Welsh certificate prints it."""

import pytest

from app.content import localised
from app.content.entry_translations import COURSES, english_hash
from app.content.models import Course, CourseTranslation
from app.extensions import db
from tests.factories import UserFactory
from tests.integration.certificates.conftest import complete, pdf_text
from tests.integration.content.helpers import edit, sync
from tests.unit.content.conftest import add_module

ENGLISH = {"title": "Spotting it", "audience": "Frontline officers", "description": "What to look for."}
WELSH = {"title": "Ei adnabod", "audience": "Swyddogion rheng flaen", "description": "Beth i chwilio amdano."}


@pytest.fixture
def root(tmp_path):
    root = tmp_path / "content"
    (root / "modules").mkdir(parents=True)
    add_module(root, "good")
    (root / "courses.yml").write_text(
        "courses:\n  - slug: spotting\n"
        + "".join(f"    {key}: {value}\n" for key, value in ENGLISH.items())
        + "    modules: [good]\n"
    )
    return root


def _translate(root, source_hash=None):
    (root / "cy").mkdir(exist_ok=True)
    (root / "cy" / "courses.yml").write_text(
        "translation: machine-drafted\ncourses:\n  - slug: spotting\n"
        f"    source_hash: {source_hash or english_hash(COURSES, ENGLISH)}\n"
        + "".join(f"    {key}: {value}\n" for key, value in WELSH.items())
    )


def _course():
    return db.session.scalar(db.select(Course).where(Course.slug == "spotting"))


def test_a_translation_is_stored_and_gives_the_course_no_new_version(database, root):
    sync(root)
    before = (_course().version, _course().content_hash)
    _translate(root)
    summary = sync(root)
    assert summary.courses_unchanged == ["spotting"]
    assert summary.translations_synced == ["course spotting (cy)"]
    assert (_course().version, _course().content_hash) == before
    [row] = db.session.scalars(db.select(CourseTranslation))
    assert (row.language, row.title, row.audience, row.description) == ("cy", *WELSH.values())
    assert row.machine_drafted
    assert not row.out_of_date
    assert sync(root).translations_synced == []  # unchanged: nothing written


def test_welsh_readers_get_the_welsh_english_readers_the_english(app, database, root):
    _translate(root)
    sync(root)
    with app.test_request_context():
        for key in ENGLISH:
            text = localised.course_text(ENGLISH[key], "cy")
            assert (text, text.language, text.machine_drafted) == (WELSH[key], "cy", True)
        assert localised.course_text(ENGLISH["title"], "en") == ENGLISH["title"]
        assert localised.course_text("Another course", "cy") == "Another course"


def test_the_english_changing_shows_the_english_until_the_welsh_catches_up(app, database, root):
    _translate(root)
    sync(root)
    edit(root / "courses.yml", "What to look for.", "What to look for, and where.")
    assert sync(root).translations_synced == ["course spotting (cy)"]
    [row] = db.session.scalars(db.select(CourseTranslation))
    assert row.out_of_date
    with app.test_request_context():
        assert localised.course_text(ENGLISH["title"], "cy") == ENGLISH["title"]
        assert not hasattr(localised.course_text(ENGLISH["title"], "cy"), "language")
    changed = {**ENGLISH, "description": "What to look for, and where."}
    _translate(root, english_hash(COURSES, changed))
    sync(root)
    db.session.refresh(row)
    assert not row.out_of_date


def test_a_removed_translation_is_removed(database, root):
    _translate(root)
    sync(root)
    (root / "cy" / "courses.yml").unlink()
    assert sync(root).translations_synced == ["course spotting (cy, removed)"]
    assert db.session.scalars(db.select(CourseTranslation)).all() == []


@pytest.fixture
def welsh_reader(database):
    return UserFactory(role="officer", language="cy")


def test_the_course_pages_show_the_welsh_marked_as_a_draft(
    app, database, root, client, login_as, welsh_reader
):
    _translate(root)
    sync(root)
    login_as(welsh_reader)
    for url in ("/courses", "/courses/spotting"):
        html = client.get(url).get_data(as_text=True)
        assert '<html lang="cy"' in html
        assert WELSH["title"] in html, url
        assert WELSH["description"] in html, url
        assert f'<span lang="en">{ENGLISH["title"]}</span>' not in html
        assert ENGLISH["description"] not in html
        assert "Drafft yw" in html, url  # the draft notice, in Welsh
    assert f"<title>{WELSH['title']}" in client.get("/courses/spotting").get_data(as_text=True)
    page = client.get("/modules/good").get_data(as_text=True)  # the course in the breadcrumbs
    assert WELSH["title"] in page
    welsh_reader.language = "en"
    db.session.commit()
    html = client.get("/courses/spotting").get_data(as_text=True)
    assert ENGLISH["title"] in html
    assert WELSH["title"] not in html


def test_an_out_of_date_course_is_english_with_the_notice(
    app, database, root, client, login_as, welsh_reader
):
    _translate(root, "0123456789abcdef")
    sync(root)
    login_as(welsh_reader)
    html = client.get("/courses/spotting").get_data(as_text=True)
    assert f'<span lang="en">{ENGLISH["title"]}</span>' in html
    assert WELSH["title"] not in html
    assert "cwrs hwn yn Gymraeg eto" in html


def test_a_welsh_certificate_prints_the_welsh_course_title(database, client, login_as, welsh_reader):
    from tests.factories import make_course

    course = make_course(n_modules=1, title=ENGLISH["title"])
    db.session.add(
        CourseTranslation(course_id=course.id, language="cy", title=WELSH["title"], source_hash="0" * 16)
    )
    [certificate] = complete(welsh_reader, course, percents=[90.0])
    login_as(welsh_reader)
    _, welsh = pdf_text(client.get(f"/certificates/{certificate.serial}/pdf?language=cy").data)
    assert WELSH["title"] in welsh
    assert ENGLISH["title"] not in welsh
    _, both = pdf_text(client.get(f"/certificates/{certificate.serial}/pdf?language=both").data)
    assert WELSH["title"] in both
    assert ENGLISH["title"] in both
    _, english = pdf_text(client.get(f"/certificates/{certificate.serial}/pdf?language=en").data)
    assert ENGLISH["title"] in english
    assert WELSH["title"] not in english
    mine = client.get("/certificates").get_data(as_text=True)
    assert WELSH["title"] in mine
