"""Template filters and globals: bilingual catalog text and simple paragraph formatting."""

from __future__ import annotations

from typing import Any

from flask import Flask
from markupsafe import Markup, escape

from ..language import current_language
from . import labels


def translate(text: Any) -> str:
    """A catalog text ({en, zh}) in the current language; other values as they are."""
    if text is None:
        return ""
    if hasattr(text, "get") and hasattr(text, "en"):
        return text.get(current_language())
    if isinstance(text, dict):
        return text.get(current_language()) or text.get("en", "")
    return str(text)


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


def register(app: Flask) -> None:
    app.jinja_env.filters["t"] = translate
    app.jinja_env.filters["paragraphs"] = paragraphs
    app.context_processor(lambda: {"lang": current_language()})
    app.jinja_env.globals.update(
        role_label=labels.role_label,
        respondent_role_label=labels.respondent_role_label,
        labels=labels,
    )
