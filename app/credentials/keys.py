"""The credential signing keys: RSA 2048 PEM files in CREDENTIAL_KEYS_DIR (default
instance/credential-keys), one per key id. The newest signs; every key stays published, so a
credential signed before a rotation keeps verifying."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from flask import current_app
from joserfc.jwk import KeySet, RSAKey

from app.clock import utcnow


def _folder() -> Path:
    configured = current_app.config.get("CREDENTIAL_KEYS_DIR") or ""
    return Path(configured) if configured else Path(current_app.instance_path) / "credential-keys"


def key_url(kid: str) -> str:
    """The key id as a URL that resolves to the public key (Open Badges 3.0: kid is a URI)."""
    return f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/credentials/keys/{kid}"


def kids() -> list[str]:
    """Key ids, oldest first."""
    folder = _folder()
    return sorted(p.stem for p in folder.glob("k*.pem")) if folder.exists() else []


def load(kid: str) -> RSAKey | None:
    """A key by id (private), or None; its kid is the key's URL."""
    if not kid.isalnum():
        return None
    path = _folder() / f"{kid}.pem"
    if not path.exists():
        return None
    return _import(path.read_bytes(), key_url(kid))


@lru_cache(maxsize=64)
def _import(pem: bytes, url: str) -> RSAKey:
    """The key parsed from its PEM, once per PEM and kid: parsing checks the RSA key, which takes
    around a tenth of a second, and the same file is read on every signing and JWKS request. The
    file's bytes are the cache key, so a changed or replaced file is parsed afresh."""
    return RSAKey.import_key(pem, {"kid": url, "alg": "RS256", "use": "sig"})


def rotate() -> str:
    """Make a new signing key (it signs from now on); return its id."""
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True)
    kid = f"k{utcnow():%Y%m%d%H%M%S%f}"
    path = folder / f"{kid}.pem"
    key = RSAKey.generate_key(2048, private=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(key.as_pem(private=True))
    return kid


def signing_key() -> RSAKey:
    """The newest key, made on first use when there is none."""
    known = kids()
    kid = known[-1] if known else rotate()
    return load(kid)


def key_set() -> KeySet:
    """Every key, for verifying."""
    return KeySet([k for k in (load(kid) for kid in kids()) if k is not None])


def jwks() -> dict:
    """The public keys, as published at /.well-known/jwks.json."""
    return {"keys": [load(kid).as_dict(private=False) for kid in kids()]}
