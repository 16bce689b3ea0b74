"""Read a content folder (courses.yml, modules/<slug>/) into frozen dataclasses."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from app.content.errors import ContentError, Problem
from app.content.frontmatter import SLUG, Fields, parse_yaml, read_text, split_front_matter
from app.content.glossary import FILENAME as GLOSSARY_FILE
from app.content.glossary import Glossary, read_glossary
from app.content.hashing import LESSON_FILE, module_hash
from app.content.law_changes import LawChangeSource, read_law_change
from app.content.pocket_card import PocketCard, read_pocket_card
from app.content.quiz_parser import QuestionSource, parse_quiz
from app.content.topics import FILENAME as TOPICS_FILE
from app.content.topics import read_topics, unnamed_tags
from app.formatting import N_
from app.messages import Message

MODULE_KEYS = (
    "title",
    "summary",
    "estimated_minutes",
    "pass_mark",
    "objectives",
    "sources",
    "quiz",
    "version_notes",
    "supersedes_for_law",
    "law_changes",
    "pocket_card",
)

MODULE_REQUIRED = ("title", "summary", "estimated_minutes", "pass_mark")
QUIZ_KEYS = (
    "questions_per_attempt",
    "attempts_allowed",
    "cooldown_minutes",
    "show_feedback",
    "include",
    "own_questions_per_attempt",
)
LESSON_KEYS = ("title", "content_warning", "reviewed_on", "sources")
COURSE_KEYS = ("slug", "title", "audience", "description", "certificate_valid_months", "modules")
COURSE_REQUIRED = ("slug", "title", "modules")


@dataclass(frozen=True)
class Source:
    """A source a module rests on (legislation, guidance)."""

    title: str
    url: str | None


@dataclass(frozen=True)
class QuizSettings:
    """How a module's quiz is run; attempts_allowed 0 means unlimited."""

    questions_per_attempt: int | None = None
    attempts_allowed: int = 0
    cooldown_minutes: int = 0
    show_feedback: bool = True
    include: tuple[str, ...] = ()
    # With `include`: this many of the module's own questions in every attempt, the rest from the
    # included banks (None: one draw from the whole bank, stratified by tag).
    own_questions_per_attempt: int | None = None


@dataclass(frozen=True)
class LessonSource:
    """One lesson file; body line k is file line k + line_offset."""

    number: int
    slug: str
    filename: str
    title: str
    content_warning: str | None
    markdown: str
    line_offset: int
    reviewed_on: dt.date | None = None  # when an author last checked it against its sources
    sources: tuple[Source, ...] = ()


@dataclass(frozen=True)
class ModuleSource:
    """One module folder, fully read; content_hash identifies this version of it."""

    slug: str
    path: Path
    title: str
    summary: str
    estimated_minutes: int
    pass_mark: int
    objectives: tuple[str, ...]
    sources: tuple[Source, ...]
    quiz: QuizSettings
    version_notes: str
    intro_markdown: str
    lessons: tuple[LessonSource, ...]
    questions: tuple[QuestionSource, ...]
    content_hash: str
    intro_line_offset: int = 0
    law_change: LawChangeSource | None = None
    pocket_card: PocketCard | None = None


@dataclass(frozen=True)
class CourseSource:
    """A course from courses.yml: an ordered list of module slugs."""

    slug: str
    title: str
    audience: str
    description: str
    certificate_valid_months: int | None
    modules: tuple[str, ...]
    line: int
    module_lines: tuple[int, ...] = ()


@dataclass(frozen=True)
class ContentTree:
    """Every module (by slug) and course read from a content folder, and its glossary if any."""

    modules: dict[str, ModuleSource]
    courses: tuple[CourseSource, ...]
    glossary: Glossary | None = None


def shown_path(path: Path, root: Path) -> str:
    """Return a path as reported: relative to the content root's parent, with '/'."""
    try:
        return path.relative_to(root.parent).as_posix()
    except ValueError:
        return path.as_posix()


def module_folders(root: Path) -> list[Path]:
    """Return the module folders under root/modules, sorted by name."""
    base = root / "modules"
    if not base.is_dir():
        return []
    return sorted(p for p in base.iterdir() if p.is_dir() and not p.name.startswith("."))


