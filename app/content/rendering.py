"""Markdown to sanitised HTML: CommonMark, tables, heading anchors and callouts, then nh3."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.container import container_plugin

from app.content.term_links import LINK_CLASS, TermLinker
from app.formatting import N_
from app.messages import Message

Resolver = Callable[[str], "str | None"]
UrlKind = Literal["fragment", "relative", "external", "mailto", "unsafe"]

CALLOUT_TITLES = {
    "law": "The law",
    "action": "What to do",
    "example": "Example",
    "warning": "Take care",
    "note": "Note",
}
EXTERNAL_REL = "noopener noreferrer"

_ALIGN_CLASSES = {"align-left", "align-center", "align-right"}
_TAGS = {
    "a",
    "aside",
    "blockquote",
    "br",
    "code",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    "aside": {"aria-label"},
    **{f"h{n}": {"id"} for n in range(1, 7)},
}
_CLASSES = {
    "a": {LINK_CLASS},
    "aside": {"callout", *(f"callout--{kind}" for kind in CALLOUT_TITLES)},
    "p": {"callout__title"},
    "th": _ALIGN_CLASSES,
    "td": _ALIGN_CLASSES,
}
# Browsers ignore ASCII whitespace and control characters inside a URL's scheme.
_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20\x7f-\x9f]+")
_SCHEME = re.compile(r"([^/?#]*):")


@dataclass(frozen=True)
class Finding:
    """Something the renderer refused to output; line is 1-based within the Markdown text."""

    line: int
    message: str


@dataclass(frozen=True)
class Rendered:
    """Sanitised HTML and what was removed from it on the way."""

    html: str
    findings: tuple[Finding, ...]


def url_kind(url: str) -> UrlKind:
    """Classify a link or image address: only http(s), mailto and relative ones are safe."""
    probe = _IGNORED_IN_SCHEME.sub("", url).replace("\\", "/")
    if probe.startswith("#"):
        return "fragment"
    if probe.startswith("//"):
        return "external"
    match = _SCHEME.match(probe)
    if match is None:
        return "relative"
    scheme = match.group(1).lower()
    if scheme in ("http", "https"):
        return "external"
    return "mailto" if scheme == "mailto" else "unsafe"


_LESSON_LINK = re.compile(
    r"^(?:\.\./([a-z0-9]+(?:-[a-z0-9]+)*)/)?(?:(\d{2})-[a-z0-9-]+\.md|module\.md)(?:#(.*))?$"
)


def content_link_target(href: str, module_slug: str) -> tuple[str, int | None, str] | None:
    """Split a link between content files into (module slug, lesson number or None, anchor).

    `02-the-nrm.md#x` gives (module_slug, 2, "x"); `../other/module.md` gives ("other", None, "");
    anything else gives None.
    """
    match = _LESSON_LINK.match(href)
    if match is None:
        return None
    slug, number, anchor = match.groups()
    return slug or module_slug, int(number) if number else None, anchor or ""


def _render_callout(kind: str) -> Callable[..., str]:
    def render(self, tokens: Sequence[Token], idx: int, _options, _env) -> str:
        token = tokens[idx]
        if token.nesting == -1:
            return "</aside>\n"
        title = callout_title(kind, token.info)
        label = escapeHtml(title)
        return (
            f'<aside class="callout callout--{kind}" aria-label="{label}">\n'
            f'<p class="callout__title">{label}</p>\n'
        )

    return render


def callout_title(kind: str, info: str) -> str:
    """Return the shown title of a callout from its kind and the words after `::: kind`."""
    words = info.strip()[len(kind) :].strip()
    default = CALLOUT_TITLES[kind]
    return f"{default}: {words}" if words else default


def _build(html: bool) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": html, "xhtmlOut": False}).enable("table")
    md.use(anchors_plugin, min_level=1, max_level=6)
    for kind in CALLOUT_TITLES:
        md.use(container_plugin, name=kind, render=_render_callout(kind))
    # Every URL reaches _rewrite, which applies one allow-list and reports what it drops.
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md


@lru_cache(maxsize=2)
def _parser(html: bool = False) -> MarkdownIt:
    return _build(html)


def parse_markdown(text: str) -> list[Token]:
    """Parse Markdown (raw HTML off) into block tokens with heading ids set."""
    return _parser().parse(text)


def walk_inline(tokens: Sequence[Token]) -> Iterator[tuple[Token, int]]:
    """Yield every inline child token with its 0-based line within the text."""
    for token in tokens:
        if token.type != "inline" or not token.children:
            continue
        line = token.map[0] if token.map else 0
        for child in token.children:
            yield child, line
            if child.type in ("softbreak", "hardbreak"):
                line += 1


def heading_ids(text: str) -> frozenset[str]:
    """Return the anchor ids the renderer gives the headings of this Markdown."""
    return frozenset(str(t.attrGet("id")) for t in parse_markdown(text) if t.type == "heading_open")


def find_raw_html(text: str) -> list[Finding]:
    """Report each piece of raw HTML in the Markdown (the renderer shows it as plain text)."""
    tokens = _parser(True).parse(text)
    found = [(t.content, t.map[0]) for t in tokens if t.type == "html_block" and t.map]
    found += [(c.content, line) for c, line in walk_inline(tokens) if c.type == "html_inline"]
    return [
        Finding(
            line + 1,
            Message(N_("unsafe HTML removed: %(html)s"), html=content.strip().splitlines()[0][:60]),
        )
        for content, line in sorted(found, key=lambda item: item[1])
    ]


def _identity(url: str) -> str | None:
    return url


def _rewrite(tokens: list[Token], resolve_link: Resolver, resolve_image: Resolver) -> list[Finding]:
    findings: list[Finding] = []
    for token in tokens:
        if token.type in ("th_open", "td_open") and token.attrGet("style"):
            align = str(token.attrGet("style")).partition(":")[2]
            token.attrs.pop("style")
            token.attrSet("class", f"align-{align}")
        elif token.type == "fence":
            token.info = ""  # no language-* classes; they are not on the allow-list
    for child, line in walk_inline(tokens):
        if child.type == "link_open":
            href = str(child.attrGet("href") or "")
            kind = url_kind(href)
            if kind == "unsafe":
                findings.append(
                    Finding(line + 1, Message(N_("unsafe link removed: %(href)s"), href=href[:60]))
                )
                child.attrs.pop("href", None)
            elif kind == "external":
                child.attrSet("rel", EXTERNAL_REL)
            elif kind == "relative":
                _set_or_drop(child, "href", resolve_link(href))
        elif child.type == "image":
            src = str(child.attrGet("src") or "")
            kind = url_kind(src)
            if kind in ("unsafe", "mailto", "fragment"):
                findings.append(Finding(line + 1, Message(N_("unsafe image removed: %(src)s"), src=src[:60])))
                child.attrs.pop("src", None)
            elif kind == "relative":
                _set_or_drop(child, "src", resolve_image(src))
    return findings


def _set_or_drop(token: Token, attr: str, value: str | None) -> None:
    if value is None:
        token.attrs.pop(attr, None)
    else:
        token.attrSet(attr, value)


def sanitise_html(html: str) -> str:
    """Clean HTML with the content allow-list (tags, attributes, classes, URL schemes)."""
    return nh3.clean(
        html,
        tags=_TAGS,
        clean_content_tags={"script", "style"},
        attributes=_ATTRIBUTES,
        allowed_classes=_CLASSES,
        tag_attribute_values={"a": {"rel": {EXTERNAL_REL}}},
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
        strip_comments=True,
    )


def render_markdown(
    text: str,
    resolve_link: Resolver | None = None,
    resolve_image: Resolver | None = None,
    terms: TermLinker | None = None,
) -> Rendered:
    """Render Markdown to sanitised HTML, rewriting relative links and images via the resolvers.

    Resolvers get each relative href/src (not `#fragment`s or absolute URLs) and return the URL to
    use, or None to drop it. With `terms`, the first use of each glossary term becomes a link to
    its entry (after the resolvers, which never see those links).
    """
    md = _parser()
    env: dict = {}
    tokens = md.parse(text, env)
    findings = _rewrite(tokens, resolve_link or _identity, resolve_image or _identity)
    if terms is not None:
        terms.link_first_uses(tokens)
    findings += find_raw_html(text)
    html = sanitise_html(md.renderer.render(tokens, md.options, env))
    return Rendered(html, tuple(sorted(findings, key=lambda f: f.line)))
