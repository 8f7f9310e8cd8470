"""The signed-in home page, organisation pages and invitation links."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from ...services import branding, organisations, permissions, teams
from ...services.branding import BrandingInvalid
from ...services.errors import Forbidden, Invalid
from ...store.models import Organisation
from ..branding import BrandingForm
from .forms import AcceptForm, InvitationForm, OrganisationForm, RoleForm, TeamForm

bp = Blueprint("orgs", __name__)
NEW_LINK = "orgs.new_invitation"  # session key: the token of a just-created invitation, shown once


@bp.route("/home", methods=["GET", "POST"])
@login_required
def home() -> str | Response:
    form = OrganisationForm()
    if form.validate_on_submit():
        try:
            organisation = organisations.create_organisation(current_user, form.name.data)
        except Invalid as error:
            form.name.errors.append(error.message)
        else:
            return redirect(url_for("orgs.show", organisation_id=organisation.id))
    return render_template("orgs/home.html", memberships=organisations.organisations_of(current_user), form=form)


def _require(allowed: bool) -> None:
    if not allowed:
        raise Forbidden()


def _new_link(organisation_id: int) -> str | None:
    """The full link of an invitation created just now, taken out of the session (shown once)."""
    stored = session.get(NEW_LINK)
    if not stored or stored.get("organisation") != organisation_id:
        return None
    session.pop(NEW_LINK)
    return url_for("orgs.invitation", token=stored["token"], _external=True)


def _render(organisation: Organisation, role: str, **forms: Any) -> str:
    members = organisations.members_of(organisation.id)
    role_forms = {m.id: RoleForm(formdata=None, role=m.role) for m in members}
    role_forms.update(forms.pop("role_forms", {}))
    owners = sum(1 for m in members if m.role == "owner")
    manage = permissions.can_manage_organisation(role)
    return render_template(
        "orgs/show.html",
        organisation=organisation,
        role=role,
        permissions=permissions,
        invitation_days=organisations.INVITATION_DAYS,
        teams=teams.teams_of(organisation.id, include_archived=True),
        open_assessments=teams.open_self_assessments(organisation.id),
        members=members,
        owners=owners,
        role_forms=role_forms,
        invitations=organisations.pending_invitations(current_user, organisation.id) if manage else [],
        new_link=_new_link(organisation.id) if manage else None,
        team_form=forms.get("team_form") or TeamForm(formdata=None),
        invitation_form=forms.get("invitation_form") or InvitationForm(formdata=None),
    )


@bp.get("/orgs/<int:organisation_id>")
@login_required
def show(organisation_id: int) -> str:
    organisation, role = organisations.organisation_or_404(current_user, organisation_id)
    return _render(organisation, role)


@bp.post("/orgs/<int:organisation_id>/teams")
@login_required
def create_team(organisation_id: int) -> str | Response:
    organisation, role = organisations.organisation_or_404(current_user, organisation_id)
    _require(permissions.can_manage_teams(role))
    form = TeamForm()
    if form.validate_on_submit():
        try:
            team = teams.create_team(current_user, organisation.id, form.name.data)
        except Invalid as error:
            form.name.errors.append(error.message)
        else:
            flash(_("Team “%(name)s” created. You are its lead.", name=team.name), "success")
            return redirect(url_for("teams.show", team_id=team.id))
    return _render(organisation, role, team_form=form)


@bp.post("/orgs/<int:organisation_id>/members/<int:member_id>/role")
@login_required
def change_role(organisation_id: int, member_id: int) -> str | Response:
    organisation, role = organisations.organisation_or_404(current_user, organisation_id)
    _require(permissions.can_manage_organisation(role))
    form = RoleForm()
    if not form.validate_on_submit():
        return _render(organisation, role, role_forms={member_id: form})
    organisations.change_role(current_user, organisation.id, member_id, form.role.data)
    flash(_("The role is changed."), "success")
    return redirect(url_for("orgs.show", organisation_id=organisation.id, _anchor="members"))


@bp.post("/orgs/<int:organisation_id>/members/<int:member_id>/remove")
@login_required
def remove_member(organisation_id: int, member_id: int) -> Response:
    organisation, role = organisations.organisation_or_404(current_user, organisation_id)
    _require(permissions.can_manage_organisation(role))
    organisations.remove_member(current_user, organisation.id, member_id)
    flash(_("The person is no longer a member of %(name)s.", name=organisation.name), "success")
    if organisations.role_in(current_user, organisation.id) is None:
        return redirect(url_for("orgs.home"))
    return redirect(url_for("orgs.show", organisation_id=organisation.id, _anchor="members"))


@bp.post("/orgs/<int:organisation_id>/invitations")
@login_required
def invite(organisation_id: int) -> str | Response:
    organisation, role = organisations.organisation_or_404(current_user, organisation_id)
    _require(permissions.can_manage_organisation(role))
    form = InvitationForm()
    if not form.validate_on_submit():
        return _render(organisation, role, invitation_form=form)
    token = organisations.invite(current_user, organisation.id, form.role.data, form.email.data)
    session[NEW_LINK] = {"organisation": organisation.id, "token": token}
    return redirect(url_for("orgs.show", organisation_id=organisation.id, _anchor="invitations"))


@bp.post("/orgs/<int:organisation_id>/invitations/<int:invitation_id>/revoke")
@login_required
def revoke_invitation(organisation_id: int, invitation_id: int) -> Response:
    organisation, role = organisations.organisation_or_404(current_user, organisation_id)
    _require(permissions.can_manage_organisation(role))
    organisations.revoke_invitation(current_user, organisation.id, invitation_id)
    flash(_("The invitation is withdrawn; its link no longer works."), "success")
    return redirect(url_for("orgs.show", organisation_id=organisation.id, _anchor="invitations"))


def _invitation_page(token: str, form: AcceptForm) -> tuple[str, int]:
    invitation, problem = organisations.invitation_problem(token)
    if problem is not None:
        return render_template("orgs/invitation_invalid.html", message=problem.message), problem.status
    return render_template(
        "orgs/invitation.html",
        invitation=invitation,
        token=token,
        form=form,
        member_role=organisations.role_in(current_user, invitation.organisation_id),
    ), 200


@bp.get("/invite/<token>")
def invitation(token: str) -> tuple[str, int]:
    return _invitation_page(token, AcceptForm(formdata=None))


@bp.post("/invite/<token>")
@login_required
def accept_invitation(token: str) -> tuple[str, int] | Response:
    form = AcceptForm()
    _invitation, problem = organisations.invitation_problem(token)
    if problem is not None or not form.validate_on_submit():
        return _invitation_page(token, form)
    organisation = organisations.accept_invitation(current_user, token)
    flash(_("Welcome to %(name)s.", name=organisation.name), "success")
    return redirect(url_for("orgs.show", organisation_id=organisation.id))


@bp.route("/orgs/<int:organisation_id>/settings", methods=["GET", "POST"])
@login_required
def settings(organisation_id: int) -> str | Response:
    """The organisation's branding for its PDF reports: owners only."""
    organisation, role = organisations.organisation_or_404(current_user, organisation_id)
    _require(permissions.can_manage_organisation(role))
    form = BrandingForm(formdata=None, brand_name=organisation.brand_name, brand_color=organisation.brand_color)
    if request.method == "POST":
        form = BrandingForm()
        if form.validate_on_submit():
            try:
                branding.set_organisation_branding(current_user, organisation.id, form.given())
            except BrandingInvalid as error:
                form.show_error(error)
            else:
                flash(_("The branding is saved; new PDF reports use it."), "success")
                return redirect(url_for("orgs.settings", organisation_id=organisation.id))
    return render_template(
        "orgs/settings.html", organisation=organisation, form=form, logo=branding.logo_data_uri(organisation.brand_logo)
    )
