"""Sync a checked content tree into the database: new module versions, courses, unpublishing.

`sync_folder(root)` checks the folder and raises ContentInvalid (nothing written) if anything is
wrong; `sync_content(tree, root)` writes a tree that has passed the checks. Both add and flush
only: the caller commits once (or rolls back), so a sync is all or nothing.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from urllib.parse import quote, unquote

from app.clock import utcnow
from app.content.entry_translations import COURSES, course_english, current, read_entries
from app.content.law_changes import section_markdown
from app.content.loader import LESSON_FILE, ContentTree, CourseSource, ModuleSource
from app.content.models import (
    Course,
    CourseModule,
    CourseTranslation,
    Lesson,
    Module,
    ModuleTranslation,
    ModuleVersion,
    Question,
)
from app.content.rendering import render_markdown, url_kind
from app.content.term_links import TermLinker
from app.content.translations import TRANSLATION_LANGUAGES, machine_drafted, out_of_date, read_translation
from app.content.validation import load_tree
from app.events import course_modules_changed, law_change_synced
from app.extensions import db
from app.formatting import N_
from app.messages import Message

ASSET_PREFIX = "/content-assets"
# Added after sanitising (a fixed string): lets keyboard users scroll a wide table.
TABLE_OPEN = '<div class="table-scroll" role="region" aria-label="Table" tabindex="0"><table>'


@dataclass
class SyncSummary:
    """What a sync did, by slug."""

    modules_added: list[str] = field(default_factory=list)
    modules_changed: list[str] = field(default_factory=list)
    modules_unchanged: list[str] = field(default_factory=list)
    modules_unpublished: list[str] = field(default_factory=list)
    lessons_reviewed: list[str] = field(default_factory=list)  # review date or sources changed
    courses_added: list[str] = field(default_factory=list)
    courses_changed: list[str] = field(default_factory=list)
    courses_unchanged: list[str] = field(default_factory=list)
    courses_unpublished: list[str] = field(default_factory=list)
    translations_synced: list[str] = field(default_factory=list)  # "<slug> (cy)", added or changed

    @property
    def changed_anything(self) -> bool:
        """True if the sync wrote anything."""
        return bool(
            self.modules_added
            or self.modules_changed
            or self.modules_unpublished
            or self.lessons_reviewed
            or self.courses_added
            or self.courses_changed
            or self.courses_unpublished
            or self.translations_synced
        )

    def counts(self) -> dict[str, int]:
        """The number of slugs in each list (for the audit log)."""
        return {name: len(value) for name, value in vars(self).items()}

    def lines(self) -> list[Message]:
        """A two-line human summary (English as text, translated on a page: app.messages)."""
        lines = [
            Message(
                N_(
                    "Modules: %(added)s added, %(changed)s changed, %(unchanged)s unchanged, "
                    "%(unpublished)s unpublished."
                ),
                added=len(self.modules_added),
                changed=len(self.modules_changed),
                unchanged=len(self.modules_unchanged),
                unpublished=len(self.modules_unpublished),
            ),
            Message(
                N_(
                    "Courses: %(added)s added, %(changed)s changed, %(unchanged)s unchanged, "
                    "%(unpublished)s unpublished."
                ),
                added=len(self.courses_added),
                changed=len(self.courses_changed),
                unchanged=len(self.courses_unchanged),
                unpublished=len(self.courses_unpublished),
            ),
        ]
        if self.lessons_reviewed:
            lines.append(
                Message(
                    N_("Lessons: %(num)s with a new review date or sources."),
                    num=len(self.lessons_reviewed),
                )
            )
        if self.translations_synced:
            lines.append(
                Message(
                    N_("Translations: %(modules)s synced."),
                    modules=", ".join(self.translations_synced),
                )
            )
        return lines


def sync_folder(root: Path | str, progress: Callable[[str], None] | None = None) -> SyncSummary:
    """Check the content folder, then sync it; raises ContentInvalid (writing nothing) on problems."""
    root = Path(root)
    tree = load_tree(root)
    return sync_content(tree, root, progress)


def sync_steps(tree: ContentTree) -> int:
    """How many progress steps sync_content reports for a tree (modules, then courses)."""
    return len(tree.modules) + 1


def sync_content(
    tree: ContentTree, content_root: Path | str, progress: Callable[[str], None] | None = None
) -> SyncSummary:
    """Write a checked tree: a new version for each changed module, courses upserted.

    Modules and courses missing from the tree are unpublished (their versions are kept). Calls
    `progress(name)` after each module and once after the courses. Adds and flushes; never commits.
    """
    summary = SyncSummary()
    existing = {m.slug: m for m in db.session.scalars(db.select(Module))}
    terms = tree.glossary.linker() if tree.glossary is not None else None
    for slug in sorted(tree.modules):
        source = tree.modules[slug]
        outcome = _sync_module(source, existing.get(slug), terms)
        getattr(summary, f"modules_{outcome}").append(slug)
        summary.translations_synced += _sync_translations(source)
        summary.lessons_reviewed += _sync_reviews(source)
        if progress:
            progress(slug)
    for slug, module in sorted(existing.items()):
        if slug not in tree.modules and module.published:
            module.published = False
            summary.modules_unpublished.append(slug)
    db.session.flush()
    regrouped = _sync_courses(tree, summary)
    db.session.flush()
    summary.translations_synced += _sync_course_translations(tree, Path(content_root))
    for slug in sorted(tree.modules):  # after the courses: who holds a certificate covering it
        if tree.modules[slug].law_change is not None:
            _announce_law_change(tree.modules[slug])
    for course_id in sorted(regrouped):  # a course's modules changed: who has started it
        course_modules_changed.send(None, course_id=course_id)
    if progress:
        progress("courses")
    return summary


def _sync_module(source: ModuleSource, module: Module | None, terms: TermLinker | None = None) -> str:
    """Bring one module up to date; return 'added', 'changed' or 'unchanged'."""
    outcome = "unchanged"
    if module is None:
        module = Module(slug=source.slug, published=True)
        db.session.add(module)
        db.session.flush()
        outcome = "added"
    elif not module.published:
        module.published = True
        outcome = "changed"
    version = db.session.scalar(
        db.select(ModuleVersion).where(
            ModuleVersion.module_id == module.id, ModuleVersion.content_hash == source.content_hash
        )
    )
    if version is None:
        previous = (
            db.session.scalar(
                db.select(db.func.max(ModuleVersion.number)).where(ModuleVersion.module_id == module.id)
            )
            or 0
        )
        version = build_version(source, module, previous + 1, terms)
        outcome = "changed" if outcome == "unchanged" else outcome
    if module.current_version_id != version.id:
        module.current_version = version
        outcome = "changed" if outcome == "unchanged" else outcome
    return outcome


def _sync_translations(source: ModuleSource) -> list[str]:
    """Store each translation of the module (checked already) with its current version, rendered
    as the English is; remove one whose folder is gone. Returns "<slug> (<language>)" for each
    added, changed or removed."""
    module = db.session.scalar(db.select(Module).where(Module.slug == source.slug))
    version = module.current_version
    link = link_resolver(source.slug)
    image = image_resolver(source.slug, version.number)

    def html(text: str) -> str:
        return wrap_tables(render_markdown(text or "", link, image).html)

    numbers = {lesson.filename: lesson.number for lesson in source.lessons}
    synced = []
    for language in TRANSLATION_LANGUAGES:
        existing = db.session.scalar(
            db.select(ModuleTranslation).where(
                ModuleTranslation.module_version_id == version.id, ModuleTranslation.language == language
            )
        )
        translation = read_translation(source.path, language, source.slug, [])
        if translation is None or translation.module is None:
            if existing is not None:
                db.session.delete(existing)
                synced.append(f"{source.slug} ({language}, removed)")
            continue
        meta = translation.module.meta
        values = {
            "title": str(meta.get("title") or source.title),
            "summary": str(meta.get("summary") or ""),
            "objectives": [str(o) for o in meta.get("objectives") or []],
            "intro_html": html(translation.module.body),
            "lessons": [
                {
                    "number": numbers[lesson.name],
                    "title": str(lesson.meta.get("title") or ""),
                    "content_warning": lesson.meta.get("content_warning") or None,
                    "html": html(lesson.body),
                }
                for lesson in translation.lessons
                if lesson.name in numbers
            ],
            "questions": {
                question.key: {
                    "scenario_html": html(question.scenario_markdown),
                    "options": {
                        o.key: {"html": html(o.markdown), "feedback_html": html(o.feedback_markdown)}
                        for o in question.options
                    },
                }
                for question in translation.questions
            },
            "out_of_date": out_of_date(source.path, translation),
            "machine_drafted": machine_drafted(translation),
        }
        made = partial(ModuleTranslation, module_version_id=version.id, language=language)
        if _store_translation(existing, made, values):
            synced.append(f"{source.slug} ({language})")
    return synced


def _store_translation(row, made, values: dict) -> bool:
    """Add a translation row (made(**values)) or update `row` in place; False when it already
    holds these values."""
    if row is None:
        db.session.add(made(**values))
        return True
    if all(getattr(row, key) == value for key, value in values.items()):
        return False
    for key, value in values.items():
        setattr(row, key, value)
    row.synced_at = utcnow()
    return True


def _announce_law_change(source: ModuleSource) -> None:
    """Tell listeners (law updates) that the module's current version is marked as a law change."""
    module = db.session.scalar(db.select(Module).where(Module.slug == source.slug))
    version = module.current_version
    change = source.law_change

    def sections() -> list[dict]:
        link = link_resolver(source.slug)
        image = image_resolver(source.slug, version.number)
        lessons = {lesson.filename: lesson for lesson in source.lessons}
        out = []
        for ref in change.sections:
            filename, _, anchor = ref.partition("#")
            lesson = lessons[filename]
            text = section_markdown(lesson.markdown, anchor) if anchor else lesson.markdown
            html = wrap_tables(render_markdown(text or "", link, image).html)
            out.append({"ref": ref, "title": lesson.title, "lesson": lesson.number, "html": html})
        return out

    law_change_synced.send(
        None,
        module_id=module.id,
        version_id=version.id,
        version_number=version.number,
        summary=change.summary,
        question_keys=list(change.questions),
        sections=sections,
    )


