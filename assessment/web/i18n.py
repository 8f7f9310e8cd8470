"""Language: the user's choice (remembered in a cookie and, once logged in, on the account),
else the browser's preference."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from ..services.accounts import set_language
from .safety import safe_next

bp = Blueprint("i18n", __name__)
COOKIE = "cdcoach_lang"


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    chosen = request.cookies.get(COOKIE)
    if chosen in languages:
        return chosen
    if current_user and current_user.is_authenticated and current_user.language in languages:
        return current_user.language
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


@bp.post("/language/<code>")
def choose(code: str) -> Response:
    if code not in current_app.config["LANGUAGES"]:
        code = current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user.is_authenticated:
        set_language(current_user, code)
    response = redirect(safe_next(request.form.get("next")) or url_for("pages.landing"))
    response.set_cookie(COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response
