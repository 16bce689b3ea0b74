"""IDOR / cross-force access: every URL naming an object, tried by people who do not own it.

Two forces, A and B, each with a training lead, officers, a team, an assignment, quiz attempts
and a certificate, plus a commissioner and an administrator. The cases are generated from one
table (CASES): each row is a URL naming an object and the actors who legitimately own it. Every
other actor must be refused: 404 when their role may use the endpoint (the object is someone
else's, and its existence is not confirmed), 403 when the role may not use it at all, and never
a 2xx or a redirect into the page. Owners get the page, so each row is known to be a live URL.

test_every_object_url_is_covered checks the table against app.url_map: a new route with an
<id>, <slug>, <serial> or <code> fails the suite until it is added here or to NOT_OWNED with a
reason.
"""

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.api.models import ApiClient
from app.assessments import services as assessments
from app.assessments.models import Attempt
from app.assignments.models import Assignment, AssignmentTarget
from app.auth.sso_models import ForceIdentityProvider, UserIdentity
from app.certificates.models import Certificate
from app.certificates.serial import new_serial
from app.clock import today, utcnow
from app.extensions import db
from app.forces.models import Team
from app.law_updates.models import LawChange, LawUpdate
from app.mail.models import MailJob
from tests.factories import (
    ForceFactory,
    ModuleVersionFactory,
    QuestionFactory,
    TeamFactory,
    UserFactory,
    make_course,
)
from tests.integration.test_access_matrix import all_routes

# Actors: who is asking. The *_b actors and officer_a2 own objects; the rest try to reach them.
ACTORS = ("officer_a", "officer_a2", "lead_a", "officer_b", "lead_b", "commissioner", "admin")
ROLE_OF = {
    "officer_a": "officer",
    "officer_a2": "officer",
    "lead_a": "training_lead",
    "officer_b": "officer",
    "lead_b": "training_lead",
    "commissioner": "commissioner",
    "admin": "admin",
}
QUIZ = {
    "questions_per_attempt": None,
    "attempts_allowed": 0,
    "cooldown_minutes": 0,
    "show_feedback": True,
    "include": [],
}


@dataclass(frozen=True)
class Case:
    """A URL naming an object, and the actors who may reach it."""

    endpoint: str
    url: str
    owners: frozenset
    method: str = "GET"
    data: dict = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.method}:{self.url}"


def _case(endpoint, url, owners, method="GET", **data):
    return Case(endpoint, url, frozenset(owners), method, data)


B_LEADERS = {"lead_b", "admin"}
B_HOLDER = {"officer_b", "lead_b", "admin"}
A2_HOLDER = {"officer_a2", "lead_a", "admin"}
ADMIN = {"admin"}
NATIONAL = {"commissioner", "admin"}

