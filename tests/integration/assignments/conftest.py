"""Helpers for the assignments tests: officers, evidence of work, and SMTP servers on loopback."""

import secrets
import socket
import socketserver
import threading
from datetime import datetime, timedelta

import pytest

from app.assessments.models import ModuleResult
from app.assignments import services
from app.certificates.models import Certificate
from app.clock import today, utcnow
from app.courses.models import LessonProgress
from app.extensions import db
from tests.factories import ForceFactory, TeamFactory, UserFactory, make_course


@pytest.fixture
def place(database):
    """A force with two teams, a lead, three officers, and a two-module course."""
    force = ForceFactory(name="West Yorkshire Police")
    team_a, team_b = (
        TeamFactory(force=force, name="Response Team A"),
        TeamFactory(force=force, name="Response Team B"),
    )
    joined = utcnow() - timedelta(days=400)
    officers = [
        UserFactory(force=force, team=team, name=name, force_joined_at=joined, team_joined_at=joined)
        for name, team in (("Ada Ash", team_a), ("Ben Birch", team_a), ("Cat Cedar", team_b))
    ]
    lead = UserFactory(force=force, role="training_lead", name="Lee Lead", force_joined_at=joined)
    course = make_course(n_modules=2, questions=1, lessons=2, certificate_valid_months=12)
    return {"force": force, "teams": (team_a, team_b), "officers": officers, "lead": lead, "course": course}


def assign(place, *, scope="force", days=30, actor=None, **kwargs):
    """Create an assignment through the service."""
    return services.create_assignment(
        actor=actor or place["lead"],
        force=place["force"],
        course_id=place["course"].id,
        scope=scope,
        due_on=today() + timedelta(days=days),
        **kwargs,
    )


def pass_module(user, module, at: datetime | None = None):
    """A ModuleResult saying the user passed the module."""
    result = ModuleResult(
        user_id=user.id,
        module_id=module.id,
        force_id=user.force_id,
        attempts=1,
        best_percent=90.0,
        passed_at=at or utcnow(),
        first_attempt_at=at or utcnow(),
    )
    db.session.add(result)
    db.session.flush()
    return result


def certify(
    user,
    course,
    *,
    issued_at: datetime | None = None,
    expires_in: int | None = 365,
    revoked: bool = False,
    cycle: int = 1,
):
    """A certificate for the user and course."""
    issued_at = issued_at or utcnow()
    cert = Certificate(
        serial=secrets.token_hex(8),
        user_id=user.id,
        course_id=course.id,
        force_id=user.force_id,
        cycle=cycle,
        holder_name=user.name,
        course_slug=course.slug,
        course_title=course.title,
        course_version="1",
        modules=[],
        issued_at=issued_at,
        expires_on=(today() + timedelta(days=expires_in)) if expires_in is not None else None,
        revoked_at=utcnow() if revoked else None,
    )
    db.session.add(cert)
    db.session.flush()
    return cert


def read_lesson(user, course):
    """The user read the first lesson of the course's first module."""
    version = course.course_modules[0].module.current_version
    lesson = version.lessons[0]
    db.session.add(LessonProgress(user_id=user.id, lesson_id=lesson.id, module_version_id=version.id))
    db.session.flush()


class _SmtpHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib: EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT."""

    def _reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        self._reply("220 sink ready")
        envelope: dict = {"rcpt": []}
        while line := self.rfile.readline():
            verb = line.decode(errors="replace").strip().split(" ")[0].upper()
            if verb in ("EHLO", "HELO"):
                self._reply("250 sink")
            elif verb == "MAIL":
                envelope = {"from": line.decode().strip(), "rcpt": []}
                self._reply("250 OK")
            elif verb == "RCPT":
                envelope["rcpt"].append(line.decode().split(":", 1)[1].strip(" <>\r\n"))
                self._reply("250 OK")
            elif verb == "DATA":
                self._reply("354 End data with <CR><LF>.<CR><LF>")
                body = []
                while (data := self.rfile.readline()) not in (b".\r\n", b""):
                    body.append(data)
                self.server.messages.append({**envelope, "data": b"".join(body).decode()})
                self._reply("250 OK queued")
            elif verb == "QUIT":
                self._reply("221 bye")
                return
            else:
                self._reply("250 OK")


class _SinkServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _SmtpHandler)
        self.messages: list[dict] = []


@pytest.fixture
def smtp_sink():
    """A real SMTP server on loopback collecting messages in .messages."""
    server = _SinkServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def closed_port():
    """A loopback port nothing listens on (connection refused)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def mail_to(app, monkeypatch):
    """Point the app's MAIL_* settings at a loopback port (no TLS, no login)."""

    def _configure(port: int | None) -> None:
        monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1" if port else "")
        monkeypatch.setitem(app.config, "MAIL_PORT", port or 25)
        monkeypatch.setitem(app.config, "MAIL_USE_TLS", False)
        monkeypatch.setitem(app.config, "MAIL_USERNAME", "")

    return _configure
