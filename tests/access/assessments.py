"""Routes of quiz delivery: intro and start, take, save, submit, result, confidence.

Officers and training leads take quizzes; commissioners and admins get 403. Attempts belong to
one person: the world's attempts are the officer's, so the training lead (allowed by role) gets
404 on them. The matrix fills one URL for every role, so for attempt URLs it accepts 200 or 404
(and, for the form-less POSTs it sends, 409: no module version named); the exact answer for the
owner and for everyone else is pinned in tests/integration/assessments/test_access.py.
"""

from tests.access.rules import LEAD, OFFICER, Route

LEARNERS = frozenset({OFFICER, LEAD})
OWNER_OR_NOT_FOUND = (200, 404)

ROUTES = [
    Route("assessments.quiz", "/modules/{quiz_slug}/quiz", LEARNERS),
    Route("assessments.quiz", "/modules/{quiz_slug}/quiz", LEARNERS, method="POST", ok=(302,)),
    Route("assessments.attempt", "/attempts/{open_attempt_id}", LEARNERS, ok=OWNER_OR_NOT_FOUND),
    Route("assessments.question", "/attempts/{open_attempt_id}/questions/1", LEARNERS, ok=OWNER_OR_NOT_FOUND),
    Route(
        "assessments.question",
        "/attempts/{open_attempt_id}/questions/1",
        LEARNERS,
        method="POST",
        ok=(404, 409),
    ),
    Route(
        "assessments.save_attempt", "/attempts/{open_attempt_id}/save", LEARNERS, method="POST", ok=(404, 409)
    ),
    Route(
        "assessments.submit_attempt",
        "/attempts/{open_attempt_id}/submit",
        LEARNERS,
        method="POST",
        ok=(404, 409),
    ),
    Route("assessments.result", "/attempts/{submitted_attempt_id}/result", LEARNERS, ok=OWNER_OR_NOT_FOUND),
    Route(
        "assessments.confidence",
        "/modules/{fresh_quiz_slug}/confidence",
        LEARNERS,
        method="POST",
        ok=(302,),
        data={"stage": "before", "rating": "3"},
    ),
]


def build(world):
    """A quiz the officer failed once and is now retaking, and a quiz nobody has taken."""
    from app.assessments import services
    from tests.factories import ModuleVersionFactory, QuestionFactory

    settings = {
        "questions_per_attempt": None,
        "attempts_allowed": 0,
        "cooldown_minutes": 0,
        "show_feedback": True,
        "include": [],
    }
    taken, fresh = (ModuleVersionFactory(quiz_settings=settings) for _ in range(2))
    for version in (taken, fresh):
        QuestionFactory(module_version=version, key="q1", position=0)
        QuestionFactory(module_version=version, key="q2", position=1)
    officer = world["users"]["officer"]
    first = services.start_attempt(officer, taken.module)
    services.submit_attempt(officer, first, {"q1": "b", "q2": "b"}, taken.id)
    second = services.start_attempt(officer, taken.module)
    world.update(
        quiz_slug=taken.module.slug,
        fresh_quiz_slug=fresh.module.slug,
        submitted_attempt_id=first.id,
        open_attempt_id=second.id,
    )
