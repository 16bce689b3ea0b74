"""Helpers for certificate tests: pass modules the way assessments records it, then issue."""

import io
import re
from datetime import datetime

import pytest
from pypdf import PdfReader

from app.assessments.models import Attempt, ModuleResult
from app.certificates import services
from app.certificates.models import Certificate
from app.certificates.serial import new_serial
from app.clock import utcnow
from app.extensions import db
from tests.factories import ForceFactory, UserFactory, make_course


def pass_module(
    user, module, percent: float = 90.0, when: datetime | None = None, passed: bool = True
) -> Attempt:
    """A submitted attempt and the module result, as the assessments feature writes them."""
    when = when or utcnow()
    number = db.session.query(Attempt).filter_by(user_id=user.id, module_id=module.id).count() + 1
    attempt = Attempt(
        user_id=user.id,
        module_id=module.id,
        module_version_id=module.current_version_id,
        force_id=user.force_id,
        number=number,
        seed=1,
        question_keys=[],
        saved_answers={},
        started_at=when,
        submitted_at=when,
        score=percent,
        max_score=100,
        percent=percent,
        passed=passed,
    )
    db.session.add(attempt)
    db.session.flush()
    result = db.session.query(ModuleResult).filter_by(user_id=user.id, module_id=module.id).first()
    if result is None:
        result = ModuleResult(
            user_id=user.id,
            module_id=module.id,
            force_id=user.force_id,
            attempts=0,
            best_percent=0.0,
            first_attempt_at=when,
        )
        db.session.add(result)
    result.attempts += 1
    if percent > result.best_percent:
        result.best_percent = percent
        result.best_attempt_id = attempt.id
    if passed and result.passed_at is None:
        result.passed_at = when
        result.attempts_to_pass = result.attempts
    result.updated_at = when
    db.session.flush()
    return attempt


def complete(user, course, percents=None, when=None) -> list[Certificate]:
    """Pass every module of a course, then issue as the module_passed receiver would."""
    modules = course.modules
    percents = percents or [90.0] * len(modules)
    for module, percent in zip(modules, percents, strict=True):
        pass_module(user, module, percent, when)
    return services.issue_completed_courses(user, modules[-1].id)


def insert_certificate(user, course=None, **fields) -> Certificate:
    """A certificate row written directly (for pages that only need one to exist)."""
    course = course or make_course(n_modules=1)
    values = dict(
        serial=new_serial(),
        user_id=user.id,
        course_id=course.id,
        force_id=user.force_id,
        cycle=1,
        holder_name=user.name,
        service_number=user.service_number or "",
        force_name=user.force.name if user.force else "",
        course_slug=course.slug,
        course_title=course.title,
        course_version=str(course.version),
        modules=[{"slug": "m", "title": "Recognising the signs", "version": 1, "percent": 92.0}],
        issued_at=utcnow(),
        expires_on=None,
    )
    values.update(fields)
    certificate = Certificate(**values)
    db.session.add(certificate)
    db.session.flush()
    return certificate


def pdf_text(pdf: bytes) -> tuple[int, str]:
    """Page count and whitespace-collapsed text of a PDF."""
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), re.sub(r"\s+", " ", text)


@pytest.fixture
def force(database):
    return ForceFactory(name="West Midlands Police")


@pytest.fixture
def officer(force):
    return UserFactory(force=force, name="Siobhán Ní Dhuibhir", service_number="PC 4471")


@pytest.fixture
def course(database):
    return make_course(n_modules=2, title="Modern Slavery Awareness", version=3, certificate_valid_months=12)
