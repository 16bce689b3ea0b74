"""Pocket card PDFs: a module's key points on one tagged A6 page (plain data in, PDF bytes out).

The template is rendered by a sandboxed, autoescaping Jinja environment; WeasyPrint gets the
stylesheet as a string and a fetcher that refuses every URL, so a card can read no file and reach
no host, whatever its text says.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from jinja2.sandbox import SandboxedEnvironment
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from app import pdf_templates
from app.content.pocket_card import CardSource
from app.formatting import uk_date

TEMPLATE_DIR = Path(__file__).parent / "templates_pdf"


class RefuseAllFetcher(URLFetcher):
    """A WeasyPrint fetcher that fetches nothing: the card needs no image, font file or sheet."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=(), allow_redirects=False, fail_on_errors=True)

    def fetch(self, url: str, headers: dict | None = None):
        """Refuse every URL."""
        raise ValueError(f"The pocket card fetches nothing: {url[:80]}")


def _environment() -> SandboxedEnvironment:
    return pdf_templates.environment(TEMPLATE_DIR)


@lru_cache(maxsize=1)
def _stylesheet() -> CSS:
    return CSS(string=(TEMPLATE_DIR / "pocket_card.css").read_text(), url_fetcher=RefuseAllFetcher())


@lru_cache(maxsize=1)
def _font_config() -> FontConfiguration:
    return FontConfiguration()


def pocket_card_html(source: CardSource, module_url: str, language: str = "en") -> str:
    """The card as HTML (every value autoescaped), its fixed words in `language` from the
    catalogue; the card's own text is in source.language, marked when that is another."""
    checked = source.card.reviewed_on
    return (
        _environment()
        .get_template("pocket_card.html")
        .render(
            title=source.title,
            card=source.card,
            checked=uk_date(checked, language=language) if checked else None,
            module_url=module_url,
            language=language,
            content_language=source.language,
            machine_drafted=source.machine_drafted,
            gettext=pdf_templates.catalogue_gettext(language),
        )
    )


def render_pocket_card_pdf(source: CardSource, module_url: str, language: str = "en") -> bytes:
    """Render the card to a tagged PDF (PDF/UA-1) with its fixed words in `language`: identical
    input gives identical bytes."""
    html = pocket_card_html(source, module_url, language)
    identifier = hashlib.sha256(html.encode()).hexdigest()[:32].encode()
    return HTML(string=html, url_fetcher=RefuseAllFetcher()).write_pdf(
        stylesheets=[_stylesheet()],
        font_config=_font_config(),
        pdf_identifier=identifier,
        pdf_variant="pdf/ua-1",
        pdf_tags=True,
    )
