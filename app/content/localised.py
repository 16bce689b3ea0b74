"""Training content in the reader's language: a module version's stored translation (app.content
.models.ModuleTranslation) where there is one and it is current, else the English.

Each function takes English rows (a ModuleVersion, a Lesson, Questions) and returns stand-ins with
the same attributes, the translated text put in: pages and scoring use them as they are. Text in
another language than English is a `Localised` string carrying its `language`, so the `|english`
filter (app.i18n) does not mark it lang="en". What is out of date (its English changed since it
was translated) stays English: `translated` says which.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from flask import g, has_app_context
from markupsafe import Markup

from app.content.entry_translations import GLOSSARY, current, load_entries
from app.content.glossary import definition_html, render_definition
from app.content.models import Course, CourseTranslation, ModuleTranslation
from app.extensions import db

ENGLISH = "en"
QUIZ_FILE = "quiz.md"
MODULE_FILE = "module.md"


class Localised(Markup):
    """Text (safe HTML or plain) in a known language; machine_drafted: not yet checked by a speaker."""

    language: str = ENGLISH
    machine_drafted: bool = False

    def __new__(cls, text, language: str, machine_drafted: bool = False):
        made = super().__new__(cls, text)
        made.language = language
        made.machine_drafted = machine_drafted
        return made


def _text(value: str, language: str) -> Localised:
    return Localised(value, language)


def translation(version_id: int, language: str) -> ModuleTranslation | None:
    """The stored translation of a module version into `language` (None for English or none)."""
    if language == ENGLISH:
        return None
    return db.session.scalar(
        db.select(ModuleTranslation).where(
            ModuleTranslation.module_version_id == version_id, ModuleTranslation.language == language
        )
    )


class _Stand:
    """A question row with some attributes replaced; everything else read from the row."""

    def __init__(self, row, translated: bool, **replaced):
        self._row = row
        self.translated = translated
        self.__dict__.update(replaced)

    def __getattr__(self, name):
        return getattr(self._row, name)


def _lesson_file(lesson) -> str:
    return f"{lesson.number:02d}-{lesson.slug}.md"


def version(view, language: str):
    """A module version's view (app.courses.queries.VersionView) in `language`: its title,
    summary, objectives and intro where module.md's translation is current, each lesson where
    that lesson's is; the rest as it is, in English (its `language` says which)."""
    found = translation(view.id, language)
    if found is None:
        return view
    lessons = {entry["number"]: entry for entry in found.lessons}
    localised = []
    for lesson in view.lessons:
        entry = lessons.get(lesson.number)
        if entry is None or _lesson_file(lesson) in found.out_of_date:
            localised.append(lesson)
            continue
        localised.append(
            replace(
                lesson,
                title=_text(entry["title"], language),
                html=_text(entry["html"], language),
                content_warning=_text(entry["content_warning"], language)
                if entry["content_warning"]
                else None,
                language=language,
            )
        )
    if MODULE_FILE in found.out_of_date:
        return replace(view, lessons=tuple(localised), machine_drafted=found.machine_drafted)
    return replace(
        view,
        machine_drafted=found.machine_drafted,
        title=_text(found.title, language),
        summary=_text(found.summary, language),
        objectives=tuple(_text(o, language) for o in found.objectives),
        intro_html=_text(found.intro_html, language),
        lessons=tuple(localised),
        language=language,
    )


def questions(rows: list, language: str) -> list:
    """Questions (of any module versions) with their scenario and options in `language` where
    the version's quiz translation is stored and current. Keys and right answers are the
    English ones: scoring does not change."""
    if language == ENGLISH:
        return [_Stand(q, False) for q in rows]
    found = {
        version_id: translation(version_id, language) for version_id in {q.module_version_id for q in rows}
    }
    out = []
    for row in rows:
        translated = found.get(row.module_version_id)
        entry = translated.questions.get(row.key) if translated is not None else None
        if entry is None or QUIZ_FILE in translated.out_of_date:
            out.append(_Stand(row, False))
            continue
        options = []
        for option in row.options:
            text = entry["options"].get(option["key"], {})
            options.append(
                {
                    **option,
                    "html": _text(text.get("html", option["html"]), language),
                    "feedback_html": _text(
                        text.get("feedback_html", option.get("feedback_html", "")), language
                    ),
                }
            )
        out.append(_Stand(row, True, scenario_html=_text(entry["scenario_html"], language), options=options))
    return out


COURSE_FIELDS = ("title", "audience", "description")


def course_texts(language: str) -> dict[str, Localised]:
    """Each course's English title, audience and description -> its text in `language`, for the
    courses whose stored translation is current (once per request). Keyed by the English text, so
    a certificate's course title as issued is translated only while the course still has it."""
    if language == ENGLISH:
        return {}
    cache = g.setdefault("course_texts", {}) if has_app_context() else {}
    if language not in cache:
        rows = db.session.execute(
            db.select(CourseTranslation, Course)
            .join(Course, Course.id == CourseTranslation.course_id)
            .where(CourseTranslation.language == language, CourseTranslation.out_of_date.is_(False))
        )
        found = {}
        for translated, course in rows:
            for name in COURSE_FIELDS:
                english, text = getattr(course, name), getattr(translated, name)
                if english and text:
                    found[english] = Localised(
                        Markup.escape(text), language, machine_drafted=translated.machine_drafted
                    )
        cache[language] = found
    return cache[language]


def course_text(english: str | None, language: str):
    """A course's title, audience or description (as English text) in `language` where its
    translation is current; else the English as it is (the `|english` filter marks it)."""
    if not english:
        return english
    return course_texts(language).get(str(english), english)


@dataclass(frozen=True)
class GlossaryText:
    """The glossary's names and definitions (HTML) by entry id, each in the language where its
    translation is current, else the English; machine_drafted: any translation shown is a draft;
    untranslated: how many entries are shown in English."""

    terms: dict
    definitions: dict
    headings: dict
    machine_drafted: bool
    untranslated: int


def glossary(entries, content_dir, language: str) -> GlossaryText:
    """Glossary entries (app.content.glossary.Entry) in `language`, from content/<language>/
    glossary.yml where an entry's translation is current (its English unchanged). A term given no
    name there keeps its English one (an Act, a named scheme), marked lang="en" on the page."""
    translated = {}
    drafted = False
    if language != ENGLISH:
        found = load_entries(content_dir, language, GLOSSARY)
        english = {e.id: {f: getattr(e, f) for f in GLOSSARY.fields} for e in entries}
        translated = current(found, english, GLOSSARY)
        drafted = bool(translated) and found.machine_drafted
    terms, definitions, headings = {}, {}, {}
    for entry in entries:
        welsh = translated.get(entry.id)
        name = welsh.text("term") if welsh else None
        terms[entry.id] = _text(name, language) if name else entry.term
        definitions[entry.id] = (
            _text(render_definition(welsh.text("definition")), language) if welsh else definition_html(entry)
        )
        term = str(terms[entry.id])
        headings[entry.id] = (
            _text(f"{term} ({entry.abbreviation})" if entry.abbreviation else term, language)
            if name
            else entry.heading
        )
    untranslated = sum(1 for e in entries if e.id not in translated) if language != ENGLISH else 0
    return GlossaryText(terms, definitions, headings, drafted, untranslated)
