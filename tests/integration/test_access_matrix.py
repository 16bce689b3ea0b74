"""Every route of the app against every role: deny by default, and nothing left out."""

import importlib
import pkgutil

import pytest

import tests.access as access_pkg
from tests.access.rules import ANON, ROLES, Route
from tests.factories import ForceFactory, TeamFactory, UserFactory

IGNORED = {"static"}


def _modules():
    return [
        importlib.import_module(f"tests.access.{m.name}")
        for m in pkgutil.iter_modules(access_pkg.__path__)
        if m.name != "rules"
    ]


def all_routes() -> list[Route]:
    """The declared routes of every feature."""
    return [route for module in _modules() for route in module.ROUTES]


def build_world(database):
    """A force with a team and one user per role, another force, plus what each feature adds."""
    force = ForceFactory(code="home-force")
    other = ForceFactory(code="other-force")
    team = TeamFactory(force=force)
    users = {
        "officer": UserFactory(force=force, team=team, role="officer"),
        "training_lead": UserFactory(force=force, role="training_lead"),
        "commissioner": UserFactory(force=None, role="commissioner"),
        "admin": UserFactory(force=None, role="admin"),
    }
    w = {
        "force": force,
        "other_force": other,
        "team": team,
        "users": users,
        "force_code": force.code,
        "team_id": team.id,
        "officer_id": users["officer"].id,
        "other_officer_id": UserFactory(force=other).id,
    }
    for module in _modules():
        if hasattr(module, "build"):
            module.build(w)
    database.session.flush()
    return w


@pytest.fixture
def world(database):
    """The shared world of the access matrix."""
    return build_world(database)


def test_every_route_is_in_the_matrix(app):
    declared = {(r.endpoint, r.method) for r in all_routes()}
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in IGNORED:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if (rule.endpoint, method) not in declared:
                missing.append(f"{method} {rule.rule} ({rule.endpoint})")
    assert not missing, "Add these routes to tests/access/:\n" + "\n".join(missing)


def test_matrix_names_only_real_routes(app):
    real = {(r.endpoint, m) for r in app.url_map.iter_rules() for m in r.methods}
    stale = [r for r in all_routes() if (r.endpoint, r.method) not in real]
    assert not stale


def test_every_view_declares_its_access(app):
    undeclared = [
        name
        for name, view in app.view_functions.items()
        if name not in IGNORED and getattr(view, "access", None) is None
    ]
    assert not undeclared


@pytest.mark.parametrize("route", all_routes(), ids=lambda r: f"{r.method}:{r.endpoint}")
@pytest.mark.parametrize("who", [ANON, *ROLES])
def test_route_answers_each_role_as_declared(route, who, client, login_as, world):
    if who != ANON:
        login_as(world["users"][who])
    url = route.url.format(**world)
    response = client.open(url, method=route.method, data=route.data or {})
    status = response.status_code
    if route.bearer:
        # A session (any role) gives nothing: these answer only their bearer token (tested in
        # the feature's own tests).
        assert status == 401, f"{who} got {status} on {route.method} {url}, expected 401"
        return
    if who in route.allowed:
        assert status < 500, f"{who} got {status} on {route.method} {url}"
        if route.ok:
            assert status in route.ok, f"{who} got {status} on {route.method} {url}"
        else:
            assert status not in (401, 403, 404), f"{who} refused on {route.method} {url}"
            if route.method == "GET":
                assert status == 200, f"{who} got {status} on GET {url}"
        if status in (301, 302, 303) and not route.signs_out:
            assert "/sign-in" not in response.headers["Location"]
    elif who == ANON:
        if route.method == "GET":
            assert status == 302
            assert "/sign-in" in response.headers["Location"]
        else:
            assert status == 401
    else:
        assert status == 403, f"{who} got {status} on {route.method} {url}, expected 403"
