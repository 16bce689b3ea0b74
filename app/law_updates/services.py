"""Recording law changes, assigning the updates they call for, and completing them (writes: add
and flush only; the caller commits).

Assigning runs as a receiver of `app.events.law_change_synced`, inside the content sync's
transaction: a sync that fails records no change and assigns nothing.
"""

import logging
from datetime import timedelta

from flask import current_app
from sqlalchemy import or_, select
from sqlalchemy.orm import aliased

from app import audit
from app.assessments.scoring import ScoringOption, ScoringQuestion, passed, score
from app.certificates.models import Certificate
from app.clock import today, utcnow
from app.content.models import CourseModule, Module, ModuleVersion, Question
from app.errors import DomainError
from app.events import certificate_issued, law_change_synced
from app.extensions import db
from app.formatting import plural
from app.law_updates.models import LawChange, LawUpdate

log = logging.getLogger(__name__)
DEFAULT_DUE_DAYS = 60


class LawUpdateError(DomainError):
    """An update action was refused; the message says why."""


def due_days() -> int:
    """Days an officer has to do an update (LAW_UPDATE_DUE_DAYS, default 60)."""
    return int(current_app.config.get("LAW_UPDATE_DUE_DAYS", DEFAULT_DUE_DAYS))


def record_law_change(
    *, module_id, version_id, version_number, summary, question_keys, sections
) -> LawChange | None:
    """Record a marked law change once per module and summary, and assign its updates.

    Returns the new change, or None if it was recorded by an earlier sync (a later version that
    still carries the same mark assigns nothing again).
    """
    exists = db.session.scalar(
        select(LawChange.id).where(LawChange.module_id == module_id, LawChange.summary == summary)
    )
    if exists is not None:
        return None
    change = LawChange(
        module_id=module_id,
        module_version_id=version_id,
        version_number=version_number,
        summary=summary,
        sections=sections(),
        question_keys=list(question_keys),
        created_at=utcnow(),
    )
    db.session.add(change)
    db.session.flush()
    assigned = assign_updates(change)
    log.info("law change %r on module %s: %s assigned", summary, module_id, plural(assigned, "update"))
    return change


def _owes(modules: list | None, slug: str, change: LawChange) -> bool:
    """True when a certificate's module snapshot has the module at a version before the change."""
    entry = next((m for m in modules or [] if m.get("slug") == slug), None)
    return entry is not None and (entry.get("version") or 0) < change.version_number


def _add_update(change: LawChange, certificate_id: int, user_id: int) -> None:
    db.session.add(
        LawUpdate(
            law_change_id=change.id,
            certificate_id=certificate_id,
            user_id=user_id,
            due_on=today() + timedelta(days=due_days()),
            assigned_at=utcnow(),
        )
    )


def assign_updates(change: LawChange) -> int:
    """Give an update to every current, valid certificate covering the module at an older version.

    Valid: not revoked and not expired today; current: the latest cycle of its (holder, course).
    The certificate itself is never touched. Returns how many updates were assigned.
    """
    day = today()
    slug = db.session.scalar(select(Module.slug).where(Module.id == change.module_id))
    newer = aliased(Certificate)
    rows = db.session.execute(
        select(Certificate.id, Certificate.user_id, Certificate.modules)
        .join(CourseModule, CourseModule.course_id == Certificate.course_id)
        .where(
            CourseModule.module_id == change.module_id,
            Certificate.revoked_at.is_(None),
            or_(Certificate.expires_on.is_(None), Certificate.expires_on >= day),
            ~select(newer.id)
            .where(
                newer.user_id == Certificate.user_id,
                newer.course_id == Certificate.course_id,
                newer.cycle > Certificate.cycle,
            )
            .exists(),
        )
    ).all()
    count = 0
    for certificate_id, user_id, modules in rows:
        if _owes(modules, slug, change):  # earned on the changed version or later: nothing owed
            _add_update(change, certificate_id, user_id)
            count += 1
    db.session.flush()
    return count


