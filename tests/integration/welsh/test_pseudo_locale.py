"""Every page in the pseudo-locale (each catalogue message visibly transformed): any English left
untransformed did not go through the catalogue, and the Welsh page would show it in English.

PAGES grows as templates are translated (docs/welsh.md lists what is left); the layout (header,
navigation, phase banner, language switch, footer) is checked on every role's start page.
English content shown on a Welsh page (a module with no Welsh version, people's names) must be
marked lang="en" or be data the test knows (names, forces, teams), so it is not counted.
"""

import re

import pytest

from tests.integration.welsh.conftest import assert_all_translated, data_values
from tests.support.pseudo import OPEN, english_left

ROLES = ("officer", "training_lead", "commissioner", "admin")
START = {
    "officer": "/training",
    "training_lead": "/assignments",
    "commissioner": "/metrics/national",
    "admin": "/admin/users",
}

# (role or None for signed out, URL): pages whose every string is in the catalogue. Each area's
# pages are listed in its own test_pseudo_<area>.py, which uses assert_all_translated.
PAGES = [("officer", "/training")]


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
    left = english_left(_without_main(html), data_values(people))
    assert not left, "English left in the layout:\n" + "\n".join(left)


@pytest.mark.parametrize(("role", "url"), PAGES)
def test_every_translated_page_is_all_in_the_catalogue(client, login_as, people, pseudo_welsh, role, url):
    assert_all_translated(client, login_as, people, role, url)
