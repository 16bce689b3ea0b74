"""The public check: valid, expired, revoked, not found, typos caught before any lookup, rate limit."""

import re
import subprocess
import sys
import textwrap
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import event

from app import clock
from app.certificates import services
from app.certificates.serial import new_serial
from app.extensions import db
from tests.factories import UserFactory

from .conftest import insert_certificate

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def certificate(officer):
    return insert_certificate(
        officer, issued_at=clock.utcnow(), expires_on=clock.today() + timedelta(days=365)
    )


def _page(response) -> str:
    return response.get_data(as_text=True)


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def test_valid_certificate_shows_only_name_force_course_and_dates(certificate, client):
    response = client.get(f"/verify/{certificate.serial}")
    page = _page(response)
    assert response.status_code == 200
    assert "Valid certificate" in page
    for shown in [
        "Siobhán Ní Dhuibhir",
        "West Midlands Police",
        certificate.course_title,
        _long(certificate.issued_at.date()),
        _long(certificate.expires_on),
    ]:
        assert shown in page
    for hidden in ["PC 4471", "Recognising the signs", "Sign out"]:
        assert hidden not in page
    # The module score (92%) is not shown. Not a bare "92": the random serial may contain it.
    assert not re.search(r"\b92(\.0)?\s*%", page)
    assert response.headers["X-Robots-Tag"] == "noindex, nofollow"


def test_check_results_are_never_stored_by_a_browser_or_a_proxy(certificate, client):
    """The result names a person and their force: a shared computer's cache must not keep it."""
    unknown = new_serial()
    for url in [f"/verify/{certificate.serial}", f"/verify/{unknown}", "/verify/not-a-serial"]:
        response = client.get(url)
        assert response.status_code in (200, 400, 404)
        assert response.headers["Cache-Control"] == "no-store", url


def test_expired_certificate_says_when(certificate, client):
    clock.travel(timedelta(days=366))
    page = _page(client.get(f"/verify/{certificate.serial}"))
    assert "Expired certificate" in page
    assert f"expired on {_long(certificate.expires_on)}" in page


def test_last_day_of_validity_is_still_valid(certificate, client):
    clock.travel(timedelta(days=365))
    assert "Valid certificate" in _page(client.get(f"/verify/{certificate.serial}"))


def test_revoked_certificate_says_when_but_not_why(certificate, client):
    services.revoke(
        certificate, actor=UserFactory(role="admin", force=None), reason="Internal disciplinary matter"
    )
    page = _page(client.get(f"/verify/{certificate.serial}"))
    assert "Revoked certificate" in page
    assert f"revoked on {_long(certificate.revoked_at.date())}" in page
    assert "disciplinary" not in page


def test_unknown_serial_is_not_found(client, database):
    serial = new_serial()
    response = client.get(f"/verify/{serial}")
    assert response.status_code == 404
    assert "Certificate not found" in _page(response)
    assert serial in _page(response)


@pytest.fixture
def certificate_queries(app, database):
    """Count the SQL statements that touch the certificates table."""
    statements = []

    def record(conn, cursor, statement, *args):
        if "certificates" in statement:
            statements.append(statement)

    engine = db.session.get_bind()
    event.listen(engine, "before_cursor_execute", record)
    yield statements
    event.remove(engine, "before_cursor_execute", record)


def test_typo_is_caught_by_the_check_character_before_any_lookup(certificate, client, certificate_queries):
    serial = certificate.serial
    last = serial[-1]
    typo = serial[:-1] + ("0" if last != "0" else "1")
    response = client.get(f"/verify/{typo}")
    assert response.status_code == 400
    page = _page(response)
    assert "typo" in page
    assert "check character" in page
    assert 'value="' + typo + '"' in page  # kept in the box to correct
    assert certificate_queries == []


def test_swapped_characters_are_caught_too(certificate, client):
    body = certificate.serial
    i = next(i for i in range(4, len(body) - 1) if body[i] != body[i + 1] and "-" not in body[i : i + 2])
    swapped = body[:i] + body[i + 1] + body[i] + body[i + 2 :]
    assert client.get(f"/verify/{swapped}").status_code == 400


def test_wrong_length_gets_a_helpful_message(client, database):
    page = _page(client.get("/verify/MSA-1234"))
    assert "four groups of four" in page


def test_typed_serial_in_any_case_and_spacing_redirects_to_the_result(certificate, client):
    sloppy = certificate.serial.lower().replace("-", " ")
    response = client.get("/verify", query_string={"serial": sloppy})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/verify/{certificate.serial}"
    response = client.get(f"/verify/{certificate.serial.lower()}")
    assert response.status_code == 301
    assert response.headers["Location"] == f"/verify/{certificate.serial}"


def test_the_form_explains_errors(client, database):
    empty = client.get("/verify", query_string={"serial": ""})
    assert empty.status_code == 400
    assert "Enter the serial printed on the certificate" in _page(empty)
    typo = client.get("/verify", query_string={"serial": "MSA-7K3Q-9XW2-HT5M-PD4S"})
    assert typo.status_code == 400
    assert "check character" in _page(typo)
    assert "<title>Error: Check a certificate" in _page(typo)
    blank = client.get("/verify")
    assert blank.status_code == 200
    assert "There is a problem" not in _page(blank)


def test_checks_are_rate_limited():
    """In a fresh interpreter: the limiter is process-wide and disabled for the rest of the suite."""
    script = textwrap.dedent("""
        from app import create_app
        from app.extensions import db
        from config import TestingConfig

        class Limited(TestingConfig):
            RATELIMIT_ENABLED = True
            RATELIMIT_STORAGE_URI = "memory://"
            VERIFY_RATE_LIMIT = "3 per minute"

        app = create_app(Limited)
        with app.app_context():
            db.create_all()
        client = app.test_client()
        statuses = [client.get("/verify/MSA-0000-0000-0000-0000").status_code for _ in range(2)]
        statuses += [client.get("/verify", query_string={"serial": "x"}).status_code for _ in range(2)]
        print(statuses)
    """)
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True
    )
    assert result.stdout.strip().splitlines()[-1] == "[404, 404, 400, 429]"
