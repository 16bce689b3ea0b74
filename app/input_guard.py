"""Refuse request input that no form needs and the database cannot store (NUL characters)."""

from flask import abort, request


def refuse_nul_characters():
    """before_request hook: a NUL in any form field or query value is a 400, not a 500 later.

    PostgreSQL text cannot hold U+0000; SQLite can. Refusing it at the door keeps both databases
    behaving the same and nothing half-written.
    """
    values = list(request.args.values())
    if request.method in ("POST", "PUT", "PATCH"):
        values += list(request.form.values())
    if any("\x00" in value for value in values):
        abort(400)
