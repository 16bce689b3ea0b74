"""Synthetic national-scale data for the metrics: every force sized by headcount, 24 months.

`generate_national(officers, months, progress)` bulk-inserts officers, teams, quiz attempts, the
per-officer module results kept on submit, certificates, confidence ratings, item-analysis sums,
the metrics summary (officer_course_status, as the write paths would have kept it) and one
force-wide assignment per force: with COPY on PostgreSQL (psycopg's cursor.copy, several times
faster) and Core insert() executemany in batches elsewhere. Row ids are allotted here (so rows can
refer to each other without a round trip); PostgreSQL sequences are moved past them at the end.
AttemptAnswer rows are not generated: the metrics read question_stats, which is generated directly
as the additive sums the quiz engine would have accumulated.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import JSON, func, insert, select, text

from app import clock
from app.assessments.models import Attempt, ConfidenceRating, ModuleResult, QuestionStat
from app.assignments.models import Assignment
from app.auth.models import User
from app.certificates.models import Certificate
from app.content.models import Course, CourseModule, Module, ModuleVersion, Question
from app.extensions import db
from app.forces.models import Force, Team
from app.metrics import rollup
from app.metrics.models import OfficerCourseStatus

BATCH = 5_000
COPY_BATCH = 50_000
DEFAULT_HEADCOUNT = 150  # forces whose headcount is unknown get this many officers' weight
OFFICERS_PER_TEAM = 120
TAGS = (
    "situational-indicators",
    "physical-indicators",
    "powers",
    "nrm-referral",
    "interviewing-skills",
    "safeguarding",
)
SYNTHETIC_MODULES = (
    ("scale-spotting-the-signs", "Spotting the signs"),
    ("scale-using-the-act", "Using the Modern Slavery Act 2015"),
    ("scale-victim-centred-interviewing", "Victim-centred interviewing"),
)
# Insert order respects foreign keys (PostgreSQL checks them at once).
TABLES = (
    Team,
    User,
    Assignment,
    Attempt,
    ModuleResult,
    Certificate,
    ConfidenceRating,
    QuestionStat,
    OfficerCourseStatus,
)
WITH_IDS = tuple(model for model in TABLES if model is not OfficerCourseStatus)


class _Writer:
    """Buffers rows per table and writes them in batches, parents before children."""

    def __init__(self, connection, batch: int | None = None) -> None:
        self.connection = connection
        self.copy = connection.dialect.name == "postgresql"
        self.batch = batch or (COPY_BATCH if self.copy else BATCH)
        self.rows: dict[type, list[dict]] = {model: [] for model in TABLES}
        self.counts: dict[str, int] = {model.__tablename__: 0 for model in TABLES}
        self.existing_stats = {
            tuple(row)
            for row in connection.execute(
                select(QuestionStat.module_id, QuestionStat.question_key, QuestionStat.force_id)
            )
        }

    def add(self, model, row: dict) -> None:
        bucket = self.rows[model]
        bucket.append(row)
        if len(bucket) >= self.batch:
            self.flush()

    def written(self, model) -> int:
        """Rows of a table written or buffered so far."""
        return self.counts[model.__tablename__] + len(self.rows[model])

    def flush(self) -> None:
        for model in TABLES:
            bucket = self.rows[model]
            if bucket:
                if self.copy:
                    self._copy(model.__table__, bucket)
                else:
                    self.connection.execute(insert(model.__table__), bucket)
                self.counts[model.__tablename__] += len(bucket)
                bucket.clear()

    def _copy(self, table, rows: list[dict]) -> None:
        """COPY the rows in (PostgreSQL): one stream instead of a statement per row."""
        columns = list(rows[0])
        as_json = {name for name in columns if isinstance(table.c[name].type, JSON)}
        names = ", ".join(f'"{name}"' for name in columns)
        driver = self.connection.connection.driver_connection
        with driver.cursor() as cursor, cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(
                    tuple(json.dumps(row[name]) if name in as_json else row[name] for name in columns)
                )


class _Ids:
    """Next free primary key per table."""

    def __init__(self) -> None:
        self.next = {model: (db.session.scalar(select(func.max(model.id))) or 0) + 1 for model in WITH_IDS}

    def __call__(self, model) -> int:
        value = self.next[model]
        self.next[model] = value + 1
        return value


def _ensure_content() -> list[dict]:
    """The courses to simulate: each {course, modules: [{id, version_id, keys, tags, pass}]}.

    Uses the synced content (every course with modules); with none, creates a synthetic
    first-responder course of three modules with six tagged questions each.
    """
    courses = db.session.scalars(select(Course).join(CourseModule).distinct().order_by(Course.id)).all()
    if not courses:
        courses = [_synthetic_course()]
    plans = []
    for course in courses:
        modules = []
        for cm in course.course_modules:
            version = cm.module.current_version
            if version is None:
                continue
            questions = db.session.scalars(
                select(Question).where(Question.module_version_id == version.id).order_by(Question.position)
            ).all()
            modules.append(
                {
                    "id": cm.module_id,
                    "version_id": version.id,
                    "keys": [q.key for q in questions] or ["q1"],
                    "pass": version.pass_mark,
                    "title": version.title,
                    "slug": cm.module.slug,
                }
            )
        if modules:
            plans.append({"course": course, "modules": modules})
    return plans


def _synthetic_course() -> Course:
    course = Course(
        slug="scale-first-responder",
        title="Modern slavery: first responder",
        audience="Frontline officers (synthetic)",
        description="Synthetic course.",
        certificate_valid_months=12,
        content_hash="scale",
        version=1,
    )
    db.session.add(course)
    for position, (slug, title) in enumerate(SYNTHETIC_MODULES):
        module = Module(slug=slug)
        db.session.add(module)
        db.session.flush()
        version = ModuleVersion(
            module_id=module.id, number=1, content_hash=f"scale-{slug}", title=title, pass_mark=80
        )
        db.session.add(version)
        db.session.flush()
        module.current_version_id = version.id
        for index in range(6):
            db.session.add(
                Question(
                    module_version_id=version.id,
                    key=f"{slug}-q{index + 1}",
                    position=index,
                    type="single",
                    scenario_html=f"<p>{title}: scenario {index + 1}.</p>",
                    tags=[TAGS[(position * 2 + index) % len(TAGS)]],
                    options=[],
                )
            )
        db.session.add(CourseModule(course=course, module_id=module.id, position=position))
    db.session.flush()
    return course


def _sizes(forces: list[Force], officers: int) -> list[int]:
    weights = [f.headcount or DEFAULT_HEADCOUNT for f in forces]
    total = sum(weights)
    sizes = [max(5, round(officers * w / total)) for w in weights]
    sizes[weights.index(max(weights))] += officers - sum(sizes)  # exact total
    return sizes


def generate_national(
    officers: int = 200_000,
    months: int = 24,
    progress: Callable[[int], None] | None = None,
    *,
    attempts_per_officer: float = 10.0,
    seed: int = 2026,
) -> dict[str, int]:
    """Generate the synthetic data; progress(n) is called as each n officers are written.

    Returns the number of rows written per table. Commits once at the end.
    """
    rng = random.Random(seed)
    forces = db.session.scalars(select(Force).order_by(Force.id)).all()
    if not forces:
        raise RuntimeError("Load the forces first (flask forces sync).")
    plans = _ensure_content()
    db.session.flush()
    now = clock.utcnow().replace(microsecond=0)
    start = now - timedelta(days=round(months * 30.44))
    span = (now - start).total_seconds()
    modules_total = sum(len(p["modules"]) for p in plans)
    # Officers start on ~78% of modules on average; the rest of the attempts are retakes.
    per_result = max(1.0, attempts_per_officer / (0.78 * modules_total))
    ids = _Ids()
    writer = _Writer(db.session.connection())
    tag = f"{rng.getrandbits(24):06x}"
    target = attempts_per_officer
    for force, size in zip(forces, _sizes(forces, officers), strict=True):
        before = writer.written(Attempt)
        _force(writer, ids, rng, force, size, plans, start, now, span, per_result, tag)
        # Steer retakes so the attempts per officer converge on the target.
        made = (writer.written(Attempt) - before) / size
        if made > 0:
            per_result = max(1.0, min(per_result * (target / made) ** 0.5, 30.0))
        if progress:
            progress(size)
    writer.flush()
    _fix_sequences()
    # Written below the ORM, so the officer-state rollup did not see it: built from the records.
    rollup.rebuild()
    db.session.commit()
    return writer.counts


def _force(writer, ids, rng, force, size, plans, start, now, span, per_result, tag) -> None:
    """One force's officers, their results, certificates and ratings, and its item sums."""
    teams = []
    for number in range(max(2, math.ceil(size / OFFICERS_PER_TEAM))):
        team_id = ids(Team)
        teams.append(team_id)
        writer.add(
            Team,
            {
                "id": team_id,
                "force_id": force.id,
                "name": f"Synthetic team {tag}-{number + 1:03d}",
                "created_at": start,
            },
        )
    skill = rng.gauss(0, 0.06)
    keenness = rng.uniform(0.5, 0.95)  # how many officers start: forces differ in uptake
    main = plans[0]
    assigned_at = start + timedelta(days=30)
    writer.add(
        Assignment,
        {
            "id": ids(Assignment),
            "force_id": force.id,
            "course_id": main["course"].id,
            "scope": "force",
            "due_on": (assigned_at + timedelta(days=180)).date(),
            "message": "Synthetic assignment",
            "created_by_id": None,
            "created_at": assigned_at,
            "withdrawn_at": None,
        },
    )
    first_scores: dict[int, list[float]] = {}
    for _ in range(size):
        user_id = ids(User)
        team_id = rng.choice(teams)
        created = start + timedelta(seconds=span * rng.random() ** 2 * 0.9)
        record_key = rng.randrange(256)  # COPY skips the models' defaults and events
        writer.add(
            User,
            {
                "id": user_id,
                "email": f"scale.{user_id}.{tag}@{force.code}.example",
                "name": f"Synthetic Officer {user_id}",
                "service_number": f"S{tag}{user_id}",
                "force_id": force.id,
                "team_id": team_id,
                "role": "officer",
                "password_hash": None,
                "active": rng.random() > 0.03,
                "created_at": created,
                "last_sign_in_at": None,
                "force_joined_at": created,
                "team_joined_at": created,
                "record_key": record_key,
            },
        )
        if rng.random() > keenness:
            continue
        ability = 0.8 + skill + rng.gauss(0, 0.1)
        when = created + timedelta(days=rng.expovariate(1 / 45))
        for index, plan in enumerate(plans):
            if index and rng.random() > 0.5:
                break  # fewer officers take the refresher courses
            passed_all, last_pass = True, None
            started_at, results_before = when, writer.written(ModuleResult)
            for module in plan["modules"]:
                if when >= now:
                    passed_all = False
                    break
                passed_at = _module(
                    writer,
                    ids,
                    rng,
                    force,
                    (user_id, team_id, record_key),
                    module,
                    when,
                    now,
                    ability,
                    per_result,
                    first_scores,
                )
                if passed_at is None:
                    passed_all = False
                    break
                last_pass = passed_at
                when = passed_at + timedelta(hours=rng.uniform(1, 24 * 20))
            certificate = None
            if passed_all and last_pass is not None:
                certificate = _certificate(writer, ids, rng, force, user_id, plan, last_pass, now)
            if writer.written(ModuleResult) > results_before:
                # The summary row the write paths keep (app.metrics.summary): started at the
                # first attempt of the course's first module, completed by an unrevoked
                # certificate.
                writer.add(
                    OfficerCourseStatus,
                    {
                        "user_id": user_id,
                        "course_id": plan["course"].id,
                        "started_at": started_at,
                        "completed_at": certificate and certificate[0],
                        "latest_issued_at": certificate and certificate[0],
                        "latest_expires_on": certificate and certificate[1],
                    },
                )
    _question_stats(writer, ids, rng, force, plans, first_scores)


