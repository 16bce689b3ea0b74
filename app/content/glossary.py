"""The glossary (content/glossary.yml): read and checked with file lines, rendered, and the linker
that turns the first use of each term in a lesson into a link to its entry. Pure."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from app.content.errors import ContentInvalid, Problem
from app.content.frontmatter import SLUG, Fields, read_yaml_file
from app.content.rendering import parse_markdown, render_markdown, url_kind, walk_inline
from app.content.term_links import GLOSSARY_URL, Term, TermLinker
from app.formatting import N_
from app.messages import Message

FILENAME = "glossary.yml"
ENTRY_KEYS = ("id", "term", "abbreviation", "also", "definition", "see_also")
ENTRY_REQUIRED = ("id", "term", "definition")
# Ids already used on every page (app/templates/base.html): an entry's anchor must not clash.
RESERVED_IDS = frozenset({"main", "session-warning", "session-warning-title", "session-warning-text"})
# A definition may link to a lesson: modules/<slug>/<NN-lesson>.md, optionally with #heading.
LESSON_LINK = re.compile(r"^modules/([a-z0-9]+(?:-[a-z0-9]+)*)/(\d{2})-[a-z0-9-]+\.md(?:#(.*))?$")
_EDGE = re.compile(r"^\w.*\w$|^\w$", re.DOTALL)


@dataclass(frozen=True)
class Entry:
    """One glossary term; `line` is where it starts in glossary.yml."""

    id: str
    term: str
    abbreviation: str | None
    also: tuple[str, ...]
    definition: str
    see_also: tuple[str, ...]
    line: int
    definition_line: int

    @property
    def heading(self) -> str:
        """The entry as listed: 'National Referral Mechanism (NRM)'."""
        return f"{self.term} ({self.abbreviation})" if self.abbreviation else self.term

    @property
    def forms(self) -> tuple[str, ...]:
        """Every wording that counts as a use of the term in a lesson."""
        return (self.term, *((self.abbreviation,) if self.abbreviation else ()), *self.also)


@dataclass(frozen=True)
class Glossary:
    """Every entry of the glossary, in file order."""

    entries: tuple[Entry, ...]
    shown: str = FILENAME

    def alphabetical(self) -> list[Entry]:
        """The entries sorted by term, ignoring case."""
        return sorted(self.entries, key=lambda e: (e.term.casefold(), e.id))

    def by_id(self) -> dict[str, Entry]:
        """The entries by id."""
        return {e.id: e for e in self.entries}

    def linker(self, base_url: str = GLOSSARY_URL) -> TermLinker:
        """The linker for lessons: each entry's forms link to base_url#<id>."""
        return TermLinker((Term(e.id, f"Glossary: {e.heading}", e.forms) for e in self.entries), base_url)


def resolve_lesson_link(href: str) -> str | None:
    """modules/<slug>/NN-x.md#anchor in a definition -> /modules/<slug>/lessons/N#anchor."""
    match = LESSON_LINK.match(href)
    if match is None:
        return None
    slug, number, anchor = match.groups()
    return f"/modules/{slug}/lessons/{int(number)}" + (f"#{anchor}" if anchor else "")


def definition_html(entry: Entry) -> str:
    """An entry's definition as sanitised HTML."""
    return render_definition(entry.definition)


def render_definition(markdown: str) -> str:
    """A definition (English or translated) as sanitised HTML, its lesson links resolved."""
    return render_markdown(markdown, resolve_link=resolve_lesson_link).html


def read_glossary(path: Path, shown: str, problems: list[Problem]) -> Glossary | None:
    """Read glossary.yml, appending every problem; None if the file is absent or unreadable."""
    read = read_yaml_file(path, shown, problems)
    if read is None:
        return None
    data, lines = read
    prefix: tuple = ("terms",)
    if not (isinstance(data, dict) and set(data) == {"terms"} and isinstance(data["terms"], list)):
        problems.append(
            Problem(shown, 1, Message(N_("glossary.yml must be a list of entries under 'terms:'")))
        )
        return None
    entries = []
    for index, item in enumerate(data["terms"]):
        line = lines.get((*prefix, index), 1)
        if not isinstance(item, dict):
            problems.append(
                Problem(shown, line, Message(N_("each glossary entry must be 'key: value' lines")))
            )
            continue
        entry = _read_entry(
            Fields(shown, item, lines, problems, line, (*prefix, index), Message(N_(" in an entry")))
        )
        if entry is not None:
            entries.append(entry)
    glossary = Glossary(tuple(entries), shown)
    problems += _cross_checks(glossary)
    return glossary


