"""Email addresses and service numbers: one normalisation and one set of checks (pure).

The officer CSV import, the admin user form and `flask users create` all call these, so an
address or service number refused by one is refused by all.
"""

import unicodedata

from email_validator import EmailNotValidError, validate_email

from app.formatting import N_
from app.messages import Message

SERVICE_NUMBER_MAX = 40  # users.service_number


class IdentityError(ValueError):
    """An email address or service number was refused; str() is a message safe to show, and
    args[0] the Message a page translates (app.messages)."""


def normalise_email(email: str | None) -> str:
    """The form an address is stored and looked up in: NFKC, no surrounding spaces, lower case.

    NFKC folds compatibility forms (fullwidth 'ａ', ligatures) into their plain letters, so the
    same address typed two ways is one account. The whole address is lower-cased, not only the
    domain: accounts have always been unique regardless of case.
    """
    return unicodedata.normalize("NFKC", email or "").strip().lower()


def check_email(email: str | None) -> str:
    """Normalise and validate an address; return it, or raise IdentityError.

    After NFKC the address must be plain ASCII: a look-alike letter from another script (Cyrillic
    'а' for Latin 'a') or a Latin look-alike ('ı', 'ɑ') would otherwise make a second account that
    reads the same as a real one. UK police addresses are ASCII, so this refuses nobody real.
    """
    address = normalise_email(email)
    if not address:
        raise IdentityError(Message(N_("the email address is empty.")))
    if not address.isascii():
        odd = next(ch for ch in address if not ch.isascii())
        raise IdentityError(
            Message(
                N_(
                    "%(address)s contains %(character)s (%(name)s): email addresses may use only "
                    "plain Latin letters, digits and punctuation."
                ),
                address=repr(address),
                character=repr(odd),
                name=unicodedata.name(odd, "an unnamed character"),
            )
        )
    try:
        return validate_email(address, check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise IdentityError(
            Message(N_("%(address)s is not a valid email address."), address=repr(address))
        ) from exc


def clean_service_number(value: str | None) -> str | None:
    """A service number without surrounding white space, or None when blank; raise IdentityError
    for control or invisible format characters (tabs, newlines, zero-width, bidi overrides) inside
    it, or when it is too long for the column."""
    text = (value or "").strip()
    if not text:
        return None
    if any(unicodedata.category(ch).startswith("C") for ch in text):
        raise IdentityError(Message(N_("the service number contains control or invisible characters.")))
    if len(text) > SERVICE_NUMBER_MAX:
        raise IdentityError(
            Message(N_("the service number is longer than %(max)s characters."), max=SERVICE_NUMBER_MAX)
        )
    return text
