"""Run one report statement on a second database connection while the request's runs the rest.

The national figures are some thirty read-only statements, one after another on the request's
connection; on PostgreSQL the dearest of them (the module figures: app.metrics.queries) can run
at the same time on another connection, in another server process, while the request's
connection runs the others. Each statement already sees the data committed when it starts (the
request's transaction is READ COMMITTED), so a statement on a second connection reads what it
would have read on the first. It costs the database the same work; it takes less time when the
server has a core to spare.

Only where it helps and cannot hurt: PostgreSQL (SQLite runs everything in turn), METRICS_PARALLEL
on (off in the tests, whose data sits in a transaction that another connection cannot see), and
at most BACKGROUND_LIMIT statements at once per process, so a burst of reports never holds more
than that many extra connections from the pool. When no slot is free the statement runs in the
request, as it did before.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from flask import current_app

from app.extensions import db

BACKGROUND_LIMIT = 2
_slots = threading.BoundedSemaphore(BACKGROUND_LIMIT)
_executor = ThreadPoolExecutor(max_workers=BACKGROUND_LIMIT, thread_name_prefix="metrics")


def enabled() -> bool:
    """Whether statements may run on a second connection here."""
    return bool(current_app.config.get("METRICS_PARALLEL")) and db.engine.dialect.name == "postgresql"


def start(function: Callable, *args, prepare: Callable[[], None] | None = None) -> Future:
    """Start function(*args) on its own connection and return its future; or, when that is off
    or every slot is taken, run it here and return the finished future. prepare() runs first in
    the statement's own transaction (the report's SET LOCAL settings)."""
    if enabled() and _slots.acquire(blocking=False):
        app = current_app._get_current_object()
        try:
            return _executor.submit(_run, app, function, args, prepare)
        except RuntimeError:  # the executor is shutting down (interpreter exit)
            _slots.release()
    done: Future = Future()
    done.set_result(function(*args))
    return done


def _run(app, function: Callable, args: tuple, prepare: Callable[[], None] | None):
    try:
        with app.app_context():  # its own scoped session, so its own connection
            try:
                if prepare is not None:
                    prepare()
                return function(*args)
            finally:
                db.session.rollback()  # read only; ends the transaction and its SET LOCAL settings
    finally:
        _slots.release()
