"""Officer course delivery: catalogue, course, module and lesson pages; access and 404s."""

import re

import pytest

from app.content.models import Module
from app.extensions import db
from app.web import GOVUK_FRONTEND_VERSION
from tests.factories import (
    CourseFactory,
    CourseModuleFactory,
    LessonFactory,
    ModuleVersionFactory,
    UserFactory,
    make_course,
)


@pytest.fixture
def officer(login_as):
    return login_as(UserFactory(role="officer"))


def _module(course) -> Module:
    return course.modules[0]


def test_catalogue_lists_published_courses_only(database, client, officer):
    shown = make_course(n_modules=1, title="Spotting course")
    make_course(n_modules=1, title="Hidden course", published=False)
    page = client.get("/courses").get_data(as_text=True)
    assert "Spotting course" in page
    assert "Hidden course" not in page
    assert f'href="/courses/{shown.slug}"' in page


def test_course_page_lists_modules_in_order_with_time(database, client, officer):
    course = make_course(n_modules=2)
    page = client.get(f"/courses/{course.slug}").get_data(as_text=True)
    first, second = (m.current_version.title for m in course.modules)
    assert page.index(first) < page.index(second)
    assert "About 20 minutes" in page
    assert "Not started" in page


def test_module_page_shows_objectives_lessons_sources_and_quiz_link(database, client, officer):
    course = make_course(n_modules=1, lessons=3)
    module = _module(course)
    page = client.get(f"/modules/{module.slug}").get_data(as_text=True)
    assert "Spot the signs" in page
    assert "Modern Slavery Act 2015" in page
    assert f'href="/modules/{module.slug}/quiz"' in page
    for lesson in module.current_version.lessons:
        assert lesson.title in page
    assert "Start reading" in page


def test_lesson_page_has_title_progress_navigation_and_html(database, client, officer):
    course = make_course(n_modules=1, lessons=3)
    module = _module(course)
    version = module.current_version
    lessons = version.lessons
    page = client.get(f"/modules/{module.slug}/lessons/2").get_data(as_text=True)
    assert f"<title>{lessons[1].title} – {version.title} – Modern Slavery Training</title>" in page
    assert "Lesson 2 of 3" in page
    assert 'max="3" value="2"' in page
    assert f'href="/modules/{module.slug}/lessons/1" rel="prev"' in page
    assert f'href="/modules/{module.slug}/lessons/3" rel="next"' in page
    assert "<p>Lesson text.</p>" in page
    last = client.get(f"/modules/{module.slug}/lessons/3").get_data(as_text=True)
    assert "Take the quiz" in last
    assert 'rel="next"' not in last


def test_content_warning_comes_before_the_text_with_support(database, client, officer):
    version = ModuleVersionFactory()
    LessonFactory(
        module_version=version,
        number=1,
        html="<p>CASE MATERIAL</p>",
        content_warning="This lesson describes sexual exploitation.",
    )
    LessonFactory(module_version=version, number=2, html="<p>NEXT</p>")
    slug = version.module.slug
    # First a page of its own: the warning, continue or skip, and support; not the material.
    gate = client.get(f"/modules/{slug}/lessons/1").get_data(as_text=True)
    assert "This lesson describes sexual exploitation." in gate
    assert "CASE MATERIAL" not in gate
    continue_link = rf'href="/modules/{slug}/lessons/1\?warning=seen"[^>]*>\s*Continue to the lesson\s*</a>'
    assert re.search(continue_link, gate)
    assert re.search(rf'href="/modules/{slug}/lessons/2"[^>]*>\s*Skip this lesson for now\s*</a>', gate)
    # Wellbeing support (configurable) apart from the route for reporting.
    support = gate.split('id="support-title"')[1].split('id="report-title"')[0]
    assert "Police Care UK" in support
    assert "National Police Wellbeing Service (Oscar Kilo)" in support
    assert "occupational health or wellbeing service" in support
    assert "08000 121 700" not in support
    assert "08000 121 700" in gate.split('id="report-title"')[1]
    page = client.get(f"/modules/{slug}/lessons/1?warning=seen").get_data(as_text=True)
    assert page.index("This lesson describes sexual exploitation.") < page.index("CASE MATERIAL")
    assert "Police Care UK" in page


def test_wellbeing_support_is_configurable(app, database, client, officer, monkeypatch):
    version = ModuleVersionFactory()
    LessonFactory(module_version=version, number=1, html="<p>X</p>", content_warning="Distressing.")
    monkeypatch.setitem(
        app.config,
        "WELLBEING_SUPPORT",
        [{"name": "Kent Occupational Health", "url": "https://oh.example.police.uk/", "text": "Call us."}],
    )
    gate = client.get(f"/modules/{version.module.slug}/lessons/1").get_data(as_text=True)
    assert (
        '<a class="govuk-link" href="https://oh.example.police.uk/" rel="noopener">'
        "Kent Occupational Health</a>: Call us." in gate
    )
    assert "Police Care UK" not in gate


