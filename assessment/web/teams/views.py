"""Team pages: assessments, start an assessment, rename, archive, profile and members."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from ... import clock
from ...engine.catalog import Catalog
from ...engine.periods import first_free, quarter_of
from ...services import assessments, permissions, reviews, teams
from ...services import catalogs as catalog_versions
from ...services.errors import Forbidden, Invalid, NotFound
from ...store.models import Team
from .forms import LeadForm, MemberForm, NextReviewForm, RenameForm, profile_form, start_form

bp = Blueprint("teams", __name__)
DEFAULT_CATALOG = "cd-maturity"


def catalogs() -> list[Catalog]:
    """The catalogs a new assessment can use, each at its current (newest) version, the default one first."""
    return sorted(catalog_versions.current_catalogs(), key=lambda c: c.id != DEFAULT_CATALOG)


def _require(allowed: bool) -> None:
    if not allowed:
        raise Forbidden()


def _load(team_id: int) -> tuple[Team, str, bool]:
    team, role = teams.team_or_404(current_user, team_id)
    return team, role, teams.is_lead(current_user, team.id)


def _start_form(team: Team, submitted: bool = False) -> Any:
    taken = {a.period for a in assessments.assessments_of_team(team) if a.kind == "self"}
    return start_form(catalogs(), first_free(quarter_of(clock.now().date()), taken), taken, submitted)


def _render(team: Team, role: str, lead: bool, **forms: Any) -> str:
    member_form = forms.get("member_form") or MemberForm(formdata=None)
    member_form.user.choices = [SelectChoice(u.id, f"{u.name} ({u.email})") for u in teams.candidates_for(team)]
    may_start = permissions.can_start_assessment(role, lead) and team.archived_at is None
    return render_template(
        "teams/show.html",
        team=team,
        role=role,
        may_start=may_start,
        may_run_workshop=permissions.can_run_workshop(role) and team.archived_at is None,
        last_finalized=reviews.last_finalized(team.id) if may_start else None,
        next_review_form=NextReviewForm(formdata=None),
        may_edit=permissions.can_edit_team(role, lead),
        may_manage=permissions.can_manage_teams(role),
        assessments=assessments.assessments_of_team(team),
        members=teams.members_of_team(team.id),
        catalog=catalogs()[0],
        start_form=forms.get("start_form") or _start_form(team),
        rename_form=forms.get("rename_form") or RenameForm(formdata=None, name=team.name),
        profile_form=forms.get("profile_form") or profile_form(catalogs()[0], team.profile or {}),
        member_form=member_form,
    )


def _back(team: Team, anchor: str | None = None) -> Response:
    return redirect(url_for("teams.show", team_id=team.id, _anchor=anchor))


@bp.get("/teams/<int:team_id>")
@login_required
def show(team_id: int) -> str:
    team, role, lead = _load(team_id)
    return _render(team, role, lead)


@bp.post("/teams/<int:team_id>/assessments")
@login_required
def start_assessment(team_id: int) -> str | Response:
    team, role, lead = _load(team_id)
    _require(permissions.can_start_assessment(role, lead))
    form = _start_form(team, submitted=True)
    if form.validate_on_submit():
        catalog = next(c for c in catalogs() if c.id == form.catalog.data)
        try:
            started = assessments.start_assessment(current_user, team.id, catalog, form.chosen_questionnaire(), form.period.data)
        except Invalid as error:
            form.questionnaire.errors = [*form.questionnaire.errors, error.message]
        else:
            flash(_("The assessment for %(period)s is open. Invite your team to answer.", period=started.period), "success")
            return redirect(url_for("assessments.overview", assessment_id=started.id))
    return _render(team, role, lead, start_form=form)


@bp.post("/teams/<int:team_id>/next-review")
@login_required
def next_review(team_id: int) -> Response:
    """Start the next quarterly review, each respondent's last answers carried over."""
    team, role, lead = _load(team_id)
    _require(permissions.can_start_assessment(role, lead))
    if not NextReviewForm().validate_on_submit():
        raise Invalid()
    started = reviews.start_next_review(current_user, team.id)
    flash(_("The review for %(period)s is open, with everyone's last answers carried over.", period=started.period), "success")
    return redirect(url_for("assessments.overview", assessment_id=started.id))


@bp.post("/teams/<int:team_id>/rename")
@login_required
def rename(team_id: int) -> str | Response:
    team, role, lead = _load(team_id)
    _require(permissions.can_edit_team(role, lead))
    form = RenameForm()
    if form.validate_on_submit():
        try:
            teams.rename_team(current_user, team.id, form.name.data)
        except Invalid as error:
            form.name.errors.append(error.message)
        else:
            flash(_("The team is renamed."), "success")
            return _back(team)
    return _render(team, role, lead, rename_form=form)


@bp.post("/teams/<int:team_id>/archive")
@login_required
def archive(team_id: int) -> Response:
    return _set_archived(team_id, True, _("The team is archived. Its assessments stay readable; restore it to start new ones."))


@bp.post("/teams/<int:team_id>/restore")
@login_required
def restore(team_id: int) -> Response:
    return _set_archived(team_id, False, _("The team is active again."))


def _set_archived(team_id: int, archived: bool, message: str) -> Response:
    team, role, _lead = _load(team_id)
    _require(permissions.can_manage_teams(role))
    teams.archive_team(current_user, team.id, archived=archived)
    flash(message, "success")
    return _back(team)


@bp.post("/teams/<int:team_id>/profile")
@login_required
def profile(team_id: int) -> str | Response:
    team, role, lead = _load(team_id)
    _require(permissions.can_edit_team(role, lead))
    catalog = catalogs()[0]
    form = profile_form(catalog, team.profile or {}, submitted=True)
    if form.validate_on_submit():
        teams.set_profile(current_user, team.id, catalog, form.answers())
        flash(_("The team profile is saved. New assessments use it."), "success")
        return _back(team, "profile")
    return _render(team, role, lead, profile_form=form)


@bp.post("/teams/<int:team_id>/members")
@login_required
def add_member(team_id: int) -> str | Response:
    team, role, lead = _load(team_id)
    _require(permissions.can_manage_teams(role))
    form = MemberForm()
    form.user.choices = [SelectChoice(u.id, u.name) for u in teams.candidates_for(team)]
    if form.validate_on_submit():
        teams.set_member(current_user, team.id, form.user.data, form.lead.data)
        flash(_("The person is now in the team."), "success")
        return _back(team, "members")
    return _render(team, role, lead, member_form=form)


@bp.post("/teams/<int:team_id>/members/<int:user_id>/lead")
@login_required
def set_lead(team_id: int, user_id: int) -> Response:
    team, role, _lead = _load(team_id)
    _require(permissions.can_manage_teams(role))
    if user_id not in {m.user_id for m in teams.members_of_team(team.id)}:
        raise NotFound()
    form = LeadForm()
    if not form.validate_on_submit():
        raise Invalid()
    teams.set_member(current_user, team.id, user_id, form.lead.data == "yes")
    return _back(team, "members")


@bp.post("/teams/<int:team_id>/members/<int:user_id>/remove")
@login_required
def remove_member(team_id: int, user_id: int) -> Response:
    team, role, _lead = _load(team_id)
    _require(permissions.can_manage_teams(role))
    teams.remove_member(current_user, team.id, user_id)
    flash(_("The person is no longer in the team."), "success")
    return _back(team, "members")
