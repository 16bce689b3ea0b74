"""Encryption at rest for small secrets (the TOTP seeds), with Fernet (AES-128-CBC + HMAC-SHA256).

A stored value is "enc1:" followed by a Fernet token. The keys come from TOTP_ENCRYPTION_KEYS
(comma-separated Fernet keys, the first encrypts, every one decrypts: rotate by putting the new
key first), or, when that is empty, one key derived from SECRET_KEY with HKDF-SHA256. A value
without the prefix is a secret stored before encryption: it is read as it is and sealed again on
its next write (`flask users seal-totp-secrets` seals them all at once). Pure: no Flask.
"""

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

PREFIX = "enc1:"


class SecretBoxError(Exception):
    """A stored secret could not be decrypted with the configured keys."""


def derived_key(secret_key: str) -> bytes:
    """A Fernet key derived from the application's SECRET_KEY (HKDF-SHA256, own label)."""
    raw = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"modern-slavery-training/totp-secrets/v1"
    ).derive(secret_key.encode())
    return base64.urlsafe_b64encode(raw)


def box(keys: str, secret_key: str) -> MultiFernet:
    """The cipher for TOTP_ENCRYPTION_KEYS (or SECRET_KEY when it is empty)."""
    listed = [k.strip().encode() for k in keys.split(",") if k.strip()]
    return MultiFernet([Fernet(k) for k in listed] or [Fernet(derived_key(secret_key))])


def seal(cipher: MultiFernet, plaintext: str) -> str:
    """The value to store for a secret."""
    return PREFIX + cipher.encrypt(plaintext.encode()).decode()


def is_sealed(stored: str | None) -> bool:
    """True if the stored value is encrypted (not a legacy plaintext secret)."""
    return bool(stored) and stored.startswith(PREFIX)


def unseal(cipher: MultiFernet, stored: str | None) -> str | None:
    """The secret behind a stored value (a legacy plaintext value is returned as it is)."""
    if not stored:
        return None
    if not is_sealed(stored):
        return stored
    try:
        return cipher.decrypt(stored[len(PREFIX) :].encode()).decode()
    except InvalidToken as exc:
        raise SecretBoxError(
            "a stored two-factor secret cannot be decrypted with the "
            "configured TOTP_ENCRYPTION_KEYS or SECRET_KEY"
        ) from exc
