"""Translations of the content files made of entries: content/<language>/courses.yml (each
course's title, audience and description) and content/<language>/glossary.yml (each term's
definition, and its name where it has one in the language). Pure: no Flask, no database.

    translation: machine-drafted    # until a speaker has checked it (then: checked by <name>)
    courses:
      - slug: first-responder
        source_hash: 3f1c9a0b2d4e5f60   # flask content source-hash content/courses.yml
        title: ...

Each entry records the hash of the English it was made from (`entry_hash` of the English
entry's translated fields), like a module translation's source_hash: `check_entries` warns when
the English has changed since, and `current` leaves that entry out, so a reader gets the English.
A translation is not in a course's hash: translating a course gives it no new version.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from app.content.errors import Problem
from app.content.frontmatter import Fields, read_yaml_file
from app.content.translations import MACHINE_DRAFTED, translation_hash
from app.formatting import N_
from app.messages import Message


@dataclass(frozen=True)
class Kind:
    """A file of entries: its name, its list, the key naming an entry and the fields translated."""

    filename: str
    list_key: str
    key: str
    fields: tuple[str, ...]
    required: tuple[str, ...]
    noun: str


COURSES = Kind(
    "courses.yml", "courses", "slug", ("title", "audience", "description"), ("title",), Message(N_("course"))
)
# A term with no `term:` keeps its English name (an Act, a named scheme), marked lang="en".
GLOSSARY = Kind(
    "glossary.yml", "terms", "id", ("term", "definition"), ("definition",), Message(N_("glossary entry"))
)


@dataclass(frozen=True)
class TranslatedEntry:
    """One translated entry: its key (slug, id), the English hash it records, its texts."""

    key: str
    source_hash: str
    texts: tuple[tuple[str, str], ...]  # (field, translated text) for each field given
    line: int

    def text(self, field: str) -> str | None:
        """The translated text of a field, or None if it is not translated."""
        return dict(self.texts).get(field)


@dataclass(frozen=True)
class EntryTranslation:
    """A file of translated entries, as read."""

    language: str
    shown: str
    machine_drafted: bool
    entries: tuple[TranslatedEntry, ...]


def entry_hash(texts: Iterable[str | None]) -> str:
    """The source_hash of an English entry: its translated fields' texts, in order."""
    return translation_hash("\n\n".join(t or "" for t in texts).encode())


def english_hash(kind: Kind, english: dict[str, str | None]) -> str:
    """The source_hash a translation of this English entry ({field: text}) records."""
    return entry_hash(english.get(f) for f in kind.fields)


def translation_path(root: Path, language: str, kind: Kind) -> Path:
    """Where the translation of a content file lives: content/<language>/<file>."""
    return Path(root) / language / kind.filename


def read_entries(
    root: Path, language: str, kind: Kind, shown: str, problems: list[Problem]
) -> EntryTranslation | None:
    """content/<language>/<file> (None if there is none), appending each problem found."""
    read = read_yaml_file(translation_path(root, language, kind), shown, problems)
    if read is None:
        return None
    data, lines = read
    if not (isinstance(data, dict) and isinstance(data.get(kind.list_key), list)):
        problems.append(
            Problem(
                shown,
                1,
                Message(
                    N_("a translation of %(file)s lists entries under '%(key)s:'"),
                    file=kind.filename,
                    key=kind.list_key,
                ),
            )
        )
        return None
    top = Fields(shown, data, lines, problems)
    top.check_keys(("translation", kind.list_key), (kind.list_key,))
    entries = []
    for index, item in enumerate(data[kind.list_key]):
        path = (kind.list_key, index)
        line = lines.get(path, 1)
        if not isinstance(item, dict):
            problems.append(Problem(shown, line, Message(N_("each entry must be 'key: value' lines"))))
            continue
        fields = Fields(
            shown, item, lines, problems, line, path, Message(N_(" in a translated %(noun)s"), noun=kind.noun)
        )
        fields.check_keys((kind.key, "source_hash", *kind.fields), (kind.key, "source_hash", *kind.required))
        key = fields.text(kind.key)
        source = str(item.get("source_hash") or "")
        if "source_hash" in item and not _is_hash(source):
            fields.add(
                "source_hash", Message(N_("'source_hash' must be the English entry's hash (16 hex digits)"))
            )
        texts = tuple((f, text) for f in kind.fields if (text := fields.text(f)))
        if key:
            entries.append(TranslatedEntry(key, source, texts, line))
    drafted = str(data.get("translation") or "") == MACHINE_DRAFTED
    return EntryTranslation(language, shown, drafted, tuple(entries))