CASES = [
    # Force B's assignment, read and written.
    _case("assignments.assignment_detail", "/assignments/{assignment_b}", B_LEADERS),
    _case("assignments.export_csv", "/assignments/{assignment_b}/export.csv", B_LEADERS),
    _case("assignments.edit_assignment", "/assignments/{assignment_b}/edit", B_LEADERS),
    _case(
        "assignments.edit_assignment",
        "/assignments/{assignment_b}/edit",
        B_LEADERS,
        "POST",
        due_on="2099-03-01",
    ),
    _case(
        "assignments.withdraw_assignment",
        "/assignments/{assignment_b}/withdraw",
        B_LEADERS,
        "POST",
        reason="IDOR check",
    ),
    # Force B chosen by ?force=<code>.
    _case("assignments.lead_assignments", "/assignments?force={code_b}", B_LEADERS),
    _case("assignments.attention", "/assignments/attention?force={code_b}", B_LEADERS),
    _case("assignments.attention_csv", "/assignments/attention.csv?force={code_b}", B_LEADERS),
    _case(
        "assignments.attention_remind",
        "/assignments/attention/remind?force={code_b}",
        B_LEADERS,
        "POST",
        scope="all",
    ),
    # Force B's officer's training record.
    _case("assignments.officer_record", "/officers/{officer_b_id}", B_LEADERS),
    _case("assignments.new_assignment", "/assignments/new?force={code_b}", B_LEADERS),
    _case(
        "assignments.new_assignment",
        "/assignments/new?force={code_b}",
        B_LEADERS,
        "POST",
        course_id="{course_id}",
        scope="force",
        due_on="2099-03-01",
    ),
    _case("metrics.force_dashboard", "/metrics/force?force={code_b}", B_LEADERS),
    _case("metrics.force_csv", "/metrics/force.csv?force={code_b}", B_LEADERS),
    # Certificates: another force's officer, and another officer of the same force.
    _case("certificates.download", "/certificates/{serial_b}/pdf", B_HOLDER),
    _case("certificates.download", "/certificates/{serial_a2}/pdf", A2_HOLDER),
    _case("credentials.download", "/certificates/{serial_b}/credential.jwt", B_HOLDER),
    _case("credentials.download", "/certificates/{serial_a2}/credential.jwt", A2_HOLDER),
    _case("certificates.admin_detail", "/admin/certificates/{serial_b}", ADMIN),
    _case("certificates.revoke", "/admin/certificates/{serial_b}/revoke", ADMIN, "POST", reason="IDOR check"),
    # Attempts belong to one person only, whatever the role.
    _case("assessments.attempt", "/attempts/{open_b}", {"officer_b"}),
    _case("assessments.question", "/attempts/{open_b}/questions/1", {"officer_b"}),
    _case(
        "assessments.question",
        "/attempts/{open_b}/questions/1",
        {"officer_b"},
        "POST",
        module_version_id="{version_id}",
    ),
    _case(
        "assessments.save_attempt",
        "/attempts/{open_b}/save",
        {"officer_b"},
        "POST",
        module_version_id="{version_id}",
    ),
    _case(
        "assessments.submit_attempt",
        "/attempts/{open_b}/submit",
        {"officer_b"},
        "POST",
        module_version_id="{version_id}",
    ),
    _case("assessments.result", "/attempts/{done_b}/result", {"officer_b"}),
    _case("assessments.attempt", "/attempts/{open_a2}", {"officer_a2"}),
    _case("assessments.result", "/attempts/{done_a2}/result", {"officer_a2"}),
    # A law update belongs to its certificate's holder only, whatever the role.
    _case("law_updates.show", "/updates/{law_update_b}", {"officer_b"}),
    _case("law_updates.submit", "/updates/{law_update_b}/submit", {"officer_b"}, "POST"),
    # Admin-only pages naming users, forces and certificates.
    _case("auth.admin_user", "/admin/users/{officer_b_id}", ADMIN),
    _case(
        "auth.admin_user",
        "/admin/users/{officer_b_id}",
        ADMIN,
        "POST",
        name="Renamed",
        role="admin",
        force_id="",
        team_id="",
    ),
    _case("auth.admin_user_active", "/admin/users/{officer_b_id}/active", ADMIN, "POST", active="0"),
    _case(
        "auth.admin_user_password",
        "/admin/users/{officer_b_id}/password",
        ADMIN,
        "POST",
        password="kettle orbit lantern",
    ),
    _case("auth.admin_user_mfa_reset", "/admin/users/{officer_b_id}/two-factor/reset", ADMIN, "POST"),
    _case("auth.admin_user_send_link", "/admin/users/{officer_b_id}/link", ADMIN, "POST"),
    _case("auth.admin_user_sign_out", "/admin/users/{officer_b_id}/sessions/end", ADMIN, "POST"),
    _case("assignments.retry_mail_job", "/admin/outbox/jobs/{mail_job_b}/retry", ADMIN, "POST"),
    _case("forces.edit_headcount", "/forces/{code_b}/headcount", ADMIN),
    _case(
        "forces.edit_headcount",
        "/forces/{code_b}/headcount",
        ADMIN,
        "POST",
        headcount="1",
        headcount_source="IDOR check",
    ),
    # Single sign-on settings and invitations, API clients: admin only.
    _case("auth.admin_sso", "/admin/forces/{code_b}/sign-in", ADMIN),
    _case("auth.admin_sso", "/admin/forces/{code_b}/sign-in", ADMIN, "POST", tenant_id="idor"),
    _case("auth.admin_user_sso_invite", "/admin/users/{officer_b_id}/sso-invite", ADMIN, "POST"),
    _case("api_admin.revoke", "/admin/api-clients/{api_client_b}/revoke", ADMIN, "POST"),
    # The commissioner's drill-down is aggregates only, by design (no names; see
    # tests/integration/metrics/test_pages.py); here: leads and officers cannot reach it.
    _case("metrics.force_detail", "/metrics/forces/{code_b}", NATIONAL),
]

