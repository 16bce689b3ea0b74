"""Certificate PDFs: content, hostile input, one page, byte-stable output, no Flask."""

import dataclasses
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.certificates import pdf as pdf_module
from app.certificates.pdf import render_certificate_html, render_certificate_pdf
from app.certificates.qr import make_qr, qr_svg

from .conftest import STATIC

VERIFY_URL = "https://msa-training.example.police.uk/verify/MSA-7K3Q-9XW2-HT5M-PD4R"
ROOT = STATIC.parents[1]


def read(pdf: bytes) -> tuple[int, str]:
    """Page count and whitespace-collapsed text of a PDF."""
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), re.sub(r"\s+", " ", text)


def test_certificate_shows_everything_on_one_page(certificate_data):
    pages, text = read(render_certificate_pdf(certificate_data, VERIFY_URL, STATIC))
    assert pages == 1
    assert "MODERN SLAVERY TRAINING FOR UK POLICING" in text  # set in small capitals
    for expected in [
        "Certificate of completion",
        "Siobhán Ní Dhuibhir",
        "PC 4471",
        "West Midlands Police",
        "Modern Slavery Awareness",
        "version 2.1",
        "Recognising the signs",
        "92%",
        "Investigating exploitation",
        "100%",
        "7 March 2026",
        "9 March 2029",
        "MSA-7K3Q-9XW2-HT5M-PD4R",
    ]:
        assert expected in text


def test_no_expiry_prints_no_valid_until_line(certificate_data):
    data = dataclasses.replace(certificate_data, expires_on=None)
    _, text = read(render_certificate_pdf(data, VERIFY_URL, STATIC))
    assert "7 March 2026" in text
    assert "9 March 2029" not in text
    assert "valid until" not in text.lower()


def test_page_is_a4_landscape(certificate_data):
    pdf = render_certificate_pdf(certificate_data, VERIFY_URL, STATIC)
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert (round(width), round(height)) == (842, 595)


def test_same_input_gives_identical_bytes(certificate_data):
    first = render_certificate_pdf(certificate_data, VERIFY_URL, STATIC)
    second = render_certificate_pdf(certificate_data, VERIFY_URL, STATIC)
    assert first == second


def test_creation_date_is_the_issue_date(certificate_data):
    reader = PdfReader(io.BytesIO(render_certificate_pdf(certificate_data, VERIFY_URL, STATIC)))
    assert reader.metadata["/CreationDate"].startswith("D:20260307")


@pytest.mark.parametrize(
    "name",
    [
        "<script>alert(1)</script>",
        "</style><p style='font-size:400pt'>x</p>",
        "{{ 7*7 }} {% for x in range(9) %}",
        "Siobhán Ní Dhuibhir",
        "محمد بن علي الحسن",
        "שרה כהן-לוי",
        "Wojciech Brzęczyszczykiewicz " * 7,
        "A" * 200,
        "Anne-Marie " * 18 + "Ng",
    ],
)
def test_hostile_or_long_names_stay_text_on_one_page(certificate_data, name):
    data = dataclasses.replace(certificate_data, holder_name=name)
    pages, text = read(render_certificate_pdf(data, VERIFY_URL, STATIC))
    assert pages == 1
    assert "MSA-7K3Q-9XW2-HT5M-PD4R" in text
    html = render_certificate_html(data, VERIFY_URL)
    assert "<script>" not in html
    assert "</style><p" not in html
    assert "49" not in html


def test_many_long_modules_still_fit_one_page(certificate_data):
    modules = tuple(
        (f"Module {i}: recognising and responding to exploitation in depth", 100) for i in range(10)
    )
    data = dataclasses.replace(
        certificate_data,
        modules=modules,
        course_title="Modern Slavery and Human Trafficking " * 3,
        force_name="Police Service of Northern Ireland " * 2,
    )
    pages, _ = read(render_certificate_pdf(data, VERIFY_URL, STATIC))
    assert pages == 1


def test_image_markup_in_a_name_is_escaped_and_never_fetched(certificate_data, http_server):
    port = http_server.server_address[1]
    name = f'<img src="http://127.0.0.1:{port}/x.png">'
    data = dataclasses.replace(certificate_data, holder_name=name)
    html = render_certificate_html(data, VERIFY_URL)
    assert f"&lt;img src=&#34;http://127.0.0.1:{port}/x.png&#34;&gt;" in html
    pages, text = read(render_certificate_pdf(data, VERIFY_URL, STATIC))
    assert pages == 1
    assert f"127.0.0.1:{port}/x.png" in text
    assert http_server.requests == []


def test_qr_code_encodes_the_verify_url_and_is_inline_svg(certificate_data):
    qr = make_qr(VERIFY_URL)
    assert qr.designator.endswith("M")
    html = render_certificate_html(certificate_data, VERIFY_URL)
    assert qr_svg(VERIFY_URL) in html
    assert qr_svg(VERIFY_URL + "x") not in html
    assert "data:" not in html
    assert 'class="qr"' in html


def test_qr_payload_round_trips_through_segno(certificate_data):
    # segno cannot decode, so compare the module matrix with one built from the URL directly.
    import segno

    expected = segno.make_qr(VERIFY_URL, error="m", boost_error=False)
    assert make_qr(VERIFY_URL).matrix == expected.matrix
    assert make_qr(VERIFY_URL).matrix != segno.make_qr(VERIFY_URL + "/").matrix


def test_templates_run_in_a_sandboxed_autoescaping_environment():
    from jinja2.sandbox import SandboxedEnvironment

    environment = pdf_module._environment()
    assert isinstance(environment, SandboxedEnvironment)
    assert environment.autoescape is True


def test_render_needs_no_request_to_the_network(certificate_data, http_server):
    render_certificate_pdf(certificate_data, VERIFY_URL, STATIC)
    assert http_server.requests == []


def test_pure_modules_import_without_flask():
    code = (
        "import sys; import app.certificates.serial, app.certificates.pdf, "
        "app.certificates.fetcher, app.certificates.qr; "
        "assert 'flask' not in sys.modules, 'flask imported'"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr


def test_stylesheet_lives_in_static():
    assert (STATIC / pdf_module.STYLESHEET).is_file()
    assert Path(pdf_module.TEMPLATE_DIR, pdf_module.TEMPLATE_NAME).is_file()


def test_certificate_pdf_is_tagged_for_screen_readers(certificate_data):
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(render_certificate_pdf(certificate_data, VERIFY_URL, STATIC)))
    assert "/StructTreeRoot" in reader.trailer["/Root"]
