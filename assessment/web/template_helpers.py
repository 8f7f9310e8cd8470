"""Template filters and globals: bilingual catalog text and simple paragraph formatting."""

from __future__ import annotations

from typing import Any

from flask import Flask

from reports.text import paragraphs

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


def register(app: Flask) -> None:
    app.jinja_env.filters["t"] = translate
    app.jinja_env.filters["paragraphs"] = paragraphs
    app.context_processor(lambda: {"lang": current_language()})
    app.jinja_env.globals.update(
        role_label=labels.role_label,
        respondent_role_label=labels.respondent_role_label,
        labels=labels,
    )
