"""Link the first use of each glossary term in a lesson to its glossary entry (markdown-it tokens).

Pure: works on the tokens markdown-it produced, before they are rendered and sanitised. A "use" is
any of a term's forms (its name, abbreviation or another wording) as a whole word in running text.
Text in a heading, inside a link, in code or in an image's alt text is never linked and does not
count as a use. A phrase broken over two lines of the Markdown source still matches.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from markdown_it.token import Token

GLOSSARY_URL = "/glossary"
LINK_CLASS = "glossary-term"


@dataclass(frozen=True)
class Term:
    """What the linker needs of a glossary entry: its anchor, the link's title and its forms."""

    anchor: str
    title: str
    forms: tuple[str, ...]


@dataclass(frozen=True)
class TermLink:
    """One link made: the entry, the link's title, the words linked and their 0-based line."""

    anchor: str
    title: str
    text: str
    line: int


def _pattern(form: str) -> str:
    """A form as a regex: spaces match any run of white space (a line break included), a plural
    's' is allowed after a final letter, and a form with a lower-case letter ignores case (an
    all-capitals abbreviation such as PEACE must match exactly)."""
    body = r"\s+".join(re.escape(word) for word in form.split())
    if form[-1].isalpha():
        body += "s?"
    return f"(?i:{body})" if any(ch.islower() for ch in form) else body


class TermLinker:
    """Finds glossary terms in running text and links the first use of each in a document."""

    def __init__(self, terms: Iterable[Term], base_url: str = GLOSSARY_URL) -> None:
        self.terms = tuple(terms)
        self.base_url = base_url
        alternatives = []
        self._groups: dict[str, Term] = {}
        forms = [(form, term) for term in self.terms for form in term.forms]
        # Longest form first, so "NRM referral" wins over "NRM" where both fit.
        for index, (form, term) in enumerate(sorted(forms, key=lambda item: -len(item[0]))):
            name = f"t{index}"
            self._groups[name] = term
            alternatives.append(f"(?P<{name}>{_pattern(form)})")
        self._regex = (
            re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)") if alternatives else None
        )

    def link_first_uses(self, tokens: Sequence[Token]) -> list[TermLink]:
        """Turn the first use of each term in these block tokens into a link; return the links."""
        made: list[TermLink] = []
        if self._regex is None:
            return made
        used: set[str] = set()
        in_heading = False
        for token in tokens:
            if token.type == "heading_open":
                in_heading = True
            elif token.type == "heading_close":
                in_heading = False
            elif token.type == "inline" and token.children and not in_heading:
                line = token.map[0] if token.map else 0
                token.children = self._link_children(token.children, line, used, made)
        return made

    def _link_children(
        self, children: list[Token], line: int, used: set[str], made: list[TermLink]
    ) -> list[Token]:
        out: list[Token] = []
        run: list[Token] = []
        run_line = line
        depth = 0  # inside a link
        for child in children:
            if depth == 0 and child.type in ("text", "softbreak"):
                if not run:
                    run_line = line
                run.append(child)
            else:
                out += self._link_run(run, run_line, used, made)
                run = []
                if child.type == "link_open":
                    depth += 1
                elif child.type == "link_close":
                    depth = max(depth - 1, 0)
                out.append(child)
            if child.type in ("softbreak", "hardbreak"):
                line += 1
        out += self._link_run(run, run_line, used, made)
        return out

    def _link_run(self, run: list[Token], line: int, used: set[str], made: list[TermLink]) -> list[Token]:
        """Link terms in a run of text and soft line breaks (joined with '\\n' to search)."""
        if not run or self._regex is None:
            return run
        text = "".join("\n" if t.type == "softbreak" else t.content for t in run)
        spans = []
        for match in self._regex.finditer(text):
            term = self._groups[match.lastgroup or ""]
            if term.anchor in used:
                continue
            used.add(term.anchor)
            spans.append((match.start(), match.end(), term))
        if not spans:
            return run
        level = run[0].level
        out: list[Token] = []
        position = 0
        for start, end, term in spans:
            out += _text_tokens(text[position:start], level)
            link = Token("link_open", "a", 1, level=level)
            link.attrSet("href", f"{self.base_url}#{term.anchor}")
            link.attrSet("class", LINK_CLASS)
            link.attrSet("title", term.title)
            close = Token("link_close", "a", -1, level=level)
            out += [link, *_text_tokens(text[start:end], level + 1), close]
            words = " ".join(text[start:end].split())
            made.append(TermLink(term.anchor, term.title, words, line + text.count("\n", 0, start)))
            position = end
        return out + _text_tokens(text[position:], level)


def _text_tokens(text: str, level: int) -> list[Token]:
    """Text with '\\n' for soft line breaks, back as text and softbreak tokens."""
    out: list[Token] = []
    for index, part in enumerate(text.split("\n")):
        if index:
            out.append(Token("softbreak", "br", 0, level=level))
        if part:
            out.append(Token("text", "", 0, level=level, content=part))
    return out
