"""The admin content page: versions, check and an audited, all-or-nothing sync."""

from app.audit import AuditEvent
from app.content.models import Module
from app.extensions import db
from tests.factories import UserFactory
from tests.integration.content.helpers import edit, example_tree, row_counts, sync


def _admin(login_as):
    return login_as(UserFactory(role="admin", force=None))


def test_page_lists_modules_with_current_and_older_versions(
    app, database, client, login_as, tmp_path, monkeypatch
):
    root = example_tree(tmp_path, "alpha")
    monkeypatch.setitem(app.config, "CONTENT_DIR", root)
    sync(root)
    edit(root / "modules" / "alpha" / "02-the-duty-to-notify.md", "## Further reading", "## Read further")
    sync(root)
    _admin(login_as)
    page = client.get("/admin/content").get_data(as_text=True)
    module = db.session.scalar(db.select(Module).where(Module.slug == "alpha"))
    assert module.current_version.content_hash[:12] in page
    assert "v1, <code>" in page  # the older version
    assert "Course test-course" in page


def test_check_lists_problems(app, database, client, login_as, tmp_path, monkeypatch):
    root = example_tree(tmp_path, "alpha")
    edit(root / "modules" / "alpha" / "module.md", "estimated_minutes: 10", "estimated_minutes: 0")
    monkeypatch.setitem(app.config, "CONTENT_DIR", root)
    _admin(login_as)
    page = client.get("/admin/content/check").get_data(as_text=True)
    assert "1 problem found" in page
    assert "content/modules/alpha/module.md:4" in page


def test_sync_now_is_audited(app, database, client, login_as, tmp_path, monkeypatch):
    root = example_tree(tmp_path, "alpha")
    monkeypatch.setitem(app.config, "CONTENT_DIR", root)
    admin = _admin(login_as)
    response = client.post("/admin/content/sync", follow_redirects=True)
    assert response.status_code == 200
    assert b"Modules: 1 added" in response.data
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "content.sync"))
    assert event.actor_id == admin.id
    assert event.details_dict["modules_added"] == 1


def test_sync_now_with_problems_changes_nothing(app, database, client, login_as, tmp_path, monkeypatch):
    root = example_tree(tmp_path, "alpha")
    (root / "modules" / "alpha" / "quiz.md").unlink()
    monkeypatch.setitem(app.config, "CONTENT_DIR", root)
    _admin(login_as)
    before = row_counts()
    response = client.post("/admin/content/sync")
    assert response.status_code == 400
    assert b"Nothing was synced" in response.data
    assert b"content/modules/alpha/quiz.md:1</code> quiz.md is missing" in response.data
    assert row_counts() == before
    assert db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "content.sync")) is None