# Routes with a URL argument that name no owned object: shared content, public checks.
NOT_OWNED = {
    "courses.course": "course slug: the catalogue is the same for every learner",
    "auth.set_password": "the link token is itself the secret; unknown, used and expired tokens "
    "all get the same 404 page (tests/integration/auth/test_account_links.py)",
    "courses.module": "module slug: shared content",
    "courses.lesson": "module slug and lesson number: shared content",
    "assessments.quiz": "module slug: starting a quiz creates the caller's own attempt",
    "assessments.confidence": "module slug: records the caller's own rating",
    "content.asset": "module slug, version and file name: shared lesson images",
    "certificates.verify_serial": "public by design: shows holder, force, course and dates only",
    "metrics.release": "a month: national aggregates for the commissioner and admin, owned by no one",
    "metrics.release_revision": "a month and revision: the same national aggregates",
    "metrics.release_ods": "a month and revision: the same national aggregates as a spreadsheet",
    "metrics.release_csv": "a month and revision: the same national aggregates as CSV",
    "credentials.key": "a key id: the platform's public signing keys, published to everyone",
    "scim.users": "a force code: machines only, by that force's bearer token; a session gets 401 "
    "and another force's token 401 (tests/integration/scim)",
    "scim.user": "a force code and user id: by the force's bearer token only; another force's "
    "people are 404 (tests/integration/scim)",
    "scim.api_service_provider_config": "a force code: bearer token only, no data",
    "scim.api_resource_types": "a force code: bearer token only, no data",
    "scim.admin_rotate": "a force code: admins only, who manage every force",
    "scim.admin_revoke": "a force code: admins only, who manage every force",
    "auth.sso_start": "force code: public, starts a sign-in with that force's own provider "
    "(tests/integration/sso)",
    "api.certificate": "serial: the force API, where a browser session always gets 401 and another "
    "force's token 404 (tests/integration/api/test_api.py)",
    "content.pocket_card": "module slug: shared content, the module's key points as a PDF",
    "courses.mark_read": "module slug: shared content; the reading recorded is the signed-in officer's own",
    "xapi_admin.remove": "a force code: admins only, who manage every force",
    "main.language": "a language code: the caller's own choice of language, no one else's",
}
# Endpoints that take ?force=<code>: each must appear in CASES with that parameter.
FORCE_PARAMETER = {
    "assignments.lead_assignments",
    "assignments.attention",
    "assignments.attention_csv",
    "assignments.attention_remind",
    "assignments.new_assignment",
    "metrics.force_dashboard",
    "metrics.force_csv",
    "auth.teams",
}


def _allowed_roles() -> dict[tuple[str, str], frozenset]:
    return {(r.endpoint, r.method): r.allowed for r in all_routes()}


ALLOWED = _allowed_roles()


