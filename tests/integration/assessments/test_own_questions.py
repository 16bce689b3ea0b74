"""A module that includes other banks and has questions of its own: own_questions_per_attempt."""

import pytest

from app.assessments import services
from app.content.errors import ContentInvalid
from app.content.models import Module
from app.content.services import sync_folder
from app.extensions import db
from tests.factories import UserFactory
from tests.integration.content.helpers import edit, example_tree, sync, write_courses


def _module(slug: str) -> Module:
    return db.session.scalar(db.select(Module).where(Module.slug == slug))


def _keys(attempt) -> list[str]:
    return [entry["key"] for entry in attempt.question_keys]


def _including_tree(tmp_path, own_line: str):
    """alpha (the example) and beta, which includes alpha and has the example's questions renamed."""
    root = example_tree(tmp_path, "alpha", "beta")
    beta = root / "modules" / "beta"
    for key in ("adult-does-not-consent", "who-may-interpret", "steps-at-first-contact"):
        edit(beta / "quiz.md", f"## {key}", f"## beta-{key}")
    edit(beta / "module.md", "  questions_per_attempt: 3", "  questions_per_attempt: 4")
    edit(beta / "module.md", "  include: []", "  include: [alpha]\n" + own_line)
    write_courses(root, {"test-course": ("alpha", "beta")})
    return root


def test_own_questions_per_attempt_draws_that_many_of_the_modules_own(database, tmp_path):
    sync(_including_tree(tmp_path, "  own_questions_per_attempt: 1"))
    beta = _module("beta")
    for _ in range(8):
        keys = _keys(services.start_attempt(UserFactory(role="officer"), beta))
        assert len(keys) == 4
        assert len([k for k in keys if k.startswith("beta-")]) == 1


@pytest.mark.parametrize(
    ("own_line", "message"),
    [
        ("  own_questions_per_attempt: 4", "own_questions_per_attempt is 4 but quiz.md has only 3"),
        ("  own_questions_per_attempt: 0", "'own_questions_per_attempt' must be"),
    ],
)
def test_content_check_refuses_an_impossible_own_questions_per_attempt(tmp_path, database, own_line, message):
    root = _including_tree(tmp_path, own_line)
    with pytest.raises(ContentInvalid) as caught:
        sync_folder(root)
    assert any(message in str(p) for p in caught.value.problems), caught.value.problems


def test_own_questions_per_attempt_needs_include(tmp_path, database):
    root = example_tree(tmp_path, "alpha")
    edit(root / "modules" / "alpha" / "module.md", "  include: []", "  own_questions_per_attempt: 1")
    with pytest.raises(ContentInvalid) as caught:
        sync_folder(root)
    assert any("needs 'include'" in str(p) for p in caught.value.problems)
