"""Two app servers, one database: HAProxy in front of two gunicorn instances sharing PostgreSQL and
Redis, under locust load; one instance is killed (SIGKILL) early in the load and started again, then
the checks run against both while the load goes on.

    python bench/load/two_servers.py --users 16 --before-kill 15

Everything listens on 127.0.0.1 (the sign-in limit check connects from 127.0.0.2, another loopback
address, so its budget is apart from the load's). It needs Debian's postgresql, redis-server and
haproxy, and locust (`make load-setup`). Prints PASS or FAIL for each check and exits non-zero
when any fails:

- sign-in limits are shared: LIMIT+1 failed sign-ins from one address, spread by the proxy over
  both servers (neither sees more than about half), and the last is refused with 429;
- a session works on either server: signed in on A, pages load on B; signed out on B, A refuses it;
- a certificate is issued exactly once when the last module's passing answers are submitted
  concurrently to both servers;
- national metrics snapshots refresh once: requests on both servers read the one stored snapshot
  and neither recomputes it while it is fresh;
- killing one instance (SIGKILL to its whole process group) loses no acknowledged submission, and
  nothing fails outside the moments around the kill.
"""

import argparse
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from run import PY, ROOT, Cluster, audit_database, free_port, health, prepare, sh

LOGIN_LIMIT = 30  # per minute and address; the load's own sign-ins come from 127.0.0.1
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
VERSION = re.compile(r'name="module_version_id" value="(\d+)"')
RACE_EMAIL = "race@load.police.uk"
DEMO_PASSWORD = "spot-the-signs-2026"

HAPROXY = """global
  maxconn 1000
defaults
  mode http
  timeout connect 2s
  timeout client 60s
  timeout server 60s
  retries 3
  option redispatch
  option forwardfor
frontend web
  bind 127.0.0.1:{port}
  default_backend app
backend app
  balance roundrobin
  option httpchk GET /healthz
  http-response set-header X-Served-By %[srv_name]
  timeout check 5s
  server a 127.0.0.1:{a} check inter 1s fall 3 rise 2
  server b 127.0.0.1:{b} check inter 1s fall 3 rise 2
"""


class Client:
    """A browser of one: keeps the session cookie, talks to one port from one source address."""

    def __init__(self, port: int, source: str = "127.0.0.1"):
        self.port, self.source, self.cookies = port, source, {}

    def request(self, method: str, path: str, data=None, port=None) -> tuple[int, dict, str]:
        conn = http.client.HTTPConnection(
            "127.0.0.1", port or self.port, timeout=60, source_address=(self.source, 0)
        )
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            conn.close()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        return response.status, {k.lower(): v for k, v in response.getheaders()}, text

    def token(self, path: str, port=None) -> str:
        status, _, page = self.request("GET", path, port=port)
        found = CSRF.search(page)
        if status != 200 or not found:
            raise RuntimeError(f"GET {path} answered {status} without a form")
        return found.group(1)

    def sign_in(self, email: str, password: str, port=None) -> int:
        token = self.token("/sign-in", port)
        data = {"email": email, "password": password, "csrf_token": token}
        return self.request("POST", "/sign-in", data, port)[0]


