"""PDF downloads: the assessment report and the quarterly review report."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, flash, redirect, request, url_for
from flask_login import current_user, login_required

from ...language import current_language
from ...services.errors import Conflict
from ...services.reports import report_for
from ...services.review_reports import review_report_for

bp = Blueprint("reports", __name__)


def _lang() -> str:
    lang = request.args.get("lang", current_language())
    return lang if lang in current_app.config["LANGUAGES"] else current_language()


def _pdf(pdf: bytes, filename: str) -> Response:
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/assessments/<int:assessment_id>/report.pdf")
@login_required
def download(assessment_id: int) -> Response:
    return _pdf(*report_for(current_user, assessment_id, _lang()))


@bp.get("/teams/<int:team_id>/review.pdf")
@login_required
def review(team_id: int) -> Response:
    """The team's quarterly review: the latest iteration against the one before, and the plan.
    A team with nothing finalized yet goes to its progress page, which says so."""
    try:
        return _pdf(*review_report_for(current_user, team_id, _lang()))
    except Conflict as refused:
        flash(refused.message, "info")
        return redirect(url_for("trends.show", team_id=team_id))