def _module(
    writer, ids, rng, force, officer, module, when, now, ability, per_result, first_scores
) -> datetime | None:
    """Attempts at one module and its module result; returns when it was passed, if it was.
    officer is (user id, team id, record key): the result is kept with the team, as the write
    path does, and carries the officer's record key, as the models' events copy it."""
    user_id, team_id, record_key = officer
    planned = 1 + int(rng.expovariate(1 / max(per_result - 1, 0.01)))
    result_id = ids(ModuleResult)
    best, best_id, best_at, passed_at, to_pass = -1.0, None, None, None, None
    first_passed = False
    number = 0
    max_score = float(len(module["keys"]))
    first_at = None  # the first attempt's submission, as the write path dates it
    for number in range(1, planned + 1):
        if when >= now:
            number -= 1
            break
        percent = max(0.0, min(100.0, rng.gauss(ability * 100 + number * 4, 12)))
        percent = round(percent * max_score / 100) / max_score * 100
        passed = percent >= module["pass"]
        attempt_id = ids(Attempt)
        submitted = when + timedelta(minutes=rng.uniform(5, 40))
        writer.add(
            Attempt,
            {
                "id": attempt_id,
                "user_id": user_id,
                "module_id": module["id"],
                "module_version_id": module["version_id"],
                "force_id": force.id,
                "number": number,
                "seed": rng.getrandbits(31),
                "question_keys": module["keys"],
                "saved_answers": {},
                "started_at": when,
                "submitted_at": submitted,
                "score": percent * max_score / 100,
                "max_score": max_score,
                "percent": percent,
                "passed": passed,
            },
        )
        if number == 1:
            first_passed, first_at = passed, submitted
            first_scores.setdefault(module["id"], []).append(percent / 100)
        if percent > best:
            best, best_id, best_at = percent, attempt_id, submitted
        if passed and passed_at is None:
            passed_at, to_pass = submitted, number
        when = submitted + timedelta(hours=rng.uniform(0.5, 24 * 12))
    if number == 0:
        ids.next[ModuleResult] -= 1  # nothing attempted after all
        return None
    writer.add(
        ModuleResult,
        {
            "id": result_id,
            "user_id": user_id,
            "module_id": module["id"],
            "force_id": force.id,
            "team_id": team_id,
            "attempts": number,
            "best_percent": best,
            "best_attempt_id": best_id,
            "best_at": best_at,
            "first_attempt_at": first_at,
            "passed_at": passed_at,
            "attempts_to_pass": to_pass,
            "first_attempt_passed": first_passed,
            "updated_at": when,
            "record_key": record_key,
        },
    )

    def rating(stage: str, value: int, at, before_rating=None) -> None:
        row = {"id": ids(ConfidenceRating), "user_id": user_id, "module_id": module["id"]}
        writer.add(
            ConfidenceRating,
            {
                **row,
                "force_id": force.id,
                "stage": stage,
                "rating": value,
                "rated_at": at,
                "record_key": record_key,
                "before_rating": before_rating,
            },
        )

    if rng.random() < 0.7:
        before = rng.choice((1, 2, 2, 3, 3, 3, 4))
        rating("before", before, first_at)
        if passed_at is not None and rng.random() < 0.85:
            rating("after", max(1, min(5, before + rng.choice((0, 1, 1, 1, 2, 2, -1)))), passed_at, before)
    return passed_at


