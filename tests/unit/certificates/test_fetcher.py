"""The restricted WeasyPrint fetcher serves static files only."""

import pytest
from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError

from app.certificates.fetcher import RefusedURLError, restricted_url_fetcher


def test_serves_a_real_static_file(static_dir):
    response = restricted_url_fetcher(static_dir)((static_dir / "css" / "ok.css").as_uri())
    assert response.read() == b"p { color: red }"
    assert response.content_type == "text/css"


@pytest.mark.parametrize("scheme", ["http", "https", "ftp"])
def test_refuses_remote_urls_without_connecting(static_dir, http_server, scheme):
    port = http_server.server_address[1]
    with pytest.raises(RefusedURLError):
        restricted_url_fetcher(static_dir)(f"{scheme}://127.0.0.1:{port}/x.png")
    assert http_server.requests == []


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file://localhost/etc/passwd",
        "file://evil.example/etc/passwd",
        "data:text/plain,hello",
        "file:static/css/ok.css",
    ],
)
def test_refuses_files_outside_static_and_other_schemes(static_dir, url):
    with pytest.raises(RefusedURLError):
        restricted_url_fetcher(static_dir)(url)


def test_refuses_dot_dot_escape(static_dir):
    url = static_dir.as_uri() + "/../secret.txt"
    with pytest.raises(RefusedURLError, match="Outside the static folder"):
        restricted_url_fetcher(static_dir)(url)
    with pytest.raises(RefusedURLError):
        restricted_url_fetcher(static_dir)(static_dir.as_uri() + "/css/%2e%2e/%2e%2e/secret.txt")


def test_refuses_symlink_pointing_out_of_static(static_dir):
    (static_dir / "link.txt").symlink_to(static_dir.parent / "secret.txt")
    with pytest.raises(RefusedURLError, match="Outside the static folder"):
        restricted_url_fetcher(static_dir)((static_dir / "link.txt").as_uri())


def test_refuses_a_directory(static_dir):
    with pytest.raises(RefusedURLError):
        restricted_url_fetcher(static_dir)((static_dir / "css").as_uri())


def test_weasyprint_stops_instead_of_fetching_a_remote_image(static_dir, http_server):
    port = http_server.server_address[1]
    html = HTML(
        string=f'<img src="http://127.0.0.1:{port}/x.png">',
        base_url=static_dir.as_uri() + "/",
        url_fetcher=restricted_url_fetcher(static_dir),
    )
    with pytest.raises(FatalURLFetchingError):
        html.write_pdf()
    assert http_server.requests == []


def test_weasyprint_does_not_embed_a_local_file_as_attachment(static_dir):
    secret = (static_dir.parent / "secret.txt").as_uri()
    html = HTML(
        string=f'<link rel="attachment" href="{secret}"><p>x</p>',
        base_url=static_dir.as_uri() + "/",
        url_fetcher=restricted_url_fetcher(static_dir),
    )
    with pytest.raises(FatalURLFetchingError):
        html.write_pdf(uncompressed_pdf=True)


def test_weasyprint_loads_a_relative_static_stylesheet(static_dir):
    html = HTML(
        string='<link rel="stylesheet" href="css/ok.css"><p>x</p>',
        base_url=static_dir.as_uri() + "/",
        url_fetcher=restricted_url_fetcher(static_dir),
    )
    assert html.write_pdf().startswith(b"%PDF")