def _attempts(user, version):
    done = assessments.start_attempt(user, version.module)
    assessments.submit_attempt(user, done, {"q1": "b"}, version.id)
    return done, assessments.start_attempt(user, version.module)


def _certificate(user, course):
    certificate = Certificate(
        serial=new_serial(),
        user_id=user.id,
        course_id=course.id,
        force_id=user.force_id,
        cycle=1,
        holder_name=user.name,
        service_number=user.service_number or "",
        force_name=user.force.name,
        course_slug=course.slug,
        course_title=course.title,
        course_version="1",
        modules=[{"slug": "m", "title": "Module", "version": 1, "percent": 90.0}],
        issued_at=utcnow(),
        expires_on=today() + timedelta(days=30),
    )
    db.session.add(certificate)
    return certificate


def build_two_forces():
    """Forces A and B with a lead, officers, a team, an assignment, attempts and certificates."""
    force_a = ForceFactory(code="force-a", name="Alpha Constabulary")
    force_b = ForceFactory(code="force-b", name="Bravo Police")
    team_b = TeamFactory(force=force_b, name="Bravo Hidden Team")
    actors = {
        "officer_a": UserFactory(force=force_a, name="Alice Alpha"),
        "officer_a2": UserFactory(force=force_a, name="Anna Alpha-Two"),
        "lead_a": UserFactory(force=force_a, role="training_lead", name="Lena Lead-Alpha"),
        "officer_b": UserFactory(
            force=force_b,
            team=team_b,
            name="Bruno Bravo",
            email="bruno.bravo@bravo.police.uk",
            service_number="BR-77",
        ),
        "lead_b": UserFactory(force=force_b, role="training_lead", name="Lola Lead-Bravo"),
        "commissioner": UserFactory(force=None, role="commissioner"),
        "admin": UserFactory(force=None, role="admin"),
    }
    course = make_course(n_modules=1, questions=1, lessons=1, title="Bravo Course")
    assignment_b = Assignment(
        force_id=force_b.id,
        course_id=course.id,
        scope="force",
        due_on=today() + timedelta(days=30),
        message="Bravo private message",
    )
    db.session.add(assignment_b)
    version = ModuleVersionFactory(quiz_settings=QUIZ)
    QuestionFactory(module_version=version, key="q1", position=0)
    done_b, open_b = _attempts(actors["officer_b"], version)
    done_a2, open_a2 = _attempts(actors["officer_a2"], version)
    cert_b = _certificate(actors["officer_b"], course)
    cert_a2 = _certificate(actors["officer_a2"], course)
    mail_job_b = MailJob(
        key="idor-dead-letter",
        kind="password_reset",
        payload='{"email": "bruno.bravo@bravo.police.uk"}',
        status="dead",
        last_error="SMTPServerDisconnected: Bravo mail refused",
    )
    db.session.add(mail_job_b)
    db.session.flush()
    from app.api.services import create_client

    api_client_b, _ = create_client(force_b, name="Bravo HR", scope="completions:read", actor=actors["admin"])
    change = LawChange(
        module_id=version.module_id,
        module_version_id=version.id,
        version_number=version.number,
        summary="Bravo law change",
        sections=[],
        question_keys=["q1"],
        created_at=utcnow(),
    )
    db.session.add(change)
    db.session.flush()
    law_update_b = LawUpdate(
        law_change_id=change.id, certificate_id=cert_b.id, user_id=actors["officer_b"].id, due_on=today()
    )
    db.session.add(law_update_b)
    db.session.flush()
    return {
        "actors": actors,
        "force_a": force_a,
        "force_b": force_b,
        "team_b": team_b,
        "course": course,
        "assignment": assignment_b,
        "certificates": (cert_b, cert_a2),
        "attempts": (done_b, open_b, done_a2, open_a2),
        "ids": {
            "assignment_b": assignment_b.id,
            "code_b": force_b.code,
            "code_a": force_a.code,
            "course_id": course.id,
            "serial_b": cert_b.serial,
            "serial_a2": cert_a2.serial,
            "open_b": open_b.id,
            "done_b": done_b.id,
            "open_a2": open_a2.id,
            "done_a2": done_a2.id,
            "version_id": version.id,
            "officer_b_id": actors["officer_b"].id,
            "team_b_id": team_b.id,
            "mail_job_b": mail_job_b.id,
            "api_client_b": api_client_b.id,
            "law_update_b": law_update_b.id,
        },
    }


