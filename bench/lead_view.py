"""Time the lead's drill-down and CSV export for a force of 10,000 officers against a floor.

Run from the project root: .venv/bin/python bench/lead_view.py [runs] [officers]
BENCH_DATABASE_URL=postgresql+psycopg://... runs it on PostgreSQL (the tables are dropped first);
by default a throwaway SQLite file in /tmp. The floor is the status query's SQL alone (people in
scope, module passes, certificates, lesson reads, attempts, module count) executed and fetched,
with no status rules, no templates and no HTTP.
"""

import os
import random
import shlex
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, select  # noqa: E402

from app import create_app  # noqa: E402
from app.assessments.models import Attempt, ModuleResult  # noqa: E402
from app.assignments import queries  # noqa: E402
from app.assignments.models import Assignment  # noqa: E402
from app.auth.models import User  # noqa: E402
from app.auth.session_services import start_session  # noqa: E402
from app.certificates.models import Certificate  # noqa: E402
from app.clock import today, utcnow  # noqa: E402
from app.content.models import Course, CourseModule, Lesson, Module, ModuleVersion  # noqa: E402
from app.courses.models import LessonProgress  # noqa: E402
from app.extensions import db  # noqa: E402
from app.forces.models import Force, Team  # noqa: E402
from config import TestingConfig  # noqa: E402

TEAMS, MODULES = 20, 3


def make_config(url: str):
    """TestingConfig on the benchmark database."""
    return type(
        "BenchConfig", (TestingConfig,), {"SQLALCHEMY_DATABASE_URI": url, "SQLALCHEMY_ENGINE_OPTIONS": {}}
    )


def seed(officers: int) -> tuple[int, User]:
    """Bulk-insert the force, teams, officers, course and evidence; return (assignment id, lead)."""
    rng = random.Random(7)
    now = utcnow()
    force = Force(code="bench", name="Bench Constabulary", nation="England", type="territorial")
    db.session.add(force)
    db.session.flush()
    db.session.execute(insert(Team), [{"force_id": force.id, "name": f"Team {i:02d}"} for i in range(TEAMS)])
    team_ids = db.session.scalars(select(Team.id).where(Team.force_id == force.id)).all()
    db.session.execute(
        insert(User),
        [
            {
                "email": f"officer{i}@bench.police.uk",
                "name": f"Officer {i:05d}",
                "service_number": f"B{i:05d}",
                "force_id": force.id,
                "team_id": team_ids[i % TEAMS],
                "role": "officer",
                "active": True,
                "created_at": now,
                "force_joined_at": now - timedelta(days=rng.choice((400, 400, 400, 5))),
                "team_joined_at": None,
            }
            for i in range(officers)
        ],
    )
    lead = User(
        email="lead@bench.police.uk",
        name="Bench Lead",
        force_id=force.id,
        role="training_lead",
        force_joined_at=now,
    )
    course = Course(slug="bench-course", title="Bench course", certificate_valid_months=12)
    db.session.add_all([lead, course])
    db.session.flush()
    module_ids, version_ids, lesson_ids = [], [], []
    for m in range(MODULES):
        module = Module(slug=f"bench-module-{m}")
        db.session.add(module)
        db.session.flush()
        version = ModuleVersion(module_id=module.id, number=1, content_hash=f"{m:064x}", title=f"Module {m}")
        db.session.add(version)
        db.session.flush()
        module.current_version_id = version.id
        lesson = Lesson(module_version_id=version.id, number=1, slug="one", title="One", html="<p>x</p>")
        db.session.add(lesson)
        db.session.add(CourseModule(course_id=course.id, module_id=module.id, position=m))
        db.session.flush()
        module_ids.append(module.id)
        version_ids.append(version.id)
        lesson_ids.append(lesson.id)
    user_ids = db.session.scalars(
        select(User.id).where(User.force_id == force.id, User.role == "officer")
    ).all()
    results, certs, reads, attempts = [], [], [], []
    for uid in user_ids:
        share = rng.random()
        passed = MODULES if share < 0.4 else 1 if share < 0.6 else 0
        for m in range(passed):
            results.append(
                {
                    "user_id": uid,
                    "module_id": module_ids[m],
                    "force_id": force.id,
                    "attempts": 1,
                    "best_percent": 90.0,
                    "updated_at": now,
                    "first_attempt_passed": True,
                    "passed_at": now - timedelta(days=rng.randint(1, 300)),
                }
            )
            attempts.append(
                {
                    "user_id": uid,
                    "module_id": module_ids[m],
                    "module_version_id": version_ids[m],
                    "force_id": force.id,
                    "number": 1,
                    "seed": 1,
                    "question_keys": [],
                    "saved_answers": {},
                    "started_at": now - timedelta(days=rng.randint(1, 300)),
                }
            )
        if passed == MODULES and share < 0.35:
            issued = now - timedelta(days=rng.randint(1, 360))
            certs.append(
                {
                    "serial": f"S{uid:08d}",
                    "user_id": uid,
                    "course_id": course.id,
                    "force_id": force.id,
                    "cycle": 1,
                    "holder_name": "x",
                    "course_slug": course.slug,
                    "course_title": course.title,
                    "course_version": "1",
                    "modules": [],
                    "issued_at": issued,
                    "expires_on": issued.date() + timedelta(days=365),
                }
            )
        if share < 0.7:
            reads.append(
                {
                    "user_id": uid,
                    "lesson_id": lesson_ids[0],
                    "module_version_id": version_ids[0],
                    "first_read_at": now,
                    "last_read_at": now - timedelta(days=rng.randint(0, 60)),
                }
            )
    for model, rows in (
        (ModuleResult, results),
        (Attempt, attempts),
        (Certificate, certs),
        (LessonProgress, reads),
    ):
        for start in range(0, len(rows), 5000):
            db.session.execute(insert(model), rows[start : start + 5000])
    assignment = Assignment(
        force_id=force.id,
        course_id=course.id,
        scope="force",
        due_on=today() + timedelta(days=10),
        message="",
        created_at=now - timedelta(days=20),
    )
    db.session.add(assignment)
    db.session.commit()
    return assignment.id, lead


