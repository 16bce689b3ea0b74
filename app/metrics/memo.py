"""Reference lookups held for the length of one request.

A dashboard reads the same small reference rows (the modules in scope, their titles and order,
the courses for the filter) from several of its statements; each read costs a round trip and the
statement's building, a few tenths of a millisecond, which add up on the lead's page. Content
changes only by a content sync (`flask content sync`, or the admin's POST /admin/content/sync,
which reads none of these in its request), so within a request that reads them they stay the same:
the first answer is kept on the request and copied out to each caller. Outside a request (the CLI,
a background thread, a test calling the query directly) every call reads the database.

Report statements are kept longer, for the life of the process (built_once): a statement is built
from its arguments alone, so the same arguments make the same statement; what it needs from the
database (the modules in scope, whether anyone renewed after the period) is read by its caller on
every call and is part of the key.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from functools import lru_cache, wraps

from flask import has_request_context, request

from app.extensions import db

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


# --- statements built once ----------------------------------------------------------------------

STATEMENTS_KEPT = 256


def built_once(builder: Callable) -> Callable:
    """Keep the statements a builder makes, by its arguments and the database's dialect, for the
    life of the process (the last STATEMENTS_KEPT sets of arguments).

    Building a report statement (the obligations union, the overdue list, the module figures) costs
    more Python than running it costs PostgreSQL at a force's scale, and SQLAlchemy works out a
    statement's cache key again for each new statement object; a kept statement object is built
    once and its cache key is kept on it. A statement is immutable and carries its parameter
    values, so one built for the same arguments is the same statement.

    The builder must read nothing but its arguments (hashable: Scope, Grouping and tuples) and the
    dialect: no database row, no configuration, no clock. Whatever it needs from those is read by
    its caller and passed in, so it is part of the key."""
    kept = lru_cache(maxsize=STATEMENTS_KEPT)(lambda _dialect, *args: builder(*args))

    @wraps(builder)
    def wrapper(*args):
        return kept(db.session.get_bind().dialect.name, *args)

    wrapper.cache_clear = kept.cache_clear
    wrapper.cache_info = kept.cache_info
    return wrapper
