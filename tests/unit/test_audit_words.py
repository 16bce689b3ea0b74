"""Every audited action has words for the audit log."""

import ast
import re
from pathlib import Path

from app.audit_words import ACTIONS, detail_words, in_words

APP = Path(__file__).resolve().parents[2] / "app"


def _strings(node) -> set[str]:
    """The action codes ("area.what") among the string constants of an expression."""
    return {
        n.value
        for n in ast.walk(node)
        if isinstance(n, ast.Constant)
        and isinstance(n.value, str)
        and re.fullmatch(r"[a-z_]+\.[a-z_]+", n.value)
    }


def recorded_actions() -> set[str]:
    """The first argument of every audit.record(...) call: a string, a conditional of strings, or
    a name assigned such an expression in the same function."""
    found = set()
    for path in APP.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in [tree, *(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef))]:
            for call in ast.walk(function):
                if not (
                    isinstance(call, ast.Call)
                    and isinstance(call.func, ast.Attribute)
                    and call.func.attr == "record"
                    and isinstance(call.func.value, ast.Name)
                    and call.func.value.id == "audit"
                    and call.args
                ):
                    continue
                first = call.args[0]
                if isinstance(first, ast.Name):
                    for assign in ast.walk(function):
                        if isinstance(assign, ast.Assign) and any(
                            isinstance(t, ast.Name) and t.id == first.id for t in assign.targets
                        ):
                            found |= _strings(assign.value)
                else:
                    found |= _strings(first)
    return found


def test_the_reader_finds_the_actions():
    actions = recorded_actions()
    assert "user.create" in actions
    assert "reminders.send" in actions  # written across lines
    assert "metrics.release_revised" in actions  # one of two in a conditional
    assert "scim.user_updated" in actions  # through a name
    assert len(actions) > 30


def test_every_recorded_action_has_words_and_every_word_an_action():
    assert sorted(recorded_actions() - ACTIONS.keys()) == []
    assert sorted(ACTIONS.keys() - recorded_actions()) == []


def test_words_for_known_unknown_and_details():
    assert in_words("team.create") == "Created a team"
    assert in_words("old.action") == "old.action"
    assert detail_words("already_reminded_today") == "Already reminded today"
