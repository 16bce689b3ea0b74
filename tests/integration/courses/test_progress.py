"""Reading progress: recorded idempotently per user and version, shown on every page."""

import re
from datetime import timedelta

import pytest

from app import clock
from app.assessments.models import Attempt, ModuleResult
from app.courses.models import LessonProgress
from app.courses.queries import continue_reading
from app.extensions import db
from tests.factories import LessonFactory, ModuleVersionFactory, UserFactory, make_course


@pytest.fixture
def officer(login_as):
    return login_as(UserFactory(role="officer"))


def _rows(user):
    return list(db.session.scalars(db.select(LessonProgress).where(LessonProgress.user_id == user.id)))


def test_reading_records_one_row_and_a_reread_updates_last_read(database, client, officer):
    course = make_course(n_modules=1, lessons=2)
    module = course.modules[0]
    url = f"/modules/{module.slug}/lessons/1"
    client.get(url)
    assert _rows(officer) == []  # opening a lesson is not reading it
    page = client.get(url).get_data(as_text=True)
    assert "Mark as read and continue" in page
    response = client.post(f"{url}/read")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/modules/{module.slug}/lessons/2")
    client.post(f"{url}/read")
    [row] = _rows(officer)
    assert row.module_version_id == module.current_version_id
    assert row.lesson_id == module.current_version.lessons[0].id
    first = row.first_read_at
    assert "You have read this lesson." in client.get(url).get_data(as_text=True)
    clock.travel(timedelta(minutes=5))  # beyond the 60 s touch interval
    client.post(f"{url}/read")
    db.session.expire_all()
    [row] = _rows(officer)
    assert row.first_read_at == first
    assert row.last_read_at >= first + timedelta(minutes=5)


def test_admins_reading_is_not_recorded(database, client, login_as):
    course = make_course(n_modules=1)
    admin = login_as(UserFactory(role="admin", force=None))
    page = client.get(f"/modules/{course.modules[0].slug}/lessons/1").get_data(as_text=True)
    assert "Mark as read" not in page
    assert client.post(f"/modules/{course.modules[0].slug}/lessons/1/read").status_code == 403
    assert _rows(admin) == []


def test_progress_is_per_version(database, client, officer):
    course = make_course(n_modules=1, lessons=1)
    module = course.modules[0]
    old = module.current_version
    client.post(f"/modules/{module.slug}/lessons/1/read")
    new = ModuleVersionFactory(module=module, number=2)
    LessonFactory(module_version=new, number=1, html="<p>New text.</p>")
    page = client.get(f"/modules/{module.slug}").get_data(as_text=True)
    assert "0 of 1 lesson read" in page
    pinned = client.get(f"/modules/{module.slug}?version=1").get_data(as_text=True)
    assert "1 of 1 lesson read" in pinned
    assert "version 1 of this module" in pinned
    assert f'href="/modules/{module.slug}/lessons/1?version=1"' in pinned
    client.post(f"/modules/{module.slug}/lessons/1/read?version={old.number}")
    assert {r.module_version_id for r in _rows(officer)} == {old.id}


def test_module_page_ticks_read_lessons(database, client, officer):
    course = make_course(n_modules=1, lessons=3)
    module = course.modules[0]
    client.post(f"/modules/{module.slug}/lessons/2/read")
    page = client.get(f"/modules/{module.slug}").get_data(as_text=True)
    assert page.count("lesson-list__item--read") == 1
    assert "1 of 3 lessons read" in page
    assert "Continue reading" in page


def test_course_page_statuses(database, client, officer):
    course = make_course(n_modules=3, lessons=1)
    read, attempted, passed = course.modules
    client.post(f"/modules/{read.slug}/lessons/1/read")
    db.session.add(
        Attempt(
            user_id=officer.id,
            module_id=attempted.id,
            module_version_id=attempted.current_version_id,
            number=1,
            seed=1,
            question_keys=[],
        )
    )
    db.session.add(
        ModuleResult(
            user_id=officer.id, module_id=passed.id, attempts=1, best_percent=90.0, passed_at=clock.utcnow()
        )
    )
    db.session.flush()
    page = client.get(f"/courses/{course.slug}").get_data(as_text=True)
    assert len(re.findall(r">\s*In progress\s*<", page)) == 3  # the course itself, and two modules
    assert len(re.findall(r">\s*Passed\s*<", page)) == 1
    assert "1 of 3 modules passed" in page


def test_continue_reading_suggests_the_next_unread_lesson(database, client, officer):
    first = make_course(n_modules=1, lessons=3).modules[0]
    second = make_course(n_modules=1, lessons=2).modules[0]
    assert continue_reading(officer.id) is None
    client.post(f"/modules/{first.slug}/lessons/1/read")
    item = continue_reading(officer.id)
    assert (item.module_slug, item.lesson_number, item.lessons_read) == (first.slug, 2, 1)
    assert item.url == f"/modules/{first.slug}/lessons/2"
    clock.travel(timedelta(minutes=5))
    client.post(f"/modules/{second.slug}/lessons/2/read")
    item = continue_reading(officer.id)
    assert (item.module_slug, item.lesson_number) == (second.slug, 1)  # wraps to the unread one
    page = client.get("/courses").get_data(as_text=True)
    assert "Continue where you left off" in page
    assert f"/modules/{second.slug}/lessons/1" in page
    clock.travel(timedelta(minutes=5))
    client.post(f"/modules/{second.slug}/lessons/1/read")
    assert continue_reading(officer.id) is None  # that module is all read


def test_continue_partial_renders_an_item(app, database, officer, client):
    from flask import render_template

    from app.courses.queries import ContinueItem

    item = ContinueItem("m", "Module M", 3, "Third", 3, 2, 6, 1, True)
    with app.test_request_context():
        html = render_template("courses/_continue.html", item=item)
    assert 'href="/modules/m/lessons/3"' in html
    assert "Lesson 3 of 6" in html
