"""Unit forms: create, rename, move a unit, and put teams in a unit."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField
from wtforms.validators import InputRequired, Length

from ...services.units import UnitNode
from ..teams.forms import CheckboxesField


def optional_id(value: object) -> int | None:
    """A select's value: a unit id, or "" for none (the top of the tree)."""
    return None if value in ("", None) else int(value)  # type: ignore[arg-type]


def unit_choices(nodes: list[UnitNode], none_label: str, leave_out: set[int] = frozenset()) -> list[SelectChoice]:  # type: ignore[assignment]
    """The units by their path, after a first "none" choice; `leave_out`: units a move may not target."""
    return [SelectChoice("", none_label)] + [SelectChoice(str(n.id), n.path) for n in nodes if n.id not in leave_out]


class UnitForm(FlaskForm):
    name = StringField(_l("Unit name"), validators=[InputRequired(), Length(max=120)])
    parent = SelectField(_l("Inside"), coerce=optional_id, choices=[])


class RenameUnitForm(FlaskForm):
    name = StringField(_l("Unit name"), validators=[InputRequired(), Length(max=120)])


class MoveUnitForm(FlaskForm):
    parent = SelectField(_l("Move inside"), coerce=optional_id, choices=[])


class AssignTeamsForm(FlaskForm):
    teams = CheckboxesField(_l("Teams"), coerce=int, choices=[], validators=[InputRequired(_l("Choose at least one team."))])
    unit = SelectField(_l("Put them in"), coerce=optional_id, choices=[])
