"""Organisation forms: create an organisation, create a team, roles and invitations."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectChoice, SelectField, StringField
from wtforms.validators import InputRequired, Length, Optional, Regexp

from ..labels import MEMBERSHIP_ROLES

EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


def role_choices() -> list[SelectChoice]:
    return [SelectChoice(code, str(label)) for code, label in MEMBERSHIP_ROLES.items()]


class OrganisationForm(FlaskForm):
    name = StringField(_l("Organisation name"), validators=[InputRequired(), Length(max=120)])


class TeamForm(FlaskForm):
    name = StringField(_l("Team name"), validators=[InputRequired(), Length(max=120)])


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=role_choices, validators=[InputRequired()])


class InvitationForm(FlaskForm):
    role = SelectField(_l("Role"), choices=role_choices, default="member", validators=[InputRequired()])
    # Only a note on whom the link is for: a plain pattern check (email_validator is no dependency).
    email = EmailField(
        _l("For (email, optional)"),
        validators=[Optional(), Regexp(EMAIL, message=_l("Enter a valid email address.")), Length(max=254)],
    )


class AcceptForm(FlaskForm):
    """Only the CSRF token: accepting is one button."""
