"""Item-writing checks on quiz questions: cues that let a test-wise reader pass without the knowledge.

Pure functions (no files, no Flask). `check_items` applies them to one module's questions and its
lessons and returns `path:line` problems; validation.py runs it on every module (docs/authoring.md,
"Item-writing checks").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from app.content.errors import Problem
from app.content.quiz_parser import OptionSource, QuestionSource
from app.formatting import N_
from app.messages import Message

# At most this share of a module's single-answer questions may have the keyed option the longest.
LONGEST_KEYED_SHARE = 0.25
# Multi-select: mean length of correct options may be at most this many times that of wrong ones.
MULTI_LENGTH_RATIO = 1.5
# Multi-select: at most this share of the options may be correct.
MULTI_CORRECT_SHARE = 0.6
# A run of this many words copied from a lesson is recognition, not transfer.
COPY_RUN_WORDS = 12

_ABOVE = re.compile(r"\b(?:all|none)\s+of\s+the\s+above\b", re.IGNORECASE)
_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z0-9]+)*")
_QUOTED = re.compile(r"\"[^\"\n]+\"|“[^”]+”")
_SECTION = re.compile(r"\b(?:s|ss|section|sections)\.?\s*\d+", re.IGNORECASE)
# How near (in characters) a section reference must be to a quotation for it to count as cited.
_CITE_DISTANCE = 60
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MARKUP = re.compile(r"[*_`>#|]")


def plain(markdown: str) -> str:
    """Markdown reduced to its words' text: links to their text, emphasis and quote marks removed."""
    return _MARKUP.sub(" ", _LINK.sub(r"\1", markdown))


def text_length(markdown: str) -> int:
    """Length in characters of an option's text with whitespace collapsed."""
    return len(" ".join(plain(markdown).split()))


def keyed_is_longest(question: QuestionSource) -> bool:
    """True if a single-answer question's correct option is strictly longer than every other."""
    if question.type != "single":
        return False
    keyed = [o for o in question.options if o.correct]
    others = [text_length(o.markdown) for o in question.options if not o.correct]
    if len(keyed) != 1 or not others:
        return False
    return text_length(keyed[0].markdown) > max(others)


def length_ratio(question: QuestionSource) -> float | None:
    """Multi-select: mean length of correct options over mean length of wrong ones (None if n/a)."""
    if question.type != "multiple":
        return None
    right = [text_length(o.markdown) for o in question.options if o.correct]
    wrong = [text_length(o.markdown) for o in question.options if not o.correct]
    if not right or not wrong:
        return None
    mean_wrong = sum(wrong) / len(wrong)
    return (sum(right) / len(right)) / mean_wrong if mean_wrong else float("inf")


def correct_share(question: QuestionSource) -> float | None:
    """Multi-select: the share of options that are correct (None for other types)."""
    if question.type != "multiple" or not question.options:
        return None
    return sum(o.correct for o in question.options) / len(question.options)


def uses_above(option: OptionSource) -> bool:
    """True if an option is 'all of the above' or 'none of the above' (in any wording case)."""
    return bool(_ABOVE.search(option.markdown))


def _cited_quotes(text: str) -> list[tuple[int, int]]:
    """Character spans of quotations with a section reference next to them (exempt statute)."""
    spans = []
    for match in _QUOTED.finditer(text):
        before = text[max(0, match.start() - _CITE_DISTANCE) : match.start()]
        after = text[match.end() : match.end() + _CITE_DISTANCE]
        if _SECTION.search(before) or _SECTION.search(after):
            spans.append(match.span())
    return spans


def _words(text: str, skip: Sequence[tuple[int, int]] = ()) -> list[tuple[str, int]]:
    """Lower-case words with their character offsets, leaving out those inside `skip` spans."""
    out = []
    for match in _WORD.finditer(text.lower().replace("’", "'")):
        if not any(start <= match.start() < end for start, end in skip):
            out.append((match.group(0), match.start()))
    return out