@pytest.fixture
def two_forces(database):
    return build_two_forces()


def _snapshot(world) -> dict:
    """What a refused write must leave exactly as it was."""
    db.session.expire_all()
    a = world["assignment"]
    officer_b = world["actors"]["officer_b"]
    return {
        "assignment": (a.due_on, a.withdrawn_at),
        "assignments": db.session.scalar(select(func.count()).select_from(Assignment)),
        "targets": db.session.scalar(select(func.count()).select_from(AssignmentTarget)),
        "certificates": [(c.revoked_at, c.revoked_reason) for c in world["certificates"]],
        "attempts": [(t.submitted_at, t.saved_answers) for t in world["attempts"]],
        "attempt_rows": db.session.scalar(select(func.count()).select_from(Attempt)),
        "officer_b": (
            officer_b.name,
            officer_b.role,
            officer_b.active,
            officer_b.password_hash,
            officer_b.force_id,
        ),
        "force_b": (world["force_b"].headcount, world["force_b"].headcount_source),
        "teams": db.session.scalar(select(func.count()).select_from(Team)),
        "mail_jobs": list(db.session.execute(select(MailJob.id, MailJob.status)).all()),
        "api_clients": list(db.session.execute(select(ApiClient.id, ApiClient.revoked_at)).all()),
        "sso": (
            db.session.scalar(select(func.count()).select_from(ForceIdentityProvider)),
            db.session.scalar(select(func.count()).select_from(UserIdentity)),
        ),
        "law_updates": list(db.session.execute(select(LawUpdate.id, LawUpdate.completed_at)).all()),
    }


def _send(client, case: Case, ids: dict):
    url = case.url.format(**ids)
    data = {k: v.format(**ids) for k, v in case.data.items()}
    return url, client.open(url, method=case.method, data=data)


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_object_urls_answer_only_their_owners(case, actor, client, login_as, two_forces):
    login_as(two_forces["actors"][actor])
    before = _snapshot(two_forces) if case.method == "POST" else None
    url, response = _send(client, case, two_forces["ids"])
    status = response.status_code
    assert status < 500, f"{actor}: {status} on {case.method} {url}"
    if actor in case.owners:
        assert status not in (401, 403, 404), f"owner {actor} refused on {case.method} {url}"
        return
    role_may_use = ROLE_OF[actor] in ALLOWED[(case.endpoint, case.method)]
    expected = 404 if role_may_use else 403
    assert status == expected, f"{actor} got {status} on {case.method} {url}; expected {expected}"
    if before is not None:
        assert _snapshot(two_forces) == before, f"{actor}'s refused {case.method} {url} wrote"


def test_every_object_url_is_covered(app):
    covered = {(c.endpoint, c.method) for c in CASES}
    missing = []
    for rule in app.url_map.iter_rules():
        if not rule.arguments or rule.endpoint == "static" or rule.endpoint in NOT_OWNED:
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            if (rule.endpoint, method) not in covered:
                missing.append(f"{method} {rule.rule} ({rule.endpoint})")
    assert not missing, "Add to CASES (or NOT_OWNED with a reason):\n" + "\n".join(missing)
    with_force = {c.endpoint for c in CASES if "?force=" in c.url} | {"auth.teams"}
    assert FORCE_PARAMETER <= with_force


