"""Errors and problems reported while reading content, always as `path:line: message`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from app.formatting import plural


class ContentError(Exception):
    """A content file is wrong at a known place; str() gives `path:line: message`."""

    def __init__(self, path: str, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path = path
        self.line = line
        self.message = message

    def to_problem(self) -> Problem:
        """Return this error as a Problem for a report."""
        return Problem(self.path, self.line, self.message)


@dataclass(frozen=True, order=True)
class Problem:
    """One finding of the content checks; str() gives `path:line: message`."""

    path: str
    line: int
    message: str
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        kind = "warning: " if self.severity == "warning" else ""
        return f"{self.path}:{self.line}: {kind}{self.message}"


class ContentInvalid(Exception):  # noqa: N818 - the name the callers use
    """The content tree has errors; `problems` lists every one of them."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        lines = "\n".join(str(p) for p in self.problems)
        super().__init__(f"{plural(len(self.problems), 'content problem')}:\n{lines}")
