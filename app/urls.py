"""URL helpers shared by the views (pure)."""

from urllib.parse import urlsplit


def safe_next(target: str | None) -> str | None:
    """A `next` target, only if it is a same-site relative path (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    return None if parts.scheme or parts.netloc else target


LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
ANY_ADDRESS = frozenset({"0.0.0.0", "::", ""})  # a server on every address


def unreachable_links(public_base_url: str, host: str, port: int) -> str | None:
    """Why links built on PUBLIC_BASE_URL would not reach a server on host:port, or None.

    Emailed links, QR codes and the single sign-on callback start with PUBLIC_BASE_URL, not with
    the address of the request; a development server on another port (`PORT=5093 make run` with
    an older PUBLIC_BASE_URL exported) would mail links that go nowhere. Loopback names are one
    host, and a server on every address (0.0.0.0) answers any host name.
    """
    parts = urlsplit(public_base_url)
    try:
        link_port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return f"PUBLIC_BASE_URL {public_base_url!r} has no valid port"
    link_host = (parts.hostname or "").lower()
    server_host = host.lower().strip("[]")
    if link_port != port:
        return (
            f"PUBLIC_BASE_URL is {public_base_url} but the server listens on port {port}: links in "
            f"emails and QR codes will not reach it. Unset PUBLIC_BASE_URL (make run then uses "
            f"http://127.0.0.1:{port}) or set it to this server's address."
        )
    same_host = link_host == server_host or {link_host, server_host} <= LOOPBACK
    if not same_host and server_host not in ANY_ADDRESS:
        return (
            f"PUBLIC_BASE_URL is {public_base_url} but the server listens on {host}: links in emails "
            "and QR codes will not reach it. Set PUBLIC_BASE_URL to this server's address."
        )
    return None
