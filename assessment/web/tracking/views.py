"""The roadmap review of a team: planned versus achieved, what slipped, the J-curve, re-planning.

The current (accepted) roadmap at /teams/<id>/review, earlier (superseded) ones read-only under
it; re-planning starts a draft from the latest finalized iteration and opens it on the roadmap page.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from ...language import current_language
from ...services import roadmap_review

bp = Blueprint("tracking", __name__, url_prefix="/teams/<int:team_id>/review")


@bp.get("")
@login_required
def show(team_id: int) -> str:
    return render_template(
        "tracking/review.html", review=roadmap_review.review_context(current_user, team_id, current_language())
    )


@bp.get("/roadmaps/<int:roadmap_id>")
@login_required
def earlier(team_id: int, roadmap_id: int) -> str | Response:
    review = roadmap_review.review_context(current_user, team_id, current_language(), roadmap_id)
    if review["roadmap"]["status"] == "accepted":
        return redirect(url_for("tracking.show", team_id=team_id))
    return render_template("tracking/review.html", review=review)


@bp.post("/replan")
@login_required
def replan(team_id: int) -> Response:
    draft = roadmap_review.replan(current_user, team_id)
    flash(
        _(
            "A new plan for what is left, from %(period)s. Adjust it, then accept it: the current roadmap stays readable.",
            period=draft.assessment.period,
        ),
        "success",
    )
    return redirect(url_for("roadmaps.show", assessment_id=draft.assessment_id))
