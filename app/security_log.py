"""Security events (sign-ins, refusals, lock-outs) as one JSON object per log line, UTC times."""

import json
import logging

from app.auth.links import redact_path
from app.clock import utcnow

logger = logging.getLogger("app.security")


def event(name: str, **fields) -> None:
    """Log a security event; values are JSON-encoded, so newlines cannot forge log lines."""
    record = {"event": name, "at": utcnow().isoformat(timespec="seconds") + "Z", **fields}
    try:
        from flask import has_request_context, request

        if has_request_context():
            record.setdefault("ip", request.remote_addr)
            record.setdefault("path", redact_path(request.path))  # no link tokens in logs
    except ImportError:  # pragma: no cover - Flask is always installed with the app
        pass
    logger.info(json.dumps(record, default=str, sort_keys=True))
