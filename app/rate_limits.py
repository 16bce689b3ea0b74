"""Rate limits used by several blueprints: one per-user budget for expensive generation."""

from flask import current_app
from flask_limiter.util import get_remote_address
from flask_login import current_user

from app.extensions import limiter


def user_or_address() -> str:
    """The limit key: the signed-in user's id, else the client address."""
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return get_remote_address()


def _export_limit() -> str:
    return current_app.config["EXPORT_RATE_LIMIT"]


# One budget across certificate PDFs and every CSV and PDF export, so a user cannot multiply it
# by spreading requests over several export pages. Keyed by user, not address: officers on one
# force network share an address.
export_limit = limiter.shared_limit(_export_limit, scope="exports", key_func=user_or_address)
