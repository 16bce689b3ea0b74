"""Issuing, sending and redeeming account links (invitations and password resets): the writes.

Services add and flush; the view or command commits once. Tokens are never logged or stored:
only their SHA-256 hash is kept, and the outbox record of an email sent by SMTP has the link
removed.
"""

import smtplib
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale, gettext
from sqlalchemy import func, update

from app import audit, i18n, security_log
from app.auth import links
from app.auth.identity import normalise_email
from app.auth.models import AccountLink, User
from app.auth.passwords import password_problems
from app.auth.user_services import UserError, set_password
from app.clock import utcnow
from app.errors import DomainError
from app.extensions import db
from app.mail.sending import Mailbox, MailSettings

INVALID_LINK = "This link has expired or has already been used."
# At most this many reset emails per account per hour, however often the form is sent.
MAX_RESETS_PER_HOUR = 3


class LinkError(DomainError):
    """A link cannot be used (unknown, used, expired or for a deactivated account)."""

    status_code = 404


class LinkSendError(DomainError):
    """The email carrying a link could not be sent; nothing was kept."""


def mailbox() -> Mailbox:
    """A Mailbox on the app's MAIL_* settings (the outbox when MAIL_SERVER is unset)."""
    return Mailbox(MailSettings.from_config(current_app.config))


def base_url() -> str:
    """The public address that links in emails start with (PUBLIC_BASE_URL)."""
    return current_app.config["PUBLIC_BASE_URL"]


def issue(user: User, purpose: str, *, now: datetime | None = None) -> tuple[str, AccountLink]:
    """Create a link for the user; return the token (to send, never to store) and the row."""
    now = now or utcnow()
    token = links.new_token()
    link = AccountLink(
        token_hash=links.hash_token(token),
        user_id=user.id,
        purpose=purpose,
        created_at=now,
        expires_at=links.expires_at(purpose, now),
    )
    db.session.add(link)
    db.session.flush()
    return token, link


def find_usable(token: str, *, now: datetime | None = None) -> AccountLink | None:
    """The link behind a token if it can still be redeemed, else None (whatever the reason)."""
    if not token or len(token) > 200:
        return None
    link = db.session.scalar(db.select(AccountLink).where(AccountLink.token_hash == links.hash_token(token)))
    if link is None or not links.usable(
        used_at=link.used_at, expires=link.expires_at, user_active=link.user.active, now=now or utcnow()
    ):
        return None
    return link


def redeem(token: str, password: str, *, now: datetime | None = None) -> User:
    """Set the password through a link; raises LinkError or UserError and then changes nothing.

    The link is claimed by one conditional UPDATE, so two submissions racing with the same token
    cannot both succeed. Setting the password cancels the user's other links and ends all their
    sessions (services.set_password).
    """
    now = now or utcnow()
    link = find_usable(token, now=now)
    if link is None:
        security_log.event("account_link.refused")
        raise LinkError(INVALID_LINK)
    user = link.user
    problems = password_problems(password, email=user.email, name=user.name)
    if problems:
        raise UserError(" ".join(problems))
    claimed = db.session.execute(
        update(AccountLink)
        .where(AccountLink.id == link.id, AccountLink.used_at.is_(None), AccountLink.expires_at > now)
        .values(used_at=now)
    ).rowcount
    if claimed != 1:
        raise LinkError(INVALID_LINK)
    set_password(user, password, actor=user, via=link.purpose)
    security_log.event("account_link.redeemed", user_id=user.id, purpose=link.purpose)
    return user


def send_link(
    user: User, *, actor: User | None, box: Mailbox, url_base: str, purpose: str | None = None
) -> str:
    """Issue a link and email it (audited); return its purpose. Raises LinkSendError."""
    if not user.active:
        raise UserError(f"{user.name}'s account is deactivated: reactivate it before sending a link.")
    purpose = purpose or links.purpose_for(user.password_hash is not None)
    token, link = issue(user, purpose)
    url = links.link_url(url_base, token)
    with force_locale(_recipient_language(user)):
        subject, body = links.compose(name=user.name, purpose=purpose, url=url, gettext=gettext)
    try:
        box.send(user.email, subject, body, record_body=links.redact(body, url))
    except (smtplib.SMTPException, OSError) as exc:
        db.session.delete(link)
        db.session.flush()
        security_log.event("account_link.send_failed", user_id=user.id, error=type(exc).__name__)
        raise LinkSendError(
            f"The email to {user.email} could not be sent ({type(exc).__name__}). Try again later."
        ) from exc
    audit.record("user.link_sent", actor=actor, target=user, purpose=purpose)
    security_log.event("account_link.sent", user_id=user.id, purpose=purpose)
    return purpose


