"""Writing statements to the outbox and sending them to the force's LRS (at least once).

A statement row is added in the transaction of the record it describes (a lesson read, an attempt,
a certificate), only for a force with an LRS. After that transaction commits, its id goes on the
queue; the worker claims the row (queued or failed -> sending, one conditional UPDATE), PUTs the
statement to `<LRS>/xAPI/statements?statementId=<id>` and marks it sent. A failure is retried
with backoff; a resend of a statement the LRS already holds is harmless (same id, same content).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import urllib.error
import urllib.request

from flask import current_app
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from app.clock import utcnow
from app.extensions import db
from app.xapi import statements
from app.xapi.models import LrsEndpoint, XapiStatement

PENDING = "xapi_pending"
TIMEOUT = 10


def actor_name(user_id: int) -> str:
    """The opaque id an LRS knows an officer by: stable, and not reversible to the person without
    the platform's secret (never an email or service number)."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"xapi-actor:{user_id}".encode(), hashlib.sha256).hexdigest()[:32]


def _cipher():
    from app.auth import secret_box

    return secret_box.box(
        current_app.config.get("TOTP_ENCRYPTION_KEYS", ""), current_app.config["SECRET_KEY"]
    )


def configure(force, url: str, username: str, password: str) -> LrsEndpoint:
    """Point a force's statements at an LRS (the password is stored sealed)."""
    from app.auth import secret_box

    row = db.session.scalar(select(LrsEndpoint).where(LrsEndpoint.force_id == force.id))
    if row is None:
        row = LrsEndpoint(force_id=force.id)
        db.session.add(row)
    row.url, row.username = url.rstrip("/"), username
    row.password = secret_box.seal(_cipher(), password)
    return row


def record(force_id: int | None, statement: dict) -> None:
    """Add a statement to the outbox when the force has an LRS (nothing otherwise); the same
    statement twice is one row."""
    if force_id is None:
        return
    if db.session.scalar(select(LrsEndpoint.id).where(LrsEndpoint.force_id == force_id)) is None:
        return
    if db.session.get(XapiStatement, statement["id"]) is not None:
        return
    db.session.add(
        XapiStatement(id=statement["id"], force_id=force_id, body=json.dumps(statement, sort_keys=True))
    )
    db.session.info.setdefault(PENDING, []).append(statement["id"])


READY = "xapi_ready"


def _after_commit(session) -> None:
    """The statements of a committed transaction are ready to go (no SQL may run here)."""
    pending = session.info.pop(PENDING, None)
    if pending:
        session.info.setdefault(READY, []).extend(pending)


def _after_soft_rollback(session, _previous_transaction) -> None:
    session.info.pop(PENDING, None)


def dispatch_ready(response=None):
    """Put the committed statements on the queue (after the request; in immediate mode, the
    tests', they are sent here and now)."""
    ready = db.session.info.pop(READY, None)
    if ready:
        task = current_app.extensions["xapi_task"]
        for statement_id in ready:
            try:
                task(statement_id)
            except Exception:  # noqa: BLE001 (immediate mode: the row records the failure)
                current_app.logger.warning("statement %s not sent yet; it stays queued", statement_id)
    return response


def queued_ids(limit: int = 1000) -> list[str]:
    """Statements not sent yet (queued or failed), oldest first: for `flask xapi send`."""
    rows = db.session.scalars(
        select(XapiStatement.id)
        .where(XapiStatement.status.in_(("queued", "failed")))
        .order_by(XapiStatement.created_at)
        .limit(limit)
    )
    return list(rows)


def init_app(app) -> None:
    """Register the sending task on the app's queue and the after-commit hook."""
    from app.queue import register_task

    app.extensions["xapi_task"] = register_task(app, "send_statement", send)
    app.after_request(dispatch_ready)
    # On the Session class: every session (the tests' own included) marks its statements ready.
    if not event.contains(Session, "after_commit", _after_commit):
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_soft_rollback", _after_soft_rollback)


class DeliveryError(Exception):
    """The LRS did not take the statement (retried)."""


def send(statement_id: str, *, final: bool = True) -> str:
    """Send one statement once; return its status. Raises after recording a failure."""
    claimed = db.session.execute(
        update(XapiStatement)
        .where(XapiStatement.id == statement_id, XapiStatement.status.in_(("queued", "failed")))
        .values(status="sending", tries=XapiStatement.tries + 1)
    ).rowcount
    db.session.commit()
    row = db.session.get(XapiStatement, statement_id)
    if claimed != 1:
        return row.status if row is not None else "missing"
    try:
        _put(row)
    except Exception as exc:
        db.session.rollback()
        row = db.session.get(XapiStatement, statement_id)
        row.status = "dead" if final else "failed"
        row.last_error = f"{type(exc).__name__}: {exc}"[:1000]
        db.session.commit()
        raise
    row.status, row.sent_at, row.last_error = "sent", utcnow(), None
    db.session.commit()
    return row.status


def _put(row: XapiStatement) -> None:
    from app.auth import secret_box

    endpoint = db.session.scalar(select(LrsEndpoint).where(LrsEndpoint.force_id == row.force_id))
    if endpoint is None:
        raise DeliveryError("the force has no LRS any more")
    statement = statements.validate(json.loads(row.body))  # never send what the schema refuses
    password = secret_box.unseal(_cipher(), endpoint.password) or ""
    credentials = base64.b64encode(f"{endpoint.username}:{password}".encode()).decode()
    request = urllib.request.Request(
        f"{endpoint.url}/xAPI/statements?statementId={row.id}",
        data=json.dumps(statement).encode(),
        method="PUT",
        headers={
            "Content-Type": "application/json",
            "X-Experience-API-Version": statements.VERSION,
            "Authorization": f"Basic {credentials}",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 (configured URL)
            if response.status not in (200, 204):
                raise DeliveryError(f"the LRS answered {response.status}")
    except urllib.error.HTTPError as exc:
        raise DeliveryError(f"the LRS answered {exc.code}: {exc.read()[:300]!r}") from exc
