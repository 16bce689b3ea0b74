"""Reads for the officer's course pages: catalogue, statuses, module versions, continue reading.

Module versions are immutable once synced, so a version's rendered lessons are cached in-process
(`version_view`), keyed by the version's id, content hash and creation time: a lesson page then
costs one query for the module and one for the reader's progress, with no Markdown work.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import func

from app.assessments.models import Attempt, ModuleResult
from app.content.models import Course, CourseModule, Lesson, Module, ModuleVersion
from app.courses.models import LessonProgress
from app.extensions import db
from app.formatting import N_

Status = Literal["not_started", "in_progress", "passed"]
# Marked for the catalogue; the pages translate them (courses/_status.html).
STATUS_LABELS = {"not_started": N_("Not started"), "in_progress": N_("In progress"), "passed": N_("Passed")}


@dataclass(frozen=True)
class LessonView:
    """A lesson's stored, sanitised HTML and what the page needs around it."""

    id: int
    number: int
    slug: str
    title: str
    html: str
    content_warning: str | None
    language: str = "en"  # the language its title and text are in (app.content.localised)


@dataclass(frozen=True)
class VersionView:
    """One immutable module version with its lessons, detached from the database session."""

    id: int
    module_id: int
    slug: str
    number: int
    content_hash: str
    created_at: datetime
    title: str
    summary: str
    estimated_minutes: int
    pass_mark: int
    objectives: tuple[str, ...]
    sources: tuple[dict, ...]
    intro_html: str
    version_notes: str
    question_count: int
    questions_per_attempt: int | None
    lessons: tuple[LessonView, ...]
    language: str = "en"  # the language of its title, summary, objectives and intro
    machine_drafted: bool = False  # its translation is not yet checked by a speaker

    def lesson(self, number: int) -> LessonView | None:
        """The lesson with this number, or None."""
        return next((lesson for lesson in self.lessons if lesson.number == number), None)

    def neighbours(self, number: int) -> tuple[LessonView | None, LessonView | None]:
        """The lessons before and after lesson `number`."""
        numbers = [lesson.number for lesson in self.lessons]
        index = numbers.index(number)
        before = self.lessons[index - 1] if index > 0 else None
        after = self.lessons[index + 1] if index + 1 < len(self.lessons) else None
        return before, after

    def position(self, number: int) -> int:
        """1-based position of lesson `number` in the module (numbers may have gaps)."""
        return [lesson.number for lesson in self.lessons].index(number) + 1


@dataclass(frozen=True)
class ModuleStatus:
    """A module of a course as the reader sees it."""

    slug: str
    title: str
    summary: str
    estimated_minutes: int
    lesson_count: int
    lessons_read: int
    status: Status
    published: bool

    @property
    def status_label(self) -> str:
        """Human label for the status."""
        return STATUS_LABELS[self.status]


@dataclass(frozen=True)
class CourseCard:
    """A course in the catalogue with the reader's progress through it."""

    course: Course
    modules: tuple[ModuleStatus, ...]

    @property
    def estimated_minutes(self) -> int:
        """Total estimated minutes of the course's modules."""
        return sum(m.estimated_minutes for m in self.modules)

    @property
    def passed(self) -> int:
        """How many of its modules the reader has passed."""
        return sum(m.status == "passed" for m in self.modules)

    @property
    def status(self) -> Status:
        """Passed when every module is passed; in progress when any is started."""
        if self.modules and self.passed == len(self.modules):
            return "passed"
        if any(m.status != "not_started" for m in self.modules):
            return "in_progress"
        return "not_started"

    @property
    def status_label(self) -> str:
        """Human label for the course status."""
        return STATUS_LABELS[self.status]


@dataclass(frozen=True)
class ContinueItem:
    """Where a reader left off: the next unread lesson of the module they read most recently."""

    module_slug: str
    module_title: str
    lesson_number: int
    lesson_title: str
    lesson_position: int
    lessons_read: int
    lesson_count: int
    version_number: int
    is_current_version: bool

    @property
    def url(self) -> str:
        """The lesson's address (pinned to the reader's version if it is no longer current)."""
        url = f"/modules/{self.module_slug}/lessons/{self.lesson_number}"
        return url if self.is_current_version else f"{url}?version={self.version_number}"


# --- module versions (cached) ---------------------------------------------------------------

_CACHE_SIZE = 256
_cache: OrderedDict[tuple, VersionView] = OrderedDict()
_cache_lock = threading.Lock()


def clear_cache() -> None:
    """Forget every cached version (tests; a new sync needs no clearing: keys change)."""
    with _cache_lock:
        _cache.clear()


