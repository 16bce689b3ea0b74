"""Every page in the pseudo-locale (each catalogue message visibly transformed): any English left
untransformed did not go through the catalogue, and the Welsh page would show it in English.

PAGES grows as templates are translated (docs/welsh.md lists what is left); the layout (header,
navigation, phase banner, language switch, footer) is checked on every role's start page.
English content shown on a Welsh page (a module with no Welsh version, people's names) must be
marked lang="en" or be data the test knows (names, forces, teams), so it is not counted.
"""

import re

import pytest

from tests.factories import ForceFactory, TeamFactory, UserFactory
from tests.support.pseudo import OPEN, english_left

ROLES = ("officer", "training_lead", "commissioner", "admin")
START = {
    "officer": "/training",
    "training_lead": "/assignments",
    "commissioner": "/metrics/national",
    "admin": "/admin/users",
}

# (role or None for signed out, URL): pages whose every string is in the catalogue.
PAGES = []


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


def _without_main(html: str) -> str:
    """The layout only: the page's own title and <main> are the page's."""
    return re.sub(r"<main\b.*?</main>|<title>.*?</title>", "", html, flags=re.S)


@pytest.mark.parametrize("role", ROLES)
def test_the_layout_is_all_in_the_catalogue(client, login_as, people, pseudo_welsh, role):
    login_as(people[role])
    response = client.get(START[role], follow_redirects=True)
    html = response.get_data(as_text=True)
    assert '<html lang="cy"' in html
    assert OPEN in html, "the pseudo catalogue is in use"
    left = english_left(_without_main(html), _data(people))
    assert not left, "English left in the layout:\n" + "\n".join(left)


@pytest.mark.parametrize(("role", "url"), PAGES)
def test_every_translated_page_is_all_in_the_catalogue(client, login_as, people, pseudo_welsh, role, url):
    if role:
        login_as(people[role])
    response = client.get(url)
    assert response.status_code == 200
    left = english_left(response.get_data(as_text=True), _data(people))
    assert not left, f"English left on {url}:\n" + "\n".join(left)
