"""The assessment report as a PDF download."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request
from flask_login import current_user, login_required

from ...language import current_language
from ...services.reports import report_for

bp = Blueprint("reports", __name__)


@bp.get("/assessments/<int:assessment_id>/report.pdf")
@login_required
def download(assessment_id: int) -> Response:
    lang = request.args.get("lang", current_language())
    if lang not in current_app.config["LANGUAGES"]:
        lang = current_language()
    pdf, filename = report_for(current_user, assessment_id, lang)
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
