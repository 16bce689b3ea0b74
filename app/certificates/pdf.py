"""Certificate PDFs: plain data in, PDF bytes out, via a sandboxed Jinja template and WeasyPrint."""

import hashlib
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from app import pdf_templates
from app.certificates.fetcher import restricted_url_fetcher
from app.certificates.qr import qr_svg
from app.formatting import uk_date

TEMPLATE_DIR = Path(__file__).parent / "templates_pdf"
TEMPLATE_NAME = "certificate.html"
STYLESHEET = "css/certificate.css"
PROJECT_NAME = "Modern Slavery Training for UK Policing"
# A certificate is printed in English, in Welsh, or in both (Welsh page first), its words from
# the interface's catalogue (app/translations, docs/welsh.md) through Babel, without Flask.
ENGLISH, WELSH = "en", "cy"
PRINTINGS = {ENGLISH: (ENGLISH,), WELSH: (WELSH,), "both": (WELSH, ENGLISH)}


@dataclass(frozen=True)
class CertificateData:
    """What a certificate shows, as it was at the moment of issue."""

    holder_name: str
    service_number: str
    force_name: str
    course_title: str
    course_version: str
    modules: tuple[tuple[str, int], ...]
    issued_on: date
    expires_on: date | None
    serial: str
    # "<law change summary>, on <date>" per law update done since issue (app/law_updates); the
    # record itself is unchanged, the PDF downloaded after an update notes it.
    updates: tuple[str, ...] = ()
    # The course title in other languages ({"cy": ...}) where its translation is current
    # (app.content.localised.course_text); a page in a language without one prints the English.
    course_titles: dict[str, str] = field(default_factory=dict)


def _environment() -> SandboxedEnvironment:
    return pdf_templates.environment(TEMPLATE_DIR)


@lru_cache(maxsize=4)
def _stylesheet(static_dir: Path) -> CSS:
    """The parsed certificate stylesheet, fetched through the restricted fetcher once."""
    path = static_dir / STYLESHEET
    return CSS(url=path.as_uri(), url_fetcher=restricted_url_fetcher(static_dir))


@lru_cache(maxsize=1)
def _font_config() -> FontConfiguration:
    """One FontConfiguration per process: building it costs a few ms per render."""
    return FontConfiguration()


def long_date(day: date, language: str = ENGLISH) -> str:
    """A date as printed on the certificate, e.g. '7 March 2026' ('7 Mawrth 2026' in Welsh)."""
    return uk_date(day, language=language)


def _gettext(language: str):
    """gettext for one language from the compiled catalogue (English: the message itself)."""
    return pdf_templates.catalogue_gettext(language)


def name_size(name: str) -> str:
    """A CSS class that shrinks the holder's name as it grows, so the page never overflows."""
    length = len(name)
    if length <= 28:
        return "name-xl"
    if length <= 45:
        return "name-l"
    if length <= 80:
        return "name-m"
    return "name-s"


def render_certificate_html(data: CertificateData, verify_url: str, printing: str = ENGLISH) -> str:
    """The certificate as HTML (all values autoescaped; the QR code is inline SVG): one page per
    language of the printing ("en", "cy" or "both")."""
    pages = [
        {
            "language": language,
            "gettext": _gettext(language),
            "issued": long_date(data.issued_on, language),
            "expires": long_date(data.expires_on, language) if data.expires_on else None,
        }
        for language in PRINTINGS[printing]
    ]
    return (
        _environment()
        .get_template(TEMPLATE_NAME)
        .render(
            data=data,
            pages=pages,
            project_name=PROJECT_NAME,
            created=data.issued_on.isoformat(),
            name_class=name_size(data.holder_name),
            verify_url=verify_url,
            # segno builds this SVG from the URL itself; none of it comes from user-written markup.
            qr_svg=Markup(qr_svg(verify_url)),
        )
    )


def render_certificate_pdf(
    data: CertificateData, verify_url: str, static_dir: Path, printing: str = ENGLISH
) -> bytes:
    """Render an A4 landscape certificate to PDF bytes (identical bytes for identical input):
    one page, or a Welsh and an English page for a bilingual printing."""
    static_dir = Path(static_dir).resolve()
    html = render_certificate_html(data, verify_url, printing)
    document = HTML(
        string=html,
        base_url=static_dir.as_uri() + "/",
        url_fetcher=restricted_url_fetcher(static_dir),
    )
    # A PDF /ID from the serial, not made per run, so identical input gives identical bytes.
    identifier = hashlib.sha256(data.serial.encode()).hexdigest()[:32].encode()
    return document.write_pdf(
        stylesheets=[_stylesheet(static_dir)],
        font_config=_font_config(),
        pdf_identifier=identifier,
        pdf_tags=True,  # tagged PDF, for screen readers
    )
