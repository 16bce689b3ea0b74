"""A WeasyPrint URL fetcher that serves files from the static folder and refuses everything else.

WeasyPrint's default fetcher follows http(s), ftp, data: and any file: URL, so certificate HTML
could read local files or reach internal hosts (SSRF). This one answers only ``file:`` URLs whose
real path (symlinks resolved) lies inside the static folder; anything else raises. Because it is
built with ``fail_on_errors=True``, a refusal stops the render instead of being logged and skipped.
"""

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse


class RefusedURLError(ValueError):
    """A URL the certificate renderer is not allowed to fetch."""


class StaticOnlyFetcher(URLFetcher):
    """Serve ``file:`` URLs inside one directory; refuse all other URLs."""

    def __init__(self, static_dir: Path, *, fail_on_errors: bool = True) -> None:
        super().__init__(allowed_protocols=("file",), allow_redirects=False, fail_on_errors=fail_on_errors)
        self.static_dir = Path(static_dir).resolve(strict=True)

    def resolve(self, url: str) -> Path:
        """The real path a URL names inside the static folder, or RefusedURLError."""
        parts = urlsplit(url)
        if parts.scheme.lower() != "file":
            raise RefusedURLError(f"Only files from the static folder may be used: {url[:80]}")
        if parts.netloc not in ("", "localhost"):
            raise RefusedURLError(f"Remote file hosts are refused: {url[:80]}")
        raw = Path(unquote(parts.path))
        if not raw.is_absolute():
            raise RefusedURLError(f"Relative file URLs are refused: {url[:80]}")
        # Resolving follows '..' and symlinks, so an escape shows up as a path outside the root.
        try:
            real = raw.resolve(strict=True)
        except (OSError, RuntimeError) as error:
            raise RefusedURLError(f"No such static file: {url[:80]}") from error
        if not real.is_relative_to(self.static_dir) or not real.is_file():
            raise RefusedURLError(f"Outside the static folder: {url[:80]}")
        return real

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        """Return the static file a URL names; raise RefusedURLError for anything else."""
        path = self.resolve(url)
        mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if mime_type.startswith("text/"):
            mime_type += "; charset=utf-8"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": mime_type})


def restricted_url_fetcher(static_dir: Path) -> StaticOnlyFetcher:
    """A fetcher for WeasyPrint that serves only files inside static_dir."""
    return StaticOnlyFetcher(static_dir)
