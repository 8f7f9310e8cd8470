"""Plain text with light structure (from the catalog) as HTML, for web pages and reports alike."""

from __future__ import annotations

from markupsafe import Markup, escape


def paragraphs(text: str) -> Markup:
    """Blank lines separate paragraphs; lines starting with '- ' form a bulleted list."""
    html = []
    for block in str(text).strip().split("\n\n"):
        lines = [line.strip() for line in block.strip().splitlines() if line.strip()]
        bullets = [line[2:] for line in lines if line.startswith("- ")]
        prose = [line for line in lines if not line.startswith("- ")]
        if prose:
            html.append(Markup("<p>{}</p>").format(escape(" ".join(prose))))
        if bullets:
            items = Markup("").join(Markup("<li>{}</li>").format(b) for b in bullets)
            html.append(Markup("<ul>{}</ul>").format(items))
    return Markup("").join(html)
