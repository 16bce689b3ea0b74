"""xAPI 1.0.3 statements: built from events, validated before they leave (app.xapi.statements)."""

import copy
from datetime import UTC, datetime

import pytest

from app.xapi import statements
from app.xapi.statements import InvalidStatementError

BASE = "https://training.example"


def _passed():
    return statements.build(
        base=BASE,
        actor_name="0f3c9a",
        verb="passed",
        event_key="attempt:42",
        kind="modules",
        slug="indicators",
        title="Indicators of modern slavery",
        activity_type="assessment",
        at=datetime(2026, 12, 2, 10, 30, tzinfo=UTC),
        score=(85.0, 100.0),
        success=True,
        completion=True,
    )


def test_a_passed_attempt_is_a_valid_statement_with_a_scaled_score():
    statement = _passed()
    assert statement["verb"]["id"] == "http://adlnet.gov/expapi/verbs/passed"
    assert statement["result"]["score"] == {"scaled": 0.85, "raw": 85.0, "min": 0, "max": 100.0}
    assert statement["actor"] == {"objectType": "Agent", "account": {"homePage": BASE, "name": "0f3c9a"}}
    assert statement["timestamp"] == "2026-12-02T10:30:00Z"
    assert statement["version"] == "1.0.3"


def test_the_id_comes_from_the_event_so_a_resend_is_the_same_statement():
    assert _passed()["id"] == _passed()["id"] == statements.statement_id("attempt:42")
    assert statements.statement_id("attempt:43") != statements.statement_id("attempt:42")


@pytest.mark.parametrize(
    ("change", "why"),
    [
        (lambda s: s["actor"].update(mbox="mailto:officer@police.example"), "a second identifier (an email)"),
        (lambda s: s["result"]["score"].update(scaled=1.5), "scaled above 1"),
        (lambda s: s["result"]["score"].update(raw=120), "raw above max"),
        (lambda s: s.update(id="not-a-uuid"), "an id that is not a UUID"),
        (lambda s: s.update(timestamp="2026-12-02T10:30:00"), "a timestamp without a zone"),
        (lambda s: s["verb"].update(display={"English": "passed"}), "a display that is not a language map"),
        (lambda s: s["object"].update(id="not a url"), "an activity id that is not an IRI"),
        (lambda s: s.update(version="2.0.0"), "another version"),
    ],
)
def test_what_the_schema_refuses_is_never_sent(change, why):
    statement = copy.deepcopy(_passed())
    change(statement)
    with pytest.raises(InvalidStatementError):
        statements.validate(statement)
