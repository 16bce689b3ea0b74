"""Account links (invitation and password reset), the pure part: tokens, lifetimes, email text.

A link carries a random token; only its SHA-256 hash is stored, so a database dump (or the
outbox record of a link sent by SMTP) cannot be turned back into a working link.
"""

import hashlib
import secrets
from datetime import datetime, timedelta

from app.formatting import N_

INVITE, RESET = "invite", "reset"
PURPOSES = (INVITE, RESET)
LIFETIMES = {INVITE: timedelta(days=7), RESET: timedelta(hours=1)}
TOKEN_BYTES = 32
REDACTED = "(link removed from this record: only the recipient has it)"
PATH_PREFIX = "/account/set-password/"


def new_token() -> str:
    """A fresh URL-safe token with 256 bits of randomness."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    """The SHA-256 hex digest stored in place of the token."""
    return hashlib.sha256(token.encode()).hexdigest()


def expires_at(purpose: str, now: datetime) -> datetime:
    """When a link of that purpose, issued now, stops working."""
    if purpose not in LIFETIMES:
        raise ValueError(f"unknown link purpose {purpose!r}")
    return now + LIFETIMES[purpose]


def usable(*, used_at: datetime | None, expires: datetime, user_active: bool, now: datetime) -> bool:
    """True when a link may still be redeemed: unused, unexpired and for an active user."""
    return used_at is None and now < expires and user_active


def purpose_for(has_password: bool) -> str:
    """An invitation for someone who never had a password, otherwise a reset link."""
    return RESET if has_password else INVITE


def link_url(base_url: str, token: str) -> str:
    """The absolute URL of the set-password page for a token."""
    return base_url.rstrip("/") + PATH_PREFIX + token


def redact_path(path: str) -> str:
    """A request path safe to log: the token of a set-password URL is replaced."""
    if path.startswith(PATH_PREFIX):
        return PATH_PREFIX + "[token]"
    return path


def _english(message: str, **values) -> str:
    return message % values if values else message


def compose(*, name: str, purpose: str, url: str, gettext=_english) -> tuple[str, str]:
    """Subject and plain-text body of an invitation or a reset email. `gettext` translates each
    message (flask_babel.gettext under the recipient's locale); English without it."""
    _ = gettext
    if purpose == INVITE:
        subject = _(N_("Set up your account for Modern Slavery Training"))
        opening = [
            _(N_("You have been registered for Modern Slavery Training for UK Policing.")),
            _(N_("Choose a password to start your training:")),
        ]
        lasts = _(N_("This link works once, for 7 days."))
        otherwise = _(
            N_(
                "If the link has expired, use \u201cForgotten your password?\u201d on the "
                "sign-in page, or ask your training lead for a new invitation."
            )
        )
    else:
        subject = _(N_("Reset your password for Modern Slavery Training"))
        opening = [
            _(N_("Someone (we hope you) asked to reset the password of your account.")),
            _(N_("Choose a new password:")),
        ]
        lasts = _(N_("This link works once, for 1 hour."))
        otherwise = _(
            N_(
                "If you did not ask for this, ignore this email: your password has not "
                "changed. Tell your training lead if you keep receiving these emails."
            )
        )
    lines = [
        _(N_("Dear %(name)s,"), name=name),
        "",
        *opening,
        url,
        "",
        lasts,
        otherwise,
        "",
        _(N_("This is an automated email from Modern Slavery Training for UK Policing.")),
    ]
    return subject, "\n".join(lines)


def redact(body: str, url: str) -> str:
    """The body with the link replaced, for the record kept when a real email was sent."""
    return body.replace(url, REDACTED)
