"""Roadmap forms: the plan's settings (a target per dimension), moving an item, tracking an item."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Regexp

from ...engine.periods import PERIOD
from ...services.roadmap_views import DimensionRow, ItemView, RoadmapPage
from .. import labels

DROP = "drop"
NO_TARGET = ""


def target_key(dimension_id: str) -> str:
    return "target_" + dimension_id.replace("-", "_")


def item_key(practice_id: str) -> str:
    """A prefix for an item's forms, safe in field names and HTML ids ("config.version-control")."""
    return "i_" + practice_id.replace(".", "__").replace("-", "_")


class SettingsBase(FlaskForm):
    capacity = IntegerField(
        _l("Items per stage"),
        validators=[InputRequired(_l("Enter a number from 1 to 30.")), NumberRange(1, 30, _l("Enter a number from 1 to 30."))],
    )
    stages = IntegerField(
        _l("Number of stages"),
        validators=[InputRequired(_l("Enter a number from 1 to 12.")), NumberRange(1, 12, _l("Enter a number from 1 to 12."))],
    )
    start_period = StringField(
        _l("First stage"),
        filters=[lambda text: (text or "").strip().upper()],
        validators=[Regexp(PERIOD.pattern, message=_l("Write a year and quarter, such as 2027-Q1."))],
    )
    stage_length = SelectField(
        _l("Quarters per stage"), choices=[SelectChoice(n, str(n)) for n in (1, 2, 3, 4)], coerce=int, default=1
    )

    def targets(self, dimensions: Iterable[DimensionRow]) -> dict[str, Any]:
        return {d.id: self[target_key(d.id)].data for d in dimensions if self[target_key(d.id)].data != NO_TARGET}


def _target_choices(row: DimensionRow) -> list[SelectChoice]:
    """Levels from the current one up: a target below it means nothing (it is raised to it)."""
    lowest = max(row.level or 1, 1)
    blank = [SelectChoice(NO_TARGET, str(_l("No target")))] if row.status != "scored" else []
    return blank + [SelectChoice(str(level), str(level)) for level in range(lowest, 6)]


def settings_form(page: RoadmapPage, posted: bool = False) -> Any:
    """The settings, one target per dimension, prefilled with the plan's current values."""

    class SettingsForm(SettingsBase):
        pass

    data: dict[str, Any] = {
        "capacity": page.capacity,
        "stages": len(page.stages),
        "start_period": page.start_period,
        "stage_length": page.stage_length,
    }
    for row in page.dimensions:
        choices = _target_choices(row)
        message = _l("Choose a level from the list.")
        field = SelectField(row.name, choices=choices, validators=[InputRequired(message)] if row.status == "scored" else [])
        setattr(SettingsForm, target_key(row.id), field)
        data[target_key(row.id)] = str(row.target) if row.target is not None else NO_TARGET
    return SettingsForm(data=data) if posted else SettingsForm(formdata=None, data=data)


class MoveForm(FlaskForm):
    stage = SelectField(_l("Move to"), validators=[InputRequired(_l("Choose a stage."))])

    def chosen_stage(self) -> int | None:
        return None if self.stage.data == DROP else int(self.stage.data)


def move_form(page: RoadmapPage, item: ItemView, posted: bool = False) -> MoveForm:
    """Stages 1..N and "drop", with the item's own place selected."""
    form = MoveForm(prefix=item_key(item.practice_id), **({} if posted else {"formdata": None}))
    form.stage.choices = [SelectChoice(str(s.number), _stage_label(s.number, s.period)) for s in page.stages]
    form.stage.choices.append(SelectChoice(DROP, str(_l("Drop it"))))
    if not posted:
        form.stage.data = str(item.stage) if item.stage else (DROP if item in page.dropped else "")
    return form


def _stage_label(number: int, period: str | None) -> str:
    if period:
        return str(_l("Stage %(number)s (%(period)s)", number=number, period=period))
    return str(_l("Stage %(number)s", number=number))


class TrackForm(FlaskForm):
    status = SelectField(
        _l("Status"),
        choices=[SelectChoice(code, label) for code, label in labels.ROADMAP_ITEM_STATUSES.items()],
        validators=[InputRequired(_l("Choose a status."))],
    )
    owner = StringField(_l("Item owner"), validators=[Length(max=120, message=_l("At most 120 characters."))])
    notes = TextAreaField(_l("Notes"), validators=[Length(max=4000, message=_l("At most 4000 characters."))])


def track_form(item: ItemView, posted: bool = False) -> TrackForm:
    if posted:
        return TrackForm(prefix=item_key(item.practice_id))
    tracking = item.tracking
    return TrackForm(
        formdata=None,
        prefix=item_key(item.practice_id),
        status=tracking.status if tracking else "planned",
        owner=tracking.owner if tracking else "",
        notes=tracking.notes if tracking else "",
    )


class AcceptForm(FlaskForm):
    """The sign-off button: nothing but the CSRF token."""
