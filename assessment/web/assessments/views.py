"""The questionnaire: overview, one page per dimension (saved as answered), metrics, review, finalize, reopen."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as HttpResponse

from ...services import assessments, permissions, reviews
from ...services.errors import Invalid
from ...services.progress import Page, Progress, progress_of
from ...services.teams import is_lead
from ...store.models import Assessment, Response
from .forms import (
    ConfirmForm,
    JoinForm,
    ReopenForm,
    SkipForm,
    answers_form,
    given_answers,
    given_metrics,
    metrics_form,
    practice_key,
)

bp = Blueprint("assessments", __name__, url_prefix="/assessments")


def _load(assessment_id: int) -> tuple[Assessment, str]:
    """The assessment and the user's role in its organisation (404 for strangers)."""
    return assessments.assessment_or_404(current_user, assessment_id)


def _respondent(assessment: Assessment, role: str) -> Response:
    """The user's own response; 403 for those who may not answer."""
    response = assessments.own_response(current_user, assessment)
    if response is None or response.removed_at is not None:
        abort(403)
    return response


def _is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


def _optional_url(endpoint: str, **values: Any) -> str | None:
    """A link to a page another blueprint provides, once it exists."""
    return url_for(endpoint, **values) if endpoint in current_app.view_functions else None


def _overview(assessment: Assessment, role: str, join_form: JoinForm | None = None) -> dict[str, Any]:
    response = assessments.own_response(current_user, assessment)
    lead = is_lead(current_user, assessment.team_id)
    live = [r for r in assessment.responses if r.removed_at is None]
    self_assessment = assessment.kind == "self"
    return {
        "assessment": assessment,
        "role": role,
        "response": response,
        "progress": progress_of(assessment, response),
        "join_form": join_form or JoinForm(),
        # workshop participants join with the code (web/workshop_join), not with an account
        "can_join": response is None and permissions.can_answer(role) and assessment.status == "open" and self_assessment,
        "workshop_url": _optional_url("workshops.control", workshop_id=assessment.id)
        if assessment.kind == "workshop" and permissions.can_run_workshop(role)
        else None,
        "can_finalize": permissions.can_finalize(role, lead) and assessment.status != "finalized",
        "can_reopen": permissions.can_reopen(role)
        and assessment.status == "finalized"
        and not assessments.later_assessment_exists(assessment),
        "respondents": len(live),
        "submitted": sum(1 for r in live if r.submitted_at is not None),
        "results_url": _optional_url("results.show", assessment_id=assessment.id),
        "team_url": _optional_url("teams.show", team_id=assessment.team_id),
    }


@bp.get("/<int:assessment_id>")
@login_required
def overview(assessment_id: int) -> str:
    assessment, role = _load(assessment_id)
    return render_template("assessments/overview.html", **_overview(assessment, role))


@bp.post("/<int:assessment_id>/join")
@login_required
def join(assessment_id: int) -> tuple[str, int] | HttpResponse:
    assessment, role = _load(assessment_id)
    if not permissions.can_answer(role):
        abort(403)
    assessments.require_open(assessment)
    form = JoinForm()
    if not form.validate_on_submit():
        return render_template("assessments/overview.html", **_overview(assessment, role, form)), 400
    response = assessments.join_as_respondent(current_user, assessment.id, form.role.data)
    first = progress_of(assessment, response).resume_page()
    return redirect(_page_url(assessment, first) if first else url_for(".review", assessment_id=assessment.id))


def _page_url(assessment: Assessment, page: Page | None, anchor: str | None = None) -> str:
    if page is None:
        return url_for(".review", assessment_id=assessment.id)
    return url_for(".dimension", assessment_id=assessment.id, dimension_id=page.dimension.id, _anchor=anchor)


def _page_or_404(progress: Progress, dimension_id: str) -> Page:
    page = progress.page(dimension_id)
    if page is None:
        abort(404)
    return page


