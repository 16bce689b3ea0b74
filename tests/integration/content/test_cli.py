"""`flask content check` and `flask content sync` through the CLI runner."""

from app.content.models import Module
from app.extensions import db
from tests.integration.content.helpers import edit, example_tree, row_counts


def test_check_passes_a_clean_folder(app, database, tmp_path):
    root = example_tree(tmp_path, "alpha", "beta")
    result = app.test_cli_runner().invoke(args=["content", "check", str(root)])
    assert result.exit_code == 0, result.output
    assert "No problems found in 2 modules, 1 course." in result.output


def test_check_reports_every_problem_as_path_line_message(app, database, tmp_path):
    root = example_tree(tmp_path, "alpha")
    edit(root / "modules" / "alpha" / "01-first-contact.md", "[the duty to notify]", "[click here]")
    edit(root / "modules" / "alpha" / "module.md", "pass_mark: 80", "pass_mark: 180")
    result = app.test_cli_runner().invoke(args=["content", "check", str(root)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert (
        "content/modules/alpha/01-first-contact.md:24: link text 'click here' does not say "
        "where the link goes" in lines
    )
    assert any(
        line == "content/modules/alpha/module.md:5: 'pass_mark' must be between 1 and 100" for line in lines
    )
    assert "2 problems found" in result.output


def test_check_defaults_to_the_configured_content_folder(app, database):
    result = app.test_cli_runner().invoke(args=["content", "check"])
    assert result.exit_code == 0, result.output
    assert "No problems found in 4 modules, 2 courses." in result.output


def test_sync_writes_and_summarises_then_changes_nothing(app, database, tmp_path):
    root = example_tree(tmp_path, "alpha", "beta")
    runner = app.test_cli_runner()
    first = runner.invoke(args=["content", "sync", str(root)])
    assert first.exit_code == 0, first.output
    assert "Modules: 2 added, 0 changed, 0 unchanged, 0 unpublished." in first.output
    assert "Courses: 1 added, 0 changed, 0 unchanged, 0 unpublished." in first.output
    counts = row_counts()
    second = runner.invoke(args=["content", "sync", str(root)])
    assert second.exit_code == 0
    assert "Modules: 0 added, 0 changed, 2 unchanged, 0 unpublished." in second.output
    assert row_counts() == counts


def test_sync_with_a_problem_writes_nothing(app, database, tmp_path):
    root = example_tree(tmp_path, "alpha", "beta")
    (root / "modules" / "beta" / "01-first-contact.md").write_text("no front matter\n")
    before = row_counts()
    result = app.test_cli_runner().invoke(args=["content", "sync", str(root)])
    assert result.exit_code == 1
    assert "content/modules/beta/01-first-contact.md:1: lesson has no title" in result.output
    # and the broken links to its heading: one from the other lesson, two `tests:` and two in feedback
    assert "Nothing was synced: 6 problems" in result.output
    assert row_counts() == before
    assert db.session.scalar(db.select(Module).where(Module.slug == "alpha")) is None