def find_module(slug: str, include_unpublished: bool = False) -> Module | None:
    """A module by slug, or None if missing (or unpublished, unless asked for).

    The current version's cache key is loaded in the same query (see version_view).
    """
    query = (
        db.select(Module, ModuleVersion.id, ModuleVersion.content_hash, ModuleVersion.created_at)
        .outerjoin(ModuleVersion, ModuleVersion.id == Module.current_version_id)
        .where(Module.slug == slug)
    )
    if not include_unpublished:
        query = query.where(Module.published.is_(True))
    row = db.session.execute(query).first()
    if row is None:
        return None
    module = row[0]
    module.current_key = tuple(row[1:]) if row[1] is not None else None
    return module


def version_key(module: Module, number: int | None = None) -> tuple | None:
    """(id, hash, created_at) of the module's current version, or of version `number`."""
    if number is None and getattr(module, "current_key", None):
        return module.current_key
    query = db.select(ModuleVersion.id, ModuleVersion.content_hash, ModuleVersion.created_at)
    if number is None:
        if module.current_version_id is None:
            return None
        query = query.where(ModuleVersion.id == module.current_version_id)
    else:
        query = query.where(ModuleVersion.module_id == module.id, ModuleVersion.number == number)
    row = db.session.execute(query).first()
    return tuple(row) if row else None


def version_view(module: Module, number: int | None = None) -> VersionView | None:
    """The current version of a module (or version `number`), from the cache when possible."""
    key = version_key(module, number)
    if key is None:
        return None
    with _cache_lock:
        view = _cache.get(key)
        if view is not None:
            _cache.move_to_end(key)
            return view
    view = _load_view(key[0], module.slug)
    with _cache_lock:
        _cache[key] = view
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return view


def _load_view(version_id: int, slug: str) -> VersionView:
    from app.content.models import Question

    version = db.session.get(ModuleVersion, version_id)
    lessons = db.session.scalars(
        db.select(Lesson).where(Lesson.module_version_id == version_id).order_by(Lesson.number)
    )
    questions = (
        db.session.scalar(db.select(func.count(Question.id)).where(Question.module_version_id == version_id))
        or 0
    )
    settings = version.quiz_settings or {}
    return VersionView(
        id=version.id,
        module_id=version.module_id,
        slug=slug,
        number=version.number,
        content_hash=version.content_hash,
        created_at=version.created_at,
        title=version.title,
        summary=version.summary,
        estimated_minutes=version.estimated_minutes,
        pass_mark=version.pass_mark,
        objectives=tuple(version.objectives or ()),
        sources=tuple(version.sources or ()),
        intro_html=version.intro_html,
        version_notes=version.version_notes,
        question_count=questions,
        questions_per_attempt=settings.get("questions_per_attempt"),
        lessons=tuple(
            LessonView(les.id, les.number, les.slug, les.title, les.html, les.content_warning)
            for les in lessons
        ),
    )


# --- progress --------------------------------------------------------------------------------


def progress_for_version(user_id: int, version_id: int) -> dict[int, datetime]:
    """lesson id -> last read time, for the reader's lessons read in one module version."""
    rows = db.session.execute(
        db.select(LessonProgress.lesson_id, LessonProgress.last_read_at).where(
            LessonProgress.user_id == user_id, LessonProgress.module_version_id == version_id
        )
    )
    return dict(rows.all())


def module_statuses(user_id: int, module_ids: list[int]) -> dict[int, Status]:
    """Status of each module for the reader: passed, in progress (any reading or attempt), or not."""
    if not module_ids:
        return {}
    passed = set(
        db.session.scalars(
            db.select(ModuleResult.module_id).where(
                ModuleResult.user_id == user_id,
                ModuleResult.module_id.in_(module_ids),
                ModuleResult.passed_at.is_not(None),
            )
        )
    )
    started = set(
        db.session.scalars(
            db.select(ModuleVersion.module_id)
            .distinct()
            .join(LessonProgress, LessonProgress.module_version_id == ModuleVersion.id)
            .where(LessonProgress.user_id == user_id, ModuleVersion.module_id.in_(module_ids))
        )
    )
    started |= set(
        db.session.scalars(
            db.select(Attempt.module_id)
            .distinct()
            .where(Attempt.user_id == user_id, Attempt.module_id.in_(module_ids))
        )
    )
    return {
        mid: "passed" if mid in passed else "in_progress" if mid in started else "not_started"
        for mid in module_ids
    }


def _lessons_read(user_id: int, version_ids: list[int]) -> dict[int, int]:
    if not version_ids:
        return {}
    rows = db.session.execute(
        db.select(LessonProgress.module_version_id, func.count())
        .where(LessonProgress.user_id == user_id, LessonProgress.module_version_id.in_(version_ids))
        .group_by(LessonProgress.module_version_id)
    )
    return dict(rows.all())


# --- courses ---------------------------------------------------------------------------------


def find_course(slug: str, include_unpublished: bool = False) -> Course | None:
    """A course by slug, or None if missing (or unpublished, unless asked for)."""
    query = db.select(Course).where(Course.slug == slug)
    if not include_unpublished:
        query = query.where(Course.published.is_(True))
    return db.session.scalar(query)


