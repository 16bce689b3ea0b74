"""The content the metrics refer to, read in two statements a request: which modules each course
holds and where, and every module with its current title and its versions.

A dashboard needs the modules in scope, their titles and their order in the courses, and the
knowledge gaps need to know which module versions exist (app.metrics.question_catalogue). Each
was a statement of its own; these tables are small (a row per course module, a row per module
version) and change only by a content sync, so both are read whole, once per request
(app.metrics.memo.per_request: outside a request, on every call), and everything else is worked
out from them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import aliased

from app.content.models import CourseModule, Module, ModuleVersion
from app.extensions import db
from app.metrics.memo import per_request


@dataclass(frozen=True)
class Modules:
    """Every module's (slug, current title or slug), and every version's (id, content hash,
    creation time) in id order: what the question catalogue is keyed by."""

    titles: dict[int, tuple[str, str]]
    versions: tuple[tuple, ...]


@per_request
def course_modules() -> tuple[tuple[int, int, int], ...]:
    """(course id, module id, position) of every course's modules."""
    stmt = select(CourseModule.course_id, CourseModule.module_id, CourseModule.position)
    return tuple(tuple(row) for row in db.session.execute(stmt))


@cache
def _modules_statement():
    """Built once: new aliases each call would make a new statement for SQLAlchemy to compile
    (1.7 ms a call against 0.2 ms at the database)."""
    current, version = aliased(ModuleVersion), aliased(ModuleVersion)
    return (
        select(Module.id, Module.slug, current.title, version.id, version.content_hash, version.created_at)
        .outerjoin(current, current.id == Module.current_version_id)
        .outerjoin(version, version.module_id == Module.id)
    )


@per_request
def modules() -> Modules:
    rows = db.session.execute(_modules_statement())
    titles, versions = {}, []
    for module_id, slug, title, version_id, content_hash, created_at in rows:
        titles[module_id] = (slug, title or slug)
        if version_id is not None:
            versions.append((version_id, content_hash, created_at))
    return Modules(titles, tuple(sorted(versions)))


def module_ids(course_id: int | None) -> list[int]:
    """The modules of a course, or of every course, in id order."""
    return sorted({m for c, m, _p in course_modules() if course_id is None or c == course_id})


def module_titles(ids) -> dict[int, tuple[str, str]]:
    """module id -> (slug, current title) for the modules given that exist."""
    titles = modules().titles
    return {mid: titles[mid] for mid in ids if mid in titles}


def module_order(ids) -> list[int]:
    """The modules given that some course holds, ordered by the lowest course id holding them,
    then by their lowest position in any course (then by id)."""
    wanted, first = set(ids), {}
    for course_id, module_id, position in course_modules():
        if module_id in wanted:
            course, place = first.get(module_id, (course_id, position))
            first[module_id] = (min(course, course_id), min(place, position))
    return sorted(first, key=lambda m: (*first[m], m))
