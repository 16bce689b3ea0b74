"""Certificates in Welsh, or in both languages: the words from the Welsh catalogue, Welsh dates,
Welsh letters (ŵ, ŷ) read back from the real PDF; the stored English PDF is left as issued."""

from datetime import timedelta

import pytest

from app import clock
from app.certificates.models import Certificate
from app.extensions import db
from app.formatting import uk_date
from tests.factories import ForceFactory, UserFactory

from .conftest import complete, pdf_text

WELSH_NAME = "Dafydd Gŵyn ap Llŷr"


@pytest.fixture
def holder(database):
    return UserFactory(
        force=ForceFactory(name="Heddlu Dyfed-Powys"), name=WELSH_NAME, service_number="DP 2210"
    )


@pytest.fixture
def issued(holder, course):
    clock.travel(timedelta(0))
    [certificate] = complete(holder, course, percents=[92.0, 85.5])
    return certificate


def test_a_welsh_certificate_is_in_welsh_with_welsh_letters(issued, holder, client, login_as):
    login_as(holder)
    response = client.get(f"/certificates/{issued.serial}/pdf?language=cy")
    assert response.status_code == 200
    pages, text = pdf_text(response.data)
    assert pages == 1
    for expected in (
        "Tystysgrif cwblhau",
        "Mae hyn i dystio bod",
        WELSH_NAME,
        "Rhif gwasanaeth",
        "wedi cwblhau'r cwrs",
        "Dyddiad cyhoeddi",
        uk_date(issued.issued_at.date(), language="cy"),
        issued.serial,
    ):
        assert expected.lower() in text.lower(), expected  # labels are printed in capitals
    assert "certificate of completion" not in text.lower()
    assert "ŵ" in text
    assert "ŷ" in text


def test_a_bilingual_certificate_has_the_welsh_page_then_the_english(issued, holder, client, login_as):
    login_as(holder)
    pages, text = pdf_text(client.get(f"/certificates/{issued.serial}/pdf?language=both").data)
    assert pages == 2
    assert text.index("Tystysgrif cwblhau") < text.index("Certificate of completion")
    assert text.count(WELSH_NAME) == 2


def test_the_page_language_is_the_default_and_the_stored_pdf_stays_english(issued, holder, client, login_as):
    login_as(holder)
    english = client.get(f"/certificates/{issued.serial}/pdf").data
    assert "Certificate of completion" in pdf_text(english)[1]
    stored = db.session.get(Certificate, issued.id).pdf
    client.get("/language/cy?next=/certificates")
    _pages, text = pdf_text(client.get(f"/certificates/{issued.serial}/pdf").data)
    assert "Tystysgrif cwblhau" in text
    assert db.session.get(Certificate, issued.id).pdf == stored


def test_an_unknown_printing_is_not_found(issued, holder, client, login_as):
    login_as(holder)
    assert client.get(f"/certificates/{issued.serial}/pdf?language=fr").status_code == 404
    assert client.get(f"/certificates/{issued.serial}/pdf?language=cy").status_code == 200


def test_someone_elses_certificate_is_not_found_in_any_language(issued, client, login_as):
    login_as(UserFactory(force=ForceFactory()))
    for language in ("cy", "both"):
        assert client.get(f"/certificates/{issued.serial}/pdf?language={language}").status_code == 404


def test_my_certificates_offers_each_printing(issued, holder, client, login_as):
    login_as(holder)
    page = client.get("/certificates").get_data(as_text=True)
    assert f'href="/certificates/{issued.serial}/pdf?language=cy"' in page
    assert f'href="/certificates/{issued.serial}/pdf?language=both"' in page
    assert "Download in Welsh (PDF)" in page
    client.get("/language/cy?next=/certificates")
    page = client.get("/certificates").get_data(as_text=True)
    assert f'href="/certificates/{issued.serial}/pdf?language=en"' in page
    assert "Lawrlwytho yn Saesneg (PDF)" in page
