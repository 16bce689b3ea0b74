"""Fixtures for the force API: forces with certificates, API clients, and tokens got over HTTP."""

import base64
from datetime import timedelta

import pytest

from app.api import services
from app.certificates.models import Certificate
from app.certificates.serial import new_serial
from app.clock import utcnow
from tests.factories import CourseFactory, ForceFactory, UserFactory


def add_certificate(force, *, days_ago=0, revoked=False, expires_on=None, name="Pat Officer"):
    """A certificate of an officer of the force, issued days_ago."""
    from app.extensions import db

    officer = UserFactory(force=force, name=name)
    course = CourseFactory()
    certificate = Certificate(
        serial=new_serial(),
        user_id=officer.id,
        course_id=course.id,
        force_id=force.id,
        cycle=1,
        holder_name=officer.name,
        service_number=officer.service_number,
        force_name=force.name,
        course_slug=course.slug,
        course_title=course.title,
        course_version="1",
        modules=[],
        issued_at=utcnow() - timedelta(days=days_ago),
        expires_on=expires_on,
        revoked_at=utcnow() if revoked else None,
    )
    db.session.add(certificate)
    db.session.flush()
    return certificate


@pytest.fixture
def two_forces(database):
    """North with three certificates, south with one; an admin."""
    north, south = (
        ForceFactory(code="north", name="North Police"),
        ForceFactory(code="south", name="South Police"),
    )
    admin = UserFactory(role="admin", force=None)
    certs = {
        "north": [add_certificate(north, days_ago=d) for d in (30, 20, 10)],
        "south": [add_certificate(south, days_ago=15, name="South Person")],
    }
    database.session.commit()
    return {"north": north, "south": south, "admin": admin, "certs": certs}


@pytest.fixture
def api_client_for(database, two_forces):
    """Create an API client for a force: returns (client, secret)."""

    def _make(code, scope="completions:read certificates:read"):
        made = services.create_client(
            two_forces[code], name=f"{code} HR", scope=scope, actor=two_forces["admin"]
        )
        database.session.commit()
        return made

    return _make


def basic(client_id: str, secret: str) -> dict:
    return {"Authorization": "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()}


@pytest.fixture
def token_for(client, api_client_for):
    """A bearer token for a new client of the force, from the token endpoint."""

    def _token(code, scope="completions:read certificates:read", request_scope=None):
        api_client, secret = api_client_for(code, scope)
        data = {"grant_type": "client_credentials"}
        if request_scope:
            data["scope"] = request_scope
        response = client.post("/api/oauth/token", data=data, headers=basic(api_client.client_id, secret))
        assert response.status_code == 200, response.data
        return response.get_json()["access_token"], api_client

    return _token


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}
