"""The national metrics report as a PDF: the page's HTML (charts are inline SVG) via WeasyPrint.

WeasyPrint fetches only through the certificates' restricted fetcher, so the report can read the
stylesheet from the static folder and nothing else (no remote URLs, no other local files).
"""

from pathlib import Path

from weasyprint import HTML

from app.certificates.fetcher import restricted_url_fetcher


def render_report_pdf(html: str, static_dir: Path) -> bytes:
    """Render report HTML (stylesheets linked relative to the static folder) to PDF bytes."""
    static_dir = Path(static_dir).resolve()
    document = HTML(
        string=html, base_url=static_dir.as_uri() + "/", url_fetcher=restricted_url_fetcher(static_dir)
    )
    return document.write_pdf(pdf_tags=True)  # tagged PDF, for screen readers
