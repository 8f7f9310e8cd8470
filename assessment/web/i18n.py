"""Language: the user's choice (remembered in a cookie), else the browser's preference."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, request, url_for
from werkzeug.wrappers import Response

from ..language import current_language
from .safety import safe_next

__all__ = ["COOKIE", "bp", "choose", "current_language", "select_locale"]

bp = Blueprint("i18n", __name__)
COOKIE = "cdcoach_lang"


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    chosen = request.cookies.get(COOKIE)
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


@bp.post("/language/<code>")
def choose(code: str) -> Response:
    if code not in current_app.config["LANGUAGES"]:
        code = current_app.config["BABEL_DEFAULT_LOCALE"]
    response = redirect(safe_next(request.form.get("next")) or url_for("pages.landing"))
    response.set_cookie(COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response
