"""Organisation forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import InputRequired, Length


class OrganisationForm(FlaskForm):
    name = StringField(_l("Organisation name"), validators=[InputRequired(), Length(max=120)])
