"""Law changes marked in a module's front matter: reading, checking, and cutting out the changed
sections of the lessons (pure: no Flask, no database)."""

from __future__ import annotations

from dataclasses import dataclass

from app.content.errors import Problem
from app.content.frontmatter import Fields
from app.content.rendering import parse_markdown
from app.formatting import N_
from app.messages import Message

LAW_SUMMARY_MAX = 120
MAX_QUESTIONS = 5  # "a few questions": an update is short
UPDATE_TYPES = ("single", "multiple")  # the update page asks these types


@dataclass(frozen=True)
class LawChangeSource:
    """A module version marked `supersedes_for_law`: what changed in the law, and where.

    sections are lesson files with an optional heading (`02-forms.md#cuckooing`); questions are
    keys of this module's own quiz. Certified officers get these as a short update.
    """

    summary: str
    sections: tuple[str, ...]
    questions: tuple[str, ...]


def read_law_change(fields: Fields) -> LawChangeSource | None:
    """`supersedes_for_law: <summary>` with `law_changes: {sections: [...], questions: [...]}`."""
    summary = fields.text("supersedes_for_law")
    if "law_changes" not in fields.data:
        if summary:
            message = Message(
                N_(
                    "'supersedes_for_law' needs 'law_changes' with the 'sections' and 'questions' "
                    "that changed"
                )
            )
            fields.add("supersedes_for_law", message)
        return None
    sub = fields.sub("law_changes", Message(N_(" in '%(key)s'"), key="law_changes"))
    if sub is None:
        return None
    sub.check_keys(("sections", "questions"), ("sections", "questions"))
    if not summary:
        fields.add(
            "law_changes",
            Message(N_("'law_changes' needs 'supersedes_for_law: <short summary of the change>'")),
        )
        return None
    if len(summary) > LAW_SUMMARY_MAX:
        message = Message(N_("'supersedes_for_law' must be at most %(max)s characters"), max=LAW_SUMMARY_MAX)
        fields.add("supersedes_for_law", message)
    return LawChangeSource(summary, sub.strings("sections"), sub.strings("questions"))


def check_law_change(module, shown: str, lines: dict[tuple, int]) -> list[Problem]:
    """Each changed section names a lesson (and heading) of the module; each question is one of
    its own single or multiple answer questions; one to MAX_QUESTIONS questions."""
    change = module.law_change
    if change is None:
        return []
    out = []
    lessons = {lesson.filename: lesson for lesson in module.lessons}
    for index, ref in enumerate(change.sections):
        line = lines.get(("law_changes", "sections", index), 1)
        filename, _, anchor = ref.partition("#")
        if filename not in lessons:
            out.append(
                Problem(
                    shown,
                    line,
                    Message(
                        N_("law change section '%(ref)s': no lesson '%(file)s' in this module"),
                        ref=ref,
                        file=filename,
                    ),
                )
            )
        elif anchor and section_markdown(lessons[filename].markdown, anchor) is None:
            out.append(
                Problem(
                    shown,
                    line,
                    Message(
                        N_("law change section '%(ref)s': no heading '#%(anchor)s' in %(file)s"),
                        ref=ref,
                        anchor=anchor,
                        file=filename,
                    ),
                )
            )
    types = {q.key: q.type for q in module.questions}
    for index, key in enumerate(change.questions):
        line = lines.get(("law_changes", "questions", index), 1)
        if key not in types:
            message = Message(N_("law change question '%(key)s' is not in this module's quiz.md"), key=key)
            out.append(Problem(shown, line, message))
        elif types[key] not in UPDATE_TYPES:
            message = Message(
                N_("law change question '%(key)s' is %(type)s: an update asks single or multiple only"),
                key=key,
                type=types[key],
            )
            out.append(Problem(shown, line, message))
    if not change.sections or not change.questions:
        message = Message(N_("law_changes needs sections and questions"))
        out.append(Problem(shown, lines.get(("law_changes",), 1), message))
    elif len(change.questions) > MAX_QUESTIONS:
        message = Message(
            N_("law_changes lists %(count)s questions: an update asks at most %(max)s"),
            count=len(change.questions),
            max=MAX_QUESTIONS,
        )
        out.append(Problem(shown, lines.get(("law_changes", "questions"), 1), message))
    return out


def section_markdown(markdown: str, anchor: str) -> str | None:
    """The Markdown of the section under the heading with id `anchor`, up to the next heading of
    the same or a higher level; None if no heading has that id."""
    heads = [
        (t.map[0], int(t.tag[1:]), t.attrGet("id"))
        for t in parse_markdown(markdown)
        if t.type == "heading_open" and t.map and t.level == 0
    ]
    for index, (start, level, ident) in enumerate(heads):
        if ident != anchor:
            continue
        end = next((line for line, lvl, _ in heads[index + 1 :] if lvl <= level), None)
        rows = markdown.split("\n")
        return "\n".join(rows[start:end]).strip("\n")
    return None
