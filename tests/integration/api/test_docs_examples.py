"""Every `http` example of docs/integration.md, sent in order to the app: each answers as shown."""

import base64
import json
import re
from datetime import datetime
from pathlib import Path

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


def _shape(value):
    if isinstance(value, dict):
        return {k: _shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shape(value[0])] if value else []
    return None


def test_every_documented_request_answers_as_documented(client, database, two_forces, api_client_for):
    api_client, secret = api_client_for("north")
    documented = add_certificate(two_forces["north"], name="Sam Taylor")
    documented.issued_at = datetime(2026, 3, 2, 10, 0)
    database.session.commit()
    values = {
        "<base64 of client id:client secret>": base64.b64encode(
            f"{api_client.client_id}:{secret}".encode()
        ).decode(),
        "<serial>": documented.serial,
    }
    examples = _examples()
    assert len(examples) == 4
    for request_text, shown in examples:
        response = _send(client, request_text, values)
        assert response.status_code == 200, (request_text, response.data)
        if shown is not None:
            assert _shape(response.get_json()) == _shape(json.loads(shown)), request_text
        if "access_token" in (response.get_json() or {}):
            values["<access token>"] = response.get_json()["access_token"]
    body = _send(client, examples[1][0], values)  # the last example revoked the token
    assert body.status_code == 401
