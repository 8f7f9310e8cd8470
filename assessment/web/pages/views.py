"""The public landing page."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

bp = Blueprint("pages", __name__)


@bp.get("/")
def landing() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("orgs.home"))
    return render_template("pages/landing.html")