def read_tree(root: Path, problems: list[Problem]) -> ContentTree:
    """Read every module and the course list, appending each problem found; never raises."""
    root = Path(root)
    glossary_path = root / GLOSSARY_FILE
    glossary = read_glossary(glossary_path, shown_path(glossary_path, root), problems)
    modules = {}
    for folder in module_folders(root):
        module = read_module(folder, root, problems)
        if module is not None:
            modules[module.slug] = module
    topics_path = root / TOPICS_FILE
    topics = read_topics(topics_path, shown_path(topics_path, root), problems)
    if topics is not None:
        problems.extend(unnamed_tags(topics, modules.values()))
    return ContentTree(modules, read_courses(root / "courses.yml", root, problems), glossary)


def read_module(folder: Path, root: Path, problems: list[Problem]) -> ModuleSource | None:
    """Read one module folder; return None if its module.md is unusable."""
    shown = shown_path(folder / "module.md", root)
    if not SLUG.match(folder.name):
        message = Message(N_("module folder name must be lowercase letters, digits and hyphens"))
        problems.append(Problem(shown, 1, message))
    lessons = _read_lessons(folder, root, problems)
    questions: tuple[QuestionSource, ...] = ()
    quiz_path = folder / "quiz.md"
    if quiz_path.is_file():
        quiz_shown = shown_path(quiz_path, root)
        try:
            questions = parse_quiz(read_text(quiz_path, quiz_shown), quiz_shown, problems)
        except ContentError as exc:
            problems.append(exc.to_problem())
    if not (folder / "module.md").is_file():
        problems.append(Problem(shown, 1, Message(N_("%(file)s is missing"), file="module.md")))
        return None
    try:
        doc = split_front_matter(read_text(folder / "module.md", shown), shown)
    except ContentError as exc:
        problems.append(exc.to_problem())
        return None
    if not doc.has_front_matter:
        problems.append(
            Problem(shown, 1, Message(N_("missing front matter: the file must start with '---'")))
        )
        return None
    if not lessons:
        problems.append(Problem(shown, 1, Message(N_("empty module: no lesson files (01-slug.md)"))))
    fields = Fields(shown, doc.meta, doc.lines, problems)
    fields.check_keys(MODULE_KEYS, MODULE_REQUIRED)
    return ModuleSource(
        slug=folder.name,
        path=folder,
        title=fields.text("title") or "",
        summary=fields.text("summary") or "",
        estimated_minutes=fields.integer("estimated_minutes", 0, 1) or 0,
        pass_mark=fields.integer("pass_mark", 0, 1, 100) or 0,
        objectives=fields.strings("objectives"),
        sources=_sources(fields),
        quiz=_quiz_settings(fields),
        version_notes=fields.text("version_notes", "") or "",
        intro_markdown=doc.body,
        lessons=lessons,
        questions=questions,
        content_hash=module_hash(folder),
        intro_line_offset=doc.body_offset,
        law_change=read_law_change(fields),
        pocket_card=read_pocket_card(fields),
    )


def _reviewed_on(fields: Fields) -> dt.date | None:
    """A lesson's review date: a YAML date (2026-12-02), never a datetime."""
    value = fields.data.get("reviewed_on")
    if value is None:
        return None
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        fields.add("reviewed_on", Message(N_("'reviewed_on' must be a date written as YYYY-MM-DD")))
        return None
    return value


def _sources(fields: Fields) -> tuple[Source, ...]:
    out = []
    for index, item in enumerate(fields.items("sources")):
        line = fields.lines.get(("sources", index), fields.line_of("sources"))
        if isinstance(item, str) and item.strip():
            out.append(Source(item.strip(), None))
            continue
        if not isinstance(item, dict):
            fields.problems.append(Problem(fields.shown, line, Message(N_("each source needs a 'title'"))))
            continue
        sub = Fields(
            fields.shown,
            item,
            fields.lines,
            fields.problems,
            line,
            ("sources", index),
            Message(N_(" in a source")),
        )
        sub.check_keys(("title", "url"), ("title",))
        url = sub.text("url")
        if url is not None and not re.match(r"^https?://", url):
            sub.add("url", Message(N_("source 'url' must start with https:// or http://")))
        title = sub.text("title")
        if title:
            out.append(Source(title, url))
    return tuple(out)


