"""The join link as a QR code: segno's SVG, inline (it has no style attributes, so the CSP allows it)."""

from __future__ import annotations

import segno
from markupsafe import Markup


def qr_svg(url: str) -> Markup:
    """A scalable SVG (viewBox, no fixed size): CSS sizes it. Error level M survives a glare on a projector."""
    code = segno.make(url, error="m", micro=False)
    # segno builds the markup from the URL's bits only, so no text of ours is inserted unescaped.
    return Markup(code.svg_inline(scale=1, border=2, omitsize=True, dark="#000", light="#fff"))
