"""app.messages: a Message reads as its English everywhere a str is expected, and keeps its parts."""

import pickle
import subprocess
import sys

import pytest

from app.messages import Message


def test_a_message_is_its_english_text():
    message = Message("%(column)s is longer than %(max)s characters.", column="team", max=120)
    assert message == "team is longer than 120 characters."
    assert str(message) == "team is longer than 120 characters."
    assert f"line 3: {message}" == "line 3: team is longer than 120 characters."
    assert message.template == "%(column)s is longer than %(max)s characters."
    assert dict(message.params) == {"column": "team", "max": 120}


def test_a_message_without_params_keeps_a_doubled_percent_single():
    assert Message("100%% done.") == "100% done."


def test_a_message_cannot_be_changed():
    message = Message("%(column)s is empty.", column="name")
    with pytest.raises(AttributeError):
        message.template = "something else"
    with pytest.raises(TypeError):
        message.params["column"] = "email"


def test_a_message_survives_pickling_with_its_parts():
    message = Message("%(column)s is empty.", column="name")
    again = pickle.loads(pickle.dumps(message))
    assert again == message
    assert again.template == message.template
    assert dict(again.params) == {"column": "name"}


def test_the_module_is_pure():
    code = "import sys, app.messages; assert 'flask' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)