def _read_entry(fields: Fields) -> Entry | None:
    fields.check_keys(ENTRY_KEYS, ENTRY_REQUIRED)
    entry_id = fields.text("id")
    if entry_id is not None and not SLUG.match(entry_id):
        fields.add(
            "id",
            Message(N_("glossary id '%(id)s' must be lowercase letters, digits and hyphens"), id=entry_id),
        )
        entry_id = None
    elif entry_id in RESERVED_IDS:
        fields.add(
            "id", Message(N_("glossary id '%(id)s' is used by every page; choose another"), id=entry_id)
        )
        entry_id = None
    term = fields.text("term")
    definition = fields.text("definition")
    abbreviation = fields.text("abbreviation")
    also = fields.strings("also")
    see_also = fields.strings("see_also")
    for key, form in [("term", term), ("abbreviation", abbreviation), *(("also", a) for a in also)]:
        if form is not None and not _EDGE.match(form):
            fields.add(
                key,
                Message(
                    N_("'%(form)s' must start and end with a letter or digit, to match whole words"),
                    form=form,
                ),
            )
    for finding in render_markdown(definition or "", resolve_link=resolve_lesson_link).findings:
        fields.add("definition", Message(N_("definition: %(problem)s"), problem=finding.message))
    for href in relative_links(definition or ""):
        if resolve_lesson_link(href) is None:
            message = Message(
                N_("definition links to '%(href)s': link a lesson as modules/<slug>/NN-lesson.md#heading"),
                href=href,
            )
            fields.add("definition", message)
    if entry_id is None or term is None or definition is None:
        return None
    return Entry(
        entry_id,
        term,
        abbreviation,
        also,
        definition,
        see_also,
        fields.line,
        fields.line_of("definition"),
    )


def relative_links(markdown: str) -> list[str]:
    """The relative link addresses in some Markdown."""
    return [
        str(child.attrGet("href") or "")
        for child, _ in walk_inline(parse_markdown(markdown))
        if child.type == "link_open" and url_kind(str(child.attrGet("href") or "")) == "relative"
    ]


def _cross_checks(glossary: Glossary) -> list[Problem]:
    """Ids and wordings used once each; 'see_also' names other entries."""
    problems = []
    ids: dict[str, Entry] = {}
    forms: dict[str, Entry] = {}
    for entry in glossary.entries:
        if entry.id in ids:
            message = Message(
                N_("duplicate glossary id '%(id)s' (also at line %(line)s)"),
                id=entry.id,
                line=ids[entry.id].line,
            )
            problems.append(Problem(glossary.shown, entry.line, message))
        ids.setdefault(entry.id, entry)
        for form in entry.forms:
            key = " ".join(form.casefold().split())
            other = forms.get(key)
            if other is not None and other is not entry:
                message = Message(
                    N_("'%(form)s' is a wording of '%(id)s' too (line %(line)s): use it once"),
                    form=form,
                    id=other.id,
                    line=other.line,
                )
                problems.append(Problem(glossary.shown, entry.line, message))
            forms.setdefault(key, entry)
    for entry in glossary.entries:
        for ref in entry.see_also:
            if ref == entry.id or ref not in ids:
                message = Message(
                    N_("'%(id)s' has see_also '%(ref)s': no other entry has that id"), id=entry.id, ref=ref
                )
                problems.append(Problem(glossary.shown, entry.line, message))
    return problems


def load_glossary(path: Path | str) -> Glossary | None:
    """The glossary file as it is now (cached while the file is unchanged); None if there is none.

    Raises ContentInvalid if it has errors (the content check reports them too).
    """
    path = Path(path)
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return _load(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=4)
def _load(path: Path, _mtime_ns: int, _size: int) -> Glossary | None:
    problems: list[Problem] = []
    glossary = read_glossary(path, path.name, problems)
    if problems:
        raise ContentInvalid(problems)
    return glossary
