"""Account links, the pure part: random hashed tokens, lifetimes, validity, email text."""

import hashlib
import subprocess
import sys
from datetime import datetime, timedelta

import pytest

from app.auth import links

NOW = datetime(2026, 12, 1, 9, 0)


def test_tokens_are_url_safe_random_and_carry_256_bits():
    tokens = {links.new_token() for _ in range(200)}
    assert len(tokens) == 200
    for token in tokens:
        assert len(token) == 43  # 32 bytes in unpadded base64
        assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def test_stored_hash_is_sha256_of_the_token_and_not_the_token():
    token = links.new_token()
    stored = links.hash_token(token)
    assert stored == hashlib.sha256(token.encode()).hexdigest()
    assert token not in stored
    assert len(stored) == 64


def test_an_invitation_lasts_seven_days_and_a_reset_one_hour():
    assert links.expires_at(links.INVITE, NOW) == NOW + timedelta(days=7)
    assert links.expires_at(links.RESET, NOW) == NOW + timedelta(hours=1)


def test_unknown_purpose_is_refused():
    with pytest.raises(ValueError, match="unknown link purpose"):
        links.expires_at("login", NOW)


@pytest.mark.parametrize(
    ("used_at", "expires", "active", "ok"),
    [
        (None, NOW + timedelta(seconds=1), True, True),
        (None, NOW, True, False),  # expiry is exclusive
        (None, NOW - timedelta(seconds=1), True, False),
        (NOW - timedelta(minutes=1), NOW + timedelta(hours=1), True, False),
        (None, NOW + timedelta(hours=1), False, False),
    ],
)
def test_usable_only_unused_unexpired_and_for_an_active_user(used_at, expires, active, ok):
    assert links.usable(used_at=used_at, expires=expires, user_active=active, now=NOW) is ok


def test_purpose_is_an_invitation_only_without_a_password():
    assert links.purpose_for(has_password=False) == links.INVITE
    assert links.purpose_for(has_password=True) == links.RESET


def test_link_url_is_absolute_on_the_public_base_url():
    assert (
        links.link_url("https://training.example.police.uk/", "abc")
        == "https://training.example.police.uk/account/set-password/abc"
    )


def test_paths_are_redacted_for_logs_only_on_the_set_password_page():
    assert links.redact_path("/account/set-password/secret-token") == "/account/set-password/[token]"
    assert links.redact_path("/account/password") == "/account/password"


@pytest.mark.parametrize(
    ("purpose", "subject", "lasts"),
    [
        (links.INVITE, "Set up your account", "for 7 days"),
        (links.RESET, "Reset your password", "for 1 hour"),
    ],
)
def test_email_names_the_person_carries_the_link_and_says_how_long_it_lasts(purpose, subject, lasts):
    url = "http://localhost/account/set-password/tok"
    got_subject, body = links.compose(name="Ann Lee", purpose=purpose, url=url)
    assert subject in got_subject
    assert body.startswith("Dear Ann Lee,")
    assert f"\n{url}\n" in body
    assert lasts in body


def test_redacted_record_keeps_the_text_but_not_the_link():
    url = "http://localhost/account/set-password/tok"
    _, body = links.compose(name="Ann Lee", purpose=links.RESET, url=url)
    record = links.redact(body, url)
    assert url not in record
    assert "tok" not in record
    assert links.REDACTED in record
    assert "Dear Ann Lee," in record


def test_module_imports_without_flask_or_sqlalchemy():
    code = (
        "import sys; import app.auth.links\n"
        "assert not [m for m in sys.modules if m.split('.')[0] in ('flask', 'sqlalchemy')]\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
