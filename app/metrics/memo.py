"""Reference lookups held for the length of one request.

A dashboard reads the same small reference rows (the modules in scope, their titles and order,
the courses for the filter) from several of its statements; each read costs a round trip and the
statement's building, a few tenths of a millisecond, which add up on the lead's page. Content
changes only by a content sync (`flask content sync`, or the admin's POST /admin/content/sync,
which reads none of these in its request), so within a request that reads them they stay the same:
the first answer is kept on the request and copied out to each caller. Outside a request (the CLI,
a background thread, a test calling the query directly) every call reads the database.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from functools import wraps

from flask import has_request_context, request

_KEY = "app.metrics.memo"


def _hashable(value):
    return tuple(value) if isinstance(value, list) else value


def per_request(function: Callable) -> Callable:
    """Call `function` once per request for each set of arguments (lists are keyed as tuples);
    each caller gets a shallow copy of the answer, so mutating it cannot change another's."""

    @wraps(function)
    def wrapper(*args):
        if not has_request_context():
            return function(*args)
        store = request.environ.setdefault(_KEY, {})
        key = (function.__qualname__, *map(_hashable, args))
        if key not in store:
            store[key] = function(*args)
        return copy.copy(store[key])

    return wrapper
