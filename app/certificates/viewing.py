"""Who may open a certificate's files (PDF, credential): its holder, their force's training lead
and admins. Anyone else, and any serial that is not well formed or not issued, gets the same 404."""

from collections.abc import Callable

from flask import abort
from flask_login import current_user

from app.certificates.serial import SerialError, parse
from app.roles import may_see_officer


def for_viewer(serial: str, find: Callable[[str], object | None]):
    """The certificate `find` returns for the canonical serial, if the signed-in user may see its
    holder; else abort with 404. The found row needs `force_id` and `user_id`."""
    try:
        canonical = parse(serial)
    except SerialError:
        abort(404)
    found = find(canonical)
    if found is None or not may_see_officer(
        current_user.role, current_user.force_id, current_user.id, found.force_id, found.user_id
    ):
        abort(404)
    return found