def _quiz_settings(fields: Fields) -> QuizSettings:
    if "quiz" not in fields.data:
        return QuizSettings()
    sub = fields.sub("quiz", Message(N_(" in '%(key)s'"), key="quiz"))
    if sub is None:
        return QuizSettings()
    sub.check_keys(QUIZ_KEYS, ())
    return QuizSettings(
        questions_per_attempt=sub.integer("questions_per_attempt", None, 1),
        attempts_allowed=sub.integer("attempts_allowed", 0, 0) or 0,
        cooldown_minutes=sub.integer("cooldown_minutes", 0, 0) or 0,
        show_feedback=sub.boolean("show_feedback", True),
        include=sub.strings("include"),
        own_questions_per_attempt=sub.integer("own_questions_per_attempt", None, 1),
    )


def _read_lessons(folder: Path, root: Path, problems: list[Problem]) -> tuple[LessonSource, ...]:
    lessons: list[LessonSource] = []
    for path in sorted(folder.glob("*.md")):
        if path.name in ("module.md", "quiz.md"):
            continue
        shown = shown_path(path, root)
        match = LESSON_FILE.match(path.name)
        if match is None:
            problems.append(
                Problem(shown, 1, Message(N_("lesson file name must look like 01-lesson-slug.md")))
            )
            continue
        try:
            doc = split_front_matter(read_text(path, shown), shown)
        except ContentError as exc:
            problems.append(exc.to_problem())
            continue
        fields = Fields(shown, doc.meta, doc.lines, problems)
        fields.check_keys(LESSON_KEYS, ())
        title = fields.text("title")
        if doc.meta.get("title") is None:
            problems.append(Problem(shown, 1, Message(N_("lesson has no title (front matter 'title: ...')"))))
        lessons.append(
            LessonSource(
                int(match.group(1)),
                match.group(2),
                path.name,
                title or "",
                fields.text("content_warning"),
                doc.body,
                doc.body_offset,
                _reviewed_on(fields),
                _sources(fields),
            )
        )
    return tuple(lessons)


def read_courses(path: Path, root: Path, problems: list[Problem]) -> tuple[CourseSource, ...]:
    """Read courses.yml (a list of courses, or a mapping with a 'courses' list)."""
    shown = shown_path(path, root)
    if not path.is_file():
        problems.append(Problem(shown, 1, Message(N_("%(file)s is missing"), file="courses.yml")))
        return ()
    try:
        data, lines = parse_yaml(read_text(path, shown), shown)
    except ContentError as exc:
        problems.append(exc.to_problem())
        return ()
    prefix: tuple = ()
    if isinstance(data, dict) and set(data) == {"courses"}:
        data, prefix = data["courses"], ("courses",)
    if not isinstance(data, list):
        problems.append(
            Problem(shown, 1, Message(N_("courses.yml must be a list of courses under 'courses:'")))
        )
        return ()
    courses = []
    for index, item in enumerate(data):
        line = lines.get((*prefix, index), 1)
        if not isinstance(item, dict):
            problems.append(Problem(shown, line, Message(N_("each course must be 'key: value' lines"))))
            continue
        fields = Fields(shown, item, lines, problems, line, (*prefix, index), Message(N_(" in a course")))
        fields.check_keys(COURSE_KEYS, COURSE_REQUIRED)
        slug = fields.text("slug") or ""
        if slug and not SLUG.match(slug):
            fields.add(
                "slug",
                Message(N_("course slug '%(slug)s' must be lowercase letters, digits, hyphens"), slug=slug),
            )
        modules = fields.strings("modules")
        if "modules" in item and not modules:
            fields.add("modules", Message(N_("course '%(slug)s' has no modules"), slug=slug))
        module_lines = tuple(lines.get((*prefix, index, "modules", i), line) for i in range(len(modules)))
        courses.append(
            CourseSource(
                slug,
                fields.text("title") or "",
                fields.text("audience", "") or "",
                fields.text("description", "") or "",
                fields.integer("certificate_valid_months", None, 1),
                modules,
                line,
                module_lines,
            )
        )
    return tuple(courses)
