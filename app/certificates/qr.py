"""QR codes for certificates, drawn by segno as SVG so the PDF needs no image fetch."""

import segno

# Level M survives a scuffed printout (15% damage) while keeping a verify URL to a small symbol.
ERROR_LEVEL = "m"


def make_qr(payload: str) -> segno.QRCode:
    """The QR code object for a payload (kept separate so tests can read its content back)."""
    return segno.make_qr(payload, error=ERROR_LEVEL, boost_error=False)


def qr_svg(payload: str, colour: str = "#14213d") -> str:
    """Inline SVG markup (no XML declaration, no fixed size) for a QR code of payload."""
    return make_qr(payload).svg_inline(
        scale=1,
        border=2,
        dark=colour,
        light="#ffffff",
        omitsize=True,
        svgclass="qr",
        lineclass=None,
    )
