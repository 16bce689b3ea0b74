"""Helpers that build content trees in a temporary folder from the fixture modules."""

import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
GOOD = FIXTURES / "good-module"
BROKEN = FIXTURES / "broken"


def add_module(root: Path, slug: str, overlay: Path | None = None) -> Path:
    """Copy the good module to modules/<slug>, then apply an overlay (files, and a .remove list)."""
    folder = root / "modules" / slug
    shutil.copytree(GOOD, folder)
    if overlay is not None:
        for file in overlay.rglob("*"):
            if file.is_file() and file.name != ".remove":
                target = folder / file.relative_to(overlay)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(file, target)
        remove = overlay / ".remove"
        for name in remove.read_text().split() if remove.exists() else []:
            (folder / name).unlink()
    return folder


def write_courses(root: Path, *slugs: str) -> None:
    """Write a courses.yml with one course holding the given modules."""
    lines = ["courses:", "  - slug: test-course", "    title: Test course", "    modules:"]
    lines += [f"      - {slug}" for slug in slugs]
    (root / "courses.yml").write_text("\n".join(lines) + "\n")


@pytest.fixture
def content_root(tmp_path: Path) -> Path:
    """Return an empty content folder (tmp/content) with a modules/ folder."""
    root = tmp_path / "content"
    (root / "modules").mkdir(parents=True)
    return root
