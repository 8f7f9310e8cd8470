"""The quarterly review report: a context of plain values in, PDF bytes out."""

from __future__ import annotations

import gettext
from typing import Any

from .pdf import render_pdf
from .templating import render_html

TEMPLATE = "review_report.html"


def review_html(context: dict[str, Any], lang: str, translations: gettext.NullTranslations | None = None) -> str:
    return render_html(TEMPLATE, context, lang, translations)


def render_review(context: dict[str, Any], lang: str, translations: gettext.NullTranslations | None = None) -> bytes:
    return render_pdf(review_html(context, lang, translations))
