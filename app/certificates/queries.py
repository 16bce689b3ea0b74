"""Reads about certificates: an officer's own, a force's, expiring ones, admin search, status."""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Select, bindparam, or_, select
from sqlalchemy.orm import aliased

from app.assignments import status as rules
from app.auth.models import User
from app.certificates.models import Certificate
from app.certificates.serial import PREFIX, SerialError, normalise, parse
from app.clock import today
from app.extensions import db
from app.formatting import N_

EXPIRING_DAYS = rules.RECERTIFY_DAYS  # the status module's window
PAGE_SIZE = 50


@dataclass(frozen=True)
class Status:
    """A certificate's standing on a given day, for pages and the public check."""

    code: str  # "valid", "expired" or "revoked"
    label: str  # marked N_: pages translate it (certificates/_macros.html status_tag)
    expiring_in_days: int | None = None  # set when valid and expiring within EXPIRING_DAYS

    @property
    def tag(self) -> str:
        """The CSS modifier of the status tag."""
        if self.code == "valid":
            return "orange" if self.expiring_in_days is not None else "green"
        return "red" if self.code == "revoked" else "grey"


def status_of(
    certificate: Certificate,
    on: date | None = None,
    expiring_days: int = EXPIRING_DAYS,
    superseded: bool = False,
) -> Status:
    """Valid, expired (after its expiry date) or revoked; expiry is inclusive of the date shown.

    `superseded` (a later cycle exists) only changes the label of a still-valid certificate.
    """
    on = on or today()
    if certificate.revoked_at is not None:
        return Status("revoked", N_("Revoked"))
    state = rules.certificate_state(certificate.expires_on, on, expiring_days)
    if state == rules.EXPIRED:
        return Status("expired", N_("Expired"))
    if superseded:
        return Status("valid", N_("Renewed"))
    if state == rules.EXPIRING:
        return Status("valid", N_("Expires soon"), (certificate.expires_on - on).days)
    return Status("valid", N_("Valid"))


def by_serial(serial: str) -> Certificate | None:
    """The certificate with a canonical serial (call serial.parse first)."""
    return db.session.scalar(select(Certificate).where(Certificate.serial == serial))


# Columns only (no ORM object): a repeated download is one small indexed query plus the bytes.
_DOWNLOAD = (
    select(
        Certificate.id,
        Certificate.serial,
        Certificate.user_id,
        User.force_id,
        Certificate.revoked_at,
        Certificate.pdf,
    )
    .join(User, User.id == Certificate.user_id)
    .where(Certificate.serial == bindparam("serial"))
)


def for_download(serial: str):
    """(id, serial, user_id, holder's current force_id, revoked_at, pdf) or None, in one query.

    Run as Core on the session's connection: ORM execution would double this query's overhead.
    """
    return db.session.connection().execute(_DOWNLOAD, {"serial": serial}).first()


def for_user(user_id: int) -> list[Certificate]:
    """A user's certificates, newest first."""
    return list(
        db.session.scalars(
            select(Certificate)
            .where(Certificate.user_id == user_id)
            .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
        )
    )


def _current(query: Select) -> Select:
    """Only the latest cycle of each (user, course): a renewed certificate supersedes the old one."""
    newer = aliased(Certificate)
    return query.where(
        ~select(newer.id)
        .where(
            newer.user_id == Certificate.user_id,
            newer.course_id == Certificate.course_id,
            newer.cycle > Certificate.cycle,
        )
        .exists()
    )


def expiring_certificates(
    force_id: int | None, days: int = EXPIRING_DAYS, user_id: int | None = None
) -> list[Certificate]:
    """Unrevoked, current certificates expiring from today to today + days (inclusive), soonest
    first, for the officers now in a force (None: every force), or for one user.

    For the assignments and metrics features too: "who needs to renew soon".
    """
    start = today()
    query = (
        select(Certificate)
        .join(User, User.id == Certificate.user_id)
        .where(
            Certificate.revoked_at.is_(None),
            Certificate.expires_on.is_not(None),
            Certificate.expires_on >= start,
            Certificate.expires_on <= start + timedelta(days=days),
        )
        .order_by(Certificate.expires_on, Certificate.holder_name, Certificate.id)
    )
    if force_id is not None:
        query = query.where(User.force_id == force_id)
    if user_id is not None:
        query = query.where(Certificate.user_id == user_id)
    return list(db.session.scalars(_current(query)))


def force_certificates(force_id: int, page: int = 1, q: str = ""):
    """A page of the certificates held by the officers now in a force, newest first."""
    query = (
        select(Certificate)
        .join(User, User.id == Certificate.user_id)
        .where(User.force_id == force_id)
        .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
    )
    query = _search(query, q)
    return db.paginate(query, page=page, per_page=PAGE_SIZE, error_out=False)


def search(q: str = "", page: int = 1):
    """Admin search by serial (whole or a prefix) or holder name; everything when q is empty."""
    query = select(Certificate).order_by(Certificate.issued_at.desc(), Certificate.id.desc())
    return db.paginate(_search(query, q), page=page, per_page=PAGE_SIZE, error_out=False)


def _search(query: Select, q: str) -> Select:
    q = q.strip()
    if not q:
        return query
    try:
        return query.where(Certificate.serial == parse(q))
    except SerialError:
        pass
    conditions = [Certificate.holder_name.ilike(f"%{_escape_like(q)}%", escape="\\")]
    compact = normalise(q)
    if compact.startswith(PREFIX):
        compact = compact[len(PREFIX) :]
    if len(compact) >= 4 and compact.isalnum():
        # A partial serial: match on its grouped form, e.g. "7K3Q9X" -> "MSA-7K3Q-9X%".
        grouped = "-".join(compact[i : i + 4] for i in range(0, len(compact), 4))
        conditions.append(Certificate.serial.like(f"{PREFIX}-{grouped}%"))
    return query.where(or_(*conditions))


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def holder_of(certificate: Certificate) -> User | None:
    """The user a certificate was issued to (as they are now)."""
    return db.session.get(User, certificate.user_id)


def user(user_id: int | None) -> User | None:
    """A user by id (None for None)."""
    return None if user_id is None else db.session.get(User, user_id)


def earned_by(user_id: int, module_id: int, submitted_at) -> list[Certificate]:
    """The certificates a submission completed: unrevoked, of a course containing the module,
    issued to the user at or after the moment the attempt was submitted (issue happens in the
    same transaction as the passing submission). Oldest course title first."""
    from app.content.models import CourseModule

    return list(
        db.session.scalars(
            select(Certificate)
            .join(CourseModule, CourseModule.course_id == Certificate.course_id)
            .where(
                Certificate.user_id == user_id,
                CourseModule.module_id == module_id,
                Certificate.revoked_at.is_(None),
                Certificate.issued_at >= submitted_at,
            )
            .order_by(Certificate.course_title)
        )
    )


def latest_by_course(user_id: int) -> dict[int, Certificate]:
    """The user's latest unrevoked certificate of each course, by course id."""
    rows = db.session.scalars(
        select(Certificate)
        .where(Certificate.user_id == user_id, Certificate.revoked_at.is_(None))
        .order_by(Certificate.issued_at, Certificate.id)
    )
    return {c.course_id: c for c in rows}  # later certificates replace earlier ones


def latest_for_course(user_id: int, course_id: int) -> Certificate | None:
    """The user's latest unrevoked certificate of the course, or None."""
    return latest_by_course(user_id).get(course_id)
