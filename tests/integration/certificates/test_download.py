"""PDF downloads: content read back from the real PDF, the QR code, storage, and who may download."""

import subprocess
from datetime import timedelta

import pytest
from PIL import Image

from app import clock
from app.certificates import services
from app.certificates.models import Certificate
from app.certificates.qr import make_qr
from app.extensions import db
from tests.factories import ForceFactory, UserFactory

from .conftest import complete, insert_certificate, pdf_text

MM = 72 / 25.4  # PDF points per millimetre


@pytest.fixture
def issued(officer, course):
    clock.travel(timedelta(0))
    [certificate] = complete(officer, course, percents=[92.0, 85.5])
    return certificate


def _long(day) -> str:
    return f"{day.day} {day:%B %Y}"


def test_download_is_a_pdf_attachment_with_the_certificate_on_it(issued, officer, course, client, login_as):
    login_as(officer)
    response = client.get(f"/certificates/{issued.serial}/pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert (
        response.headers["Content-Disposition"] == f'attachment; filename="certificate-{issued.serial}.pdf"'
    )
    assert response.headers["Cache-Control"] == "no-store"
    pages, text = pdf_text(response.data)
    assert pages == 1
    titles = [m.current_version.title for m in course.modules]
    for expected in [
        "Certificate of completion",
        "Siobhán Ní Dhuibhir",
        "PC 4471",
        "West Midlands Police",
        "Modern Slavery Awareness",
        "version 3",
        titles[0],
        "92%",
        titles[1],
        "85%",
        issued.serial,
        _long(issued.issued_at.date()),
        _long(issued.expires_on),
    ]:
        assert expected in text, expected
    # The printed address may wrap over two lines.
    assert f"http://localhost/verify/{issued.serial}" in text.replace(" ", "")


def _qr_matrix_from_page(pdf: bytes, tmp_path, size: int) -> list[list[int]]:
    """Rasterise the page and sample the QR code's modules back out of the pixels."""
    (tmp_path / "c.pdf").write_bytes(pdf)
    dpi = 400
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            str(dpi),
            "-gray",
            "-png",
            "-singlefile",
            str(tmp_path / "c.pdf"),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    image = Image.open(tmp_path / "page.png").convert("L")
    px = dpi / 25.4
    # The QR code sits in the bottom right corner (certificate.css: .verify svg.qr, 28 mm square);
    # look in a box around it that holds no text or border lines, and find its dark modules.
    box = (int(240 * px), int(150 * px), int(276 * px), int(195 * px))
    region = image.crop(box).point(lambda v: 255 if v < 128 else 0)
    left, top, right, bottom = region.getbbox()
    module = (right - left) / size
    assert abs((bottom - top) / size - module) < 0.5, "the dark area is not a square QR symbol"
    return [
        [
            1 if region.getpixel((int(left + (col + 0.5) * module), int(top + (row + 0.5) * module))) else 0
            for col in range(size)
        ]
        for row in range(size)
    ]


def test_qr_code_on_the_page_opens_the_verification_url(issued, officer, client, login_as, tmp_path):
    login_as(officer)
    pdf = client.get(f"/certificates/{issued.serial}/pdf").data
    url = f"http://localhost/verify/{issued.serial}"
    assert url == services.verify_url(issued.serial)
    expected = [list(row) for row in make_qr(url).matrix]
    sampled = _qr_matrix_from_page(pdf, tmp_path, len(expected))
    assert sampled == expected
    assert sampled != [list(row) for row in make_qr(url + "X").matrix]


def test_first_download_stores_the_pdf_and_later_ones_serve_it_without_rendering(
    issued, officer, client, login_as
):
    login_as(officer)
    assert issued.pdf is None
    first = client.get(f"/certificates/{issued.serial}/pdf").data
    db.session.expire_all()
    assert db.session.get(Certificate, issued.id).pdf == first
    # Replace the stored bytes: if the next download rendered again it could not return these.
    marker = b"%PDF-1.7\n% stored bytes, not a fresh render\n%%EOF\n"
    db.session.get(Certificate, issued.id).pdf = marker
    db.session.flush()
    assert client.get(f"/certificates/{issued.serial}/pdf").data == marker


def test_rendering_again_from_the_record_gives_identical_bytes(issued, officer, client, login_as):
    login_as(officer)
    first = client.get(f"/certificates/{issued.serial}/pdf").data
    assert services.render_pdf(issued) == first


def test_lead_of_the_holders_force_may_download(issued, officer, client, login_as):
    login_as(UserFactory(force=officer.force, role="training_lead"))
    assert client.get(f"/certificates/{issued.serial}/pdf").status_code == 200


@pytest.mark.parametrize("who", ["other_lead", "other_officer", "same_force_officer"])
def test_others_get_not_found(issued, officer, client, login_as, who):
    other_force = ForceFactory()
    users = {
        "other_lead": lambda: UserFactory(force=other_force, role="training_lead"),
        "other_officer": lambda: UserFactory(force=other_force),
        "same_force_officer": lambda: UserFactory(force=officer.force),
    }
    login_as(users[who]())
    assert client.get(f"/certificates/{issued.serial}/pdf").status_code == 404


def test_commissioner_is_refused_and_admin_may_download(issued, client, login_as):
    login_as(UserFactory(role="commissioner", force=None))
    assert client.get(f"/certificates/{issued.serial}/pdf").status_code == 403
    login_as(UserFactory(role="admin", force=None))
    assert client.get(f"/certificates/{issued.serial}/pdf").status_code == 200


def test_lead_follows_the_officer_to_their_new_force(issued, officer, client, login_as):
    old_force = officer.force
    officer.force = ForceFactory()
    db.session.flush()
    login_as(UserFactory(force=old_force, role="training_lead"))
    assert client.get(f"/certificates/{issued.serial}/pdf").status_code == 404
    login_as(UserFactory(force=officer.force, role="training_lead"))
    assert client.get(f"/certificates/{issued.serial}/pdf").status_code == 200


@pytest.mark.parametrize("serial", ["MSA-0000-0000-0000-0001", "not-a-serial", "MSA-7K3Q-9XW2-HT5M-PD4R"])
def test_unknown_or_malformed_serials_are_not_found(officer, client, login_as, serial):
    login_as(officer)
    assert client.get(f"/certificates/{serial}/pdf").status_code == 404


def test_revoked_certificate_cannot_be_downloaded_by_its_holder(officer, client, login_as):
    certificate = insert_certificate(officer)
    services.revoke(certificate, actor=UserFactory(role="admin", force=None), reason="error")
    login_as(officer)
    response = client.get(f"/certificates/{certificate.serial}/pdf")
    assert response.status_code == 410
    assert "revoked" in response.get_data(as_text=True)
