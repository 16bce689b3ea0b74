"""Item-analysis flags for authors, in plain words, once a question has enough first attempts.

The figures come from queries.item_analysis (QuestionStat rollups of first attempts, all forces
merged). Below MIN_FIRST_ATTEMPTS a question gets no flag at all: a handful of answers says more
about who happened to answer than about the question.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.assessments import queries, statistics
from app.content.models import Module
from app.extensions import db
from app.formatting import N_
from app.messages import Message

MIN_FIRST_ATTEMPTS = 30


@dataclass(frozen=True)
class QuestionFlags:
    """One question of a module's bank: its first-attempt count and what to do about it."""

    key: str
    n: int
    messages: tuple[str, ...]

    @property
    def enough(self) -> bool:
        return self.n >= MIN_FIRST_ATTEMPTS


@dataclass(frozen=True)
class ModuleFlags:
    """A module's questions split into those with flags, those without, and those still waiting."""

    flagged: tuple[QuestionFlags, ...]
    clear: int
    waiting: tuple[QuestionFlags, ...]


def messages(item: queries.ItemAnalysis, correct: dict[str, bool]) -> tuple[str, ...]:
    """Each flag of a question in plain words, with what the author should do about it.

    correct: option key -> whether it is a correct option (for the never-chosen distractor check).
    """
    out = []
    if statistics.NEGATIVE_DISCRIMINATION in item.flags and item.discrimination_index is not None:
        out.append(
            Message(
                N_(
                    "Discrimination %(value)s: officers who do well on the rest of the quiz get this "
                    "question wrong more often than those who do badly; check the key, then look for a "
                    "second defensible answer or an ambiguous stem."
                ),
                value=f"{item.discrimination_index:.2f}",
            )
        )
    if statistics.TOO_EASY in item.flags and item.facility is not None:
        out.append(
            Message(
                N_(
                    "Facility %(value)s: almost everyone answers this correctly; consider a harder "
                    "near-miss distractor, one a partly trained officer would choose."
                ),
                value=f"{item.facility:.2f}",
            )
        )
    if statistics.TOO_HARD in item.flags and item.facility is not None:
        out.append(
            Message(
                N_(
                    "Facility %(value)s: almost nobody answers this correctly; check the key and that the "
                    "lesson section it tests teaches the point."
                ),
                value=f"{item.facility:.2f}",
            )
        )
    if item.question_type in ("single", "multiple"):
        for key, share in item.option_shares.items():
            if share == 0 and not correct.get(key, False):
                out.append(
                    Message(
                        N_(
                            "Option %(key)s is never chosen: it is not a plausible answer; replace it "
                            "with a near-miss built on a real misconception."
                        ),
                        key=key,
                    )
                )
    return tuple(out)


def module_flags(module_id: int) -> ModuleFlags:
    """Flags for every question of a module's current bank (own and included), nationally."""
    bank = queries._bank_by_key(module_id)
    analysis = {item.question_key: item for item in queries.item_analysis(module_id)}
    flagged, waiting = [], []
    clear = 0
    for key, question in bank.items():
        item = analysis.get(key)
        n = item.n if item is not None else 0
        if n < MIN_FIRST_ATTEMPTS:
            waiting.append(QuestionFlags(key, n, ()))
            continue
        correct = {o["key"]: bool(o.get("correct")) for o in question.options}
        found = messages(item, correct)
        if found:
            flagged.append(QuestionFlags(key, n, found))
        else:
            clear += 1
    return ModuleFlags(tuple(flagged), clear, tuple(waiting))


def overview() -> dict[str, ModuleFlags]:
    """Module slug -> its flags, for every module with a current version."""
    modules = db.session.scalars(db.select(Module).where(Module.current_version_id.is_not(None)))
    return {module.slug: module_flags(module.id) for module in modules}
