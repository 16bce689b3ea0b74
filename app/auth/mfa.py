"""Time-based one-time passwords (RFC 6238) and single-use recovery codes (pure)."""

import hashlib
import secrets

import pyotp
import segno

ISSUER = "Modern Slavery Training"
RECOVERY_CODES = 10
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def new_secret() -> str:
    """A new base32 TOTP secret (160 bits)."""
    return pyotp.random_base32(32)


def provisioning_uri(secret: str, email: str) -> str:
    """The otpauth:// URI an authenticator app scans."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The provisioning URI as an inline SVG QR code."""
    return segno.make(uri, error="m").svg_inline(scale=4, dark="#0b0c0c", light="#ffffff")


def verify_code(secret: str, code: str, last_used_step: int | None, at: float) -> int | None:
    """The time step a code matches (one step of drift allowed), refusing reuse; else None."""
    code = "".join(ch for ch in code if ch.isdigit())
    if len(code) != 6 or not secret:
        return None
    totp = pyotp.TOTP(secret)
    step = int(at // totp.interval)
    for candidate in (step, step - 1, step + 1):
        if last_used_step is not None and candidate <= last_used_step:
            continue
        if secrets.compare_digest(totp.generate_otp(candidate), code):
            return candidate
    return None


def new_recovery_codes() -> list[str]:
    """Ten random recovery codes like 'k7m2-x9qp-4ht3'."""
    return [
        "-".join("".join(secrets.choice(_ALPHABET) for _ in range(4)) for _ in range(3))
        for _ in range(RECOVERY_CODES)
    ]


def hash_recovery_code(code: str) -> str:
    """Codes are stored hashed; they are random enough that SHA-256 suffices."""
    return hashlib.sha256(code.strip().lower().replace(" ", "").encode()).hexdigest()