def _review_fields(lesson) -> tuple:
    return lesson.reviewed_on, [{"title": s.title, "url": s.url} for s in lesson.sources]


def _sync_reviews(source: ModuleSource) -> list[str]:
    """Set the review date and sources of the synced version's lessons from the files, in place:
    they are outside the hash, so an unchanged version still takes them. Returns 'slug/NN' of each
    lesson whose review fields changed."""
    by_number = {lesson.number: lesson for lesson in source.lessons}
    changed = []
    rows = db.session.scalars(
        db.select(Lesson)
        .join(ModuleVersion, ModuleVersion.id == Lesson.module_version_id)
        .join(Module, Module.id == ModuleVersion.module_id)
        .where(Module.slug == source.slug, ModuleVersion.content_hash == source.content_hash)
    )
    for row in rows:
        lesson = by_number.get(row.number)
        if lesson is None:
            continue
        reviewed_on, sources = _review_fields(lesson)
        if (row.reviewed_on, row.sources or []) != (reviewed_on, sources):
            changed.append(f"{source.slug}/{row.number:02d}")
            row.reviewed_on, row.sources = reviewed_on, sources
    return changed


def build_version(
    source: ModuleSource, module: Module, number: int, terms: TermLinker | None = None
) -> ModuleVersion:
    """Render a module's Markdown once and store it as version `number` (added and flushed).

    With the glossary's `terms`, the first use of each term in a lesson links to its entry. The
    links are stored with the version and are not in its hash (app.content.hashing): a new term
    is linked from a module's next version on, and moves nobody mid-course.
    """
    link = link_resolver(source.slug)
    image = image_resolver(source.slug, number)

    def html(text: str, glossary: TermLinker | None = None) -> str:
        return wrap_tables(render_markdown(text, link, image, glossary).html)

    version = ModuleVersion(
        module_id=module.id,
        number=number,
        content_hash=source.content_hash,
        title=source.title,
        summary=source.summary,
        estimated_minutes=source.estimated_minutes,
        pass_mark=source.pass_mark,
        objectives=list(source.objectives),
        sources=[{"title": s.title, "url": s.url} for s in source.sources],
        intro_html=html(source.intro_markdown),
        quiz_settings={
            "questions_per_attempt": source.quiz.questions_per_attempt,
            "attempts_allowed": source.quiz.attempts_allowed,
            "cooldown_minutes": source.quiz.cooldown_minutes,
            "show_feedback": source.quiz.show_feedback,
            "include": list(source.quiz.include),
            "own_questions_per_attempt": source.quiz.own_questions_per_attempt,
        },
        version_notes=source.version_notes,
        created_at=utcnow(),
    )
    db.session.add(version)
    db.session.flush()
    for lesson in source.lessons:
        db.session.add(
            Lesson(
                module_version_id=version.id,
                number=lesson.number,
                slug=lesson.slug,
                title=lesson.title,
                html=html(lesson.markdown, terms),
                content_warning=lesson.content_warning or None,
                reviewed_on=lesson.reviewed_on,
                sources=_review_fields(lesson)[1],
            )
        )
    # Only this module's own questions: included banks are resolved when an attempt starts.
    for position, question in enumerate(source.questions):
        db.session.add(
            Question(
                module_version_id=version.id,
                key=question.key,
                position=position,
                type=question.type,
                points=float(question.points),
                scenario_html=html(question.scenario_markdown),
                tags=list(question.tags),
                options=[
                    {
                        "key": o.key,
                        "html": html(o.markdown),
                        "correct": o.correct,
                        "feedback_html": html(o.feedback_markdown),
                    }
                    for o in question.options
                ],
                source_module=source.slug,
            )
        )
    db.session.flush()
    return version


