"""Routes of certificates: own list, downloads, the force list, the public check, admin revoke."""

from app.certificates.models import Certificate
from app.certificates.serial import new_serial
from app.clock import utcnow
from app.extensions import db
from tests.access.rules import ADMIN, LEAD, OFFICER, PUBLIC, Route
from tests.factories import CourseFactory

ROUTES = [
    Route("certificates.mine", "/certificates", frozenset({OFFICER, LEAD})),
    Route("certificates.download", "/certificates/{serial}/pdf", frozenset({OFFICER, LEAD, ADMIN})),
    Route("certificates.force_list", "/force/certificates", frozenset({LEAD})),
    Route("certificates.verify", "/verify", PUBLIC),
    Route("certificates.verify_serial", "/verify/{serial}", PUBLIC),
    Route("certificates.admin_list", "/admin/certificates", frozenset({ADMIN})),
    Route("certificates.admin_detail", "/admin/certificates/{serial}", frozenset({ADMIN})),
    Route(
        "certificates.revoke",
        "/admin/certificates/{serial}/revoke",
        frozenset({ADMIN}),
        method="POST",
        data={"reason": "Access matrix check"},
        ok=(302,),
    ),
]


def build(world: dict) -> None:
    """A certificate held by the home force's officer (inserted directly)."""
    officer = world["users"]["officer"]
    course = CourseFactory(title="Access Matrix Course")
    certificate = Certificate(
        serial=new_serial(),
        user_id=officer.id,
        course_id=course.id,
        force_id=officer.force_id,
        cycle=1,
        holder_name=officer.name,
        service_number=officer.service_number or "",
        force_name=world["force"].name,
        course_slug=course.slug,
        course_title=course.title,
        course_version="1",
        modules=[{"slug": "m", "title": "Module", "version": 1, "percent": 90.0}],
        issued_at=utcnow(),
        expires_on=None,
    )
    db.session.add(certificate)
    db.session.flush()
    world["serial"] = certificate.serial
    world["certificate_id"] = certificate.id