def start_instance(name, port, env, work):
    """A gunicorn of its own (2 workers), in its own process group so it can be killed whole."""
    return subprocess.Popen(
        [
            PY,
            "-m",
            "gunicorn",
            "--no-control-socket",
            "-w",
            "2",
            "--threads",
            "4",
            "-b",
            f"127.0.0.1:{port}",
            "--timeout",
            "60",
        ]
        + ["--keep-alive", "30", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=open(work / f"gunicorn-{name}.log", "w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def prepare_race_officer(env) -> dict:
    """An officer with every module of the first responder course passed but the last."""
    script = f"""
import json
from app import create_app
from app.extensions import db
from app.auth.models import User
from app.auth.passwords import hash_password
from app.forces.models import Force
from app.assessments.models import ModuleResult
from app.clock import utcnow
from app.content.models import Course
app = create_app()
with app.app_context():
    force = db.session.scalar(db.select(Force).where(Force.code == "west-yorkshire"))
    user = User(email={RACE_EMAIL!r}, name="Race Officer", service_number="RC00001",
        force_id=force.id, role="officer", password_hash=hash_password({DEMO_PASSWORD!r}), active=True)
    db.session.add(user)
    db.session.flush()
    course = db.session.scalar(db.select(Course).where(Course.slug == "first-responder"))
    modules = [cm.module for cm in course.course_modules]
    now = utcnow()
    for module in modules[:-1]:
        db.session.add(ModuleResult(user_id=user.id, module_id=module.id, force_id=force.id,
            attempts=1, best_percent=90, first_attempt_at=now, passed_at=now, attempts_to_pass=1,
            first_attempt_passed=True))
    db.session.commit()
    print(json.dumps({{"user": user.id, "course": course.id, "slug": modules[-1].slug}}))
"""
    return json.loads(sh([PY, "-c", script], cwd=ROOT, env=env).stdout.strip().splitlines()[-1])


def correct_answers(env, attempt_id: int) -> list[tuple[str, str]]:
    """The form fields of a fully correct submission of an attempt (read from the database)."""
    script = f"""
import json
from app import create_app
from app.extensions import db
from app.assessments.forms import field_name
from app.assessments.models import Attempt
from app.assessments.queries import attempt_items, attempt_questions
app = create_app()
with app.app_context():
    attempt = db.session.get(Attempt, {attempt_id})
    fields = []
    for item, question in zip(attempt_items(attempt), attempt_questions(attempt), strict=True):
        key_to_code = {{key: code for code, key in item.code_to_key.items()}}
        if item.type == "ordering":
            for position, option in enumerate(question.options, start=1):
                fields.append((field_name(item, key_to_code[option["key"]]), str(position)))
        else:
            for option in question.options:
                if option.get("correct"):
                    fields.append((field_name(item), key_to_code[option["key"]]))
    print(json.dumps(fields))
"""
    return [
        tuple(f)
        for f in json.loads(sh([PY, "-c", script], cwd=ROOT, env=env).stdout.strip().splitlines()[-1])
    ]


def query(env, sql: str) -> list:
    script = f"""
import json
from sqlalchemy import text
from app import create_app
from app.extensions import db
app = create_app()
with app.app_context():
    print(json.dumps([list(r) for r in db.session.execute(text({sql!r})).all()], default=str))
"""
    return json.loads(sh([PY, "-c", script], cwd=ROOT, env=env).stdout.strip().splitlines()[-1])


def concurrently(calls) -> list:
    """Run the calls at the same moment (a barrier), return their results in order."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, call):
        barrier.wait()
        try:
            results[i] = call()
        except Exception as exc:  # noqa: BLE001 - reported as the check's result
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def check_limits_shared(proxy: int) -> tuple[bool, str]:
    """LOGIN_LIMIT+1 wrong passwords from 127.0.0.2 through the proxy: the last is refused."""
    client = Client(proxy, source="127.0.0.2")
    token = client.token("/sign-in")
    statuses, servers = [], []
    for n in range(LOGIN_LIMIT + 1):
        data = {"email": f"nobody{n}@load.police.uk", "password": "wrong-password", "csrf_token": token}
        status, headers, _ = client.request("POST", "/sign-in", data)
        statuses.append(status)
        servers.append(headers.get("x-served-by", "?"))
    served = {s: servers[:LOGIN_LIMIT].count(s) for s in set(servers[:LOGIN_LIMIT])}
    ok = (
        429 not in statuses[:LOGIN_LIMIT]
        and statuses[-1] == 429
        and len(served) == 2
        and max(served.values()) < LOGIN_LIMIT
    )
    return ok, f"{LOGIN_LIMIT} sign-ins counted {served}; attempt {LOGIN_LIMIT + 1} answered {statuses[-1]}"


def check_session_either(a: int, b: int) -> tuple[bool, str]:
    """Signed in on A, the session serves pages on B; signed out on B, A no longer accepts it."""
    client = Client(a)
    signed_in = client.sign_in("officer@demo.police.uk", DEMO_PASSWORD)
    on_a = client.request("GET", "/certificates")[0]
    on_b = client.request("GET", "/certificates", port=b)[0]
    token = client.token("/certificates", port=b)
    out = client.request("POST", "/sign-out", {"csrf_token": token}, port=b)[0]
    after = client.request("GET", "/certificates")[0]
    ok = signed_in in (302, 303) and on_a == 200 and on_b == 200 and out in (302, 303) and after != 200
    return ok, f"sign-in on A {signed_in}; page on A {on_a}, on B {on_b}; sign-out on B {out}; A then {after}"


def check_certificate_once(env, a: int, b: int, race: dict) -> tuple[bool, str]:
    """Passing answers for the last module submitted 6 times at once, 3 to each server."""
    client = Client(a)
    client.sign_in(RACE_EMAIL, DEMO_PASSWORD)
    token = client.token(f"/modules/{race['slug']}/quiz")
    _, headers, _ = client.request("POST", f"/modules/{race['slug']}/quiz", {"csrf_token": token})
    location = headers.get("location", "")
    if "/attempts/" not in location:
        return False, f"the quiz did not start (Location {location!r})"
    attempt = int(re.search(r"/attempts/(\d+)", location).group(1))
    _, _, page = client.request("GET", f"/attempts/{attempt}")
    fields = [
        ("csrf_token", CSRF.search(page).group(1)),
        ("module_version_id", VERSION.search(page).group(1)),
    ]
    fields += correct_answers(env, attempt)
    calls = [
        (lambda port=port: client.request("POST", f"/attempts/{attempt}/submit", fields, port)[0])
        for port in (a, b, a, b, a, b)
    ]
    statuses = concurrently(calls)
    certs = query(
        env,
        f"SELECT count(*) FROM certificates WHERE user_id = {race['user']} AND course_id = {race['course']}",
    )[0][0]
    submitted = query(env, f"SELECT submitted_at IS NOT NULL, percent FROM attempts WHERE id = {attempt}")[0]
    ok = certs == 1 and submitted[0] and all(s in (302, 303) for s in statuses)
    return ok, f"answers {statuses}; attempt submitted {submitted[0]} ({submitted[1]}%); certificates {certs}"


def check_snapshot_once(env, a: int, b: int) -> tuple[bool, str]:
    """The national page on both servers, twice over: the stored snapshots do not change."""
    client = Client(a)
    client.sign_in("commissioner@demo.police.uk", DEMO_PASSWORD)
    calls = [
        (lambda port=port: client.request("GET", "/metrics/national", port=port)[0]) for port in (a, b) * 3
    ]
    first = concurrently(calls)
    time.sleep(2)
    before = query(env, "SELECT key, computed_at FROM metrics_snapshots ORDER BY key")
    second = concurrently(calls)
    after = query(env, "SELECT key, computed_at FROM metrics_snapshots ORDER BY key")
    ok = all(s == 200 for s in first + second) and before and before == after
    return ok, (
        f"12 national pages (6 per server) answered {sorted(set(first + second))}; "
        f"{len(before)} snapshot(s), unchanged by the second round: {before == after}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--before-kill", type=int, default=15, help="seconds of load before the kill")
    parser.add_argument("--after-checks", type=int, default=5, help="seconds of load after the checks")
    parser.add_argument("--officers", type=int, default=60)
    args = parser.parse_args()
    if args.users > 20:
        parser.error("at most 20 users (their sign-ins share one address's limit of 30 a minute)")

    work = Path(tempfile.mkdtemp(prefix="two-servers-"))
    ports = {name: free_port() for name in ("proxy", "a", "b", "redis")}
    proxy = f"http://127.0.0.1:{ports['proxy']}"
    cluster = Cluster(free_port())
    procs: dict[str, subprocess.Popen] = {}
    results: list[tuple[str, bool, str]] = []
    try:
        url = cluster.create()
        redis = f"redis://127.0.0.1:{ports['redis']}"
        env = {
            **os.environ,
            "FLASK_APP": "wsgi.py",
            "APP_ENV": "development",
            "SECRET_KEY": "two-servers-" + "k" * 40,
            "DATABASE_URL": url,
            "RATELIMIT_ENABLED": "1",
            "RATELIMIT_STORAGE_URI": f"{redis}/0",
            "LOGIN_RATE_LIMIT": f"{LOGIN_LIMIT} per minute",
            "QUEUE_URL": f"{redis}/1",
            "TRUSTED_PROXIES": "1",
            "METRICS_SNAPSHOT_SECONDS": "600",
            "PUBLIC_BASE_URL": proxy,
            "LOAD_PASSWORD": "load-test-passphrase",
            "LOAD_OFFICERS": str(args.officers),
            "LOAD_ACK_FILE": str(work / "acks.jsonl"),
            "LOAD_FAIL_FILE": str(work / "fails.jsonl"),
        }
        procs["redis"] = subprocess.Popen(
            ["redis-server", "--port", str(ports["redis"]), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no"],
            stdout=open(work / "redis.log", "w"),
            stderr=subprocess.STDOUT,
        )
        print(f"preparing {url.split('@')[-1]} with {args.officers} officers ...", flush=True)
        prepare(env, args.officers)
        race = prepare_race_officer(env)
        procs["a"] = start_instance("a", ports["a"], env, work)
        procs["b"] = start_instance("b", ports["b"], env, work)
        (work / "haproxy.cfg").write_text(HAPROXY.format(port=ports["proxy"], a=ports["a"], b=ports["b"]))
        procs["haproxy"] = subprocess.Popen(
            ["haproxy", "-db", "-f", str(work / "haproxy.cfg")],
            stdout=open(work / "haproxy.log", "w"),
            stderr=subprocess.STDOUT,
        )
        for _ in range(150):
            if all(health(f"http://127.0.0.1:{ports[n]}") == 200 for n in ("a", "b", "proxy")):
                break
            time.sleep(0.2)
        else:
            raise RuntimeError(f"the servers did not start; logs in {work}")
        print(f"locust: {args.users} users through HAProxy at {proxy}", flush=True)
        locust = subprocess.Popen(
            [PY, "-m", "locust", "-f", str(ROOT / "bench/load/locustfile.py"), "--headless"]
            + ["-u", str(args.users), "-r", "8", "-t", "600s", "--host", proxy]
            + ["--csv", str(work / "stats"), "--only-summary", "--loglevel", "WARNING"],
            cwd=ROOT,
            env=env,
        )
        time.sleep(args.before_kill)
        killed_at = time.time()
        os.killpg(procs["a"].pid, signal.SIGKILL)
        procs["a"].wait()
        print(f"[fault] SIGKILL to gunicorn instance A (process group {procs['a'].pid})", flush=True)
        time.sleep(5)
        procs["a"] = start_instance("a", ports["a"], env, work)
        for _ in range(300):
            if health(f"http://127.0.0.1:{ports['a']}") == 200:
                break
            time.sleep(0.2)
        print(f"[fault] instance A restarted after {time.time() - killed_at:.0f}s", flush=True)
        time.sleep(3)  # the proxy takes it back after two good health checks
        checks = (
            ("sign-in limits are shared by both servers", lambda: check_limits_shared(ports["proxy"])),
            ("a session works on either server", lambda: check_session_either(ports["a"], ports["b"])),
            (
                "a certificate is issued exactly once (last module submitted to both at once)",
                lambda: check_certificate_once(env, ports["a"], ports["b"], race),
            ),
            ("national snapshots refresh once", lambda: check_snapshot_once(env, ports["a"], ports["b"])),
        )
        for name, check in checks:
            try:
                ok, detail = check()
            except Exception as exc:  # noqa: BLE001 - a check that crashed has failed
                ok, detail = False, f"{type(exc).__name__}: {exc}"
            results.append((name, ok, detail))
            print(f"{'PASS' if ok else 'FAIL'}: {name}: {detail}", flush=True)
        time.sleep(args.after_checks)
        locust.send_signal(signal.SIGINT)  # stop: locust prints its figures and exits
        locust.wait(timeout=120)
        results.append(
            (
                "killing one instance loses no acknowledged submission",
                *audit_kill(env, work, killed_at, proxy),
            )
        )
        print(f"{'PASS' if results[-1][1] else 'FAIL'}: {results[-1][0]}: {results[-1][2]}", flush=True)
    finally:
        for name, proc in procs.items():
            if proc.poll() is None:
                if name in ("a", "b"):
                    os.killpg(proc.pid, signal.SIGTERM)
                else:
                    proc.terminate()
                proc.wait(timeout=30)
        cluster.drop()
    failed = [name for name, ok, _ in results if not ok]
    print(f"two servers: {len(results) - len(failed)} passed, {len(failed)} failed (logs in {work})")
    return 1 if failed or len(results) < 5 else 0


def _records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.open()] if path.exists() else []


def audit_kill(env, work: Path, killed_at: float, proxy: str) -> tuple[bool, str]:
    """Every acknowledged submission stored once; failures only around the kill; still serving."""
    acks, failures = _records(work / "acks.jsonl"), _records(work / "fails.jsonl")
    outside = [f for f in failures if not killed_at - 1 <= f["at"] <= killed_at + 6]
    crashed = [f for f in failures if f.get("status") == 500]
    after = sum(1 for a in acks if a["at"] > killed_at + 6)
    problems = audit_database(env, [a["attempt"] for a in acks])
    if outside:
        problems.append(f"{len(outside)} requests failed away from the kill, e.g. {outside[0]}")
    if crashed:
        problems.append(f"{len(crashed)} requests answered 500")
    if not after:
        problems.append("no submission was acknowledged after the kill (is B serving?)")
    if health(proxy) != 200:
        problems.append("the proxy does not answer /healthz with 200 at the end")
    detail = (
        f"{len(acks)} acknowledged ({after} after the kill), {len(failures)} failed requests "
        f"({len(failures) - len(outside)} at the kill)"
    )
    return not problems, "; ".join([detail, *problems])


if __name__ == "__main__":
    sys.exit(main())
