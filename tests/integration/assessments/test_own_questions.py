"""A module that includes other banks and has questions of its own: own_questions_per_attempt.

The refresher has scenarios of its own on what changed in the last year (issue 16); every attempt
draws three of them and nine from the three included banks.
"""

import pytest

from app.assessments import services
from app.content.errors import ContentInvalid
from app.content.models import Module, Question
from app.content.services import sync_folder
from app.extensions import db
from tests.factories import UserFactory
from tests.integration.content.helpers import edit, example_tree, real_tree, sync, write_courses

REFRESHER = "first-responder-refresher"
INCLUDED = ("spotting-the-signs", "using-the-act", "victim-centred-interviewing")


def _module(slug: str) -> Module:
    return db.session.scalar(db.select(Module).where(Module.slug == slug))


def _keys(attempt) -> list[str]:
    return [entry["key"] for entry in attempt.question_keys]


def _submit(user, attempt) -> None:
    services.submit_attempt(user, attempt, {}, attempt.module_version_id)


def test_every_refresher_attempt_draws_three_of_its_own_scenarios(database, tmp_path):
    sync(real_tree(tmp_path))
    refresher = _module(REFRESHER)
    own = {q.key for q in refresher.current_version.questions}
    assert len(own) >= 6
    for _ in range(10):
        attempt = services.start_attempt(UserFactory(role="officer"), refresher)
        keys = _keys(attempt)
        assert len(keys) == 12
        assert len([k for k in keys if k in own]) == 3
        sources = {db.session.get(Question, e["question_id"]).source_module for e in attempt.question_keys}
        assert REFRESHER in sources
        assert sources - {REFRESHER} <= set(INCLUDED)


def test_a_refresher_retake_draws_own_scenarios_it_has_not_seen(database, tmp_path):
    sync(real_tree(tmp_path))
    refresher = _module(REFRESHER)
    refresher.current_version.quiz_settings = {
        **refresher.current_version.quiz_settings,
        "cooldown_minutes": 0,
    }
    db.session.flush()
    own = {q.key for q in refresher.current_version.questions}
    officer = UserFactory(role="officer")
    first = services.start_attempt(officer, refresher)
    _submit(officer, first)
    second = services.start_attempt(officer, refresher)
    seen, now = set(_keys(first)) & own, set(_keys(second)) & own
    assert len(now) == 3
    assert not seen & now  # 7 own questions: 3 then 3 others


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


def test_content_check_refuses_own_questions_the_included_banks_cannot_complete(tmp_path, database):
    root = _including_tree(tmp_path, "  own_questions_per_attempt: 2")
    # 6 per attempt with 2 own leaves 4 for alpha, which has 3.
    edit(root / "modules" / "beta" / "module.md", "  questions_per_attempt: 4", "  questions_per_attempt: 6")
    with pytest.raises(ContentInvalid) as caught:
        sync_folder(root)
    messages = [str(p) for p in caught.value.problems]
    assert any("own_questions_per_attempt 2 does not fit questions_per_attempt 6" in m for m in messages)
