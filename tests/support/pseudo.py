"""A pseudo-locale: every interface string visibly transformed, so a page rendered in it shows at
once any English that does not go through the catalogue.

`catalogue()` extracts the messages exactly as `make translations` does (babel.cfg) and gives
each one a transformed translation: letters outside HTML tags and %(name)s placeholders become
accented look-alikes, and the whole is wrapped in ⟦ ⟧. `english_left(html, allowed)` lists the
words of a rendered page that came through untransformed.
"""

import re
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo

ROOT = Path(__file__).resolve().parents[2]
ACCENTED = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "ȧƀċḋḗƒġħįĵķŀḿƞǿƥɋřşŧŭṽẇẋẏẑȦƁĊḊḖƑĠĦĮĴĶĿḾȠǾƤɊŘŞŦŬṼẆẊẎẒ",
)
# Kept as written: HTML tags and entities, printf placeholders, {braces}.
_KEEP = re.compile(r"<[^>]*>|&[#\w]+;|%\(\w+\)[sdf]|%[sd]|\{[^}]*\}")
OPEN, CLOSE = "⟦", "⟧"


def transform(message: str) -> str:
    """The pseudo translation of one message."""
    out, last = [], 0
    for match in _KEEP.finditer(message):
        out.append(message[last : match.start()].translate(ACCENTED))
        out.append(match.group(0))
        last = match.end()
    out.append(message[last:].translate(ACCENTED))
    return OPEN + "".join(out) + CLOSE


def extract() -> list[tuple[str | tuple[str, ...], tuple[str, ...]]]:
    """Every (message, comments) in app/, as `make translations` extracts them."""
    with open(ROOT / "babel.cfg") as config:
        method_map, options_map = parse_mapping_cfg(config)
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None, "_l": None, "lazy_gettext": None}
    found = []
    for _filename, _lineno, message, comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=keywords
    ):
        found.append((message, tuple(comments)))
    return found


def catalogue(locale: str = "cy") -> bytes:
    """A compiled .mo catalogue of every extracted message in the pseudo-locale."""
    catalog = Catalog(locale=locale)
    for message, _comments in extract():
        if isinstance(message, tuple):
            forms = [transform(message[0])] + [transform(message[1])] * (catalog.num_plurals - 1)
            catalog.add(message[:2], tuple(forms))
        else:
            catalog.add(message, transform(message))
    buffer = BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


class _Text(HTMLParser):
    """Visible text and the human attributes of a page, skipping what is marked lang="en"
    (English content on a Welsh page, as WCAG 3.1.2 asks) and what a person never reads."""

    SKIP = {"script", "style", "template"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
    ATTRIBUTES = ("aria-label", "title", "alt", "placeholder")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped)
        self.pieces: list[str] = []

    def _skipped(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        skipped = self._skipped() or tag in self.SKIP or attributes.get("lang") == "en"
        if not skipped:
            self.pieces.extend(attributes[a] for a in self.ATTRIBUTES if attributes.get(a))
            if tag == "input" and attributes.get("type") in ("submit", "button") and attributes.get("value"):
                self.pieces.append(attributes["value"])
        if tag not in self.VOID:
            self.stack.append((tag, skipped))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if not self._skipped() and data.strip():
            self.pieces.append(data)


# The innermost marked message: a message may hold another (a Message's param), so spans nest.
_MARKED = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}", re.S)
_WORD = re.compile(r"[A-Za-z]{2,}")
# Hashes and digests (content versions, source hashes) are data: '…0af3' holds no English word.
_HEX = re.compile(r"\b[0-9a-f]{16,}\b")


def english_left(html: str, allowed: set[str]) -> list[str]:
    """Untransformed words on the page, each with its context, ignoring the `allowed` data
    (people's names, forces, teams, serials...) and anything inside a lang="en" element."""
    parser = _Text()
    parser.feed(html)
    left = []
    for piece in parser.pieces:
        rest, found = piece, True
        while found:  # innermost first, so a message inside another goes with it
            rest, found = _MARKED.subn(" ", rest)
        for value in sorted(allowed, key=len, reverse=True):
            rest = rest.replace(value, " ")
        words = _WORD.findall(_HEX.sub(" ", rest))
        if words:
            left.append(f"{' '.join(words)}  ← {' '.join(piece.split())[:100]!r}")
    return left
