"""Learning records reach a real LRS (ralph, run in its own environment: RALPH_BIN names its
`ralph` executable; .ci/run installs it; tests/support/ralph_lrs.py starts it), validate there,
and are not duplicated by a retry."""

import json
import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import select

from app.assessments import services
from app.extensions import db
from app.xapi import delivery
from app.xapi.models import XapiStatement
from tests.factories import UserFactory
from tests.integration.assessments.conftest import ALL_RIGHT, ALL_WRONG, form_data, make_quiz

RALPH = os.environ.get("RALPH_BIN", "")
USER, PASSWORD = "platform", "lrs-test-password"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lrs(tmp_path_factory):
    """A ralph LRS on a free port, file backend, Basic auth; yields (url, statements file)."""
    if not RALPH or not Path(RALPH).exists():
        pytest.skip("RALPH_BIN does not name a ralph executable (see .ci/run)")
    folder = tmp_path_factory.mktemp("ralph")
    env = {
        **os.environ,
        "RALPH_RUNSERVER_BACKEND": "fs",
        "RALPH_AUTH_FILE": str(folder / "auth.json"),
        "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(folder),
    }
    subprocess.run(
        [RALPH, "auth", "-u", USER, "-p", PASSWORD, "-s", "all", "-A", "Platform", "http://localhost", "-w"],
        env=env,
        check=True,
        capture_output=True,
    )
    port = _free_port()
    launcher = Path(__file__).resolve().parents[2] / "support" / "ralph_lrs.py"
    server = subprocess.Popen(
        [str(Path(RALPH).parent / "python"), str(launcher), "127.0.0.1", str(port)],
        env=env,
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            with urllib.request.urlopen(f"{url}/__heartbeat__", timeout=1):
                break
        except OSError:
            time.sleep(0.5)
    else:
        server.kill()
        pytest.fail("ralph did not start")
    yield url, folder / "fs_lrs.jsonl"
    server.terminate()
    server.wait(timeout=10)


def _stored(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def test_statements_arrive_valid_and_a_forced_retry_does_not_duplicate(client, login_as, lrs, database, app):
    url, stored_file = lrs
    officer = UserFactory(role="officer", service_number="WY1234")
    quiz = make_quiz()
    delivery.configure(officer.force, url, USER, PASSWORD)
    db.session.commit()
    login_as(officer)
    for answers in (ALL_WRONG, ALL_RIGHT):
        attempt = services.start_attempt(officer, quiz.module)
        db.session.commit()
        assert (
            client.post(f"/attempts/{attempt.id}/submit", data=form_data(attempt, answers)).status_code == 302
        )
    rows = db.session.scalars(select(XapiStatement).order_by(XapiStatement.created_at)).all()
    assert [r.status for r in rows] == ["sent", "sent"]
    stored = {s["id"]: s for s in _stored(stored_file)}
    assert set(stored) >= {r.id for r in rows}
    verbs = [stored[r.id]["verb"]["id"].rsplit("/", 1)[1] for r in rows]
    assert verbs == ["failed", "passed"]
    # The actor is an opaque account: never the email or the service number.
    actor = json.dumps(stored[rows[0].id]["actor"])
    assert officer.email not in actor
    assert "WY1234" not in actor
    # A forced retry (as after a crash between sending and marking it sent) sends it again: the
    # LRS keeps one copy, because the id is the event's.
    db.session.execute(db.update(XapiStatement).where(XapiStatement.id == rows[1].id).values(status="failed"))
    db.session.commit()
    assert delivery.send(rows[1].id) == "sent"
    assert [s["id"] for s in _stored(stored_file)].count(rows[1].id) == 1


def test_an_unreachable_lrs_loses_nothing_and_the_statement_goes_later(client, login_as, database, lrs, app):
    url, stored_file = lrs
    officer = UserFactory(role="officer")
    quiz = make_quiz()
    delivery.configure(officer.force, f"http://127.0.0.1:{_free_port()}", USER, PASSWORD)  # nobody listens
    db.session.commit()
    login_as(officer)
    attempt = services.start_attempt(officer, quiz.module)
    db.session.commit()
    # The officer's submission succeeds whatever the LRS does.
    assert (
        client.post(f"/attempts/{attempt.id}/submit", data=form_data(attempt, ALL_RIGHT)).status_code == 302
    )
    row = db.session.scalar(select(XapiStatement))
    db.session.refresh(row)
    assert row.status in ("failed", "dead")
    assert row.last_error
    # The LRS comes back (here: the force is pointed at the running one); `flask xapi send` delivers.
    delivery.configure(officer.force, url, USER, PASSWORD)
    db.session.execute(db.update(XapiStatement).values(status="failed"))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["xapi", "send"])
    assert "1 sent, 0 failed" in result.output, result.output
    assert row.id in {s["id"] for s in _stored(stored_file)}


def test_a_force_without_an_lrs_writes_no_statements(client, login_as, database):
    officer = UserFactory(role="officer")
    quiz = make_quiz()
    login_as(officer)
    attempt = services.start_attempt(officer, quiz.module)
    db.session.commit()
    client.post(f"/attempts/{attempt.id}/submit", data=form_data(attempt, ALL_RIGHT))
    assert db.session.scalar(select(XapiStatement)) is None
