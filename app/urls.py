"""URL helpers shared by the views (pure)."""

from urllib.parse import urlsplit


def safe_next(target: str | None) -> str | None:
    """A `next` target, only if it is a same-site relative path (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    return None if parts.scheme or parts.netloc else target
