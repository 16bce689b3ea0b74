"""Review dates through sync, `flask content check` and the admin content page."""

from app.content.models import Lesson, Module
from app.extensions import db
from tests.factories import UserFactory
from tests.integration.content.helpers import example_tree, row_counts, sync


def _set_review(path, front_matter: str) -> None:
    text = path.read_text()
    lines = [line for line in text.split("\n") if not line.startswith(("reviewed_on:", "sources:", "  - "))]
    text = "\n".join(lines)
    end = text.index("\n---\n", 4)
    path.write_text(text[:end] + "\n" + front_matter + text[end:])


def _alpha() -> Module:
    return db.session.scalar(db.select(Module).where(Module.slug == "alpha"))


def test_a_new_review_date_or_source_updates_the_lesson_without_a_new_version(database, tmp_path):
    root = example_tree(tmp_path, "alpha")
    lesson = root / "modules" / "alpha" / "01-first-contact.md"
    _set_review(lesson, "reviewed_on: 2026-11-01\nsources:\n  - title: MSA 2015")
    sync(root)
    version = _alpha().current_version_id
    counts = row_counts()
    _set_review(lesson, "reviewed_on: 2026-12-02\nsources:\n  - title: MSA 2015\n  - title: APP")
    summary = sync(root)
    assert summary.modules_unchanged == ["alpha"]
    assert summary.lessons_reviewed == ["alpha/01"]
    assert "Lessons: 1 with a new review date or sources." in summary.lines()
    assert _alpha().current_version_id == version
    assert row_counts() == counts
    row = db.session.scalar(db.select(Lesson).where(Lesson.module_version_id == version, Lesson.number == 1))
    assert str(row.reviewed_on) == "2026-12-02"
    assert [s["title"] for s in row.sources] == ["MSA 2015", "APP"]
    assert not sync(root).changed_anything


def test_check_warns_about_stale_lessons_and_still_passes(app, database, tmp_path):
    root = example_tree(tmp_path, "alpha")
    _set_review(
        root / "modules" / "alpha" / "01-first-contact.md", "reviewed_on: 2020-01-01\nsources:\n  - x"
    )
    result = app.test_cli_runner().invoke(args=["content", "check", str(root)])
    assert result.exit_code == 0, result.output
    assert (
        "content/modules/alpha/01-first-contact.md:1: warning: last reviewed on 1 January 2020, more than "
        "12 months ago: check it against its sources and update 'reviewed_on'" in result.output
    )
    assert "02-the-duty-to-notify.md:1: warning: no 'reviewed_on'" in result.output
    assert "No problems found in 1 module, 1 course." in result.output
    assert "3 review warnings" in result.output


def test_real_content_checks_without_review_warnings(app, database):
    result = app.test_cli_runner().invoke(args=["content", "check"])
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output


def test_admin_page_lists_lessons_oldest_review_first(app, database, client, login_as, tmp_path, monkeypatch):
    root = example_tree(tmp_path, "alpha")
    monkeypatch.setitem(app.config, "CONTENT_DIR", root)
    _set_review(
        root / "modules" / "alpha" / "01-first-contact.md", "reviewed_on: 2026-11-30\nsources:\n  - x"
    )
    _set_review(root / "modules" / "alpha" / "02-the-duty-to-notify.md", "reviewed_on: 2019-05-01")
    sync(root)
    login_as(UserFactory(role="admin", force=None))
    page = client.get("/admin/content").get_data(as_text=True)
    table = page[page.index('id="reviews"') : page.index('id="question-flags"')]
    assert table.index("1 May 2019") < table.index("30 Nov 2026")
    assert table.count("Overdue") == 1
    checked = client.get("/admin/content/check").get_data(as_text=True)
    assert "review warning" in checked
    assert "last reviewed on 1 May 2019" in checked
