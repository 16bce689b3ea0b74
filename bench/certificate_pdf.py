"""Time the certificate render against a one-line WeasyPrint document (the floor) in one process.

Run from the project root: .venv/bin/python bench/certificate_pdf.py [runs]
Floor and certificate alternate within each round, so load from other processes hits both alike.
"""

import shlex
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from weasyprint import HTML  # noqa: E402

from app.certificates.pdf import (  # noqa: E402
    CertificateData,
    _font_config,
    render_certificate_pdf,
)

STATIC = ROOT / "app" / "static"
SERIAL = "MSA-7K3Q-9XW2-HT5M-PD4R"
DATA = CertificateData(
    holder_name="Siobhán Ní Dhuibhir",
    service_number="PC 4471",
    force_name="West Midlands Police",
    course_title="Modern Slavery Awareness",
    course_version="2.1",
    modules=(
        ("Recognising the signs", 92),
        ("Victim care and the National Referral Mechanism", 85),
        ("Investigating exploitation", 78),
        ("County lines and criminal exploitation", 100),
        ("Working with partners", 88),
    ),
    issued_on=date(2026, 3, 7),
    expires_on=date(2029, 3, 7),
    serial=SERIAL,
)
VERIFY_URL = f"https://msa-training.example.police.uk/verify/{SERIAL}"


def floor() -> bytes:
    """The cheapest WeasyPrint render, with the same shared FontConfiguration."""
    return HTML(string="<p>x</p>").write_pdf(font_config=_font_config())


def certificate() -> bytes:
    """The real certificate, as the download endpoint will call it."""
    return render_certificate_pdf(DATA, VERIFY_URL, STATIC)


def timed(function) -> float:
    """Milliseconds taken by one call."""
    start = time.perf_counter()
    function()
    return (time.perf_counter() - start) * 1000


def main() -> None:
    """Warm up, then time both renders alternately and print medians and their ratio."""
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 25
    print("command:", shlex.join([sys.executable, *sys.argv]))
    for _ in range(3):
        floor()
        certificate()
    floors, certs = [], []
    for _ in range(runs):
        floors.append(timed(floor))
        certs.append(timed(certificate))
    floor_ms, cert_ms = statistics.median(floors), statistics.median(certs)
    cert_p95 = statistics.quantiles(certs, n=20)[-1]
    print(f"runs: {runs}  PDF size: {len(certificate())} bytes")
    print(f"floor (one-line document): median {floor_ms:.1f} ms")
    print(f"certificate:               median {cert_ms:.1f} ms  p95 {cert_p95:.1f} ms")
    print(f"ratio certificate / floor: {cert_ms / floor_ms:.2f}x")


if __name__ == "__main__":
    main()