def course_cards(user_id: int, courses: list[Course], include_unpublished: bool = False) -> list[CourseCard]:
    """Each course with the reader's status for each of its modules (a fixed number of queries)."""
    rows = db.session.execute(
        db.select(CourseModule.course_id, Module, ModuleVersion)
        .join(Module, Module.id == CourseModule.module_id)
        .join(ModuleVersion, ModuleVersion.id == Module.current_version_id)
        .where(CourseModule.course_id.in_([c.id for c in courses]))
        .order_by(CourseModule.course_id, CourseModule.position)
    ).all()
    if not include_unpublished:
        rows = [row for row in rows if row[1].published]
    version_ids = list({row[2].id for row in rows})
    counts = (
        dict(
            db.session.execute(
                db.select(Lesson.module_version_id, func.count())
                .where(Lesson.module_version_id.in_(version_ids))
                .group_by(Lesson.module_version_id)
            ).all()
        )
        if version_ids
        else {}
    )
    read = _lessons_read(user_id, version_ids)
    statuses = module_statuses(user_id, list({row[1].id for row in rows}))
    by_course: dict[int, list[ModuleStatus]] = {}
    for course_id, module, version in rows:
        by_course.setdefault(course_id, []).append(
            ModuleStatus(
                module.slug,
                version.title,
                version.summary,
                version.estimated_minutes,
                counts.get(version.id, 0),
                read.get(version.id, 0),
                statuses[module.id],
                module.published,
            )
        )
    return [CourseCard(c, tuple(by_course.get(c.id, ()))) for c in courses]


def published_courses() -> list[Course]:
    """Published courses, by title."""
    return list(
        db.session.scalars(db.select(Course).where(Course.published.is_(True)).order_by(Course.title))
    )


def courses_with_module(module_id: int) -> list[Course]:
    """Published courses that include a module (for the module page's breadcrumbs)."""
    return list(
        db.session.scalars(
            db.select(Course)
            .join(CourseModule, CourseModule.course_id == Course.id)
            .where(CourseModule.module_id == module_id, Course.published.is_(True))
            .order_by(Course.title)
        )
    )


# --- continue reading ------------------------------------------------------------------------


def continue_reading(user_id: int) -> ContinueItem | None:
    """The next unread lesson in the (published) module the reader read most recently, or None.

    "Next" is the first unread lesson after the one read last, else the first unread one; None
    when every lesson of that module version has been read.
    """
    row = db.session.execute(
        db.select(LessonProgress.lesson_id, LessonProgress.module_version_id, Module)
        .join(ModuleVersion, ModuleVersion.id == LessonProgress.module_version_id)
        .join(Module, Module.id == ModuleVersion.module_id)
        .where(LessonProgress.user_id == user_id, Module.published.is_(True))
        .order_by(LessonProgress.last_read_at.desc(), LessonProgress.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    last_lesson_id, version_id, module = row
    number = db.session.scalar(db.select(ModuleVersion.number).where(ModuleVersion.id == version_id))
    view = version_view(module, number)
    if view is None:
        return None
    read = progress_for_version(user_id, version_id)
    last = next((les.number for les in view.lessons if les.id == last_lesson_id), 0)
    unread = [les for les in view.lessons if les.id not in read]
    if not unread:
        return None
    target = next((les for les in unread if les.number > last), unread[0])
    return ContinueItem(
        module.slug,
        view.title,
        target.number,
        target.title,
        view.position(target.number),
        len([les for les in view.lessons if les.id in read]),
        len(view.lessons),
        view.number,
        view.id == module.current_version_id,
    )


def next_module(user_id: int, module_id: int) -> Module | None:
    """The module to take after this one: in the first published course that contains it, the
    next published module (by position, wrapping round to earlier ones) the user has not passed;
    None when every module of the course is passed."""
    passed = set(
        db.session.scalars(
            db.select(ModuleResult.module_id).where(
                ModuleResult.user_id == user_id, ModuleResult.passed_at.is_not(None)
            )
        )
    )
    course_id = db.session.scalar(
        db.select(CourseModule.course_id)
        .join(Course, Course.id == CourseModule.course_id)
        .where(CourseModule.module_id == module_id, Course.published.is_(True))
        .order_by(Course.title)
        .limit(1)
    )
    if course_id is None:
        return None
    rows = db.session.execute(
        db.select(CourseModule.module_id, CourseModule.position)
        .join(Module, Module.id == CourseModule.module_id)
        .where(CourseModule.course_id == course_id, Module.published.is_(True))
        .order_by(CourseModule.position)
    ).all()
    here = next((pos for mid, pos in rows if mid == module_id), -1)
    later = [mid for mid, pos in rows if pos > here] + [mid for mid, pos in rows if pos <= here]
    candidate = next((mid for mid in later if mid != module_id and mid not in passed), None)
    return db.session.get(Module, candidate) if candidate is not None else None
