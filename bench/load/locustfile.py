"""Load scenario: officers sign in, read lessons, take and submit quizzes, download certificates;
a share of training leads and the commissioner view dashboards; a probe requests the bare
endpoint (/healthz) under the same load, as the floor for the lesson pages' latency. Run by
bench/load/run.py.

The users are FastHttpUser (geventhttpclient): the load generator shares the machine's two cores
with the server, and it needs several times less CPU per request than the requests-based
HttpUser. Redirects are not followed automatically (FastResponse.url is the request URL), so the
quiz flow follows its Location headers itself, as a browser would.
"""

import json
import os
import random
import re
import time
from urllib.parse import urlencode

from locust import between, constant, events, task
from locust.contrib.fasthttp import FastHttpUser

PASSWORD = os.environ.get("LOAD_PASSWORD", "load-test-passphrase")
DEMO_PASSWORD = os.environ.get("LOAD_DEMO_PASSWORD", "spot-the-signs-2026")
OFFICERS = int(os.environ.get("LOAD_OFFICERS", "200"))
ACK_FILE = os.environ.get("LOAD_ACK_FILE", "/tmp/load-acks.jsonl")
FAIL_FILE = os.environ.get("LOAD_FAIL_FILE", "/tmp/load-failures.jsonl")
MODULES = {"spotting-the-signs": 6, "using-the-act": 7, "victim-centred-interviewing": 7}
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
INPUT = re.compile(r"<input\b[^>]*>")  # attributes in any order (the GOV.UK macros put name first)


def _attribute(tag: str, name: str) -> str:
    found = re.search(rf'\s{name}="([^"]*)"', tag)
    return found.group(1) if found else ""


def _choices(page: str) -> list[tuple[str, str, str]]:
    """(type, name, value) of every radio and checkbox answering a question (q1, q2, ...)."""
    found = []
    for tag in INPUT.findall(page):
        kind, name = _attribute(tag, "type"), _attribute(tag, "name")
        if kind in ("radio", "checkbox") and re.fullmatch(r"q\d+", name):
            found.append((kind, name, _attribute(tag, "value")))
    return found


SELECT = re.compile(r'<select[^>]*name="(q\d+)-([^"]+)"')
VERSION = re.compile(r'name="module_version_id" value="(\d+)"')
PDF_LINK = re.compile(r'href="(/certificates/[A-Z0-9-]+/pdf)"')
FORM = {"Content-Type": "application/x-www-form-urlencoded"}  # FastHttp sends str data as is
_next_officer = iter(range(1, 10**9))


def _path(location: str) -> str:
    """The path of a Location header (absolute or relative)."""
    return "/" + location.split("://", 1)[1].split("/", 1)[1] if "://" in location else location


def _log(path: str, record: dict) -> None:
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(record) + "\n")


@events.request.add_listener
def _record_failure(request_type, name, response_time, response_length, exception, response=None, **kwargs):
    if exception is not None:
        status = getattr(response, "status_code", None)
        _log(FAIL_FILE, {"at": time.time(), "name": name, "status": status, "error": str(exception)[:200]})


class _SignedIn(FastHttpUser):
    abstract = True
    email = ""
    password = DEMO_PASSWORD

    def on_start(self):
        page = self.client.get("/sign-in", name="/sign-in")
        token = CSRF.search(page.text)
        self.client.post(
            "/sign-in",
            name="/sign-in [POST]",
            allow_redirects=False,
            data={
                "email": self.email_for(),
                "password": self.password,
                "csrf_token": token.group(1) if token else "",
            },
        )

    def email_for(self) -> str:
        return self.email


class Officer(_SignedIn):
    """Reads lessons and takes quizzes until every module is passed."""

    weight = 18
    wait_time = between(0.5, 2.0)
    password = PASSWORD

    def email_for(self) -> str:
        n = (next(_next_officer) - 1) % OFFICERS + 1
        return f"load{n}@load.police.uk"

    @task(6)
    def read_lesson(self):
        slug = random.choice(list(MODULES))
        self.client.get(
            f"/modules/{slug}/lessons/{random.randint(1, MODULES[slug])}", name="/modules/[slug]/lessons/[n]"
        )

    @task(2)
    def take_quiz(self):
        slug = random.choice(list(MODULES))
        intro = self.client.get(f"/modules/{slug}/quiz", name="/modules/[slug]/quiz")
        token = CSRF.search(intro.text)
        if not token:
            return
        with self.client.post(
            f"/modules/{slug}/quiz",
            name="/modules/[slug]/quiz [start]",
            data={"csrf_token": token.group(1)},
            allow_redirects=False,
            catch_response=True,
        ) as start:
            location = start.headers.get("Location", "")
            if "/attempts/" not in location:
                start.success()  # cooling down or passed: a normal answer, not an error
                return
        attempt_url = _path(location).split("?")[0]
        page = self.client.get(attempt_url, name="/attempts/[id]").text
        data = {"csrf_token": CSRF.search(page).group(1), "module_version_id": VERSION.search(page).group(1)}
        groups: dict[str, list[tuple[str, str]]] = {}
        for kind, name, value in _choices(page):
            groups.setdefault(name, []).append((kind, value))
        fields: list[tuple[str, str]] = list(data.items())
        for name, choices in groups.items():
            if choices[0][0] == "radio":
                fields.append((name, random.choice(choices)[1]))
            else:
                for _, value in random.sample(choices, random.randint(1, len(choices))):
                    fields.append((name, value))
        ordering: dict[str, list[str]] = {}
        for question, code in SELECT.findall(page):
            ordering.setdefault(question, []).append(code)
        for question, codes in ordering.items():
            positions = list(range(1, len(codes) + 1))
            random.shuffle(positions)
            fields.extend((f"{question}-{code}", str(p)) for code, p in zip(codes, positions, strict=True))
        with self.client.post(
            f"{attempt_url}/submit",
            data=urlencode(fields),
            headers=FORM,
            allow_redirects=False,
            name="/attempts/[id]/submit",
            catch_response=True,
        ) as result:
            location = result.headers.get("Location", "")
            if result.status_code in (302, 303) and "/result" in location:
                _log(ACK_FILE, {"attempt": int(attempt_url.rsplit("/", 1)[1]), "at": time.time()})
            elif result.ok:
                result.failure(f"submit did not lead to a result page: {location or result.status_code}")
                return
            else:
                return
        self.client.get(_path(location), name="/attempts/[id]/result")

    @task(1)
    def certificates(self):
        page = self.client.get("/certificates", name="/certificates")
        link = PDF_LINK.search(page.text)
        if link:
            self.client.get(link.group(1), name="/certificates/[serial]/pdf")


class Lead(_SignedIn):
    """A training lead following their force."""

    weight = 1
    wait_time = between(1, 3)
    email = "lead@demo.police.uk"

    @task
    def dashboards(self):
        self.client.get("/assignments", name="/assignments")
        self.client.get("/metrics/force", name="/metrics/force")


class Commissioner(_SignedIn):
    """The commissioner's national view."""

    weight = 1
    wait_time = between(1, 3)
    email = "commissioner@demo.police.uk"

    @task
    def national(self):
        self.client.get("/metrics/national", name="/metrics/national")


class Probe(FastHttpUser):
    """The floor: the bare endpoint (one SELECT 1), requested under the same load."""

    weight = 1
    wait_time = constant(1)

    @task
    def health(self):
        self.client.get("/healthz", name="/healthz (floor)")
