"""Every `http` example of docs/integration.md, sent in order to the app: each answers as shown."""

import base64
import json
import re
from datetime import datetime
from pathlib import Path

from app.api import services
from tests.integration.api.conftest import add_certificate

DOC = Path(__file__).resolve().parents[3] / "docs" / "integration.md"
BLOCK = re.compile(r"```(http|json)\n(.*?)```", re.S)


def _examples():
    """(http request text, json shown after it or None), in the page's order."""
    blocks = BLOCK.findall(DOC.read_text())
    pairs = []
    for index, (kind, text) in enumerate(blocks):
        if kind == "http":
            follows = blocks[index + 1] if index + 1 < len(blocks) else None
            pairs.append((text, follows[1] if follows and follows[0] == "json" else None))
    return pairs


def _send(client, text, values):
    for placeholder, value in values.items():
        text = text.replace(placeholder, value)
    head, _, body = text.partition("\n\n")
    request_line, *header_lines = head.strip().splitlines()
    method, path = request_line.split()
    headers = dict(line.split(": ", 1) for line in header_lines)
    return client.open(path, method=method, headers=headers, data=body.strip())


def _covers(actual, shown) -> bool:
    """The answer has every field shown, nested alike (a shortened row may leave fields out)."""
    if isinstance(shown, dict):
        return isinstance(actual, dict) and all(
            k in actual and _covers(actual[k], v) for k, v in shown.items()
        )
    if isinstance(shown, list):
        return isinstance(actual, list) and (not shown or (bool(actual) and _covers(actual[0], shown[0])))
    return not isinstance(actual, dict | list)


def test_every_documented_request_answers_as_documented(client, database, two_forces, api_client_for):
    api_client, secret = api_client_for("north")
    national_client, national_secret = services.create_client(
        None, name="Commissioner", scope="aggregates:read", actor=two_forces["admin"]
    )
    documented = add_certificate(two_forces["north"], name="Sam Taylor")
    documented.issued_at = datetime(2026, 3, 2, 10, 0)
    database.session.commit()
    values = {
        "<base64 of client id:client secret>": base64.b64encode(
            f"{api_client.client_id}:{secret}".encode()
        ).decode(),
        "<base64 of national client id:client secret>": base64.b64encode(
            f"{national_client.client_id}:{national_secret}".encode()
        ).decode(),
        "<serial>": documented.serial,
    }
    examples = _examples()
    assert len(examples) == 6
    for request_text, shown in examples:
        response = _send(client, request_text, values)
        assert response.status_code == 200, (request_text, response.data)
        body = response.get_json()
        if shown is not None:
            shown = json.loads(shown)
            assert set(body) == set(shown), request_text
            assert _covers(body, shown), request_text
        if "access_token" in (body or {}):
            national = "aggregates:read" in request_text
            values["<national access token>" if national else "<access token>"] = body["access_token"]
    body = _send(client, examples[1][0], values)  # the force client's token was revoked above
    assert body.status_code == 401
