"""Password rules (NCSC: length over complexity, refuse common passwords) and argon2id hashing."""

from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import gettext as _

MIN_LENGTH = 12
MAX_LENGTH = 256
# argon2id at the OWASP/ASVS recommended minimum (m=19 MiB, t=2, p=1): strong, and cheap enough
# that a shift change of officers signing in at once does not queue behind the hashing.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
_COMMON_FILE = Path(__file__).with_name("common_passwords.txt")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The deny-list of common passwords, lower-cased."""
    lines = _COMMON_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and line[0] != "#")


def password_problems(password: str, *, email: str = "", name: str = "") -> list[str]:
    """Reasons a new password is refused (empty when it is acceptable)."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(_("Password must be at least %(count)s characters long.", count=MIN_LENGTH))
    if len(password) > MAX_LENGTH:
        problems.append(_("Password must be at most %(count)s characters long.", count=MAX_LENGTH))
    lowered = password.lower()
    if lowered in common_passwords() or lowered.rstrip("0123456789!") in common_passwords():
        problems.append(_("That password is too common. Try three random words."))
    elif len(set(password)) < 4:
        problems.append(_("That password is too easy to guess. Try three random words."))
    local = email.split("@", 1)[0].lower()
    if len(local) >= 4 and local in lowered:
        problems.append(_("Password must not contain your email address."))
    for part in name.lower().split():
        if len(part) >= 4 and part in lowered:
            problems.append(_("Password must not contain your name."))
            break
    return problems


def hash_password(password: str) -> str:
    """An argon2id hash of the password."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True if the password matches; false for a missing or malformed hash."""
    if not password_hash:
        # Spend the same time as a real check, so timing does not reveal unknown accounts.
        try:
            _hasher.verify(_DUMMY_HASH, password)
        except VerificationError:
            pass
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's."""
    return _hasher.check_needs_rehash(password_hash)


_DUMMY_HASH = _hasher.hash("dummy password for timing")
