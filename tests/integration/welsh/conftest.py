"""The pseudo-locale in place of the Welsh catalogue, for the tests that look for English left."""

import pytest
from flask_babel import get_babel

from tests.support import pseudo


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
