"""The roadmap of an assessment: see the staged plan, adjust its settings, move or drop items,
accept it (sign-off), and track the items of an accepted roadmap.

Every change works as a plain form (redirect after success, the page again with the reason on
bad input) and, sent by htmx, answers with the part of the page that changed.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from ...language import current_language
from ...services import roadmaps
from ...services.errors import Forbidden, Invalid, NotFound
from ...services.roadmap_views import ItemView, RoadmapPage, TeamRoadmap, roadmap_page, team_roadmap
from .forms import AcceptForm, item_key, move_form, settings_form, track_form

bp = Blueprint("roadmaps", __name__, url_prefix="/assessments/<int:assessment_id>/roadmap")


@bp.app_template_global()
def accepted_roadmap_of_team(team_id: int) -> TeamRoadmap | None:
    """For the team page: the team's accepted roadmap in brief."""
    return team_roadmap(current_user, team_id)


def _is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


def _require(allowed: bool) -> None:
    if not allowed:
        raise Forbidden()


def _page(assessment_id: int) -> RoadmapPage:
    return roadmap_page(current_user, assessment_id, current_language())


def _item(page: RoadmapPage, practice_id: str) -> ItemView:
    every = [i for s in page.stages for i in s.items] + list(page.backlog) + list(page.dropped)
    found = next((i for i in every if i.practice_id == practice_id), None)
    if found is None:
        raise NotFound()
    return found


def _render(page: RoadmapPage, template: str = "roadmaps/show.html", **forms: Any) -> str:
    """The page (or, for htmx, one part of it); `forms` holds the forms the user just sent."""
    moves = {i.practice_id: move_form(page, i) for s in page.stages for i in s.items}
    moves.update({i.practice_id: move_form(page, i) for i in (*page.backlog, *page.dropped)})
    moves.update(forms.get("moves", {}))
    return render_template(
        template,
        page=page,
        settings=forms.get("settings") or settings_form(page),
        moves=moves,
        tracks=forms.get("tracks", {}),
        track_form=track_form,
        item_key=item_key,
        download_url=_download_url(page.assessment_id),
        refusal=forms.get("refusal"),
    )


def _download_url(assessment_id: int) -> str | None:
    if "reports.download" not in current_app.view_functions:
        return None
    return url_for("reports.download", assessment_id=assessment_id)


def _back(assessment_id: int, anchor: str | None = None) -> Response:
    return redirect(url_for("roadmaps.show", assessment_id=assessment_id, _anchor=anchor))


@bp.get("")
@login_required
def show(assessment_id: int) -> str:
    return _render(_page(assessment_id))


@bp.post("/settings")
@login_required
def configure(assessment_id: int) -> str | Response:
    page = _page(assessment_id)
    _require(page.editable)
    form = settings_form(page, posted=True)
    if form.validate_on_submit():
        try:
            roadmaps.configure_draft(
                current_user,
                assessment_id,
                form.targets(page.dimensions),
                form.capacity.data,
                form.stages.data,
                form.start_period.data,
                form.stage_length.data,
            )
        except Invalid as error:
            form.form_errors.append(error.message)
        else:
            if _is_htmx():
                return _render(_page(assessment_id), "roadmaps/_work.html")
            flash(_("The plan is updated."), "success")
            return _back(assessment_id)
    return _render(page, "roadmaps/_work.html" if _is_htmx() else "roadmaps/show.html", settings=form)


@bp.post("/items/<practice_id>/move")
@login_required
def move(assessment_id: int, practice_id: str) -> str | Response:
    page = _page(assessment_id)
    item = _item(page, practice_id)
    _require(page.editable)
    form = move_form(page, item, posted=True)
    if form.validate_on_submit():
        try:
            roadmaps.move_in_draft(current_user, assessment_id, practice_id, form.chosen_stage())
        except Invalid as error:
            form.stage.errors = [*form.stage.errors, error.message]
        else:
            if _is_htmx():
                return _render(_page(assessment_id), "roadmaps/_work.html")
            return _back(assessment_id, item_key(practice_id))
    template = "roadmaps/_work.html" if _is_htmx() else "roadmaps/show.html"
    return _render(page, template, moves={practice_id: form}, refusal=(practice_id, form.stage.errors))


@bp.route("/accept", methods=["GET", "POST"])
@login_required
def accept(assessment_id: int) -> str | Response:
    page = _page(assessment_id)
    _require(page.planner)
    form = AcceptForm()
    if page.mode != "accepted" and form.validate_on_submit():
        roadmaps.accept_draft(current_user, assessment_id)
        flash(_("The roadmap is accepted. Its items are now tracked."), "success")
        return _back(assessment_id)
    return render_template("roadmaps/accept.html", page=page, form=form)


@bp.post("/items/<practice_id>")
@login_required
def track(assessment_id: int, practice_id: str) -> str | Response:
    page = _page(assessment_id)
    item = _item(page, practice_id)
    stored = roadmaps.item_of(current_user, assessment_id, practice_id)
    _require(page.tracker)
    form = track_form(item, posted=True)
    if not form.validate_on_submit():
        return _tracking(page, item, form)
    roadmaps.update_item(current_user, stored.id, form.status.data, form.owner.data, form.notes.data)
    if not _is_htmx():
        flash(_("The item is updated."), "success")
        return _back(assessment_id, item_key(practice_id))
    page = _page(assessment_id)
    item = _item(page, practice_id)
    return _tracking(page, item, track_form(item), saved=True)


def _tracking(page: RoadmapPage, item: ItemView, form: Any, saved: bool = False) -> str:
    """An item's tracking form: alone for htmx, else the whole page around it."""
    if not _is_htmx():
        return _render(page, tracks={item.practice_id: form})
    return render_template("roadmaps/_tracking.html", page=page, item=item, form=form, item_key=item_key, saved=saved)
