"""Facilitator forms: workshop state, the open dimension, and consensus."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, RadioField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import AnyOf, InputRequired, Length, NumberRange
from wtforms.widgets import HiddenInput

from ...services.workshop_consensus import NOTE_LENGTH
from ...services.workshops import TRANSITIONS
from .. import labels


class StateForm(FlaskForm):
    action = HiddenField(validators=[InputRequired(), AnyOf(tuple(TRANSITIONS))])


class DimensionForm(FlaskForm):
    dimension = SelectField(_l("Open dimension"), validators=[InputRequired()], validate_choice=False)


class ConsensusForm(FlaskForm):
    value = RadioField(
        _l("Agreed answer"),
        choices=[SelectChoice(code, labels.ANSWERS[code]) for code in ("0", "1", "2", "3", "na")],
        validators=[InputRequired(message=_l("Choose the agreed answer: 0 to 3, or not applicable."))],
    )
    note = TextAreaField(_l("Note from the discussion (optional)"), validators=[Length(max=NOTE_LENGTH)])
    # the consensus version this form was read at; 0: there was none yet
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired(), NumberRange(min=0)])