def floor(assignment: Assignment) -> None:
    """The status query's SQL alone: executed and fetched, nothing derived or rendered."""
    condition = queries.scope_condition(assignment)
    user_ids = select(User.id).where(condition)
    db.session.execute(
        select(
            User.id,
            User.name,
            User.email,
            User.service_number,
            User.force_id,
            User.team_id,
            Team.name,
            User.force_joined_at,
            User.team_joined_at,
        )
        .outerjoin(Team, Team.id == User.team_id)
        .where(condition)
    ).all()
    for statement in queries.evidence_statements([assignment.course_id], user_ids).values():
        db.session.execute(statement).all()


def timed(function) -> float:
    """Milliseconds taken by one call."""
    start = time.perf_counter()
    function()
    return (time.perf_counter() - start) * 1000


def main() -> None:
    """Seed, warm up, then time floor, page and CSV alternately; print medians and ratios."""
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 9
    officers = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
    print("command:", shlex.join([sys.executable, *sys.argv]))
    url = os.environ.get("BENCH_DATABASE_URL")
    path = None
    if not url:
        handle, path = tempfile.mkstemp(prefix="lead-view-", suffix=".db")
        os.close(handle)
        url = f"sqlite:///{path}"
    app = create_app(make_config(url))
    try:
        with app.app_context():
            db.drop_all()
            db.create_all()
            start = time.perf_counter()
            assignment_id, lead = seed(officers)
            print(
                f"database: {db.engine.dialect.name}  officers: {officers:,}  "
                f"seeded in {time.perf_counter() - start:.1f} s"
            )
            token = start_session(lead)
            db.session.commit()
            assignment = db.session.get(Assignment, assignment_id)
            client = app.test_client()
            with client.session_transaction() as session:
                session["_user_id"], session["_fresh"] = token, True
            page_url = f"/assignments/{assignment_id}"
            csv_url = f"/assignments/{assignment_id}/export.csv"

            def page():
                response = client.get(page_url)
                assert response.status_code == 200, response.status_code

            def export():
                response = client.get(csv_url)
                assert response.status_code == 200, response.status_code
                assert response.data.count(b"\n") == officers + 2  # header + the lead

            def statuses():
                db.session.expire_all()
                queries.officer_statuses(assignment)

            for _ in range(2):
                floor(assignment)
                page()
                export()
            floors, derived, pages, csvs = [], [], [], []
            for _ in range(runs):
                floors.append(timed(lambda: floor(assignment)))
                derived.append(timed(statuses))
                pages.append(timed(page))
                csvs.append(timed(export))
            f, d, p, c = (statistics.median(x) for x in (floors, derived, pages, csvs))
            print(f"runs: {runs} (medians)")
            print(f"floor (status SQL alone):          {f:8.1f} ms")
            print(f"statuses derived (SQL + rules):    {d:8.1f} ms  {d / f:.2f}x floor")
            print(f"drill-down page GET (100 rows):    {p:8.1f} ms  {p / f:.2f}x floor")
            print(f"CSV export GET ({officers:,} rows):     {c:8.1f} ms  {c / f:.2f}x floor")
            db.session.remove()
            db.drop_all()
    finally:
        if path:
            os.unlink(path)


if __name__ == "__main__":
    main()
