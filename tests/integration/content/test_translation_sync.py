"""A module's Welsh translation is stored with its current version at sync, rendered like the
English; it follows the English to a new version with the changed files marked out of date, and
goes when its folder goes. A broken translation stops the whole sync."""

import shutil

import pytest

from app.content.errors import ContentInvalid
from app.content.models import Module, ModuleTranslation
from app.extensions import db
from tests.integration.content.helpers import sync
from tests.unit.content.conftest import add_module, write_courses
from tests.unit.content.test_translations import _translate


@pytest.fixture
def root(tmp_path):
    root = tmp_path / "content"
    (root / "modules").mkdir(parents=True)
    add_module(root, "good")
    write_courses(root, "good")
    return root


def _translations():
    return list(db.session.scalars(db.select(ModuleTranslation).order_by(ModuleTranslation.id)))


def test_a_translation_is_stored_with_the_current_version(database, root):
    _translate(root / "modules" / "good")
    summary = sync(root)
    assert summary.translations_synced == ["good (cy)"]
    assert "Translations: good (cy) synced." in summary.lines()
    [welsh] = _translations()
    version = db.session.scalar(db.select(Module).where(Module.slug == "good")).current_version
    assert welsh.module_version_id == version.id
    assert welsh.language == "cy"
    assert welsh.title == "Modiwl da"
    assert welsh.objectives == ["Adnabod y gosodiad"]
    assert [(lesson["number"], lesson["title"]) for lesson in welsh.lessons] == [
        (1, "Y wers gyntaf"),
        (2, "Yr ail wers"),
    ]
    assert welsh.lessons[0]["content_warning"] == "Sôn am drais."
    assert "Dechrau yma</h2>" in welsh.lessons[0]["html"]
    assert set(welsh.questions) == {q.key for q in version.questions}
    pick_one = welsh.questions["pick-one"]
    assert "Pa un sy" in pick_one["scenario_html"]
    assert set(pick_one["options"]) == {o["key"] for o in version.questions[0].options}
    assert "Am ei fod." in pick_one["options"]["a"]["feedback_html"]
    assert welsh.out_of_date == []
    # Again, unchanged: nothing written.
    assert sync(root).translations_synced == []


def test_the_english_changing_moves_the_translation_on_marked_out_of_date(database, root):
    folder = root / "modules" / "good"
    _translate(folder)
    sync(root)
    lesson = folder / "02-second.md"
    lesson.write_text(lesson.read_text() + "\nA new paragraph.\n")
    summary = sync(root)
    assert summary.modules_changed == ["good"]
    old, new = _translations()
    assert old.out_of_date == []
    assert new.module_version_id != old.module_version_id
    assert new.out_of_date == ["02-second.md"]


def test_a_removed_translation_is_removed(database, root):
    folder = root / "modules" / "good"
    _translate(folder)
    sync(root)
    shutil.rmtree(folder / "cy")
    assert sync(root).translations_synced == ["good (cy, removed)"]
    assert _translations() == []


def test_a_broken_translation_stops_the_whole_sync(database, root):
    folder = root / "modules" / "good"
    cy = _translate(folder)
    (cy / "02-second.md").unlink()
    with pytest.raises(ContentInvalid) as caught:
        sync(root)
    assert any("lesson not translated" in str(p) for p in caught.value.problems)
    assert _translations() == []
    assert db.session.scalar(db.select(db.func.count(Module.id))) == 0
