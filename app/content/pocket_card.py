"""A module's pocket card: the key points an officer keeps, from `pocket_card:` in module.md. Pure.

The card is a job aid, not part of the course: it is left out of the module's version hash (like a
lesson's review date), so correcting a point moves nobody mid-course, and the PDF is made from the
content folder as it is now (see docs/authoring.md, "Pocket card").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from app.content.errors import ContentError, Problem
from app.content.frontmatter import Fields, read_text, split_front_matter
from app.content.translations import MACHINE_DRAFTED, translation_hash
from app.formatting import N_
from app.messages import Message

KEY = "pocket_card"
CARD_KEYS = ("reviewed_on", "sections")
SECTION_KEYS = ("heading", "points")
# What fits one A6 page at the card's type size (tests/integration/content/test_pocket_card.py
# renders every real card and checks it is one page).
MAX_SECTIONS = 5
MAX_POINTS = 14
MAX_POINT_CHARS = 170
MAX_CHARS = 1450


@dataclass(frozen=True)
class CardSection:
    """A heading and its points."""

    heading: str
    points: tuple[str, ...]


@dataclass(frozen=True)
class PocketCard:
    """A module's key points; reviewed_on is when they were last checked against the lessons."""

    sections: tuple[CardSection, ...]
    reviewed_on: dt.date | None = None

    @property
    def points(self) -> tuple[str, ...]:
        """Every point, in order."""
        return tuple(p for s in self.sections for p in s.points)


def read_pocket_card(fields: Fields) -> PocketCard | None:
    """The module's `pocket_card` (None if absent), recording a problem for anything wrong."""
    if KEY not in fields.data:
        return None
    card = fields.sub(KEY, Message(N_(" in '%(key)s'"), key=KEY))
    if card is None:
        return None
    card.check_keys(CARD_KEYS, ("sections",))
    reviewed_on = card.data.get("reviewed_on")
    if reviewed_on is not None and (
        isinstance(reviewed_on, dt.datetime) or not isinstance(reviewed_on, dt.date)
    ):
        card.add("reviewed_on", Message(N_("'reviewed_on' must be a date written as YYYY-MM-DD")))
        reviewed_on = None
    sections = []
    for index, item in enumerate(card.items("sections")):
        path = (*card.prefix, "sections", index)
        line = card.lines.get(path, card.line_of("sections"))
        if not isinstance(item, dict):
            message = Message(N_("each card section needs a 'heading' and 'points'"))
            fields.problems.append(Problem(fields.shown, line, message))
            continue
        sub = Fields(
            fields.shown, item, card.lines, fields.problems, line, path, Message(N_(" in a card section"))
        )
        sub.check_keys(SECTION_KEYS, SECTION_KEYS)
        heading, points = sub.text("heading"), sub.strings("points")
        if "points" in item and not points:
            sub.add("points", Message(N_("a card section needs at least one point")))
        for number, point in enumerate(points):
            if len(point) > MAX_POINT_CHARS:
                where = sub.lines.get((*path, "points", number), line)
                message = Message(
                    N_("card point is %(size)s characters; at most %(max)s fit the card"),
                    size=len(point),
                    max=MAX_POINT_CHARS,
                )
                fields.problems.append(Problem(fields.shown, where, message))
        if heading and points:
            sections.append(CardSection(heading, points))
    result = PocketCard(tuple(sections), reviewed_on)
    _check_size(card, result)
    return result if sections else None


def _check_size(card: Fields, result: PocketCard) -> None:
    if len(result.sections) > MAX_SECTIONS:
        message = N_("%(count)s card sections; at most %(max)s fit one page")
        card.add("sections", Message(message, count=len(result.sections), max=MAX_SECTIONS))
    if len(result.points) > MAX_POINTS:
        message = N_("%(count)s card points; at most %(max)s fit one page")
        card.add("sections", Message(message, count=len(result.points), max=MAX_POINTS))
    size = sum(len(s.heading) + sum(len(p) for p in s.points) for s in result.sections)
    if size > MAX_CHARS:
        message = N_("the card has %(size)s characters; at most %(max)s fit one page")
        card.add("sections", Message(message, size=size, max=MAX_CHARS))


@dataclass(frozen=True)
class CardSource:
    """What the PDF needs from module.md: the module's title and its card, in `language` (a
    translation's, from <language>/module.md; machine_drafted: not yet checked by a speaker)."""

    title: str
    card: PocketCard
    language: str = "en"
    machine_drafted: bool = False


def same_shape(card: PocketCard, english: PocketCard) -> bool:
    """Whether a translated card has the English's sections, each with as many points."""
    return [len(s.points) for s in card.sections] == [len(s.points) for s in english.sections]


def load_translated_pocket_card(folder: Path, language: str) -> CardSource | None:
    """The card of a module folder's translation (<folder>/<language>/module.md) if it is current:
    its source_hash is the English module.md's as it is now (docs/welsh.md) and it has the English
    card's shape. None otherwise: the English card is printed."""
    english = load_pocket_card(folder / "module.md")
    translated = folder / language / "module.md"
    if english is None or not translated.is_file():
        return None
    found = load_pocket_card(translated)
    if found is None or not same_shape(found.card, english.card):
        return None
    meta = _meta(translated, translated.stat().st_mtime_ns)
    if str(meta.get("source_hash") or "") != translation_hash((folder / "module.md").read_bytes()):
        return None
    drafted = str(meta.get("translation") or "") == MACHINE_DRAFTED
    return CardSource(found.title, found.card, language, drafted)


@lru_cache(maxsize=16)
def _meta(path: Path, _mtime_ns: int) -> dict:
    try:
        return dict(split_front_matter(read_text(path, path.name), path.name).meta)
    except ContentError:
        return {}


def load_pocket_card(module_md: Path) -> CardSource | None:
    """The card in a module.md as the file is now (cached while it is unchanged).

    None if the file or its card is missing, or the front matter has any problem: a broken card is
    never printed (`flask content check` names the problem).
    """
    try:
        stat = module_md.stat()
    except FileNotFoundError:
        return None
    return _load(module_md, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=16)
def _load(path: Path, _mtime_ns: int, _size: int) -> CardSource | None:
    problems: list[Problem] = []
    try:
        doc = split_front_matter(read_text(path, path.name), path.name)
    except ContentError:
        return None
    fields = Fields(path.name, doc.meta, doc.lines, problems)
    card = read_pocket_card(fields)
    title = fields.text("title")
    if problems or card is None or title is None:
        return None
    return CardSource(title, card)