@bp.route("/<int:assessment_id>/dimensions/<dimension_id>", methods=["GET", "POST"])
@login_required
def dimension(assessment_id: int, dimension_id: str) -> str | tuple[str, int] | HttpResponse:
    assessment, role = _load(assessment_id)
    if assessments.own_response(current_user, assessment) is None and permissions.can_answer(role):
        flash(_("Tell us your role in the team first; then the questions follow."), "info")
        return redirect(url_for(".overview", assessment_id=assessment.id))
    response = _respondent(assessment, role)
    progress = progress_of(assessment, response)
    page = _page_or_404(progress, dimension_id)
    if request.method == "POST":
        assessments.require_open(assessment)
    stored = {a.practice_id: a for a in response.answers}
    form = answers_form(page.practices, stored)
    if form.validate_on_submit():
        assessments.save_answers(current_user, assessment.id, given_answers(form, page.practices))
        return redirect(_after_save(assessment, progress, page, form.go.data, form.clear.data))
    context = _page_context(assessment, progress, page, form, stored)
    return render_template("assessments/dimension.html", **context), 400 if form.errors else 200


def _after_save(assessment: Assessment, progress: Progress, page: Page, go: str | None, cleared: str | None) -> str:
    before, after = progress.neighbours(page.dimension.id)
    if go == "prev" and before is not None:
        return _page_url(assessment, before)
    if go == "next":
        return _page_url(assessment, after)
    if go == "metrics":
        return url_for(".metrics", assessment_id=assessment.id)
    return _page_url(assessment, page, cleared or None)


def _page_context(assessment: Assessment, progress: Progress, page: Page, form: Any, stored: dict) -> dict[str, Any]:
    before, after = progress.neighbours(page.dimension.id)
    return {
        "assessment": assessment,
        "progress": progress,
        "page": page,
        "form": form,
        "stored": stored,
        "before": before,
        "after": after,
        "editable": assessment.status == "open",
        "skip_form": SkipForm(formdata=None),
        "keep_form": ConfirmForm(formdata=None),
        "carried": reviews.carried_over_count(assessments.own_response(current_user, assessment), {p.id for p in page.practices}),
        "practice_key": practice_key,
    }


@bp.post("/<int:assessment_id>/answers/<practice_id>")
@login_required
def answer(assessment_id: int, practice_id: str) -> str | tuple[str, int] | HttpResponse:
    """Save one practice's answer as it is given (htmx); the response is a small fragment."""
    assessment, role = _load(assessment_id)
    response = _respondent(assessment, role)
    assessments.require_open(assessment)
    progress = progress_of(assessment, response)
    page = next((p for p in progress.pages if any(q.id == practice_id for q in p.practices)), None)
    if page is None:
        abort(404)
    practice = next(p for p in page.practices if p.id == practice_id)
    form = answers_form([practice], {a.practice_id: a for a in response.answers})
    if not form.validate_on_submit():
        return render_template("assessments/_save_failed.html", form=form, practice_key=practice_key(practice.id)), 400
    assessments.save_answers(current_user, assessment.id, given_answers(form, [practice]))
    if not _is_htmx():
        return redirect(_page_url(assessment, page, practice_key(practice.id)))
    return _saved_fragment(assessment, response, page, practice, cleared=form.clear.data == practice_key(practice.id))


def _saved_fragment(assessment: Assessment, response: Response, page: Page, practice: Any, cleared: bool) -> str:
    """ "Saved" next to the practice (or, once cleared, the practice afresh) and the new progress."""
    progress = progress_of(assessment, response)
    stored = {a.practice_id: a for a in response.answers}
    form = answers_form([practice], stored, posted=False)
    context = _page_context(assessment, progress, progress.page(page.dimension.id), form, stored)
    return render_template("assessments/_saved.html", practice=practice, cleared=cleared, **context)


@bp.post("/<int:assessment_id>/dimensions/<dimension_id>/skip")
@login_required
def skip_levels(assessment_id: int, dimension_id: str) -> HttpResponse:
    """Answer 0 for the practices above a level answered all 0, then go on to the next dimension."""
    assessment, role = _load(assessment_id)
    response = _respondent(assessment, role)
    assessments.require_open(assessment)
    progress = progress_of(assessment, response)
    page = _page_or_404(progress, dimension_id)
    form = SkipForm()
    if not form.validate_on_submit():
        abort(400)
    count = assessments.mark_not_in_place(current_user, assessment.id, dimension_id, form.level.data)
    flash(_("%(count)d practices marked as not in place.", count=count), "success")
    return redirect(_page_url(assessment, progress.neighbours(page.dimension.id)[1]))