def _recipient_language(user: User) -> str:
    """The language of the person's emails: their own choice, else their force's default."""
    return i18n.choose_language(user.language, None, getattr(user.force, "default_language", None))


def request_reset(email: str):
    """A forgotten-password request: the same write and the same job whatever the address.

    The request only records a `password_reset` job with the normalised address (no lookup, so
    a known and an unknown address take the same path and the same time); the worker's
    `send_reset` decides. Return the job, to dispatch after the commit.
    """
    from app import queue

    return queue.submit("password_reset", {"email": normalise_email(email)})


def send_reset(email: str, *, box: Mailbox, url_base: str) -> str | None:
    """In the worker: email a reset link if an active account has that address.

    Return None when a link was sent, else why nothing was (an unknown or deactivated address
    gets no email at all, so the queue cannot be used to mail strangers; at most
    MAX_RESETS_PER_HOUR per account). Raises LinkSendError when SMTP fails (the job is retried).
    """
    user = db.session.scalar(db.select(User).where(User.email == normalise_email(email)))
    if user is None or not user.active:
        security_log.event("password_reset.requested", known=False)
        return "no active account"
    from app.auth.sso_services import local_password_refused

    if local_password_refused(user):  # SSO-only force: a password would not sign them in
        security_log.event("password_reset.sso_only", user_id=user.id)
        return "single sign-on only"
    since = utcnow() - timedelta(hours=1)
    recent = db.session.scalar(
        db.select(func.count())
        .select_from(AccountLink)
        .where(
            AccountLink.user_id == user.id, AccountLink.purpose == links.RESET, AccountLink.created_at > since
        )
    )
    if recent >= MAX_RESETS_PER_HOUR:
        security_log.event("password_reset.throttled", user_id=user.id)
        return "throttled"
    send_link(user, actor=None, box=box, url_base=url_base, purpose=links.RESET)
    return None


def queue_link(user: User, *, actor: User | None, purpose: str | None = None):
    """Record a job to email the user an invitation or reset link; dispatch it after the commit.

    Refuses a deactivated account now (UserError); the link itself is issued by the worker, so
    no token ever sits in the queue.
    """
    from app import queue

    if not user.active:
        raise UserError(f"{user.name}'s account is deactivated: reactivate it before sending a link.")
    purpose = purpose or links.purpose_for(user.password_hash is not None)
    job = queue.submit(
        "link", {"user_id": user.id, "actor_id": actor.id if actor else None, "purpose": purpose}
    )
    return purpose, job


def users_to_invite(emails: Iterable[str] | None = None) -> list[User]:
    """Active users without a password and without an invitation still waiting to be used.

    With `emails`, only those addresses (for example the officers just imported).
    """
    now = utcnow()
    waiting = db.select(AccountLink.user_id).where(
        AccountLink.purpose == links.INVITE, AccountLink.used_at.is_(None), AccountLink.expires_at > now
    )
    query = (
        db.select(User)
        .where(User.active.is_(True), User.password_hash.is_(None), User.id.not_in(waiting))
        .order_by(User.id)
    )
    if emails is None:
        return list(db.session.scalars(query))
    wanted = sorted({normalise_email(e) for e in emails})
    found: list[User] = []
    for start in range(0, len(wanted), 900):
        found.extend(db.session.scalars(query.where(User.email.in_(wanted[start : start + 900]))))
    return sorted(found, key=lambda u: u.id)


def invite(
    users: list[User],
    *,
    actor: User | None,
    box: Mailbox,
    url_base: str,
    after_each: Callable[[int], None] | None = None,
) -> tuple[int, int]:
    """Send an invitation to each user; return (sent, failed). A failed send keeps no link.

    `after_each(count)` runs after each user (the CLI commits there and shows progress).
    """
    sent = failed = 0
    for count, user in enumerate(users, start=1):
        try:
            send_link(user, actor=actor, box=box, url_base=url_base, purpose=links.INVITE)
        except LinkSendError:
            failed += 1
        else:
            sent += 1
        if after_each is not None:
            after_each(count)
    return sent, failed
