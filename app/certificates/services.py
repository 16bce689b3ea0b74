"""Issuing, rendering and revoking certificates (writes: add and flush; the caller commits).

Issue: a receiver of `app.events.module_passed` calls `issue_completed_courses` inside the quiz
submission's transaction. Exactly one certificate per (user, course, cycle) is guaranteed by the
database's unique constraint: the insert runs in a SAVEPOINT, and the request that loses a race
reads the winner's row instead.

PDF: rendered on the first download from the stored record (never from the live user or course),
then kept in `Certificate.pdf`; later downloads send the stored bytes without rendering.
"""

import calendar
import logging
import math
from datetime import date, datetime, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app import audit
from app.assessments.models import Attempt, ModuleResult
from app.certificates.models import Certificate
from app.certificates.pdf import PRINTINGS, CertificateData, render_certificate_pdf
from app.certificates.serial import new_serial
from app.clock import utcnow
from app.content import localised
from app.content.models import Course, CourseModule, ModuleVersion
from app.errors import DomainError
from app.events import certificate_issued, certificate_revoked, module_passed
from app.extensions import db
from app.formatting import uk_date

log = logging.getLogger(__name__)

# A certificate may be renewed this many days before it expires (and at any time after).
RECERTIFICATION_WINDOW_DAYS = 60
# Serial collisions (75 random bits) are vanishingly rare; a few retries make them harmless.
SERIAL_ATTEMPTS = 3


class CertificateError(DomainError):
    """A certificate action was refused; the message says why."""


# --- pure helpers ------------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """The same day `months` calendar months later, clamped to the month's end (31 Jan + 1 = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def shown_percent(percent: float) -> int:
    """A score as printed: whole percent, rounded down so a certificate never overstates it."""
    return int(math.floor(percent + 1e-9))


def certificate_data(
    certificate: Certificate, updates: tuple[str, ...] = (), printing: str = "en"
) -> CertificateData:
    """What the PDF shows, built from the stored snapshot only (plus any law updates done, and the
    course title's current translation for a Welsh or bilingual printing)."""
    titles = {}
    for language in PRINTINGS[printing]:
        title = localised.course_text(certificate.course_title, language)
        if getattr(title, "language", "en") == language != "en":
            titles[language] = str(title.unescape())
    return CertificateData(
        holder_name=certificate.holder_name,
        service_number=certificate.service_number,
        force_name=certificate.force_name,
        course_title=certificate.course_title,
        course_version=certificate.course_version,
        modules=tuple((m["title"], shown_percent(m["percent"])) for m in certificate.modules),
        issued_on=certificate.issued_at.date(),
        expires_on=certificate.expires_on,
        serial=certificate.serial,
        updates=updates,
        course_titles=titles,
    )


# --- issue ---------------------------------------------------------------------------------------


def recertification_window() -> timedelta:
    """How long before expiry a certificate may be renewed."""
    return timedelta(
        days=current_app.config.get("CERTIFICATE_RENEWAL_WINDOW_DAYS", RECERTIFICATION_WINDOW_DAYS)
    )


def issue_completed_courses(user, module_id: int) -> list[Certificate]:
    """Issue a certificate for every published course containing the module that the user has now
    completed (every module passed) and holds no certificate for in the current cycle.

    Returns the certificates this call issued (or, after losing a race, the winner's rows).
    """
    courses = db.session.scalars(
        select(Course)
        .join(CourseModule, CourseModule.course_id == Course.id)
        .where(CourseModule.module_id == module_id, Course.published.is_(True))
        .order_by(Course.id)
    ).all()
    issued = []
    for course in courses:
        certificate = issue_if_complete(user, course)
        if certificate is not None:
            issued.append(certificate)
    return issued


def latest_certificate(user_id: int, course_id: int) -> Certificate | None:
    """The user's certificate of the highest cycle for a course."""
    return db.session.scalar(
        select(Certificate)
        .where(Certificate.user_id == user_id, Certificate.course_id == course_id)
        .order_by(Certificate.cycle.desc())
        .limit(1)
    )


