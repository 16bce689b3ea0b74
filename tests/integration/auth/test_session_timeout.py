"""The time-out warning: the page says how long the session has left, and "Stay signed in"
(POST /session/extend) counts as activity (WCAG 2.2.1)."""

import re
from datetime import timedelta

import pytest

from app import clock
from tests.factories import PASSWORD, UserFactory

JSON = {"Accept": "application/json"}


@pytest.fixture
def signed_in(client, database):
    UserFactory(email="ann@police.uk")
    response = client.post("/sign-in", data={"email": "ann@police.uk", "password": PASSWORD})
    assert response.status_code == 302
    return client


def _seconds_left(html: str) -> int:
    return int(re.search(r'data-seconds-left="(\d+)"', html).group(1))


def test_a_page_says_how_long_the_session_has_left(signed_in):
    assert 1798 <= _seconds_left(signed_in.get("/account/password").get_data(as_text=True)) <= 1800
    clock.travel(timedelta(seconds=30))  # under a minute: the request does not refresh it
    html = signed_in.get("/account/password").get_data(as_text=True)
    assert 1765 <= _seconds_left(html) <= 1770
    assert 'src="/static/js/session-timeout.js"' in html
    assert "Stay signed in" in html


def test_no_warning_for_someone_not_signed_in(client, database):
    html = client.get("/sign-in").get_data(as_text=True)
    assert "session-warning" not in html
    assert "session-timeout.js" not in html


def test_stay_signed_in_counts_as_activity(signed_in):
    signed_in.get("/account/password")
    clock.travel(timedelta(minutes=20))
    response = signed_in.post("/session/extend", headers=JSON)
    assert response.status_code == 200
    assert 1798 <= response.json["seconds_left"] <= 1800
    clock.travel(timedelta(minutes=20))  # 40 minutes after the last page, 20 after extending
    assert signed_in.get("/account/password").status_code == 200


def test_without_it_the_session_ends(signed_in):
    signed_in.get("/account/password")
    clock.travel(timedelta(minutes=40))
    assert signed_in.get("/account/password").status_code == 302


def test_an_ended_session_cannot_be_extended(signed_in):
    signed_in.get("/account/password")
    clock.travel(timedelta(minutes=31))
    assert signed_in.post("/session/extend", headers=JSON).status_code == 401  # the script
    response = signed_in.post("/session/extend")  # the form
    assert response.status_code == 401
    assert "Sign in to continue" in response.get_data(as_text=True)
    assert signed_in.get("/account/password").status_code == 302


@pytest.mark.parametrize(
    ("target", "location"),
    [
        ("/modules/spotting-the-signs/lessons/2", "/modules/spotting-the-signs/lessons/2"),
        ("https://evil.example/", "/"),
        ("//evil.example/x", "/"),
    ],
)
def test_without_script_the_form_returns_to_the_page(signed_in, target, location):
    response = signed_in.post("/session/extend", data={"next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == location
