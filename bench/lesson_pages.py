"""Lesson-page throughput and latency against a bare endpoint, both served by gunicorn.

Run from the project root:

    .venv/bin/python bench/lesson_pages.py [--clients 8] [--seconds 5] [--rounds 3]

It builds a throwaway SQLite database (flask db upgrade, forces sync, content sync, demo load),
starts gunicorn with 2 workers on a free loopback port, signs the demo officer in with a real POST
(CSRF token and all), then alternates timed phases of N client threads hitting either
/modules/spotting-the-signs/lessons/<1..6> or /healthz with the same signed-in cookie. /healthz is
the bare endpoint: one `SELECT 1` plus the session lookup every signed-in request pays (the
security-header hook reads current_user). Target: a lesson page within 2x of the bare cost.
"""

import argparse
import os
import re
import shlex
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
MODULE = "spotting-the-signs"
LESSONS = 6
OFFICER = ("officer@demo.police.uk", "spot-the-signs-2026")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def setup(env: dict, schema: str) -> None:
    """Schema, forces, content and demo users in the throwaway database."""
    flask = str(BIN / "flask")
    if schema == "migrate":
        subprocess.run([flask, "db", "upgrade"], env=env, check=True, capture_output=True)
    else:  # while migrations lag behind the models (the lead regenerates them)
        code = (
            "from app import create_app\nfrom app.extensions import db\n"
            "app = create_app()\nwith app.app_context(): db.create_all()"
        )
        subprocess.run([str(BIN / "python"), "-c", code], env=env, check=True, cwd=ROOT)
    for args in (["forces", "sync"], ["content", "sync"], ["demo", "load"]):
        subprocess.run([flask, *args], env=env, check=True, capture_output=True)


def sign_in(base: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base}/sign-in", timeout=10)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text) or re.search(
        r'name="csrf_token" value="([^"]+)"', page.text
    )
    response = session.post(
        f"{base}/sign-in",
        data={"csrf_token": token.group(1), "email": OFFICER[0], "password": OFFICER[1]},
        timeout=10,
    )
    response.raise_for_status()
    check = session.get(f"{base}/modules/{MODULE}/lessons/1", timeout=10, allow_redirects=False)
    if check.status_code != 200:
        raise SystemExit(f"sign-in failed: lesson page answered {check.status_code}")
    return session


def phase(base: str, cookies, paths: list[str], clients: int, seconds: float) -> list[float]:
    """N threads, each with its own connection, requesting paths in turn for `seconds`."""
    latencies: list[float] = []
    lock = threading.Lock()
    stop = time.perf_counter() + seconds
    errors = []

    def worker(offset: int) -> None:
        session = requests.Session()
        session.cookies.update(cookies)
        mine, i = [], offset
        while time.perf_counter() < stop:
            path = paths[i % len(paths)]
            i += 1
            start = time.perf_counter()
            response = session.get(base + path, timeout=30, allow_redirects=False)
            mine.append(time.perf_counter() - start)
            if response.status_code != 200:
                errors.append((path, response.status_code))
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise SystemExit(f"errors during the run: {errors[:5]}")
    return latencies


def summary(name: str, latencies: list[float], seconds: float) -> dict:
    ordered = sorted(latencies)
    return {
        "name": name,
        "n": len(ordered),
        "rps": len(ordered) / seconds,
        "p50": statistics.median(ordered) * 1000,
        "p95": ordered[int(len(ordered) * 0.95) - 1] * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=5.0, help="per phase")
    parser.add_argument("--rounds", type=int, default=3, help="bare/lesson phase pairs")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--schema", choices=("migrate", "create-all"), default="migrate")
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory(prefix="lesson-bench-")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp.name}/bench.db",
        "FLASK_APP": "wsgi.py",
        "APP_ENV": "development",
        "SECRET_KEY": "bench-" + "x" * 40,
        "RATELIMIT_STORAGE_URI": "memory://",
        "IDLE_TIMEOUT_MINUTES": "120",
    }
    setup(env, args.schema)
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
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
        for _ in range(120):
            try:
                if requests.get(f"{base}/healthz", timeout=10).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.5)
        else:
            raise SystemExit("gunicorn did not start")
        cookies = sign_in(base).cookies
        lessons = [f"/modules/{MODULE}/lessons/{n}" for n in range(1, LESSONS + 1)]
        bare = ["/healthz"]
        phase(base, cookies, lessons + bare, args.clients, 2.0)  # warm-up: caches, connections
        results: dict[str, list[float]] = {"bare": [], "lesson": []}
        for _ in range(args.rounds):
            results["bare"] += phase(base, cookies, bare, args.clients, args.seconds)
            results["lesson"] += phase(base, cookies, lessons, args.clients, args.seconds)
        total = args.seconds * args.rounds
        rows = [
            summary("bare /healthz", results["bare"], total),
            summary(f"lesson /modules/{MODULE}/lessons/1-{LESSONS}", results["lesson"], total),
        ]
    finally:
        server.terminate()
        try:
            server.wait(timeout=40)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        tmp.cleanup()
    command = "python bench/lesson_pages.py " + shlex.join(sys.argv[1:])
    print(
        f"{command.strip()}  (gunicorn -w {args.workers}, {args.clients} client threads, "
        f"SQLite, {args.rounds} x {args.seconds:g} s per endpoint, CPUs: {os.cpu_count()})"
    )
    print(f"{'endpoint':<44} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8}")
    for row in rows:
        print(f"{row['name']:<44} {row['n']:>9} {row['rps']:>8.1f} {row['p50']:>8.2f} {row['p95']:>8.2f}")
    bare, lesson = rows
    print(
        f"ratio lesson/bare: p50 {lesson['p50'] / bare['p50']:.2f}x, "
        f"p95 {lesson['p95'] / bare['p95']:.2f}x, "
        f"throughput cost {bare['rps'] / lesson['rps']:.2f}x (target <= 2x)"
    )


if __name__ == "__main__":
    main()