def test_the_last_lesson_read_leads_to_the_quiz(database, client, officer):
    version = ModuleVersionFactory()
    LessonFactory(module_version=version, number=1, html="<p>Only</p>")
    page = client.get(f"/modules/{version.module.slug}/lessons/1").get_data(as_text=True)
    assert "Mark as read and go to the quiz" in page
    response = client.post(f"/modules/{version.module.slug}/lessons/1/read")
    assert response.headers["Location"].endswith(f"/modules/{version.module.slug}/quiz")
    assert client.post(f"/modules/{version.module.slug}/lessons/9/read").status_code == 404


def test_lesson_pages_do_no_markdown_work(database, client, officer, monkeypatch):
    from markdown_it import MarkdownIt

    def refuse(*args, **kwargs):
        raise AssertionError("Markdown parsed during a request")

    monkeypatch.setattr(MarkdownIt, "parse", refuse)
    monkeypatch.setattr(MarkdownIt, "render", refuse)
    course = make_course(n_modules=1, lessons=2)
    assert client.get(f"/modules/{_module(course).slug}/lessons/1").status_code == 200
    assert client.get(f"/modules/{_module(course).slug}").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/modules/{slug}",
        "/modules/{slug}/lessons/1",
        "/modules/nope",
        "/modules/nope/lessons/1",
        "/modules/{slug}/lessons/99",
        "/courses/nope",
        "/courses/{course}",
    ],
)
def test_officers_get_404_for_unpublished_or_missing(database, client, officer, url):
    course = make_course(n_modules=1, published=False)
    module = _module(course)
    module.published = False
    db.session.flush()
    assert client.get(url.format(slug=module.slug, course=course.slug)).status_code == 404


def test_admins_can_check_unpublished_content(database, client, login_as):
    course = make_course(n_modules=1, published=False)
    module = _module(course)
    module.published = False
    db.session.flush()
    login_as(UserFactory(role="admin", force=None))
    page = client.get(f"/modules/{module.slug}/lessons/1")
    assert page.status_code == 200
    assert b"not published" in page.data
    assert client.get(f"/courses/{course.slug}").status_code == 200


def test_leads_read_and_commissioners_are_refused(database, client, login_as):
    course = make_course(n_modules=1)
    login_as(UserFactory(role="training_lead"))
    assert client.get(f"/modules/{_module(course).slug}/lessons/1").status_code == 200
    login_as(UserFactory(role="commissioner", force=None))
    assert client.get(f"/modules/{_module(course).slug}/lessons/1").status_code == 403
    assert client.get("/courses").status_code == 403


def test_unpublished_module_is_left_out_of_a_course_page(database, client, officer):
    course = CourseFactory()
    shown = ModuleVersionFactory(title="Visible module")
    hidden = ModuleVersionFactory(title="Hidden module")
    hidden.module.published = False
    CourseModuleFactory(course=course, module=shown.module, position=0)
    CourseModuleFactory(course=course, module=hidden.module, position=1)
    page = client.get(f"/courses/{course.slug}").get_data(as_text=True)
    assert "Visible module" in page
    assert "Hidden module" not in page


def test_pages_carry_no_inline_style_or_script(database, client, officer):
    course = make_course(n_modules=1, lessons=2)
    for url in (
        "/courses",
        f"/courses/{course.slug}",
        f"/modules/{_module(course).slug}",
        f"/modules/{_module(course).slug}/lessons/1",
    ):
        page = client.get(url).get_data(as_text=True)
        assert "style=" not in page
        # Scripts only as files from /static (the CSP allows no inline code).
        assert re.findall(r"<script[^>]*>", page) == [
            '<script src="/static/js/govuk-frontend-supported.js">',
            '<script src="/static/js/session-timeout.js" defer>',
            '<script src="/static/js/table-scroller.js" defer>',
            f'<script type="module" src="/static/govuk/init-{GOVUK_FRONTEND_VERSION}.js">',
        ]
        assert "<style" not in page


def test_lesson_page_says_how_long_it_takes_to_read(database, client, officer):
    version = ModuleVersionFactory()
    LessonFactory(module_version=version, number=1, html="<p>" + "word " * 450 + "</p>")
    LessonFactory(module_version=version, number=2, html="<p>Short.</p>")
    slug = version.module.slug
    assert "About 3 minutes to read" in client.get(f"/modules/{slug}/lessons/1").get_data(as_text=True)
    assert "About 1 minute to read" in client.get(f"/modules/{slug}/lessons/2").get_data(as_text=True)
