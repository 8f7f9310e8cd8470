"""The organisation overview (every member reads it) and its units (owners manage them)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from functools import partial
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from ...language import current_language
from ...services import org_overview, organisations, permissions, teams, units
from ...services.errors import Forbidden, ServiceError
from ...store.models import Organisation
from .forms import AssignTeamsForm, MoveUnitForm, RenameUnitForm, UnitForm, unit_choices
from .sparkline import scale_of, sparkline

bp = Blueprint("overview", __name__)


@bp.get("/orgs/<int:organisation_id>/overview")
@login_required
def show(organisation_id: int) -> str:
    unit_id = request.args.get("unit", type=int)
    context = org_overview.overview(current_user, organisation_id, current_language(), unit_id)
    scale = scale_of(row.trend for row in context.rows if isinstance(row, org_overview.TeamRow))
    return render_template("overview/show.html", o=context, sparkline=partial(sparkline, scale=scale))


# Units: owners only


def _owner_org(organisation_id: int) -> Organisation:
    organisation, role = organisations.organisation_or_404(current_user, organisation_id)
    if not permissions.can_manage_units(role):
        raise Forbidden()
    return organisation


def _units_page(organisation: Organisation, status: int = 200, error: tuple[Any, str] | None = None, **forms: Any) -> Any:
    """The units page; `error`: (unit id or a form's name, message) shown beside that form."""
    unit_list = units.units_of(organisation.id)
    nodes = units.tree(unit_list)
    none = _("None (top level)")
    create = forms.get("create") or UnitForm(formdata=None)
    create.parent.choices = unit_choices(nodes, none)
    assign = forms.get("assign") or AssignTeamsForm(formdata=None)
    assign.unit.choices = unit_choices(nodes, _("No unit"))
    moves = {}
    for node in nodes:
        move = MoveUnitForm(formdata=None, parent=node.parent_id)
        move.parent.choices = unit_choices(nodes, none, units.descendants(unit_list, node.id))
        moves[node.id] = move
    team_list = teams.teams_of(organisation.id)
    page = render_template(
        "overview/units.html",
        organisation=organisation,
        nodes=nodes,
        paths={n.id: n.path for n in nodes},
        teams=team_list,
        direct=Counter(t.unit_id for t in team_list),  # teams directly in each unit
        create=create,
        assign=assign,
        moves=moves,
        renames={n.id: RenameUnitForm(formdata=None, name=n.name) for n in nodes},
        error=error,
    )
    return page, status


def _failed(organisation: Organisation, error: ServiceError, key: Any, **forms: Any) -> Any:
    """A refused change: the page again with the reason beside the form (403 and 404 as error pages)."""
    if error.status in (403, 404):
        raise error
    return _units_page(organisation, error.status, (key, error.message), **forms)


def _apply(organisation: Organisation, key: Any, change: Callable[[], object], done: str, anchor: str | None = None) -> Any:
    """Make a change to a unit: back to the page with `done`, or the page with the reason beside the form."""
    try:
        change()
    except ServiceError as error:
        return _failed(organisation, error, key)
    flash(done, "success")
    return _back(organisation.id, anchor)


def _back(organisation_id: int, anchor: str | None = None) -> Response:
    return redirect(url_for("overview.units_page", organisation_id=organisation_id, _anchor=anchor))


@bp.get("/orgs/<int:organisation_id>/units")
@login_required
def units_page(organisation_id: int) -> Any:
    return _units_page(_owner_org(organisation_id))


@bp.post("/orgs/<int:organisation_id>/units")
@login_required
def create_unit(organisation_id: int) -> Any:
    organisation = _owner_org(organisation_id)
    form = UnitForm()
    form.parent.choices = unit_choices(units.tree(units.units_of(organisation.id)), "")
    if not form.validate_on_submit():
        return _units_page(organisation, 400, create=form)
    try:
        unit = units.create_unit(current_user, organisation.id, form.name.data, form.parent.data)
    except ServiceError as error:
        return _failed(organisation, error, "create", create=form)
    flash(_("Unit “%(name)s” created.", name=unit.name), "success")
    return _back(organisation.id, f"unit-{unit.id}")


@bp.post("/orgs/<int:organisation_id>/units/<int:unit_id>/rename")
@login_required
def rename_unit(organisation_id: int, unit_id: int) -> Any:
    organisation = _owner_org(organisation_id)
    form = RenameUnitForm()
    if not form.validate_on_submit():
        return _units_page(organisation, 400, (unit_id, _("Give the unit a name.")))
    change = partial(units.rename_unit, current_user, organisation.id, unit_id, form.name.data)
    return _apply(organisation, unit_id, change, _("The unit is renamed."), f"unit-{unit_id}")


@bp.post("/orgs/<int:organisation_id>/units/<int:unit_id>/move")
@login_required
def move_unit(organisation_id: int, unit_id: int) -> Any:
    organisation = _owner_org(organisation_id)
    form = MoveUnitForm()
    form.parent.choices = unit_choices(units.tree(units.units_of(organisation.id)), "")
    if not form.validate_on_submit():
        return _units_page(organisation, 400, (unit_id, _("Choose where to move the unit.")))
    change = partial(units.move_unit, current_user, organisation.id, unit_id, form.parent.data)
    return _apply(organisation, unit_id, change, _("The unit is moved."), f"unit-{unit_id}")


@bp.post("/orgs/<int:organisation_id>/units/<int:unit_id>/delete")
@login_required
def delete_unit(organisation_id: int, unit_id: int) -> Any:
    organisation = _owner_org(organisation_id)
    change = partial(units.delete_unit, current_user, organisation.id, unit_id)
    return _apply(organisation, unit_id, change, _("The unit is deleted; its teams and units moved up one level."))


@bp.post("/orgs/<int:organisation_id>/units/teams")
@login_required
def assign_teams(organisation_id: int) -> Any:
    organisation = _owner_org(organisation_id)
    form = AssignTeamsForm()
    form.unit.choices = unit_choices(units.tree(units.units_of(organisation.id)), "")
    form.teams.choices = [(t.id, t.name) for t in teams.teams_of(organisation.id)]
    if not form.validate_on_submit():
        return _units_page(organisation, 400, ("assign", _("Choose at least one team.")), assign=form)
    moved = units.assign_teams(current_user, organisation.id, form.teams.data, form.unit.data)
    flash(ngettext("%(num)d team moved.", "%(num)d teams moved.", moved), "success")
    return _back(organisation.id, "teams")
