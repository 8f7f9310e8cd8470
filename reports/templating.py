"""The reports' own Jinja environment (no Flask): templates take a context of plain values."""

from __future__ import annotations

import gettext
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from .pdf import TEMPLATES
from .text import paragraphs

_environments: dict[str, Environment] = {}


def _environment(lang: str, translations: gettext.NullTranslations) -> Environment:
    """One environment per language, its translations installed once (globals are shared state)."""
    if lang in _environments:
        return _environments[lang]
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["number"] = number
    env.filters["percent"] = percent
    env.filters["paragraphs"] = paragraphs
    env.filters["svg"] = lambda text: Markup(text)  # our own chart markup, made by reports.charts
    env.install_gettext_translations(translations, newstyle=True)
    _environments[lang] = env
    return env


def render_html(
    template: str, context: dict[str, Any], lang: str = "en", translations: gettext.NullTranslations | None = None
) -> str:
    """Render a report template in `lang`, with that language's message translations."""
    env = _environment(lang, translations or gettext.NullTranslations())
    return env.get_template(template).render(lang=lang, **context)


def number(value: float | None, places: int = 1) -> str:
    return "–" if value is None else f"{value:.{places}f}"


def percent(value: float | None) -> str:
    return "–" if value is None else f"{round(value * 100)}%"
