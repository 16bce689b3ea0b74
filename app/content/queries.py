"""Reads for the content admin page and the content assets route."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func

from app.content import reviews
from app.content.models import Course, Lesson, Module, ModuleVersion, Question
from app.extensions import db


@dataclass(frozen=True)
class VersionRow:
    """One version of a module with its size."""

    number: int
    content_hash: str
    created_at: datetime
    title: str
    lessons: int
    questions: int
    version_notes: str


@dataclass(frozen=True)
class ModuleRow:
    """A module for the admin page: its current version first, then older ones (newest first)."""

    slug: str
    published: bool
    current: VersionRow | None
    older: list[VersionRow]


def module_overview() -> list[ModuleRow]:
    """Every module with all its versions, counted with SQL (three queries in all)."""
    lessons = dict(
        db.session.execute(
            db.select(Lesson.module_version_id, func.count()).group_by(Lesson.module_version_id)
        ).all()
    )
    questions = dict(
        db.session.execute(
            db.select(Question.module_version_id, func.count()).group_by(Question.module_version_id)
        ).all()
    )
    rows = db.session.execute(
        db.select(Module, ModuleVersion)
        .join(ModuleVersion, ModuleVersion.module_id == Module.id)
        .order_by(Module.slug, ModuleVersion.number.desc())
    ).all()
    by_module: dict[int, tuple[Module, list[tuple[int, VersionRow]]]] = {}
    for module, version in rows:
        item = VersionRow(
            version.number,
            version.content_hash,
            version.created_at,
            version.title,
            lessons.get(version.id, 0),
            questions.get(version.id, 0),
            version.version_notes,
        )
        by_module.setdefault(module.id, (module, []))[1].append((version.id, item))
    out = []
    for module, versions in by_module.values():
        current = next((v for vid, v in versions if vid == module.current_version_id), None)
        older = [v for vid, v in versions if vid != module.current_version_id]
        out.append(ModuleRow(module.slug, module.published, current, older))
    return out


def course_overview() -> list[Course]:
    """Every course (published first), by title."""
    return list(db.session.scalars(db.select(Course).order_by(Course.published.desc(), Course.title)))


def find_module(slug: str) -> Module | None:
    """A module by slug (published or not), or None."""
    return db.session.scalar(db.select(Module).where(Module.slug == slug))


def asset_version(slug: str, number: int) -> tuple[Module, ModuleVersion] | None:
    """The module and its version `number`, or None."""
    row = db.session.execute(
        db.select(Module, ModuleVersion)
        .join(ModuleVersion, ModuleVersion.module_id == Module.id)
        .where(Module.slug == slug, ModuleVersion.number == number)
    ).first()
    return (row[0], row[1]) if row else None


@dataclass(frozen=True)
class ReviewRow:
    """A lesson of a module's current version with its review date and sources."""

    module_slug: str
    number: int
    title: str
    reviewed_on: date | None
    sources: list
    review_due_on: date | None
    overdue: bool


def lessons_by_review(today: date) -> list[ReviewRow]:
    """The lessons of every published module's current version, never-reviewed and oldest
    review first (one query)."""
    rows = db.session.execute(
        db.select(Module.slug, Lesson.number, Lesson.title, Lesson.reviewed_on, Lesson.sources)
        .join(ModuleVersion, ModuleVersion.id == Lesson.module_version_id)
        .join(Module, Module.current_version_id == ModuleVersion.id)
        .where(Module.published.is_(True))
    ).all()
    out = [
        ReviewRow(
            slug,
            number,
            title,
            reviewed_on,
            sources or [],
            reviews.review_due_on(reviewed_on) if reviewed_on else None,
            reviews.is_overdue(reviewed_on, today),
        )
        for slug, number, title, reviewed_on, sources in rows
    ]
    return sorted(
        out, key=lambda r: (r.reviewed_on is not None, r.reviewed_on or today, r.module_slug, r.number)
    )
