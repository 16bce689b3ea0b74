"""Bounds on numbers and dates read from URLs, query strings and forms.

A number past what a column holds made SQLite raise OverflowError and PostgreSQL "out of range"
(a 500); a date at the end of the calendar overflowed when a day was added. Ids are PostgreSQL
`integer` columns, so no real row has an id above MAX_INT: a larger one is simply not found.
"""

from datetime import date

from flask import abort, request
from werkzeug.routing import IntegerConverter

MAX_INT = 2**31 - 1
FIRST_DATE = date(2000, 1, 1)
LAST_DATE = date(2099, 12, 31)


class BoundedIntConverter(IntegerConverter):
    """`<int:...>` in every route: a number above MAX_INT does not match, so the answer is 404."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", MAX_INT)
        super().__init__(url_map, *args, **kwargs)


def int_arg(name: str, default: int | None = None) -> int | None:
    """An integer query argument (default when absent or not a number); 400 when out of range."""
    value = request.args.get(name, default, type=int)
    if value is not None and not -MAX_INT <= value <= MAX_INT:
        abort(400)
    return value


def ints_in_range(values) -> list[int]:
    """Posted ids as integers; 400 for anything that is not a number a column can hold."""
    try:
        numbers = [int(v) for v in values or []]
    except ValueError:
        abort(400)
    if any(not -MAX_INT <= n <= MAX_INT for n in numbers):
        abort(400)
    return numbers
