"""Participant forms: join with a code, and answer one practice (plain fields a script can post)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, StringField
from wtforms.validators import AnyOf, InputRequired, Length, Optional

from ...services.workshop_participants import NAME_LENGTH
from .. import labels
from ..assessments.forms import ANSWER_VALUES, choices


class JoinWorkshopForm(FlaskForm):
    code = StringField(
        _l("Workshop code"),
        validators=[InputRequired(message=_l("Enter the code shown by the facilitator.")), Length(max=20)],
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
    )
    name = StringField(_l("Your name (optional)"), validators=[Optional(), Length(max=NAME_LENGTH)])
    role = RadioField(
        _l("Your role in the team"),
        choices=choices(labels.RESPONDENT_ROLES),
        validators=[InputRequired(message=_l("Choose your role."))],
    )


class ParticipantAnswerForm(FlaskForm):
    practice = HiddenField(validators=[InputRequired(), Length(max=80)])
    value = RadioField(
        _l("Your answer"),
        choices=choices(labels.ANSWERS),
        validate_choice=False,
        validators=[
            InputRequired(message=_l("Choose one of the answers.")),
            AnyOf(ANSWER_VALUES, message=_l("Choose one of the answers.")),
        ],
    )
