"""The start-up warning when PUBLIC_BASE_URL would send emailed links away from the development
server (issue 18: `PORT=5093 make run` mailed links to :5000)."""

import logging

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.cli import FlaskGroup

from app.web import warn_if_links_miss_the_server


def _app(env: str, public: str) -> Flask:
    app = Flask("warn-test")
    app.config.update(ENV_NAME=env, PUBLIC_BASE_URL=public)
    return app


def _warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if "PUBLIC_BASE_URL" in r.getMessage()]


def test_development_warns_when_links_name_another_port(caplog):
    app = _app("development", "http://127.0.0.1:5000")
    with caplog.at_level(logging.WARNING):
        warn_if_links_miss_the_server(app, server=("127.0.0.1", 5093))
    [message] = _warnings(caplog)
    assert "port 5093" in message


@pytest.mark.parametrize(
    ("env", "public"), [("development", "http://127.0.0.1:5093"), ("production", "https://x.police.uk")]
)
def test_no_warning_when_links_reach_it_or_outside_development(caplog, env, public):
    with caplog.at_level(logging.WARNING):
        warn_if_links_miss_the_server(_app(env, public), server=("127.0.0.1", 5093))
    assert _warnings(caplog) == []


def test_no_server_address_outside_flask_run(caplog):
    """Under gunicorn, a worker or a CLI command there is no server address to compare."""
    with caplog.at_level(logging.WARNING):
        warn_if_links_miss_the_server(_app("development", "http://127.0.0.1:5000"))
    assert _warnings(caplog) == []


def test_flask_run_reads_its_own_host_and_port(monkeypatch):
    """The address compared is the one `flask run --port` was given (no server is started)."""
    import flask.cli

    seen = {}

    def create():
        from app import web

        seen["address"] = web._flask_run_address()
        return _app("development", "http://127.0.0.1:5000")

    monkeypatch.setattr(flask.cli, "run_simple", lambda *args, **kwargs: None)
    group = FlaskGroup(create_app=create)
    result = CliRunner().invoke(group, ["run", "--host", "127.0.0.1", "--port", "5093"])
    assert result.exit_code == 0, result.output
    assert seen["address"] == ("127.0.0.1", 5093)
