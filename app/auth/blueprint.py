"""The auth blueprint, shared by its view modules (routes: sign-in and admin users; account_routes:
passwords, links and sessions; sso_routes: single sign-on), which the app factory imports by name
so none of them imports another."""

from flask import Blueprint, current_app

bp = Blueprint("auth", __name__)


def login_limit() -> str:
    """The sign-in rate limit (LOGIN_RATE_LIMIT), for every route that checks a password or code."""
    return current_app.config["LOGIN_RATE_LIMIT"]