def issue_if_complete(user, course: Course) -> Certificate | None:
    """Issue the course certificate if the user has earned one it does not hold yet."""
    module_ids = [cm.module_id for cm in course.course_modules]
    if not module_ids:
        return None
    results = {
        r.module_id: r
        for r in db.session.scalars(
            select(ModuleResult).where(
                ModuleResult.user_id == user.id, ModuleResult.module_id.in_(module_ids)
            )
        )
    }
    if any(results.get(m) is None or results[m].passed_at is None for m in module_ids):
        return None
    latest = latest_certificate(user.id, course.id)
    if latest is None:
        modules = _first_cycle_modules(course, results)
        cycle = 1
    else:
        since = renewal_opens_at(latest)
        if since is None or utcnow() < since:
            return None
        modules = _modules_passed_since(user.id, course, since)
        if modules is None:
            return None
        cycle = latest.cycle + 1
    return _insert(user, course, cycle, modules)


def renewal_opens_at(latest: Certificate) -> datetime | None:
    """From when passing every module again earns a new certificate: the revocation of the latest
    certificate, or the opening of its renewal window; None if it never needs renewing."""
    if latest.revoked_at is not None:
        return latest.revoked_at
    if latest.expires_on is None:
        return None
    window_opens = datetime.combine(latest.expires_on - recertification_window(), datetime.min.time())
    return max(latest.issued_at, window_opens)


def _module_entry(course_module: CourseModule, version: ModuleVersion | None, percent: float) -> dict:
    version = version or course_module.module.current_version
    return {
        "slug": course_module.module.slug,
        "title": version.title if version else course_module.module.slug,
        "version": version.number if version else None,
        "percent": round(float(percent), 1),
    }


def _first_cycle_modules(course: Course, results: dict[int, ModuleResult]) -> list[dict]:
    """Module snapshot for a first certificate: best score and the version of the best attempt."""
    attempt_ids = [r.best_attempt_id for r in results.values() if r.best_attempt_id]
    versions = {}
    if attempt_ids:
        versions = dict(
            db.session.execute(
                select(Attempt.id, ModuleVersion)
                .join(ModuleVersion, ModuleVersion.id == Attempt.module_version_id)
                .where(Attempt.id.in_(attempt_ids))
            ).all()
        )
    return [
        _module_entry(
            cm, versions.get(results[cm.module_id].best_attempt_id), results[cm.module_id].best_percent
        )
        for cm in course.course_modules
    ]


def _modules_passed_since(user_id: int, course: Course, since: datetime) -> list[dict] | None:
    """Module snapshot for a renewal: the best attempt submitted after `since` in each module,
    or None unless every module has a passing attempt submitted after `since`."""
    module_ids = [cm.module_id for cm in course.course_modules]
    attempts = db.session.scalars(
        select(Attempt).where(
            Attempt.user_id == user_id,
            Attempt.module_id.in_(module_ids),
            Attempt.submitted_at.is_not(None),
            Attempt.submitted_at > since,
        )
    ).all()
    passed = {a.module_id for a in attempts if a.passed}
    if passed != set(module_ids):
        return None
    best: dict[int, Attempt] = {}
    for attempt in sorted(attempts, key=lambda a: a.submitted_at):
        current = best.get(attempt.module_id)
        if current is None or (attempt.percent or 0) > (current.percent or 0):
            best[attempt.module_id] = attempt
    versions = {
        v.id: v
        for v in db.session.scalars(
            select(ModuleVersion).where(ModuleVersion.id.in_({a.module_version_id for a in best.values()}))
        )
    }
    return [
        _module_entry(cm, versions.get(best[cm.module_id].module_version_id), best[cm.module_id].percent or 0)
        for cm in course.course_modules
    ]


