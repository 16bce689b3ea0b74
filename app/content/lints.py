"""Checks on one piece of Markdown: links, images, alt text, headings, tables, unsafe HTML."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import unquote

from markdown_it.token import Token

from app.content.errors import Problem
from app.content.loader import LESSON_FILE, ContentTree
from app.content.rendering import (
    CALLOUT_TITLES,
    heading_ids,
    parse_markdown,
    render_markdown,
    url_kind,
    walk_inline,
)
from app.formatting import N_
from app.messages import Message

VAGUE_LINK_TEXT = {"click here", "here", "read more", "link", "this link", "more", "click"}
_CALLOUT_MARK = re.compile(r"^:::+[ \t]*(\S*)")


class Linter:
    """Lints Markdown belonging to modules of one content tree, caching heading ids."""

    def __init__(self, root: Path, tree: ContentTree) -> None:
        self.root = Path(root)
        self.tree = tree
        self._ids: dict[tuple[str, str], frozenset[str]] = {}

    def lint(self, text: str, shown: str, offset: int, folder: Path, page: bool = True) -> list[Problem]:
        """Return problems in Markdown whose line k is file line k + offset."""
        tokens = parse_markdown(text)
        out = [Problem(shown, f.line + offset, f.message) for f in render_markdown(text).findings]

        def add(line0: int, message: str) -> None:
            out.append(Problem(shown, line0 + 1 + offset, message))

        own_ids = frozenset(str(t.attrGet("id")) for t in tokens if t.type == "heading_open")
        if page:
            self._headings(tokens, add)
        self._blocks(tokens, add)
        link: tuple[Token, int, list[str]] | None = None
        for child, line in walk_inline(tokens):
            if child.type == "link_open":
                link = (child, line, [])
            elif child.type in ("text", "code_inline") and link is not None:
                link[2].append(child.content)
            elif child.type == "link_close" and link is not None:
                self._link(link, folder, own_ids, add)
                link = None
            elif child.type == "image":
                self._image(child, line, folder, add)
        return out

    def _headings(self, tokens: list[Token], add) -> None:
        previous = 1
        for token in tokens:
            if token.type != "heading_open" or not token.map:
                continue
            level = int(token.tag[1])
            if level == 1:
                add(token.map[0], Message(N_("heading level 1 is the page title: start headings at ##")))
            elif level > previous + 1:
                add(
                    token.map[0],
                    Message(
                        N_("heading level skipped: h%(previous)s to h%(level)s"),
                        previous=previous,
                        level=level,
                    ),
                )
            previous = level

    def _blocks(self, tokens: list[Token], add) -> None:
        for index, token in enumerate(tokens):
            if token.type == "thead_open" and token.map:
                header = []
                for cell in tokens[index:]:
                    if cell.type == "thead_close":
                        break
                    if cell.type == "inline":
                        header.append(cell.content.strip())
                if not any(header):
                    add(token.map[0], Message(N_("table has no header row")))
            elif token.type == "inline" and token.map and tokens[index - 1].type.startswith("par"):
                match = _CALLOUT_MARK.match(token.content)
                if match and match.group(1):
                    kinds = ", ".join(CALLOUT_TITLES)
                    add(
                        token.map[0],
                        Message(
                            N_("unknown callout '%(kind)s' (kinds: %(kinds)s)"),
                            kind=match.group(1),
                            kinds=kinds,
                        ),
                    )
                elif match:
                    add(token.map[0], Message(N_("':::' closes no callout")))

    def _link(self, link: tuple[Token, int, list[str]], folder: Path, own_ids, add) -> None:
        token, line, parts = link
        text = " ".join("".join(parts).split())
        if not text:
            add(line, Message(N_("link has no text")))
        elif text.lower().strip(".:!…") in VAGUE_LINK_TEXT:
            add(line, Message(N_("link text '%(text)s' does not say where the link goes"), text=text))
        href = token.attrGet("href")
        if href is None:
            return
        message = self.link_problem(str(href), folder, own_ids)
        if message:
            add(line, message)

    def link_problem(self, href: str, folder: Path, own_ids: frozenset[str]) -> str | None:
        """Return why a link from a file in `folder` is broken, or None if it is fine."""
        kind = url_kind(href)
        if kind == "fragment":
            anchor = unquote(href[1:])
            return (
                None
                if anchor in own_ids
                else Message(N_("broken link: no heading '#%(anchor)s' here"), anchor=anchor)
            )
        if kind != "relative":
            return None
        path, _, anchor = href.partition("#")
        anchor = unquote(anchor)
        if "?" in path or path.startswith("/"):
            return Message(
                N_("broken link: %(href)s (link to a lesson file such as 02-the-nrm.md)"), href=href
            )
        target = Path(os.path.normpath(folder / unquote(path)))
        try:
            slug, filename = target.relative_to(self.root / "modules").parts
        except ValueError:
            return Message(N_("broken link: %(href)s (not a lesson or module.md)"), href=href)
        module = self.tree.modules.get(slug)
        if filename == "module.md" and not anchor and (self.root / "modules" / slug).is_dir():
            return None
        if not (self.root / "modules" / slug).is_dir():
            return Message(N_("broken link: %(href)s (no such module)"), href=href)
        names = {lesson.filename for lesson in module.lessons} if module else set()
        if not LESSON_FILE.match(filename) or (filename not in names and not target.is_file()):
            return Message(N_("broken link: %(href)s (no such lesson)"), href=href)
        if anchor and filename in names and anchor not in self._anchors(slug, filename):
            return Message(
                N_("broken link: %(href)s (no heading '#%(anchor)s' in %(file)s)"),
                href=href,
                anchor=anchor,
                file=filename,
            )
        return None

    def _anchors(self, slug: str, filename: str) -> frozenset[str]:
        key = (slug, filename)
        if key not in self._ids:
            lessons = self.tree.modules[slug].lessons
            text = next((les.markdown for les in lessons if les.filename == filename), "")
            self._ids[key] = heading_ids(text)
        return self._ids[key]

    def _image(self, token: Token, line: int, folder: Path, add) -> None:
        if not "".join(c.content for c in token.children or []).strip():
            add(line, Message(N_("image has no alt text")))
        src = str(token.attrGet("src") or "")
        kind = url_kind(src)
        if kind == "external":
            add(
                line,
                Message(N_("images must be files in the module folder, not web addresses: %(src)s"), src=src),
            )
        elif kind == "relative":
            path = unquote(src.partition("#")[0].partition("?")[0])
            target = Path(os.path.normpath(folder / path))
            if not target.is_relative_to(folder) or not target.is_file():
                add(line, Message(N_("missing image: %(src)s"), src=src))
