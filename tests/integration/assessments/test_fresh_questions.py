"""A new attempt draws questions the officer did not see in the previous one, where the bank allows."""

from app.assessments import drawing, services
from tests.factories import ModuleVersionFactory, QuestionFactory, UserFactory

SETTINGS = {"attempts_allowed": 0, "cooldown_minutes": 0, "show_feedback": True, "include": []}


def _bank(size: int, per_attempt: int):
    version = ModuleVersionFactory(quiz_settings={**SETTINGS, "questions_per_attempt": per_attempt})
    for i in range(size):
        QuestionFactory(module_version=version, key=f"q{i}", position=i)
    return version


def _take(officer, version) -> set[str]:
    attempt = services.start_attempt(officer, version.module)
    keys = [e["key"] for e in attempt.question_keys]
    services.submit_attempt(officer, attempt, dict.fromkeys(keys, "a"), attempt.module_version_id)
    return set(keys)


def test_second_attempt_draws_none_of_the_first_attempts_questions(database, officer):
    version = _bank(size=10, per_attempt=5)
    first = _take(officer, version)
    second = _take(officer, version)
    assert len(first) == len(second) == 5
    assert not first & second
    # The third avoids the second (the previous attempt), so it is the first set again.
    assert _take(officer, version) == first


def test_a_small_bank_repeats_only_what_it_must(database, officer):
    version = _bank(size=7, per_attempt=5)
    first = _take(officer, version)
    second = _take(officer, version)
    unseen = {f"q{i}" for i in range(7)} - first
    assert unseen <= second
    assert len(second & first) == 3


def test_only_the_officers_own_previous_attempt_at_this_module_is_avoided(database, officer, monkeypatch):
    version = _bank(size=10, per_attempt=5)
    other_module = _bank(size=10, per_attempt=5)
    _take(UserFactory(role="officer"), version)
    _take(officer, other_module)
    avoided = []
    real = drawing.draw_questions

    def spy(bank, n, seed, avoid=()):
        avoided.append(set(avoid))
        return real(bank, n, seed, avoid)

    monkeypatch.setattr(drawing, "draw_questions", spy)
    services.start_attempt(officer, version.module)
    assert avoided == [set()]
