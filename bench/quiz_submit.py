"""Quiz submission under concurrency: p50/p95 of POST /attempts/<id>/submit against /healthz.

Run from the project root:
    .venv/bin/python bench/quiz_submit.py [--officers 60] [--threads 8] [--workers 3]

Starts gunicorn on a free loopback port against a temporary SQLite file (or DATABASE_URL if set),
creates the officers and a 10-question quiz, signs each officer in with real POSTs (CSRF token read
from the page), starts an attempt and reads its form. Then, in one timed phase, a thread pool fires
every submission, a replay of every submission (the idempotent path) and as many /healthz requests,
shuffled together, so all three see the same load. Afterwards it checks that each attempt was
stored exactly once. Prints the figures; `--record` appends them to docs/benchmarks.md.
"""

import argparse
import http.client
import os
import random
import re
import shlex
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PASSWORD = "bench passphrase for officers"
SLUG = "bench-quiz"


def free_port() -> int:
    """A free loopback port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def seed(database_url: str, officers: int) -> dict:
    """Schema, one force, the officers and a 10-question quiz (in this process, not the server)."""
    os.environ["DATABASE_URL"] = database_url
    from app import create_app
    from app.auth.models import User
    from app.auth.passwords import hash_password
    from app.content.models import Module, ModuleVersion, Question
    from app.extensions import db
    from app.forces.models import Force

    app = create_app()
    with app.app_context():
        db.create_all()
        suffix = f"{int(time.time())}-{random.randrange(10**6)}"
        force = Force(
            code=f"bench-{suffix}",
            name=f"Bench Force {suffix}",
            nation="England",
            type="territorial",
            headcount=1000,
            headcount_source="bench",
        )
        db.session.add(force)
        module = Module(slug=f"{SLUG}-{suffix}", published=True)
        db.session.add(module)
        db.session.flush()
        version = ModuleVersion(
            module_id=module.id,
            number=1,
            content_hash="b" * 64,
            title="Benchmark quiz",
            pass_mark=80,
            quiz_settings={
                "questions_per_attempt": None,
                "attempts_allowed": 0,
                "cooldown_minutes": 0,
                "show_feedback": True,
                "include": [],
            },
        )
        db.session.add(version)
        db.session.flush()
        module.current_version_id = version.id
        types = ["single"] * 5 + ["multiple"] * 3 + ["ordering"] * 2
        for position, kind in enumerate(types):
            right = {"single": "a", "multiple": "ab", "ordering": "abcd"}[kind]
            options = [
                {
                    "key": k,
                    "html": f"<p>Option {k}</p>",
                    "correct": k in right,
                    "feedback_html": f"<p>Why {k}.</p>",
                }
                for k in "abcd"
            ]
            db.session.add(
                Question(
                    module_version_id=version.id,
                    key=f"q{position}",
                    position=position,
                    type=kind,
                    points=1.0,
                    scenario_html=f"<p>Scenario {position}.</p>",
                    tags=[f"tag-{position % 3}"],
                    options=options,
                )
            )
        password_hash = hash_password(PASSWORD)
        emails = [f"bench-{suffix}-{i}@example.police.uk" for i in range(officers)]
        db.session.add_all(
            User(
                email=email,
                name=f"Bench Officer {i}",
                role="officer",
                force_id=force.id,
                password_hash=password_hash,
            )
            for i, email in enumerate(emails)
        )
        db.session.commit()
        return {"emails": emails, "slug": module.slug, "module_id": module.id}


class Client:
    """One browser: a cookie jar and plain http.client requests (a new connection each time)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: list[tuple[str, str]] | None = None):
        """Send a request; return (status, headers, body, seconds)."""
        headers = {"Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        start = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read().decode()
        elapsed = time.perf_counter() - start
        conn.close()
        for header in response.headers.get_all("Set-Cookie") or ():
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, response.headers, data, elapsed


def token(page: str) -> str:
    """The CSRF token of the first form on a page."""
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def prepare(port: int, email: str, slug: str) -> tuple[Client, str, list[tuple[str, str]]]:
    """Sign in, start an attempt, read its form: returns the client, submit path and answers."""
    client = Client(port)
    _s, _h, page, _t = client.request("GET", "/sign-in")
    status, _h, _b, _t = client.request(
        "POST", "/sign-in", [("csrf_token", token(page)), ("email", email), ("password", PASSWORD)]
    )
    assert status == 302, f"sign-in failed for {email}: {status}"
    _s, _h, page, _t = client.request("GET", f"/modules/{slug}/quiz")
    status, headers, _b, _t = client.request("POST", f"/modules/{slug}/quiz", [("csrf_token", token(page))])
    assert status == 302, f"start failed: {status}"
    attempt_path = urllib.parse.urlsplit(headers["Location"]).path
    _s, _h, page, _t = client.request("GET", attempt_path)
    inputs = [dict(re.findall(r'([\w-]+)="([^"]*)"', tag)) for tag in re.findall(r"<input\b[^>]*>", page)]
    version = next(a["value"] for a in inputs if a.get("name") == "module_version_id")
    form = [("csrf_token", token(page)), ("module_version_id", version)]
    seen = set()
    for attrs in inputs:  # attributes in any order (GOV.UK Frontend's macros put class first)
        name, value = attrs.get("name"), attrs.get("value")
        if attrs.get("type") in ("radio", "checkbox") and name and value and name not in seen:
            seen.add(name)  # the first option shown: a realistic mix of right and wrong
            form.append((name, value))
    selects = re.findall(r'<select[^>]* name="(q\d+)-(\d+)"', page)
    by_question: dict[str, list[str]] = {}
    for question, code in selects:
        by_question.setdefault(question, []).append(code)
    for question, codes in by_question.items():
        for position, code in enumerate(codes, start=1):
            form.append((f"{question}-{code}", str(position)))
    return client, f"{attempt_path}/submit", form


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) in milliseconds."""
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index] * 1000


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--officers", type=int, default=60)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--record", action="store_true", help="append to docs/benchmarks.md")
    args = parser.parse_args()

    given_url = bool(os.environ.get("DATABASE_URL"))
    tmp = tempfile.TemporaryDirectory(prefix="quiz-bench-")
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp.name}/bench.db"
    backend = "PostgreSQL" if database_url.startswith("postgres") else "SQLite (temp file)"
    seeded = seed(database_url, args.officers)
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "APP_ENV": "development",
        "RATELIMIT_ENABLED": "false",
        "SECRET_KEY": "bench-" + "x" * 40,
    }
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "-w",
            str(args.workers),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                if Client(port).request("GET", "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise SystemExit("gunicorn did not start")
        with ThreadPoolExecutor(args.threads) as pool:
            prepared = list(pool.map(lambda e: prepare(port, e, seeded["slug"]), seeded["emails"]))

        jobs = [("submit", c, p, f) for c, p, f in prepared]
        jobs += [("healthz", Client(port), "/healthz", None) for _ in prepared]
        random.shuffle(jobs)
        replays = [("replay", c, p, f) for c, p, f in prepared]

        def run(job):
            kind, client, path, form = job
            status, _h, _b, seconds = client.request("POST" if form else "GET", path, form)
            expected = 302 if form else 200
            assert status == expected, f"{kind} {path}: {status}"
            return kind, seconds

        started = time.perf_counter()
        with ThreadPoolExecutor(args.threads) as pool:
            timings = list(pool.map(run, jobs))
            # Replays (double clicks) go in with healthz checks of their own, same concurrency.
            mixed = replays + [("healthz", Client(port), "/healthz", None) for _ in replays]
            random.shuffle(mixed)
            timings += list(pool.map(run, mixed))
        wall = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)

    stored = verify(database_url, seeded["module_id"], args.officers)
    by_kind: dict[str, list[float]] = {}
    for kind, seconds in timings:
        by_kind.setdefault(kind, []).append(seconds)
    rows = []
    for kind in ("healthz", "submit", "replay"):
        values = by_kind[kind]
        rows.append(
            (
                kind,
                len(values),
                percentile(values, 50),
                percentile(values, 95),
                statistics.fmean(values) * 1000,
            )
        )
    base = {"p50": rows[0][2], "p95": rows[0][3]}
    command = (
        "DATABASE_URL=... " * given_url + ".venv/bin/python bench/quiz_submit.py " + shlex.join(sys.argv[1:])
    )
    lines = [
        f"{backend}, gunicorn {args.workers} sync workers, {args.threads} client threads, "
        f"{args.officers} officers, 10 questions per attempt, {wall:.1f} s timed phase.",
        "",
        "| request | n | p50 ms | p95 ms | mean ms | p50 / healthz p50 | p95 / healthz p95 |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    labels = {
        "healthz": "GET /healthz (bare, one SELECT 1)",
        "submit": "POST /attempts/&lt;id&gt;/submit (first)",
        "replay": "POST /attempts/&lt;id&gt;/submit (replayed)",
    }
    for kind, n, p50, p95, mean in rows:
        lines.append(
            f"| {labels[kind]} | {n} | {p50:.1f} | {p95:.1f} | {mean:.1f} | "
            f"{p50 / base['p50']:.1f}× | {p95 / base['p95']:.1f}× |"
        )
    lines += ["", f"Stored afterwards: {stored}."]
    print("\n".join(lines))
    print(f"\nsubmit/healthz ratio: p50 {rows[1][2] / base['p50']:.2f}, p95 {rows[1][3] / base['p95']:.2f}")
    if args.record:
        record(command, lines)
    tmp.cleanup()


def verify(database_url: str, module_id: int, officers: int) -> str:
    """Check every attempt was stored once; return a one-line summary."""
    os.environ["DATABASE_URL"] = database_url
    from app import create_app
    from app.assessments.models import Attempt, AttemptAnswer, ModuleResult
    from app.extensions import db

    with create_app().app_context():

        def count(query):
            return db.session.scalar(query)

        attempts = count(
            db.select(db.func.count(Attempt.id)).where(
                Attempt.module_id == module_id, Attempt.submitted_at.is_not(None)
            )
        )
        answers = count(
            db.select(db.func.count(AttemptAnswer.id)).join(Attempt).where(Attempt.module_id == module_id)
        )
        results = count(
            db.select(db.func.sum(ModuleResult.attempts)).where(ModuleResult.module_id == module_id)
        )
        db.engine.dispose()
    ok = attempts == officers and answers == officers * 10 and results == officers
    summary = (
        f"{attempts} submitted attempts, {answers} answers, {results} counted in "
        f"module results for {officers} officers"
    )
    if not ok:
        raise SystemExit(f"stored wrongly: {summary}")
    return summary + " (each exactly once)"


def record(command: str, lines: list[str]) -> None:
    """Append this run to the "Quiz submission" section of docs/benchmarks.md."""
    path = ROOT / "docs" / "benchmarks.md"
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    stamp = time.strftime("%Y-%m-%d")
    entry = "\n".join([f"Run on {stamp}: `{command.strip()}`", "", *lines, ""])
    heading = "## Quiz submission"
    if heading not in text:
        text = text.rstrip("\n") + "\n\n" + heading + "\n\n" + INTRO + "\n"
    else:
        # Insert at the end of this section, before the next "## " heading if there is one.
        start = text.index(heading)
        nxt = text.find("\n## ", start + len(heading))
        if nxt != -1:
            text = text[:nxt].rstrip("\n") + "\n\n" + entry + text[nxt:]
            path.write_text(text)
            return
    path.write_text(text.rstrip("\n") + "\n\n" + entry)


INTRO = """`bench/quiz_submit.py` starts gunicorn on a loopback port, signs officers in with real
form posts, starts an attempt each, then fires every submission, a replay of every submission
(a double click: the idempotent path, which stores nothing) and as many `GET /healthz` requests,
shuffled together through the same thread pool, so the ratio to the bare endpoint is measured
under the same load. It then checks that each attempt was stored exactly once. Every request
opens a new TCP connection (gunicorn's sync workers do not keep connections alive), so the
figures include connection set-up; the bare endpoint pays it too."""


if __name__ == "__main__":
    main()
