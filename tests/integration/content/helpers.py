"""Content trees in a temporary folder, built from docs/example-module and content/."""

import shutil
from pathlib import Path

from app.content.models import Course, CourseModule, Lesson, Module, ModuleVersion, Question
from app.content.services import sync_folder
from app.extensions import db

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "docs" / "example-module"
REAL_CONTENT = ROOT / "content"
TABLES = (Module, ModuleVersion, Lesson, Question, Course, CourseModule)


def example_tree(tmp_path: Path, *slugs: str, course: str = "test-course") -> Path:
    """A content folder holding a copy of the example module per slug, all in one course."""
    root = tmp_path / "content"
    (root / "modules").mkdir(parents=True, exist_ok=True)
    for slug in slugs:
        shutil.copytree(EXAMPLE, root / "modules" / slug)
    write_courses(root, {course: slugs})
    return root


def write_courses(root: Path, courses: dict[str, tuple[str, ...]]) -> None:
    """Write courses.yml: {course slug: module slugs}."""
    lines = ["courses:"]
    for slug, modules in courses.items():
        lines += [f"  - slug: {slug}", f"    title: Course {slug}", "    modules:"]
        lines += [f"      - {m}" for m in modules]
    (root / "courses.yml").write_text("\n".join(lines) + "\n")


def real_tree(tmp_path: Path) -> Path:
    """A copy of the real content folder."""
    root = tmp_path / "content"
    shutil.copytree(REAL_CONTENT, root)
    return root


def sync(root: Path):
    """Sync a folder and commit (the test's outer transaction still rolls it back)."""
    summary = sync_folder(root)
    db.session.commit()
    return summary


def row_counts() -> dict[str, int]:
    """Rows in every content table."""
    return {
        model.__tablename__: db.session.scalar(db.select(db.func.count()).select_from(model))
        for model in TABLES
    }


def edit(path: Path, old: str, new: str) -> None:
    """Replace text in a content file (the test fails if it is not there)."""
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))