def _certificate(writer, ids, rng, force, user_id, plan, last_pass, now) -> tuple | None:
    """Write a certificate; return (issued_at, expires_on) unless it was revoked."""
    course = plan["course"]
    issued = last_pass + timedelta(seconds=5)
    months = course.certificate_valid_months
    cert_id = ids(Certificate)
    revoked = rng.random() < 0.002
    expires_on = (issued + timedelta(days=round(months * 30.44))).date() if months else None
    writer.add(
        Certificate,
        {
            "id": cert_id,
            "serial": f"SCALE-{cert_id:010d}",
            "user_id": user_id,
            "course_id": course.id,
            "force_id": force.id,
            "cycle": 1,
            "holder_name": f"Synthetic Officer {user_id}",
            "service_number": "",
            "force_name": force.name,
            "course_slug": course.slug,
            "course_title": course.title,
            "course_version": str(course.version),
            "modules": [
                {"slug": m["slug"], "title": m["title"], "version": 1, "percent": None}
                for m in plan["modules"]
            ],
            "issued_at": issued,
            "expires_on": expires_on,
            "revoked_at": now if revoked else None,
            "revoked_reason": "Synthetic revocation" if revoked else None,
            "revoked_by_id": None,
            "pdf": None,
        },
    )
    return None if revoked else (issued, expires_on)


