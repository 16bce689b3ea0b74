"""Password rules (NCSC) and argon2id hashing at or above the ASVS minimum."""

import pytest
from argon2 import extract_parameters

from app.auth.passwords import hash_password, password_problems, verify_password


def test_short_password_refused():
    assert password_problems("elevenchars") == ["Password must be at least 12 characters long."]


def test_twelve_characters_of_three_words_accepted():
    assert password_problems("lamp river ok") == []


@pytest.mark.parametrize(
    "password",
    [
        "password1234",
        "Password1234!",
        "qwertyuiop123",
        "123456789012",
        "WELCOME2024!!",
        "correcthorsebatterystaple",
    ],
)
def test_common_passwords_refused(password):
    assert any("too common" in p for p in password_problems(password))


def test_repetitive_password_refused():
    assert any("too easy" in p for p in password_problems("abababababab"))


def test_password_containing_the_email_refused():
    problems = password_problems("sam.taylor rules ok", email="sam.taylor@police.uk")
    assert "Password must not contain your email address." in problems


def test_password_containing_the_name_refused():
    assert "Password must not contain your name." in password_problems(
        "i am priya from leeds", name="Priya Shah"
    )


def test_hash_is_argon2id_at_or_above_asvs_minimum():
    params = extract_parameters(hash_password("a long test passphrase"))
    assert params.type.name == "ID"
    # OWASP Password Storage: argon2id with m >= 19 MiB, t >= 2, p >= 1.
    assert params.memory_cost >= 19 * 1024
    assert params.time_cost >= 2
    assert params.parallelism >= 1


def test_verify_accepts_right_and_refuses_wrong_or_missing():
    hashed = hash_password("a long test passphrase")
    assert verify_password(hashed, "a long test passphrase")
    assert not verify_password(hashed, "a long test passphrasf")
    assert not verify_password(None, "anything at all")
    assert not verify_password("not-a-hash", "anything at all")