def word_runs(texts: Iterable[str], n: int = COPY_RUN_WORDS) -> frozenset[tuple[str, ...]]:
    """Every run of n consecutive words in the texts (lesson Markdown)."""
    runs: set[tuple[str, ...]] = set()
    for text in texts:
        words = [w for w, _ in _words(plain(text))]
        runs.update(tuple(words[i : i + n]) for i in range(len(words) - n + 1))
    return frozenset(runs)


def copied_run(
    markdown: str, runs: frozenset[tuple[str, ...]], n: int = COPY_RUN_WORDS
) -> tuple[int, str] | None:
    """First run of n words of `markdown` found in `runs`: (0-based line in markdown, the words).

    Words inside a quotation with a section reference beside it ("...", s.1) are skipped, and a run
    never spans a skipped quotation.
    """
    text = plain(markdown)
    skip = _cited_quotes(text)
    words = _words(text)
    for i in range(len(words) - n + 1):
        window = words[i : i + n]
        if any(start <= offset < end for _, offset in window for start, end in skip):
            continue
        run = tuple(w for w, _ in window)
        if run in runs:
            return text.count("\n", 0, window[0][1]), " ".join(run)
    return None


def check_items(questions: Sequence[QuestionSource], lesson_texts: Iterable[str], path: str) -> list[Problem]:
    """Every item-writing problem in one module's questions, as `path:line` problems."""
    problems: list[Problem] = []
    singles = [q for q in questions if q.type == "single" and len(q.options) >= 2]
    longest = [q for q in singles if keyed_is_longest(q)]
    allowed = int(len(singles) * LONGEST_KEYED_SHARE)
    if len(longest) > allowed:
        for q in longest:
            keyed = next(o for o in q.options if o.correct)
            message = Message(
                N_(
                    "'%(key)s': the keyed option is the longest, as in %(longest)s of %(singles)s "
                    "single-answer questions (at most %(allowed)s allowed): shorten it or lengthen "
                    "a distractor"
                ),
                key=q.key,
                longest=len(longest),
                singles=len(singles),
                allowed=allowed,
            )
            problems.append(Problem(path, keyed.line, message))
    runs = word_runs(lesson_texts)
    for q in questions:
        ratio = length_ratio(q)
        if ratio is not None and ratio > MULTI_LENGTH_RATIO:
            message = Message(
                N_(
                    "'%(key)s': correct options average %(ratio)s times the length of the wrong ones "
                    "(at most %(max)s)"
                ),
                key=q.key,
                ratio=f"{ratio:.1f}",
                max=MULTI_LENGTH_RATIO,
            )
            problems.append(Problem(path, q.line, message))
        share = correct_share(q)
        if share is not None and share > MULTI_CORRECT_SHARE:
            right = sum(o.correct for o in q.options)
            message = Message(
                N_(
                    "'%(key)s': %(right)s of %(options)s options are correct in a 'select all' "
                    "question (at most %(share)s)"
                ),
                key=q.key,
                right=right,
                options=len(q.options),
                share=f"{MULTI_CORRECT_SHARE:.0%}",
            )
            problems.append(Problem(path, q.line, message))
        for option in q.options:
            if uses_above(option):
                message = Message(
                    N_("'%(key)s': option %(option)s uses 'all/none of the above'"),
                    key=q.key,
                    option=option.key,
                )
                problems.append(Problem(path, option.line, message))
        copied = copied_run(q.scenario_markdown, runs)
        if copied:
            message = Message(
                N_("'%(key)s': the scenario copies %(words)s+ words from a lesson: '%(copied)s'"),
                key=q.key,
                words=COPY_RUN_WORDS,
                copied=copied[1],
            )
            problems.append(Problem(path, q.scenario_line + copied[0], message))
        for option in q.options:
            if not option.correct:
                continue
            copied = copied_run(option.markdown, runs)
            if copied:
                message = Message(
                    N_(
                        "'%(key)s': keyed option %(option)s copies %(words)s+ words from a lesson: "
                        "'%(copied)s'"
                    ),
                    key=q.key,
                    option=option.key,
                    words=COPY_RUN_WORDS,
                    copied=copied[1],
                )
                problems.append(Problem(path, option.line + copied[0], message))
    return problems
