"""The pseudo-locale in place of the Welsh catalogue, for the tests that look for English left."""

import pytest
from flask_babel import get_babel

from tests.factories import ForceFactory, TeamFactory, UserFactory
from tests.support import pseudo

ROLES = ("officer", "training_lead", "commissioner", "admin")


@pytest.fixture(scope="session")
def pseudo_mo():
    """The pseudo catalogue, compiled once per session."""
    return pseudo.catalogue()


@pytest.fixture
def pseudo_welsh(app, pseudo_mo, tmp_path):
    """Serve "cy" from the pseudo catalogue for the test, then the real one again."""
    target = tmp_path / "cy" / "LC_MESSAGES"
    target.mkdir(parents=True)
    (target / "messages.mo").write_bytes(pseudo_mo)
    babel = get_babel(app)
    real = babel.translation_directories
    cache = babel.instance.domain_instance.cache
    babel.translation_directories = [str(tmp_path)]
    cache.clear()
    try:
        yield
    finally:
        babel.translation_directories = real
        cache.clear()


@pytest.fixture
def people(database):
    force = ForceFactory(name="Gwent Police", default_language="cy")
    team = TeamFactory(force=force, name="Response Team A")
    users = {
        role: UserFactory(
            role=role,
            name=f"Person {i}",
            force=force if role in ("officer", "training_lead") else None,
            team=team if role == "officer" else None,
            language="cy",
        )
        for i, role in enumerate(ROLES)
    }
    return users


def _data(people) -> set[str]:
    """Values that are data, not interface text."""
    values = {"Gwent Police", "Response Team A", "Cymraeg", "Beta"}
    for user in people.values():
        values |= {user.name, user.email}
    return values


def data_values(people, *more: str) -> set[str]:
    """Values that are data, not interface text: names, emails, the force and team, the
    language names (each written in itself) and the `more` a test adds (titles of its rows)."""
    values = {"Gwent Police", "Response Team A", "Cymraeg", "English", "Beta", *more}
    for user in people.values():
        values |= {user.name, user.email}
    return values


def assert_all_translated(client, login_as, people, role, url, *more_data: str, status=200):
    """Open `url` as `role` (None: signed out) in the pseudo-locale; fail on English left."""
    if role:
        login_as(people[role])
    response = client.get(url)
    assert response.status_code == status, url
    left = pseudo.english_left(response.get_data(as_text=True), data_values(people, *more_data))
    assert not left, f"English left on {url}:\n" + "\n".join(left)
