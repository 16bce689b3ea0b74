"""A synced module with certificates on it, and a law change marked on a later version."""

import io
from datetime import date

from pypdf import PdfReader

from app.certificates.models import Certificate
from app.certificates.serial import new_serial
from app.clock import utcnow
from app.content.models import Course
from app.extensions import db
from tests.integration.content.helpers import edit

CHANGE_A = "Crime and Policing Act 2026: cuckooing offence"
CHANGE_B = "Interpreters: new approved list"


def mark_law_change(root, summary: str, wording: str, questions=("who-may-interpret",)) -> None:
    """Edit the first lesson and mark the module as a law change naming that section."""
    module = root / "modules" / "alpha"
    edit(
        module / "01-first-contact.md",
        "## Speak to the person alone\n",
        f"## Speak to the person alone\n\n{wording}\n",
    )
    text = (module / "module.md").read_text()
    lines = [
        line
        for line in text.split("\n")
        if not line.startswith(("supersedes_for_law", "law_changes", "  sections", "  questions"))
    ]
    text = "\n".join(lines)
    end = text.index("\n---\n", 4)
    block = (
        f'supersedes_for_law: "{summary}"\nlaw_changes:\n'
        "  sections: [01-first-contact.md#speak-to-the-person-alone]\n"
        f"  questions: [{', '.join(questions)}]"
    )
    (module / "module.md").write_text(text[:end] + "\n" + block + text[end:])


def certificate(
    user, *, version: int = 1, expires_on: date | None = None, revoked: bool = False, cycle: int = 1
):
    """A certificate of test-course covering module alpha at `version` (as issue would store it)."""
    course = db.session.scalar(db.select(Course).where(Course.slug == "test-course"))
    cert = Certificate(
        serial=new_serial(),
        user_id=user.id,
        course_id=course.id,
        force_id=user.force_id,
        cycle=cycle,
        holder_name=user.name,
        service_number=user.service_number or "",
        force_name=user.force.name if user.force else "",
        course_slug=course.slug,
        course_title=course.title,
        course_version="1",
        modules=[{"slug": "alpha", "title": "Alpha", "version": version, "percent": 90.0}],
        issued_at=utcnow(),
        expires_on=expires_on,
        revoked_at=utcnow() if revoked else None,
    )
    db.session.add(cert)
    db.session.commit()
    return cert


def pdf_text(data: bytes) -> str:
    """The text of a PDF, whitespace collapsed."""
    return " ".join("".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def pdf_pages(data: bytes) -> int:
    """How many pages a PDF has."""
    return len(PdfReader(io.BytesIO(data)).pages)
