"""A module whose quiz has one question of each type, and helpers to answer it through the form."""

import re

import pytest

from app.assessments import queries
from tests.factories import ModuleVersionFactory, QuestionFactory, UserFactory

FEEDBACK = {
    "a": "<p>Right: safeguard first (MSA 2015 s.52).</p>",
    "b": "<p>No: victims rarely self-identify.</p>",
    "c": "<p>No: the person may be a victim (s.45).</p>",
}


def _options(spec):
    return [
        {
            "key": key,
            "html": f"<p>{text}</p>",
            "correct": correct,
            "feedback_html": f"<p>Feedback on {text} (guidance para {i}).</p>",
        }
        for i, (key, text, correct) in enumerate(spec)
    ]


def make_quiz(pass_mark=80, **settings):
    """A module version with a single (1 pt), a multiple (1 pt) and an ordering (2 pt) question."""
    quiz_settings = {
        "questions_per_attempt": None,
        "attempts_allowed": 0,
        "cooldown_minutes": 0,
        "show_feedback": True,
        "include": [],
    }
    quiz_settings.update(settings)
    version = ModuleVersionFactory(pass_mark=pass_mark, quiz_settings=quiz_settings)
    QuestionFactory(module_version=version, key="van", position=0, type="single")
    QuestionFactory(
        module_version=version,
        key="signs",
        position=1,
        type="multiple",
        options=_options(
            [
                ("a", "Passports held by another", True),
                ("b", "Answers for the others", True),
                ("c", "Wears a uniform", False),
                ("d", "Has a mobile phone", False),
                ("e", "Speaks English", False),
            ]
        ),
    )
    QuestionFactory(
        module_version=version,
        key="peace",
        position=2,
        type="ordering",
        points=2,
        tags=["peace"],
        options=_options(
            [
                ("a", "Planning and preparation", True),
                ("b", "Engage and explain", True),
                ("c", "Account", True),
                ("d", "Closure", True),
            ]
        ),
    )
    return version


# Answers by option key; `form_data` turns them into the attempt form's codes.
ALL_RIGHT = {"van": "a", "signs": ["a", "b"], "peace": ["a", "b", "c", "d"]}
ALL_WRONG = {"van": "b", "signs": ["c"], "peace": ["b", "a", "d", "c"]}


def form_data(attempt, answers, **extra):
    """The POST body a browser would send for these answers (codes, not keys)."""
    data = {"module_version_id": str(attempt.module_version_id)}
    for item in queries.attempt_items(attempt):
        given = answers.get(item.key)
        if given is None:
            continue
        codes = item.key_to_code
        if item.type == "ordering":
            for position, key in enumerate(given, start=1):
                data[f"q{item.number}-{codes[key]}"] = str(position)
        elif item.type == "single":
            data[f"q{item.number}"] = codes[given]
        else:
            data[f"q{item.number}"] = [codes[k] for k in given]
    data.update(extra)
    return data


def main_text(html: str) -> str:
    """The page's <main>, where quiz content lives."""
    match = re.search(r"<main.*?</main>", html, re.S)
    return match.group(0) if match else html


@pytest.fixture
def quiz(database):
    """A quiz module version with no limits, pass mark 80."""
    return make_quiz()


@pytest.fixture
def officer(database):
    """An officer of a force."""
    return UserFactory(role="officer")
