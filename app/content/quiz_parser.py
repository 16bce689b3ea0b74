"""Parse a module's quiz.md into questions with options and feedback (format: docs/authoring.md)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.content.errors import ContentError, Problem
from app.content.frontmatter import SLUG
from app.formatting import N_
from app.messages import Message

QUESTION_TYPES = ("single", "multiple", "ordering")
META_KEYS = ("type", "points", "tags", "tests")

_HEADING = re.compile(r"^##(?:[ \t]+(.*?))?[ \t]*#*[ \t]*$")
_META = re.compile(r"^([A-Za-z_]+):[ \t]*(.*)$")
_CHECKBOX = re.compile(r"^[-*+][ \t]+\[([ xX])\][ \t]+(.*)$")
_NUMBERED = re.compile(r"^(\d{1,3})[.)][ \t]+(.*)$")
_FEEDBACK = re.compile(r"^[ \t]{2,}>[ \t]?(.*)$")
_CONTINUED = re.compile(r"^[ \t]{2,}(\S.*)$")
_FEEDBACK_LABEL = re.compile(r"^feedback:[ \t]*", re.IGNORECASE)


@dataclass(frozen=True)
class OptionSource:
    """One option (or ordering item): key a, b, c...; feedback_line is its first feedback line."""

    key: str
    markdown: str
    correct: bool
    feedback_markdown: str
    line: int
    feedback_line: int = 0


@dataclass(frozen=True)
class QuestionSource:
    """One quiz question; ordering options are listed in the correct order, all `correct`."""

    key: str
    type: str
    points: int
    tags: tuple[str, ...]
    scenario_markdown: str
    options: tuple[OptionSource, ...]
    line: int
    scenario_line: int = 0
    tests: str = ""  # the lesson section it tests: "03-indicators.md#anchor" ("" if not given)
    tests_line: int = 0


@dataclass
class _Option:
    line: int
    correct: bool
    number: int | None
    text: list[str]
    feedback: list[str]
    feedback_line: int = 0


class _Question:
    def __init__(self, key: str, line: int) -> None:
        self.key, self.line = key, line
        self.meta: dict[str, tuple[str, int]] = {}
        self.scenario: list[str] = []
        self.scenario_line = 0
        self.options: list[_Option] = []


def parse_quiz(text: str, path: str, problems: list[Problem] | None = None) -> tuple[QuestionSource, ...]:
    """Parse quiz Markdown; append problems to `problems`, or raise the first as ContentError."""
    found: list[Problem] = []
    questions = [_finish(q, path, found) for q in _split(text, path, found)]
    result = tuple(questions)
    seen: dict[str, int] = {}
    for question in result:
        if question.key in seen:
            message = Message(
                N_("duplicate question id '%(key)s' (first at line %(line)s)"),
                key=question.key,
                line=seen[question.key],
            )
            found.append(Problem(path, question.line, message))
        seen.setdefault(question.key, question.line)
    if problems is None:
        if found:
            first = min(found, key=lambda p: p.line)
            raise ContentError(first.path, first.line, first.message)
    else:
        problems.extend(found)
    return result


def _split(text: str, path: str, found: list[Problem]) -> list[_Question]:
    questions: list[_Question] = []
    current: _Question | None = None
    state = "meta"
    for number, row in enumerate(text.split("\n"), start=1):
        heading = _HEADING.match(row)
        if heading:
            current, state = _Question((heading.group(1) or "").strip(), number), "meta"
            questions.append(current)
        elif current is None:
            if row.strip() and not row.startswith("# "):
                found.append(
                    Problem(
                        path,
                        number,
                        Message(
                            N_("text before the first question (each question starts with '## question-id')")
                        ),
                    )
                )
        elif state == "meta" and _META.match(row):
            key, value = _META.match(row).groups()
            current.meta[key] = (value.strip(), number)
        elif state in ("meta", "scenario") and not _option_start(row):
            state = "scenario"
            if row.strip() and not current.scenario_line:
                current.scenario_line = number
            if current.scenario_line:
                current.scenario.append(row)
        else:
            state = "options"
            _option_row(current, row, number, path, found)
    return questions


def _option_start(row: str) -> re.Match | None:
    return _CHECKBOX.match(row) or _NUMBERED.match(row)


def _option_row(q: _Question, row: str, number: int, path: str, found: list[Problem]) -> None:
    checkbox, numbered = _CHECKBOX.match(row), _NUMBERED.match(row)
    last = q.options[-1] if q.options else None
    if checkbox:
        q.options.append(_Option(number, checkbox.group(1) != " ", None, [checkbox.group(2)], []))
    elif numbered:
        q.options.append(_Option(number, True, int(numbered.group(1)), [numbered.group(2)], []))
    elif not row.strip():
        return
    elif last and _FEEDBACK.match(row):
        if not last.feedback:
            last.feedback_line = number
        last.feedback.append(_FEEDBACK.match(row).group(1))
    elif last and not last.feedback and _CONTINUED.match(row):
        last.text.append(_CONTINUED.match(row).group(1))
    else:
        found.append(
            Problem(
                path,
                number,
                Message(
                    N_(
                        "unexpected text among the options of '%(key)s' "
                        "(options are '- [x] text' or '1. text', feedback lines '  > text')"
                    ),
                    key=q.key,
                ),
            )
        )


def _finish(q: _Question, path: str, found: list[Problem]) -> QuestionSource:
    def add(line: int, message: str) -> None:
        found.append(Problem(path, line, message))

    if not SLUG.match(q.key):
        add(
            q.line,
            Message(N_("question id '%(key)s' must be lowercase letters, digits and hyphens"), key=q.key),
        )
    for key, (_, line) in q.meta.items():
        if key not in META_KEYS:
            message = N_("unknown question setting '%(key)s' (allowed: %(allowed)s)")
            add(line, Message(message, key=key, allowed=", ".join(META_KEYS)))
    kind, kind_line = q.meta.get("type", ("", q.line))
    if kind not in QUESTION_TYPES:
        add(
            kind_line,
            Message(N_("unknown question type '%(type)s' (use single, multiple or ordering)"), type=kind)
            if kind
            else Message(N_("question '%(key)s' has no type"), key=q.key),
        )
    points = _points(q, add)
    tags = tuple(t.strip() for t in q.meta.get("tags", ("", 0))[0].split(",") if t.strip())
    for tag in tags:
        if not SLUG.match(tag):
            message = N_("tag '%(tag)s' must be lowercase letters, digits and hyphens")
            add(q.meta["tags"][1], Message(message, tag=tag))
    scenario = "\n".join(q.scenario).strip("\n")
    if not scenario.strip():
        add(q.line, Message(N_("question '%(key)s' has no scenario"), key=q.key))
    options = _options(q, kind, add)
    # A question with errors is still returned so later checks see it; the errors block loading.
    tests, tests_line = q.meta.get("tests", ("", 0))
    return QuestionSource(
        q.key, kind, points, tags, scenario, options, q.line, q.scenario_line, tests, tests_line
    )


def _points(q: _Question, add) -> int:
    value, line = q.meta.get("points", ("1", q.line))
    if not re.fullmatch(r"\d{1,6}", value) or int(value) < 1:
        add(line, Message(N_("points must be a positive whole number, not '%(value)s'"), value=value))
        return 1
    return int(value)


def _options(q: _Question, kind: str, add) -> tuple[OptionSource, ...]:
    out = []
    for index, opt in enumerate(q.options):
        key = _option_key(index)
        feedback = "\n".join(opt.feedback).strip()
        feedback = _FEEDBACK_LABEL.sub("", feedback, count=1).strip()
        if not feedback:
            add(
                opt.line, Message(N_("option %(option)s of '%(key)s' has no feedback"), option=key, key=q.key)
            )
        if not " ".join(opt.text).strip():
            add(opt.line, Message(N_("option %(option)s of '%(key)s' has no text"), option=key, key=q.key))
        if kind == "ordering" and opt.number is None:
            add(
                opt.line,
                Message(N_("ordering items are written '1. text', '2. text'... in the correct order")),
            )
        elif kind in ("single", "multiple") and opt.number is not None:
            add(opt.line, Message(N_("options are written '- [x] text' (correct) or '- [ ] text'")))
        elif kind == "ordering" and opt.number != index + 1:
            message = N_("ordering items must be numbered 1, 2, 3... (expected %(number)s)")
            add(opt.line, Message(message, number=index + 1))
        text = "\n".join(opt.text).strip()
        out.append(OptionSource(key, text, opt.correct, feedback, opt.line, opt.feedback_line))
    correct = sum(o.correct for o in out)
    if kind == "single" and correct != 1:
        message = N_("single-answer question '%(key)s' must have exactly one [x] (has %(correct)s)")
        add(q.line, Message(message, key=q.key, correct=correct))
    elif kind == "multiple" and correct < 1:
        add(q.line, Message(N_("multiple-answer question '%(key)s' must have at least one [x]"), key=q.key))
    if kind in ("single", "multiple") and len(out) < 2:
        add(q.line, Message(N_("question '%(key)s' needs at least two options"), key=q.key))
    elif kind == "ordering" and len(out) < 3:
        message = N_("ordering question '%(key)s' needs at least three items (has %(count)s)")
        add(q.line, Message(message, key=q.key, count=len(out)))
    return tuple(out)


def _option_key(index: int) -> str:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return letters[index] if index < 26 else letters[index // 26 - 1] + letters[index % 26]