def wrap_tables(html: str) -> str:
    """Put each (sanitised) table in a focusable scrolling region, so wide tables fit a phone."""
    return html.replace("<table>", TABLE_OPEN).replace("</table>", "</table></div>")


def link_resolver(module_slug: str) -> Callable[[str], str | None]:
    """Rewrite a relative link between content files into the app's URL (None drops it)."""

    def resolve(href: str) -> str | None:
        path, _, anchor = href.partition("#")
        target = posixpath.normpath(posixpath.join(module_slug, unquote(path)))
        parts = target.split("/")
        if len(parts) != 2 or parts[0] in ("", ".", ".."):
            return None
        slug, filename = parts
        fragment = f"#{quote(unquote(anchor))}" if anchor else ""
        if filename == "module.md":
            return f"/modules/{slug}{fragment}"
        match = LESSON_FILE.match(filename)
        if match is None:
            return None
        return f"/modules/{slug}/lessons/{int(match.group(1))}{fragment}"

    return resolve


def image_resolver(module_slug: str, version_number: int) -> Callable[[str], str | None]:
    """Rewrite an image beside a lesson to /content-assets/<slug>/<version>/<path>."""

    def resolve(src: str) -> str | None:
        if url_kind(src) != "relative":
            return None
        path = posixpath.normpath(unquote(src.partition("#")[0].partition("?")[0]))
        if path.startswith(("../", "/")) or path in (".", ".."):
            return None
        return f"{ASSET_PREFIX}/{module_slug}/{version_number}/{quote(path)}"

    return resolve