@bp.post("/<int:assessment_id>/dimensions/<dimension_id>/keep")
@login_required
def keep_carried_over(assessment_id: int, dimension_id: str) -> HttpResponse:
    """Keep the answers carried over from the last review on this page, as they are."""
    assessment, role = _load(assessment_id)
    response = _respondent(assessment, role)
    assessments.require_open(assessment)
    _page_or_404(progress_of(assessment, response), dimension_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    count = reviews.confirm_carried_over(current_user, assessment.id, dimension_id)
    flash(ngettext("%(num)d carried-over answer kept.", "%(num)d carried-over answers kept.", count), "success")
    return redirect(url_for(".dimension", assessment_id=assessment.id, dimension_id=dimension_id))


@bp.route("/<int:assessment_id>/metrics", methods=["GET", "POST"])
@login_required
def metrics(assessment_id: int) -> str | tuple[str, int] | HttpResponse:
    assessment, role = _load(assessment_id)
    if request.method == "POST":
        if not permissions.can_answer(role):
            abort(403)
        assessments.require_open(assessment)
    catalog = assessments.catalog_for(assessment)
    form = metrics_form(catalog.metrics, {m.metric_id: m.value for m in assessment.metric_answers})
    if form.validate_on_submit():
        try:
            assessments.save_metrics(current_user, assessment.id, given_metrics(form, catalog.metrics))
        except Invalid as error:
            form.form_errors.append(error.message)
        else:
            flash(_("The delivery metrics are saved."), "success")
            return redirect(url_for(".metrics", assessment_id=assessment.id))
    editable = assessment.status == "open" and permissions.can_answer(role)
    context = {"assessment": assessment, "catalog": catalog, "form": form, "editable": editable}
    context["progress"] = progress_of(assessment, assessments.own_response(current_user, assessment))
    return render_template("assessments/metrics.html", **context), 400 if form.errors or form.form_errors else 200


@bp.get("/<int:assessment_id>/review")
@login_required
def review(assessment_id: int) -> str | HttpResponse:
    assessment, role = _load(assessment_id)
    if assessments.own_response(current_user, assessment) is None and permissions.can_answer(role):
        return redirect(url_for(".overview", assessment_id=assessment.id))
    response = _respondent(assessment, role)
    progress = progress_of(assessment, response)
    return render_template(
        "assessments/review.html",
        assessment=assessment,
        response=response,
        progress=progress,
        form=ConfirmForm(),
        practice_key=practice_key,
    )


@bp.post("/<int:assessment_id>/submit")
@login_required
def submit(assessment_id: int) -> HttpResponse:
    assessment, role = _load(assessment_id)
    _respondent(assessment, role)
    assessments.require_open(assessment)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    assessments.submit_response(current_user, assessment.id)
    flash(_("Your answers are submitted. You can still change them until the assessment is finalized."), "success")
    return redirect(url_for(".overview", assessment_id=assessment.id))


@bp.route("/<int:assessment_id>/finalize", methods=["GET", "POST"])
@login_required
def finalize(assessment_id: int) -> str | HttpResponse:
    assessment, role = _load(assessment_id)
    if not permissions.can_finalize(role, is_lead(current_user, assessment.team_id)):
        abort(403)
    form = ConfirmForm()
    if form.validate_on_submit():
        assessments.finalize(current_user, assessment.id)
        flash(_("The assessment is finalized; its scores are stored and its answers can no longer change."), "success")
        return redirect(url_for(".overview", assessment_id=assessment.id))
    return render_template("assessments/finalize.html", form=form, **_overview(assessment, role))


@bp.route("/<int:assessment_id>/reopen", methods=["GET", "POST"])
@login_required
def reopen(assessment_id: int) -> str | tuple[str, int] | HttpResponse:
    assessment, role = _load(assessment_id)
    if not permissions.can_reopen(role):
        abort(403)
    form = ReopenForm()
    if form.validate_on_submit():
        try:
            assessments.reopen(current_user, assessment.id, form.reason.data)
        except Invalid as error:
            form.reason.errors.append(error.message)
        else:
            flash(_("The assessment is open again; the reason is kept in the audit log."), "success")
            return redirect(url_for(".overview", assessment_id=assessment.id))
    context = _overview(assessment, role)
    return render_template("assessments/reopen.html", form=form, **context), 400 if form.errors else 200
