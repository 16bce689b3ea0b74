"""Fixtures for certificate tests: a static folder and a tiny HTTP server that records requests."""

import http.server
import threading
from datetime import date
from pathlib import Path

import pytest

from app.certificates.pdf import CertificateData

STATIC = Path(__file__).resolve().parents[3] / "app" / "static"


class _RecordingHandler(http.server.BaseHTTPRequestHandler):
    """Answers every GET with a 1x1 GIF and remembers the path."""

    def do_GET(self):  # noqa: N802 - the name http.server dispatches to
        self.server.requests.append(self.path)
        body = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"
        self.send_response(200)
        self.send_header("Content-Type", "image/gif")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def http_server():
    """A local HTTP server on a free port; its `requests` list must stay empty in these tests."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _RecordingHandler)
    server.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def static_dir(tmp_path):
    """A throwaway static folder with one stylesheet and a secret file beside it."""
    root = tmp_path / "static"
    (root / "css").mkdir(parents=True)
    (root / "css" / "ok.css").write_text("p { color: red }")
    (tmp_path / "secret.txt").write_text("SECRET-MARKER")
    return root


@pytest.fixture
def certificate_data():
    """A typical certificate."""
    return CertificateData(
        holder_name="Siobhán Ní Dhuibhir",
        service_number="PC 4471",
        force_name="West Midlands Police",
        course_title="Modern Slavery Awareness",
        course_version="2.1",
        modules=(
            ("Recognising the signs", 92),
            ("Victim care and the NRM", 85),
            ("Investigating exploitation", 100),
        ),
        issued_on=date(2026, 3, 7),
        expires_on=date(2029, 3, 9),
        serial="MSA-7K3Q-9XW2-HT5M-PD4R",
    )