def _question_stats(writer, ids, rng, force, plans, first_scores) -> None:  # noqa: C901
    """Item sums per question as the quiz engine accumulates them from first attempts: x is the
    question's score fraction, y the rest of the test; sums are drawn to match each question's
    difficulty (x Bernoulli with the question's facility, y around the officer's test score)."""
    for plan in plans:
        for module in plan["modules"]:
            scores = first_scores.get(module["id"])
            if not scores:
                continue
            n = len(scores)
            mean = sum(scores) / n
            var = sum((s - mean) ** 2 for s in scores) / max(n - 1, 1)
            for position, key in enumerate(module["keys"]):
                if (module["id"], key, force.id) in writer.existing_stats:
                    continue  # generated before: the unique sums row is kept as it is
                difficulty = ((position * 37) % 11 - 5) / 30 + rng.gauss(0, 0.03)
                facility = max(0.05, min(0.99, mean + difficulty))
                right = round(n * facility)
                # Officers who got it right score about 0.1 higher on the rest of the test.
                y_right, y_wrong = min(1.0, mean + 0.05), max(0.0, mean - 0.05)
                sum_y = right * y_right + (n - right) * y_wrong
                writer.add(
                    QuestionStat,
                    {
                        "id": ids(QuestionStat),
                        "module_id": module["id"],
                        "question_key": key,
                        "force_id": force.id,
                        "n": n,
                        "sum_x": float(right),
                        "sum_x2": float(right),
                        "sum_y": sum_y,
                        "sum_y2": right * y_right**2 + (n - right) * y_wrong**2 + (n - 1) * var,
                        "sum_xy": right * y_right,
                        "max_points": 1.0,
                    },
                )


def _fix_sequences() -> None:
    """Move PostgreSQL id sequences past the ids allotted here."""
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        return
    for model in WITH_IDS:
        table = model.__tablename__
        connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )
        )