def _is_hash(value: str) -> bool:
    return len(value) == 16 and all(c in "0123456789abcdef" for c in value)


def check_entries(
    translation: EntryTranslation, english: dict[str, dict[str, str | None]], kind: Kind
) -> list[Problem]:
    """Errors for an entry with no English counterpart (or twice, or a field the English has not);
    warnings for an entry whose English has changed since it was translated."""
    problems = []
    seen: set[str] = set()
    for entry in translation.entries:
        where = Message(N_("%(noun)s '%(key)s'"), noun=kind.noun, key=entry.key)
        if entry.key in seen:
            problems.append(
                Problem(
                    translation.shown, entry.line, Message(N_("%(where)s is translated twice"), where=where)
                )
            )
        seen.add(entry.key)
        source = english.get(entry.key)
        if source is None:
            message = Message(
                N_("no English %(noun)s has %(field)s '%(key)s'"),
                noun=kind.noun,
                field=kind.key,
                key=entry.key,
            )
            problems.append(Problem(translation.shown, entry.line, message))
            continue
        for field, _ in entry.texts:
            if not source.get(field):
                message = Message(
                    N_("%(where)s: '%(field)s' is translated but the English has none"),
                    where=where,
                    field=field,
                )
                problems.append(Problem(translation.shown, entry.line, message))
        now = english_hash(kind, source)
        if entry.source_hash and entry.source_hash != now:
            message = Message(
                N_(
                    "out of date: the English of %(where)s has changed since it was translated "
                    "(source_hash %(old)s, the English is now %(new)s)"
                ),
                where=where,
                old=entry.source_hash,
                new=now,
            )
            problems.append(Problem(translation.shown, entry.line, message, "warning"))
    return problems


def current(
    translation: EntryTranslation | None, english: dict[str, dict[str, str | None]], kind: Kind
) -> dict[str, TranslatedEntry]:
    """The entries (by key) whose English is as it was when they were translated."""
    if translation is None:
        return {}
    return {
        entry.key: entry
        for entry in translation.entries
        if entry.key in english and entry.source_hash == english_hash(kind, english[entry.key])
    }


def course_english(courses) -> dict[str, dict[str, str | None]]:
    """The English of each course (app.content.loader.CourseSource) by slug, as COURSES translates it."""
    return {c.slug: {f: getattr(c, f) for f in COURSES.fields} for c in courses}


def glossary_english(glossary) -> dict[str, dict[str, str | None]]:
    """The English of each glossary entry (app.content.glossary.Entry) by id, as GLOSSARY translates it."""
    if glossary is None:
        return {}
    return {e.id: {f: getattr(e, f) for f in GLOSSARY.fields} for e in glossary.entries}


def load_entries(root: Path | str, language: str, kind: Kind) -> EntryTranslation | None:
    """content/<language>/<file> as it is now (cached while unchanged); None if there is none or it
    has any problem (`flask content check` names it): the English is shown instead."""
    path = translation_path(Path(root), language, kind)
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return _load(Path(root), language, kind, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=8)
def _load(root: Path, language: str, kind: Kind, _mtime_ns: int, _size: int) -> EntryTranslation | None:
    problems: list[Problem] = []
    found = read_entries(root, language, kind, f"{language}/{kind.filename}", problems)
    return None if problems else found
