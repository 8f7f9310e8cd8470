"""Team forms: start an assessment, rename, profile (built from the catalog) and members."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, SelectChoice, SelectField, SelectMultipleField, StringField
from wtforms.validators import AnyOf, InputRequired, Length, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ...engine.catalog import Catalog
from ...engine.periods import PERIOD
from ..template_helpers import translate


class CheckboxesField(SelectMultipleField):
    """Several choices as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class StartAssessmentForm(FlaskForm):
    catalog = SelectField(_l("Maturity model"), validators=[InputRequired()])
    period = StringField(
        _l("Period"),
        validators=[
            InputRequired(),
            Regexp(PERIOD, message=_l("Write the period as a year and quarter, such as 2026-Q4.")),
        ],
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
    )
    questionnaire = RadioField(
        _l("Questionnaire"),
        choices=[
            SelectChoice("full", _l("Full: every practice")),
            SelectChoice("quick", _l("Quick: the key practices, about 15 minutes")),
            SelectChoice("dimensions", _l("Only the dimensions I choose")),
        ],
        default="full",
        validators=[InputRequired()],
    )
    dimensions = CheckboxesField(_l("Dimensions"), choices=[], validate_choice=True)
    taken_periods: frozenset[str] = frozenset()

    def validate_period(self, field: StringField) -> None:
        if field.data in self.taken_periods:
            raise ValidationError(_l("This team already has an assessment for this period."))

    def validate_dimensions(self, field: CheckboxesField) -> None:
        if self.questionnaire.data == "dimensions" and not field.data:
            raise ValidationError(_l("Choose at least one dimension."))

    def chosen_questionnaire(self) -> str | list[str]:
        """What the service takes: "full", "quick", or the chosen dimension ids."""
        if self.questionnaire.data == "dimensions":
            return list(self.dimensions.data or [])
        return self.questionnaire.data


def start_form(catalogs: list[Catalog], period: str, taken: set[str], submitted: bool = False) -> StartAssessmentForm:
    """The form as sent (`submitted`), or blank with the default period and the first catalog."""
    blank = {"formdata": None, "period": period, "catalog": catalogs[0].id}
    form = StartAssessmentForm() if submitted else StartAssessmentForm(**blank)
    form.catalog.choices = [SelectChoice(c.id, translate(c.title)) for c in catalogs]
    form.dimensions.choices = [SelectChoice(d.id, translate(d.name)) for d in catalogs[0].dimensions]
    form.taken_periods = frozenset(taken)
    return form


class RenameForm(FlaskForm):
    name = StringField(_l("Team name"), validators=[InputRequired(), Length(max=120)])


class MemberForm(FlaskForm):
    user = SelectField(_l("Person"), coerce=int, validators=[InputRequired(message=_l("Choose a person."))])
    lead = BooleanField(_l("Team lead (may start and finalize the team's assessments)"))


class NextReviewForm(FlaskForm):
    """ "Start the next review": a button that needs nothing but the CSRF token."""


class LeadForm(FlaskForm):
    lead = HiddenField(validators=[AnyOf(["yes", "no"])])


class ProfileFormBase(FlaskForm):
    def answers(self) -> dict[str, str]:
        return {name: field.data for name, field in self._fields.items() if name != "csrf_token"}


def profile_form(catalog: Catalog, profile: dict[str, str], submitted: bool = False) -> ProfileFormBase:
    """One select per profile question of the catalog, with "not answered" first."""

    class ProfileForm(ProfileFormBase):
        pass

    for question in catalog.profile.questions:
        choices = [SelectChoice("", str(_l("Not answered")))] + [SelectChoice(o.id, translate(o.label)) for o in question.options]
        setattr(ProfileForm, question.id, SelectField(translate(question.text), choices=choices, validators=[Optional()]))
    if submitted:
        return ProfileForm()
    return ProfileForm(formdata=None, data=profile)