def _on_law_change_synced(sender, **kwargs) -> None:
    """Receiver of law_change_synced (errors propagate: the sync then writes nothing)."""
    record_law_change(**kwargs)


def _on_certificate_issued(sender, certificate=None, **_extra) -> None:
    """Receiver of certificate_issued: a certificate earned on a module version older than a
    recorded law change owes its update from the start."""
    if certificate is None:
        return
    slugs = [m.get("slug") for m in certificate.modules or []]
    changes = db.session.execute(
        select(LawChange, Module.slug)
        .join(Module, Module.id == LawChange.module_id)
        .where(Module.slug.in_(slugs))
        .order_by(LawChange.id)
    ).all()
    for change, slug in changes:
        if _owes(certificate.modules, slug, change):
            _add_update(change, certificate.id, certificate.user_id)
    db.session.flush()


law_change_synced.connect(_on_law_change_synced)
certificate_issued.connect(_on_certificate_issued)


# --- doing an update -----------------------------------------------------------------------------


def outstanding(user_id: int, module_id: int) -> list[LawUpdate]:
    """The user's updates not yet done on a module, newest change first."""
    return list(
        db.session.scalars(
            select(LawUpdate)
            .join(LawChange, LawChange.id == LawUpdate.law_change_id)
            .where(
                LawUpdate.user_id == user_id,
                LawChange.module_id == module_id,
                LawUpdate.completed_at.is_(None),
            )
            .order_by(LawChange.version_number.desc(), LawChange.id.desc(), LawUpdate.id)
        )
    )


def combined(changes: list[LawChange]) -> tuple[list[dict], list[Question]]:
    """Sections and questions of one or more changes to a module, newest change first.

    A section or question named by a newer change replaces the older one's (a second change to the
    same passage supersedes the first), so an officer catching up on two changes at once is never
    shown the older wording.
    """
    sections: dict[str, dict] = {}
    wanted: dict[str, int] = {}
    for change in changes:
        for section in change.sections:
            sections.setdefault(section["ref"], section)
        for key in change.question_keys:
            wanted.setdefault(key, change.module_version_id)
    questions = []
    if wanted:
        found = {
            (q.key, q.module_version_id): q
            for q in db.session.scalars(
                select(Question).where(
                    Question.module_version_id.in_(set(wanted.values())), Question.key.in_(wanted)
                )
            )
        }
        questions = [found[(key, vid)] for key, vid in wanted.items() if (key, vid) in found]
    return list(sections.values()), questions


def scoring_questions(questions: list[Question]) -> list[ScoringQuestion]:
    """The stored questions as the pure scorer takes them."""
    return [
        ScoringQuestion(
            key=q.key,
            type=q.type,
            points=q.points,
            options=tuple(ScoringOption(o["key"], bool(o["correct"])) for o in q.options),
        )
        for q in questions
    ]


def submit_update(user, update: LawUpdate, answers: dict):
    """Mark the answers to an update; on a pass, complete every update the user owes on that module.

    Returns (ScoreResult, passed, pass_mark). A failed try changes nothing: the officer reads the
    feedback and tries again. Raises LawUpdateError if the update is not outstanding.
    """
    if update.completed_at is not None:
        raise LawUpdateError("This update is already done.", 409)
    pending = outstanding(user.id, update.law_change.module_id)
    _, questions = combined([u.law_change for u in pending])
    result = score(scoring_questions(questions), answers)
    pass_mark = db.session.scalar(
        select(ModuleVersion.pass_mark).where(ModuleVersion.id == pending[0].law_change.module_version_id)
    )
    ok = passed(result.percent, pass_mark or 80)
    if ok:
        now = utcnow()
        for item in pending:
            item.completed_at = now
            item.percent = result.percent
        audit.record(
            "law_update.complete",
            actor=user,
            target_type="law_update",
            target_id=str(update.id),
            changes=[u.law_change_id for u in pending],
            percent=result.percent,
        )
        db.session.flush()
    return result, ok, pass_mark or 80
