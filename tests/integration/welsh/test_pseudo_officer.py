"""The officer's learning journey in the pseudo-locale: courses, lessons, the quiz, its result,
certificates, the glossary, a law update and the error page, every string through the catalogue.

The data is realistic enough that lists, tables, tags and banners render: a course of two modules
(one with a content warning and a limited, cooled-down quiz), a passed and a failed attempt, a
valid, an expiring and a revoked certificate. English content (titles, lesson text, quiz text) is
marked lang="en" on the page, so only the page <title> needs the titles as known data.
"""

import shutil
from datetime import timedelta

import pytest

from app.clock import today, utcnow
from app.extensions import db
from app.law_updates.models import LawUpdate
from tests.factories import CourseModuleFactory, LessonFactory, make_course
from tests.integration.assessments.conftest import ALL_RIGHT, ALL_WRONG, form_data, make_quiz
from tests.integration.certificates.conftest import insert_certificate
from tests.integration.content.helpers import example_tree, real_tree, sync
from tests.integration.law_updates.helpers import CHANGE_A, certificate, mark_law_change
from tests.integration.welsh.conftest import assert_all_translated, data_values
from tests.support import pseudo

# Dates and times are data: their Welsh comes from app.formatting (CLDR), not the catalogue.
WELSH_MONTHS = {
    "Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin",
    "Gorffennaf", "Awst", "Medi", "Hydref", "Tachwedd", "Rhagfyr",
    "(amser y DU)", "yb", "yp",
}  # fmt: skip


@pytest.fixture
def journey(people, client, login_as):
    """A course whose first module has lessons (one behind a content warning) and a quiz with
    limits, some reading done, and a certificate or three."""
    officer = people["officer"]
    course = make_course(n_modules=1, lessons=2, title="Spotting the signs")
    version = make_quiz(pass_mark=80, attempts_allowed=3, cooldown_minutes=0)
    version.title = "Indicators of modern slavery"
    CourseModuleFactory(course=course, module=version.module, position=5)
    LessonFactory(module_version=version, number=1, title="What exploitation looks like")
    LessonFactory(
        module_version=version,
        number=2,
        title="Sexual exploitation",
        content_warning="This lesson describes sexual exploitation.",
    )
    version.module.current_version_id = version.id
    db.session.flush()
    login_as(officer)
    client.post(f"/modules/{version.module.slug}/lessons/1/read")
    certificates = [
        insert_certificate(officer, course),
        insert_certificate(officer, make_course(n_modules=1), expires_on=today() + timedelta(days=10)),
        insert_certificate(officer, make_course(n_modules=1), revoked_at=utcnow()),
    ]
    db.session.flush()
    titles = {course.title, version.title, "What exploitation looks like", "Sexual exploitation"}
    titles |= {c.serial for c in certificates} | WELSH_MONTHS | {"http://localhost/verify"}
    titles |= {m.current_version.title for m in course.modules if m.current_version}
    return {"course": course, "version": version, "slug": version.module.slug, "titles": titles}


def _attempt(client, slug):
    started = client.post(f"/modules/{slug}/quiz")
    assert started.status_code == 302, started.get_data(as_text=True)[:500]
    return int(started.headers["Location"].rstrip("/").split("/")[-1])


def _submit(client, attempt_id, answers):
    from app.assessments.models import Attempt

    attempt = db.session.get(Attempt, attempt_id)
    response = client.post(f"/attempts/{attempt_id}/submit", data=form_data(attempt, answers))
    assert response.status_code == 302


def test_course_pages(client, login_as, people, pseudo_welsh, journey):
    slug, course = journey["slug"], journey["course"]
    for url in (
        "/courses",
        f"/courses/{course.slug}",
        f"/modules/{slug}",
        f"/modules/{slug}/lessons/1",
        f"/modules/{slug}/lessons/2",  # the content warning, a page of its own
        f"/modules/{slug}/lessons/2?warning=seen",
    ):
        assert_all_translated(client, login_as, people, "officer", url, *journey["titles"])


def test_quiz_attempt_and_results(client, login_as, people, pseudo_welsh, journey):
    slug, titles = journey["slug"], journey["titles"]
    assert_all_translated(client, login_as, people, "officer", f"/modules/{slug}/quiz", *titles)
    failed = _attempt(client, slug)
    for url in (f"/attempts/{failed}", f"/attempts/{failed}/questions/1", f"/attempts/{failed}/questions/3"):
        assert_all_translated(client, login_as, people, "officer", url, *titles)
    # Submitted with nothing answered: the page again, with its problems listed.
    refused = client.post(f"/attempts/{failed}/submit", data=form_data(db_attempt(failed), {}))
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert pseudo.OPEN in html
    assert not pseudo.english_left(html, data_values(people, *titles))
    _submit(client, failed, ALL_WRONG)
    assert_all_translated(client, login_as, people, "officer", f"/attempts/{failed}/result", *titles)
    passed = _attempt(client, slug)
    _submit(client, passed, ALL_RIGHT)
    assert_all_translated(client, login_as, people, "officer", f"/attempts/{passed}/result", *titles)
    # The intro again, now with attempts in its table and the status "passed".
    assert_all_translated(client, login_as, people, "officer", f"/modules/{slug}/quiz", *titles)


def db_attempt(attempt_id):
    from app.assessments.models import Attempt

    return db.session.get(Attempt, attempt_id)


def test_certificates_glossary_and_not_found(
    app, client, login_as, people, pseudo_welsh, journey, tmp_path, monkeypatch
):
    assert_all_translated(client, login_as, people, "officer", "/certificates", *journey["titles"])
    # The real glossary without its Welsh entries (content, not interface text): every entry is
    # English, marked, and the notice saying so is checked too.
    root = real_tree(tmp_path)
    shutil.rmtree(root / "cy")
    monkeypatch.setitem(app.config, "CONTENT_DIR", root)
    assert_all_translated(client, login_as, people, "officer", "/glossary")
    assert_all_translated(client, login_as, people, "officer", "/no-such-page", status=404)
    assert_all_translated(client, login_as, people, "officer", "/attempts/999999", status=404)


def test_law_update_pages(app, client, login_as, people, pseudo_welsh, tmp_path, monkeypatch):
    root = example_tree(tmp_path, "alpha")
    monkeypatch.setitem(app.config, "CONTENT_DIR", root)
    sync(root)
    officer = people["officer"]
    serial = certificate(officer).serial
    mark_law_change(root, CHANGE_A, "Check whether the new offence is in force.")
    sync(root)
    update = db.session.scalar(db.select(LawUpdate))
    titles = (CHANGE_A, *WELSH_MONTHS)
    assert_all_translated(client, login_as, people, "officer", f"/updates/{update.id}", *titles)
    failed = client.post(f"/updates/{update.id}/submit", data={"q-who-may-interpret": ["c"]})
    html = failed.get_data(as_text=True)
    assert pseudo.OPEN in html
    assert not pseudo.english_left(html, data_values(people, *titles))
    client.post(f"/updates/{update.id}/submit", data={"q-who-may-interpret": ["a", "b"]})
    assert_all_translated(client, login_as, people, "officer", f"/updates/{update.id}", *titles)
    assert_all_translated(
        client,
        login_as,
        people,
        "officer",
        "/certificates",
        "Course test-course",
        serial,
        "http://localhost/verify",
        *titles,
    )
