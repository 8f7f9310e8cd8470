"""Results of an assessment: the summary page, how it is computed, and the radar chart image."""

from __future__ import annotations

from flask import Blueprint, make_response, render_template, request
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from ...language import current_language
from ...services import results, score_trace

bp = Blueprint("results", __name__)

# The chart is an SVG document of its own, shown through <img>: matplotlib styles it with a
# <style> element and style attributes, which the pages' CSP (style-src 'self') would block if
# the SVG were inline. An image cannot run scripts or fetch anything, so its own policy only
# allows those inline styles.
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'"


@bp.get("/assessments/<int:assessment_id>/results")
@login_required
def show(assessment_id: int) -> str:
    context = results.results_context(current_user, assessment_id, current_language())
    return render_template("results/show.html", r=context)


@bp.get("/assessments/<int:assessment_id>/results/how")
@login_required
def how(assessment_id: int) -> str:
    dimension = request.args.get("dimension") or None
    trace = score_trace.score_trace(current_user, assessment_id, dimension, current_language())
    return render_template("results/how.html", trace=trace)


@bp.get("/assessments/<int:assessment_id>/charts/radar.svg")
@login_required
def radar(assessment_id: int) -> Response:
    svg = results.radar_svg(current_user, assessment_id, current_language())
    response = make_response(svg)
    response.mimetype = "image/svg+xml"
    response.headers["Content-Security-Policy"] = SVG_POLICY
    # Same data, same bytes: the browser revalidates with the ETag and usually gets a 304.
    response.headers["Cache-Control"] = "private, no-cache"
    response.add_etag()
    return response.make_conditional(request)
