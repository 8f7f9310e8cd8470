"""The assessment report: a context of plain values in, PDF bytes out."""

from __future__ import annotations

import gettext
import hashlib
from typing import Any

from .pdf import TEMPLATES, render_pdf
from .templating import render_html

TEMPLATE = "assessment_report.html"
# Part of the PDF cache key: a change to any template or stylesheet makes new PDFs.
TEMPLATE_VERSION = hashlib.sha256(b"".join(p.read_bytes() for p in sorted(TEMPLATES.rglob("*")) if p.is_file())).hexdigest()[:16]


def report_html(context: dict[str, Any], lang: str, translations: gettext.NullTranslations | None = None) -> str:
    return render_html(TEMPLATE, context, lang, translations)


def render_report(context: dict[str, Any], lang: str, translations: gettext.NullTranslations | None = None) -> bytes:
    return render_pdf(report_html(context, lang, translations))
