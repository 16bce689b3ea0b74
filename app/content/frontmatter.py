"""Front matter and YAML reading that keeps file line numbers, plus typed field access."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from app.content.errors import ContentError, Problem
from app.formatting import N_
from app.messages import Message

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_FENCE = re.compile(r"^---[ \t]*$")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$")


@dataclass(frozen=True)
class Document:
    """A Markdown file split into front matter and body; body line k is file line k + offset."""

    meta: dict
    lines: dict[tuple, int]
    body: str
    body_offset: int
    has_front_matter: bool


def read_text(path: Path, shown: str) -> str:
    """Read a UTF-8 file with LF line endings, or raise ContentError at the bad byte's line."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ContentError(shown, line, Message(N_("file is not UTF-8 text"))) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_yaml(text: str, shown: str, first_line: int = 1) -> tuple[Any, dict[tuple, int]]:
    """Parse YAML safely; return the data and a map of key paths to file lines."""
    loader = None
    try:
        loader = yaml.SafeLoader(text)
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + (mark.line if mark else 0)
        # PyYAML's own words (English) are data here.
        message = Message(N_("invalid YAML: %(error)s"), error=exc.problem or exc.context)
        if exc.problem and exc.context and exc.context_mark and exc.context_mark is not mark:
            message = Message(
                N_("invalid YAML: %(error)s (%(context)s at line %(line)s)"),
                error=exc.problem,
                context=exc.context,
                line=first_line + exc.context_mark.line,
            )
        raise ContentError(shown, line, message) from None
    except yaml.reader.ReaderError as exc:
        line = first_line + text.count("\n", 0, exc.position)
        message = Message(N_("invalid YAML: control characters are not allowed"))
        raise ContentError(shown, line, message) from None
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ContentError(shown, first_line, Message(N_("invalid YAML: %(error)s"), error=message)) from None
    finally:
        if loader is not None:
            loader.dispose()
    lines: dict[tuple, int] = {}
    if node is not None:
        _walk(node, (), first_line, lines, shown)
    return data, lines


def _walk(node: yaml.Node, prefix: tuple, base: int, lines: dict, shown: str) -> None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            path = (*prefix, key.value if isinstance(key, yaml.ScalarNode) else "?")
            if path in lines:
                message = Message(N_("duplicate key '%(key)s'"), key=path[-1])
                raise ContentError(shown, base + key.start_mark.line, message)
            lines[path] = base + key.start_mark.line
            _walk(value, path, base, lines, shown)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[(*prefix, index)] = base + item.start_mark.line
            _walk(item, (*prefix, index), base, lines, shown)


def split_front_matter(text: str, shown: str) -> Document:
    """Split `---` front matter from the body; raise ContentError if it is unclosed or bad."""
    rows = text.split("\n")
    if not rows or not _FENCE.match(rows[0]):
        return Document({}, {}, text, 0, False)
    end = next((i for i in range(1, len(rows)) if _CLOSE.match(rows[i])), None)
    if end is None:
        raise ContentError(shown, 1, Message(N_("front matter is not closed: add a line '---' after it")))
    data, lines = parse_yaml("\n".join(rows[1:end]), shown, first_line=2)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ContentError(shown, 2, Message(N_("front matter must be 'key: value' lines")))
    return Document(data, lines, "\n".join(rows[end + 1 :]), end + 1, True)


@dataclass
class Fields:
    """Typed reading of one YAML mapping that records a Problem for each wrong field."""

    shown: str
    data: dict
    lines: dict[tuple, int]
    problems: list[Problem]
    line: int = 1
    prefix: tuple = ()
    where: str = field(default="")  # a Message such as " in a source", or ""

    def line_of(self, key: Any) -> int:
        """Return the file line of a key (or of the mapping if the key is absent)."""
        return self.lines.get((*self.prefix, key), self.line)

    def add(self, key: Any, message: str) -> None:
        """Record a problem at the line of a key."""
        self.problems.append(Problem(self.shown, self.line_of(key), message))

    def check_keys(self, allowed: tuple[str, ...], required: tuple[str, ...]) -> None:
        """Report unknown keys and missing required keys."""
        for key in self.data:
            if key not in allowed:
                message = N_("unknown key '%(key)s'%(where)s (allowed: %(allowed)s)")
                self.add(key, Message(message, key=key, where=self.where, allowed=", ".join(allowed)))
        for key in required:
            if key not in self.data:
                self.problems.append(
                    Problem(
                        self.shown,
                        self.line,
                        Message(N_("missing required key '%(key)s'%(where)s"), key=key, where=self.where),
                    )
                )

    def text(self, key: str, default: str | None = None) -> str | None:
        """Return a text field; numbers and dates are accepted as their text."""
        value = self.data.get(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, str | int | float | dt.date):
            self.add(key, Message(N_("'%(key)s' must be text"), key=key))
            return default
        value = str(value).strip()
        if not value:
            self.add(key, Message(N_("'%(key)s' must not be empty"), key=key))
            return default
        return value

    def integer(self, key: str, default: int | None, low: int, high: int | None = None) -> int | None:
        """Return a whole-number field within [low, high]."""
        value = self.data.get(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(key, Message(N_("'%(key)s' must be a whole number"), key=key))
            return default
        if value < low or (high is not None and value > high):
            if high is not None:
                message = N_("'%(key)s' must be between %(low)s and %(high)s")
                self.add(key, Message(message, key=key, low=low, high=high))
            else:
                self.add(key, Message(N_("'%(key)s' must be at least %(low)s"), key=key, low=low))
            return default
        return value

    def boolean(self, key: str, default: bool) -> bool:
        """Return a true/false field."""
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            self.add(key, Message(N_("'%(key)s' must be true or false"), key=key))
            return default
        return value

    def items(self, key: str) -> list:
        """Return a list field (empty if absent or not a list)."""
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.add(key, Message(N_("'%(key)s' must be a list"), key=key))
            return []
        return value

    def strings(self, key: str) -> tuple[str, ...]:
        """Return a list-of-text field."""
        out = []
        for index, item in enumerate(self.items(key)):
            if isinstance(item, str) and item.strip():
                out.append(item.strip())
            else:
                line = self.lines.get((*self.prefix, key, index), self.line_of(key))
                message = Message(N_("'%(key)s' items must be text"), key=key)
                self.problems.append(Problem(self.shown, line, message))
        return tuple(out)

    def sub(self, key: Any, where: str = "") -> Fields | None:
        """Return Fields for a nested mapping, or None (with a problem) if it is not one."""
        value = self.data.get(key)
        if not isinstance(value, dict):
            self.add(key, Message(N_("'%(key)s' must be 'key: value' lines"), key=key))
            return None
        return Fields(
            self.shown,
            value,
            self.lines,
            self.problems,
            self.line_of(key),
            (*self.prefix, key),
            where,
        )


def read_yaml_file(path: Path, shown: str, problems: list) -> tuple[Any, dict[tuple, int]] | None:
    """A YAML content file's data and its key-path lines; None when the file is absent, or when it
    cannot be read or parsed (that problem appended, with its line)."""
    if not path.is_file():
        return None
    try:
        return parse_yaml(read_text(path, shown), shown)
    except ContentError as exc:
        problems.append(exc.to_problem())
        return None
