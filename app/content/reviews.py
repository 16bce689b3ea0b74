"""Review dates of lessons and pocket cards: when each was last checked, and which are overdue (pure)."""

from __future__ import annotations

import calendar
from datetime import date
from pathlib import Path

from app.content.errors import Problem
from app.content.loader import ContentTree, LessonSource, shown_path
from app.content.pocket_card import PocketCard
from app.formatting import N_
from app.messages import Message

REVIEW_MONTHS = 12  # a lesson not checked against its sources for longer than this is overdue


def review_due_on(reviewed_on: date, months: int = REVIEW_MONTHS) -> date:
    """The day a lesson reviewed on `reviewed_on` falls due again (clamped to the month's end)."""
    index = reviewed_on.month - 1 + months
    year, month = reviewed_on.year + index // 12, index % 12 + 1
    return date(year, month, min(reviewed_on.day, calendar.monthrange(year, month)[1]))


def is_overdue(reviewed_on: date | None, today: date, months: int = REVIEW_MONTHS) -> bool:
    """True when a lesson was never reviewed, or last reviewed more than `months` months ago."""
    return reviewed_on is None or review_due_on(reviewed_on, months) < today


def lesson_warnings(lesson: LessonSource, shown: str, today: date) -> list[Problem]:
    """Warnings for one lesson: no review date, a stale or future one, no sources."""
    out = []
    if lesson.reviewed_on is None:
        message = Message(
            N_("no 'reviewed_on': add the date this lesson was last checked against its sources")
        )
        out.append(Problem(shown, 1, message, "warning"))
    elif lesson.reviewed_on > today:
        message = Message(N_("'reviewed_on' %(date)s is in the future"), date=str(lesson.reviewed_on))
        out.append(Problem(shown, 1, message, "warning"))
    elif is_overdue(lesson.reviewed_on, today):
        message = Message(
            N_(
                "last reviewed on %(date)s, more than %(months)s months ago: "
                "check it against its sources and update 'reviewed_on'"
            ),
            date=lesson.reviewed_on,
            months=REVIEW_MONTHS,
        )
        out.append(Problem(shown, 1, message, "warning"))
    if not lesson.sources:
        message = Message(
            N_("no 'sources': list what the lesson's claims rest on (title, and url where there is one)")
        )
        out.append(Problem(shown, 1, message, "warning"))
    return out


def card_warnings(card: PocketCard, shown: str, today: date) -> list[Problem]:
    """Warnings for a module's pocket card: no review date, a stale or future one (an officer keeps
    the printed card, so its key points need checking as often as the lessons)."""
    if card.reviewed_on is None:
        message = Message(
            N_("pocket card has no 'reviewed_on': add the date its key points were last checked")
        )
        return [Problem(shown, 1, message, "warning")]
    if card.reviewed_on > today:
        return [
            Problem(
                shown,
                1,
                Message(
                    N_("pocket card 'reviewed_on' %(date)s is in the future"), date=str(card.reviewed_on)
                ),
                "warning",
            )
        ]
    if is_overdue(card.reviewed_on, today):
        message = Message(
            N_(
                "pocket card last checked on %(date)s, more than %(months)s months "
                "ago: check its key points against the lessons and update 'reviewed_on'"
            ),
            date=card.reviewed_on,
            months=REVIEW_MONTHS,
        )
        return [Problem(shown, 1, message, "warning")]
    return []


def review_warnings(tree: ContentTree, root: Path | str, today: date) -> list[Problem]:
    """Every review warning in a content tree (lessons and pocket cards), sorted by path."""
    root = Path(root)
    out = []
    for module in tree.modules.values():
        for lesson in module.lessons:
            out += lesson_warnings(lesson, shown_path(module.path / lesson.filename, root), today)
        if module.pocket_card is not None:
            out += card_warnings(module.pocket_card, shown_path(module.path / "module.md", root), today)
    return sorted(out)
