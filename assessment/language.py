"""The language of the current request (en or zh), for code outside the web layer too."""

from __future__ import annotations

from flask_babel import get_locale


def current_language() -> str:
    locale = get_locale()
    return "zh" if locale is not None and locale.language == "zh" else "en"
