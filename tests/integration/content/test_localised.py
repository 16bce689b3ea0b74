"""Content in the reader's language: the Welsh of a module version where it is stored and
current, the English otherwise (and for English readers); quiz keys and right answers unchanged."""

import pytest

from app.content import localised
from app.content.models import Module, Question
from app.courses.queries import version_view
from app.extensions import db
from tests.integration.content.helpers import sync
from tests.unit.content.conftest import add_module, write_courses
from tests.unit.content.test_translations import _translate


@pytest.fixture
def root(tmp_path):
    root = tmp_path / "content"
    (root / "modules").mkdir(parents=True)
    _translate(add_module(root, "good"))
    write_courses(root, "good")
    return root


def _view():
    return version_view(db.session.scalar(db.select(Module).where(Module.slug == "good")))


def test_a_welsh_reader_gets_the_welsh_and_an_english_one_the_english(database, root):
    sync(root)
    english = _view()
    welsh = localised.version(english, "cy")
    assert welsh.language == "cy"
    assert welsh.title == "Modiwl da"
    assert welsh.objectives == ("Adnabod y gosodiad",)
    assert [(lesson.title, lesson.language) for lesson in welsh.lessons] == [
        ("Y wers gyntaf", "cy"),
        ("Yr ail wers", "cy"),
    ]
    assert welsh.lesson(1).content_warning == "Sôn am drais."
    assert welsh.neighbours(1)[1].title == "Yr ail wers"
    assert localised.version(english, "en") is english
    assert english.title == "Good module"


def test_an_out_of_date_lesson_is_shown_in_english(database, root):
    lesson = root / "modules" / "good" / "02-second.md"
    lesson.write_text(lesson.read_text() + "\nA new paragraph.\n")
    sync(root)
    welsh = localised.version(_view(), "cy")
    assert welsh.lesson(1).language == "cy"
    second = welsh.lesson(2)
    assert second.language == "en"
    assert second.title == "Second lesson"
    assert "A new paragraph." in second.html


def test_questions_keep_their_keys_and_right_answers_in_welsh(database, root):
    sync(root)
    rows = list(db.session.scalars(db.select(Question).order_by(Question.position)))
    welsh = localised.questions(rows, "cy")
    assert [q.key for q in welsh] == [q.key for q in rows]
    assert all(q.translated for q in welsh)
    assert "Pa un sy" in welsh[0].scenario_html
    assert [(o["key"], o["correct"]) for o in welsh[0].options] == [
        (o["key"], o["correct"]) for o in rows[0].options
    ]
    assert "Hwn." in welsh[0].options[0]["html"]
    assert welsh[0].options[0]["html"].language == "cy"
    english = localised.questions(rows, "en")
    assert english[0].scenario_html == rows[0].scenario_html
    assert not english[0].translated


def test_an_out_of_date_quiz_is_asked_in_english(database, root):
    quiz = root / "modules" / "good" / "quiz.md"
    quiz.write_text(quiz.read_text().replace("Which is right?", "Which one is right?"))
    sync(root)
    rows = list(db.session.scalars(db.select(Question).order_by(Question.position)))
    welsh = localised.questions(rows, "cy")
    assert not any(q.translated for q in welsh)
    assert "Which one is right?" in welsh[0].scenario_html


def test_a_machine_drafted_translation_says_so(database, root, client, login_as):
    from tests.factories import UserFactory

    folder = root / "modules" / "good"
    for file in (folder / "cy").glob("*.md"):
        file.write_text(file.read_text().replace("---\n", "---\ntranslation: machine-drafted\n", 1))
    sync(root)
    view = localised.version(_view(), "cy")
    assert view.machine_drafted
    login_as(UserFactory(role="officer", language="cy"))
    page = client.get("/modules/good/lessons/2").get_data(as_text=True)
    assert "Yr ail wers" in page
    assert "Drafft yw'r fersiwn Gymraeg hon" in page.replace("&#39;", "'")
    assert '<div class="prose lesson__body">' in page  # Welsh text: no lang="en"
    english = client.get("/language/en?next=/modules/good/lessons/2")
    assert english.status_code == 302
    page = client.get("/modules/good/lessons/2").get_data(as_text=True)
    assert "Second lesson" in page
    assert "Drafft" not in page


def test_an_english_lesson_on_a_welsh_page_is_marked_and_explained(database, root, client, login_as):
    from tests.factories import UserFactory

    lesson = root / "modules" / "good" / "02-second.md"
    lesson.write_text(lesson.read_text() + "\nA new paragraph.\n")
    sync(root)
    login_as(UserFactory(role="officer", language="cy"))
    page = client.get("/modules/good/lessons/2").get_data(as_text=True).replace("&#39;", "'")
    assert '<div class="prose lesson__body" lang="en">' in page
    assert "Nid yw'r wers hon yn Gymraeg eto" in page
    first = client.get("/modules/good/lessons/1?warning=seen").get_data(as_text=True).replace("&#39;", "'")
    assert "Y wers gyntaf" in first
    assert "Nid yw'r wers hon yn Gymraeg eto" not in first