def _insert(user, course: Course, cycle: int, modules: list[dict]) -> Certificate:
    """Insert the certificate in a SAVEPOINT; on a unique violation return the row that won."""
    issued_at = utcnow()
    months = course.certificate_valid_months
    for _ in range(SERIAL_ATTEMPTS):
        certificate = Certificate(
            serial=new_serial(),
            user_id=user.id,
            course_id=course.id,
            force_id=user.force_id,
            cycle=cycle,
            holder_name=user.name,
            service_number=user.service_number or "",
            force_name=user.force.name if user.force is not None else "",
            course_slug=course.slug,
            course_title=course.title,
            course_version=str(course.version),
            modules=modules,
            issued_at=issued_at,
            expires_on=add_months(issued_at.date(), months) if months else None,
        )
        try:
            with db.session.begin_nested():
                db.session.add(certificate)
        except IntegrityError:
            winner = db.session.scalar(
                select(Certificate).where(
                    Certificate.user_id == user.id,
                    Certificate.course_id == course.id,
                    Certificate.cycle == cycle,
                )
            )
            if winner is not None:
                return winner
            continue  # the serial collided; draw another
        certificate_issued.send(None, certificate=certificate)  # the metrics summary notes it
        log.info(
            "issued certificate %s to user %s for course %s (cycle %s)",
            certificate.serial,
            user.id,
            course.slug,
            cycle,
        )
        return certificate
    raise CertificateError("A certificate could not be issued; please try again.", 503)


def _on_module_passed(sender, user=None, module_id=None, **_extra) -> None:
    """Receiver of module_passed: issue what is now complete, without failing the submission."""
    if user is None or module_id is None:
        return
    try:
        with db.session.begin_nested():
            issue_completed_courses(user, module_id)
    except Exception:  # noqa: BLE001 - a certificate problem must not lose the quiz submission
        log.exception(
            "issuing certificates failed for user %s after module %s", getattr(user, "id", None), module_id
        )


# Connected once: blinker keys receivers by identity, so importing this module again (or from
# several places) does not add a second connection.
module_passed.connect(_on_module_passed)


# --- PDF -----------------------------------------------------------------------------------------


def verify_url(serial: str) -> str:
    """The public verification address a certificate's QR code opens."""
    return f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/verify/{serial}"


def render_pdf(certificate: Certificate) -> bytes:
    """Render a certificate's PDF from its stored record (byte-stable for the same record)."""
    return render_certificate_pdf(
        certificate_data(certificate), verify_url(certificate.serial), Path(current_app.static_folder)
    )


def render_updated_pdf(certificate_id: int, updates: tuple[str, ...], printing: str = "en") -> bytes:
    """The PDF noting the law updates done since issue, or printed in Welsh or in both languages
    ("cy", "both"): rendered on each download, never stored (the stored PDF stays the English one
    of the record as issued)."""
    certificate = db.session.get(Certificate, certificate_id)
    return render_certificate_pdf(
        certificate_data(certificate, updates, printing),
        verify_url(certificate.serial),
        Path(current_app.static_folder),
        printing,
    )


def certificate_pdf(certificate: Certificate) -> bytes:
    """The stored PDF, rendering and storing it on first use (the caller commits)."""
    if certificate.pdf is None:
        certificate.pdf = render_pdf(certificate)
        db.session.flush()
    return certificate.pdf


def render_and_store(certificate_id: int) -> bytes:
    """The PDF of a certificate by id, rendered and stored if it has none yet (caller commits)."""
    return certificate_pdf(db.session.get(Certificate, certificate_id))


# --- revoke --------------------------------------------------------------------------------------


def revoke(certificate: Certificate, *, actor, reason: str) -> Certificate:
    """Revoke a certificate with a reason (audited); it stays in the record and verifies as revoked."""
    reason = (reason or "").strip()
    if not reason:
        raise CertificateError("Give a reason for revoking the certificate.")
    if certificate.revoked_at is not None:
        revoked_on = uk_date(certificate.revoked_at.date())
        raise CertificateError(f"Certificate {certificate.serial} was already revoked on {revoked_on}.")
    certificate.revoked_at = utcnow()
    certificate.revoked_reason = reason
    certificate.revoked_by_id = actor.id
    audit.record(
        "certificate.revoke",
        actor=actor,
        target=certificate,
        serial=certificate.serial,
        holder_id=certificate.user_id,
        course=certificate.course_slug,
        reason=reason,
    )
    db.session.flush()
    certificate_revoked.send(None, user_id=certificate.user_id, course_id=certificate.course_id)
    return certificate
