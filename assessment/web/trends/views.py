"""A team's progress over time: the trend page and its chart, and two iterations compared."""

from __future__ import annotations

from flask import Blueprint, make_response, render_template, request
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from ...language import current_language
from ...services import comparisons, trends
from ..results.views import SVG_POLICY

bp = Blueprint("trends", __name__)


@bp.get("/teams/<int:team_id>/trend")
@login_required
def show(team_id: int) -> str:
    return render_template("trends/show.html", t=trends.team_trend(current_user, team_id, current_language()))


@bp.get("/teams/<int:team_id>/charts/trend.svg")
@login_required
def chart(team_id: int) -> Response:
    response = make_response(trends.trend_svg(current_user, team_id, current_language()))
    response.mimetype = "image/svg+xml"
    response.headers["Content-Security-Policy"] = SVG_POLICY  # see web/results/views.py
    response.headers["Cache-Control"] = "private, no-cache"
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/teams/<int:team_id>/compare")
@login_required
def compare(team_id: int) -> str:
    base, now = request.args.get("base", type=int), request.args.get("now", type=int)
    page = comparisons.compare_iterations(current_user, team_id, base, now, current_language())
    return render_template("trends/compare.html", p=page)
