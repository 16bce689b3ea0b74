"""Reads about law updates: per certificate, per officer, per force (for the lead) and the
per-force counts the commissioner's report takes (SQL aggregates, grouped by force)."""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import aliased

from app.assignments import status as rules
from app.auth.models import User
from app.certificates.models import Certificate
from app.extensions import db
from app.formatting import uk_date
from app.law_updates.models import LawChange, LawUpdate


@dataclass(frozen=True)
class UpdateNote:
    """One law change as it stands for one certificate."""

    update_id: int
    summary: str
    due_on: date
    completed_on: date | None


@dataclass(frozen=True)
class CertificateUpdates:
    """A certificate's law updates: its overall state and one note per change."""

    state: rules.LawUpdateState
    notes: list[UpdateNote]

    @property
    def outstanding(self) -> list[UpdateNote]:
        """The notes not yet done."""
        return [n for n in self.notes if n.completed_on is None]

    @property
    def done(self) -> list[UpdateNote]:
        """The notes done, oldest first."""
        return [n for n in self.notes if n.completed_on is not None]


def for_certificates(certificate_ids: list[int]) -> dict[int, CertificateUpdates]:
    """The law updates of some certificates (one query); certificates with none are absent."""
    if not certificate_ids:
        return {}
    rows = db.session.execute(
        select(
            LawUpdate.certificate_id,
            LawUpdate.id,
            LawChange.summary,
            LawUpdate.due_on,
            LawUpdate.completed_at,
        )
        .join(LawChange, LawChange.id == LawUpdate.law_change_id)
        .where(LawUpdate.certificate_id.in_(certificate_ids))
        .order_by(LawChange.created_at, LawChange.id)
    ).all()
    notes: dict[int, list[UpdateNote]] = {}
    for certificate_id, update_id, summary, due_on, completed_at in rows:
        done = completed_at.date() if completed_at else None
        notes.setdefault(certificate_id, []).append(UpdateNote(update_id, summary, due_on, done))
    return {
        cid: CertificateUpdates(rules.law_update_state([(n.due_on, n.completed_on) for n in items]), items)
        for cid, items in notes.items()
    }


def update_for_user(update_id: int, user_id: int) -> LawUpdate | None:
    """An update by id if it belongs to the user (else None: someone else's is 'not found')."""
    update = db.session.get(LawUpdate, update_id)
    return update if update is not None and update.user_id == user_id else None


def pdf_notes(certificate_id: int) -> tuple[str, ...]:
    """Lines for the certificate PDF: 'Updated for <summary> on <date>' per completed update."""
    found = for_certificates([certificate_id]).get(certificate_id)
    if found is None:
        return ()
    return tuple(f"{n.summary}, on {uk_date(n.completed_on)}" for n in found.done)


@dataclass(frozen=True)
class ForceRow:
    """One update for the lead's page: who, what, by when, and whether it is done."""

    holder_name: str
    service_number: str
    course_title: str
    summary: str
    due_on: date
    completed_on: date | None


def force_updates(force_id: int) -> list[ForceRow]:
    """The law updates of the officers now in a force: outstanding first (soonest due), then done."""
    rows = db.session.execute(
        select(
            User.name,
            User.service_number,
            Certificate.course_title,
            LawChange.summary,
            LawUpdate.due_on,
            LawUpdate.completed_at,
        )
        .join(User, User.id == LawUpdate.user_id)
        .join(Certificate, Certificate.id == LawUpdate.certificate_id)
        .join(LawChange, LawChange.id == LawUpdate.law_change_id)
        .where(User.force_id == force_id)
        .order_by(LawUpdate.completed_at.is_not(None), LawUpdate.due_on, User.name, LawUpdate.id)
    ).all()
    return [
        ForceRow(name, number or "", course, summary, due_on, done.date() if done else None)
        for name, number, course, summary, due_on, done in rows
    ]


@dataclass(frozen=True)
class ForceUpToDate:
    """Certified officers of one force on a day: how many are up to date with every law change."""

    force_id: int | None
    certified: int  # distinct holders of a current, valid certificate
    update_due: int  # of those, holders with an update outstanding on such a certificate
    up_to_date: int  # certified - update_due


def up_to_date_by_force(day: date, workforce_types: tuple[str, ...] | None = None) -> list[ForceUpToDate]:
    """Per force (the force a certificate was issued in: results stay where they happened), the
    holders of a current, valid certificate on `day`, and how many of them owe a law update.

    A holder counts once per force however many certificates they hold; one outstanding update on
    any of their valid certificates makes them "update due". SQL aggregates grouped by force (no
    rows loaded into Python); raw counts, for the caller's disclosure control.
    `workforce_types` limits the holders (e.g. ("police_officer",) for the headline).
    """
    newer = aliased(Certificate)
    day_after = day + timedelta(days=1)
    owed = (
        select(LawUpdate.id)
        .where(
            LawUpdate.certificate_id == Certificate.id,
            or_(LawUpdate.completed_at.is_(None), LawUpdate.completed_at >= day_after),
            LawUpdate.assigned_at < day_after,
        )
        .exists()
    )
    query = (
        select(
            Certificate.force_id,
            func.count(func.distinct(Certificate.user_id)),
            func.count(func.distinct(case((owed, Certificate.user_id)))),
        )
        .join(User, User.id == Certificate.user_id)
        .where(
            Certificate.revoked_at.is_(None),
            rules.sql_certified(Certificate.issued_at, Certificate.expires_on, day_after),
            ~select(newer.id)
            .where(
                newer.user_id == Certificate.user_id,
                newer.course_id == Certificate.course_id,
                newer.cycle > Certificate.cycle,
                newer.issued_at < day_after,
            )
            .exists(),
        )
        .group_by(Certificate.force_id)
        .order_by(Certificate.force_id)
    )
    if workforce_types:
        query = query.where(and_(User.workforce_type.in_(workforce_types)))
    return [
        ForceUpToDate(force_id, certified, due, certified - due)
        for force_id, certified, due in db.session.execute(query).all()
    ]