def test_lead_naming_another_force_on_the_teams_page_gets_their_own(client, login_as, two_forces):
    """/teams ignores ?force= for a lead (admins only choose): the page and any new team are A's."""
    login_as(two_forces["actors"]["lead_a"])
    page = client.get("/teams?force=force-b")
    assert page.status_code == 200
    assert b"Bravo Hidden Team" not in page.data
    assert b"Alpha Constabulary" in page.data
    client.post("/teams?force=force-b", data={"name": "Planted Team"})
    team = db.session.scalar(select(Team).where(Team.name == "Planted Team"))
    assert team is None or team.force_id == two_forces["force_a"].id
    assert (
        db.session.scalar(
            select(func.count()).select_from(Team).where(Team.force_id == two_forces["force_b"].id)
        )
        == 1
    )


@pytest.mark.parametrize("target", ["user_ids", "team_ids", "service_numbers", "email"])
def test_lead_cannot_assign_another_forces_officers_or_teams(target, client, login_as, two_forces):
    login_as(two_forces["actors"]["lead_a"])
    officer_b = two_forces["actors"]["officer_b"]
    data = {
        "course_id": str(two_forces["course"].id),
        "due_on": ["1", "3", "2099"],
        "scope": "teams" if target == "team_ids" else "officers",
    }
    data.update(
        {
            "user_ids": {"user_ids": [str(officer_b.id)]},
            "team_ids": {"team_ids": [str(two_forces["team_b"].id)]},
            "service_numbers": {"service_numbers": officer_b.service_number},
            "email": {"service_numbers": officer_b.email},
        }[target]
    )
    before = _snapshot(two_forces)
    response = client.post("/assignments/new", data=data)
    assert response.status_code == 400
    assert _snapshot(two_forces) == before
    # The refusal names nothing of force B beyond what was sent (no name, no team, no force).
    body = response.get_data(as_text=True)
    for secret in ("Bruno Bravo", "Bravo Police", "Bravo Hidden Team"):
        assert secret not in body, f"{secret!r} leaked in the refusal ({target})"
    if target == "team_ids":  # same answer as a team id nobody has: no probing for teams
        assert "A chosen team is not in" in body
        unknown = client.post("/assignments/new", data={**data, "team_ids": ["999999"]})
        assert body == unknown.get_data(as_text=True)
    if target == "email":  # same answer as an address nobody has: no account enumeration
        unknown = client.post("/assignments/new", data={**data, "service_numbers": "nobody@x.uk"})
        assert body.replace(officer_b.email, "X") == unknown.get_data(as_text=True).replace(
            "nobody@x.uk", "X"
        )


@pytest.mark.parametrize(
    ("actor", "url"),
    [
        ("lead_a", "/assignments"),
        ("lead_a", "/assignments/attention"),
        ("lead_a", "/metrics/force"),
        ("lead_a", "/metrics/force.csv"),
        ("lead_a", "/force/certificates?q=Bruno"),
        ("lead_a", "/force/certificates"),
        ("lead_a", "/teams"),
        ("lead_a", "/assignments/new"),
        ("officer_a", "/certificates"),
        ("officer_a", "/training"),
        ("commissioner", "/metrics/national"),
        ("commissioner", "/metrics/national.csv"),
        ("commissioner", "/metrics/forces/force-b"),
    ],
)
def test_own_lists_show_nothing_named_from_elsewhere(actor, url, client, login_as, two_forces):
    login_as(two_forces["actors"][actor])
    response = client.get(url)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    secrets = [
        "Bruno Bravo",
        "bruno.bravo@bravo.police.uk",
        "BR-77",
        "Bravo Hidden Team",
        "Bravo private message",
        two_forces["ids"]["serial_b"],
    ]
    if actor != "lead_a":  # A's lead may see A's officers; nobody else may
        secrets += ["Anna Alpha-Two", two_forces["ids"]["serial_a2"]]
    for secret in secrets:
        assert secret not in body, f"{secret!r} shown to {actor} on {url}"