def course_hash(course: CourseSource, tree: ContentTree) -> str:
    """Hash of a course definition: its fields, ordered module slugs and their content hashes."""
    payload = {
        "slug": course.slug,
        "title": course.title,
        "audience": course.audience,
        "description": course.description,
        "certificate_valid_months": course.certificate_valid_months,
        "modules": [[slug, tree.modules[slug].content_hash] for slug in course.modules],
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def _sync_courses(tree: ContentTree, summary: SyncSummary) -> set[int]:
    """Upsert the courses; return the ids of courses whose set of modules changed."""
    regrouped = set()
    existing = {c.slug: c for c in db.session.scalars(db.select(Course))}
    modules = {m.slug: m for m in db.session.scalars(db.select(Module))}
    seen = set()
    for source in tree.courses:
        seen.add(source.slug)
        digest = course_hash(source, tree)
        course = existing.get(source.slug)
        if course is None:
            course = Course(
                slug=source.slug,
                version=1,
                content_hash=digest,
                published=True,
                created_at=utcnow(),
                updated_at=utcnow(),
            )
            db.session.add(course)
            summary.courses_added.append(source.slug)
        elif course.content_hash != digest:
            course.version += 1
            course.content_hash = digest
            course.published = True
            course.updated_at = utcnow()
            summary.courses_changed.append(source.slug)
        elif not course.published:
            course.published = True
            course.updated_at = utcnow()
            summary.courses_changed.append(source.slug)
            continue
        else:
            summary.courses_unchanged.append(source.slug)
            continue
        course.title = source.title
        course.audience = source.audience
        course.description = source.description
        course.certificate_valid_months = source.certificate_valid_months
        if _set_course_modules(course, [modules[slug] for slug in source.modules]):
            regrouped.add(course.id)
    for slug, course in sorted(existing.items()):
        if slug not in seen and course.published:
            course.published = False
            course.updated_at = utcnow()
            summary.courses_unpublished.append(slug)
    return regrouped


def _sync_course_translations(tree: ContentTree, root: Path) -> list[str]:
    """Store each course's translation (content/<language>/courses.yml, checked already), noting
    whether its English has changed since; remove those no longer there. The course itself, and
    so its hash and version, is untouched. Returns "course <slug> (<language>)" for each change."""
    courses = {c.slug: c for c in db.session.scalars(db.select(Course))}
    english = course_english(tree.courses)
    synced = []
    for language in TRANSLATION_LANGUAGES:
        translation = read_entries(root, language, COURSES, "", [])
        entries = {e.key: e for e in translation.entries} if translation is not None else {}
        fresh = current(translation, english, COURSES)
        existing = {
            t.course_id: t
            for t in db.session.scalars(
                db.select(CourseTranslation).where(CourseTranslation.language == language)
            )
        }
        for slug, course in sorted(courses.items()):
            row, entry = existing.get(course.id), entries.get(slug)
            if entry is None or slug not in english:
                if row is not None:
                    db.session.delete(row)
                    synced.append(f"course {slug} ({language}, removed)")
                continue
            values = {
                "title": entry.text("title") or "",
                "audience": entry.text("audience") or "",
                "description": entry.text("description") or "",
                "source_hash": entry.source_hash,
                "out_of_date": slug not in fresh,
                "machine_drafted": translation.machine_drafted,
            }
            made = partial(CourseTranslation, course_id=course.id, language=language)
            if _store_translation(row, made, values):
                synced.append(f"course {slug} ({language})")
    return synced


def _set_course_modules(course: Course, modules: list[Module]) -> bool:
    """Reorder, keep, add and remove course_modules rows in place (unique per course and module);
    True if the set of modules changed."""
    current = {cm.module_id: cm for cm in course.course_modules}
    wanted = [m.id for m in modules]
    changed = set(current) != set(wanted)
    for cm in list(course.course_modules):
        if cm.module_id not in wanted:
            course.course_modules.remove(cm)
    db.session.flush()
    for position, module in enumerate(modules):
        row = current.get(module.id)
        if row is None:
            course.course_modules.append(CourseModule(module=module, position=position))
        elif row.position != position:
            row.position = position
    return changed
