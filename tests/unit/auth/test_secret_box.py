"""Encryption at rest of TOTP secrets (app/auth/secret_box.py)."""

import pytest
from cryptography.fernet import Fernet

from app.auth import secret_box

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def test_a_sealed_secret_opens_and_does_not_show_the_secret():
    cipher = secret_box.box("", "a-secret-key-of-at-least-32-characters!!")
    stored = secret_box.seal(cipher, SECRET)
    assert stored.startswith("enc1:")
    assert SECRET not in stored
    assert len(stored) <= 255  # fits users.totp_secret
    assert secret_box.unseal(cipher, stored) == SECRET
    assert secret_box.seal(cipher, SECRET) != stored  # a fresh IV each time


def test_a_secret_stored_before_encryption_is_read_as_it_is():
    cipher = secret_box.box("", "x" * 40)
    assert not secret_box.is_sealed(SECRET)
    assert secret_box.unseal(cipher, SECRET) == SECRET
    assert secret_box.unseal(cipher, None) is None


def test_another_key_cannot_open_it():
    stored = secret_box.seal(secret_box.box("", "x" * 40), SECRET)
    with pytest.raises(secret_box.SecretBoxError):
        secret_box.unseal(secret_box.box("", "y" * 40), stored)


def test_rotation_the_first_key_seals_every_key_opens():
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    sealed_with_old = secret_box.seal(secret_box.box(old, "ignored"), SECRET)
    rotated = secret_box.box(f"{new}, {old}", "ignored")
    assert secret_box.unseal(rotated, sealed_with_old) == SECRET
    resealed = secret_box.seal(rotated, SECRET)
    assert secret_box.unseal(secret_box.box(new, "ignored"), resealed) == SECRET
    with pytest.raises(secret_box.SecretBoxError):
        secret_box.unseal(secret_box.box(old, "ignored"), resealed)


def test_the_derived_key_depends_on_the_secret_key():
    assert secret_box.derived_key("x" * 40) == secret_box.derived_key("x" * 40)
    assert secret_box.derived_key("x" * 40) != secret_box.derived_key("y" * 40)
