"""Questionnaire forms: joining, answers (built from the catalog), delivery metrics, submit, finalize, reopen."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, Form, FormField, HiddenField, IntegerField, RadioField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import AnyOf, InputRequired, Length, NumberRange, Optional, ValidationError

from ...engine.catalog import Metric, Practice
from ...services.assessments import AnswerInput
from ...store.models import Answer
from .. import labels

ANSWER_VALUES = ("0", "1", "2", "3", "na", "unknown")


def choices(labelled: Mapping[str, Any]) -> list[SelectChoice]:
    return [SelectChoice(code, label) for code, label in labelled.items()]


class JoinForm(FlaskForm):
    role = RadioField(
        _l("Your role in the team"),
        choices=choices(labels.RESPONDENT_ROLES),
        validators=[InputRequired(message=_l("Choose your role."))],
    )


class PracticeForm(Form):
    """One practice's answer; part of a page form, so without a CSRF field of its own."""

    value = RadioField(
        _l("Your answer"),
        choices=choices(labels.ANSWERS),
        validate_choice=False,  # no answer yet is fine; AnyOf below rejects anything else
        validators=[AnyOf((None, "", *ANSWER_VALUES), message=_l("Choose one of the answers."))],
    )
    comment = TextAreaField(_l("Comment (optional)"), validators=[Length(max=2000)])
    evidence = SelectField(
        _l("Evidence"),
        choices=choices({"": _l("None given"), **labels.EVIDENCE}),
        validate_choice=False,
        validators=[AnyOf((None, "", *labels.EVIDENCE), message=_l("Choose claimed, shown or verified."))],
    )

    def validate_comment(self, field: TextAreaField) -> None:
        if (field.data or "").strip() and not self.value.data:
            raise ValidationError(_l("Choose an answer first: the comment is saved with it."))


def practice_key(practice_id: str) -> str:
    """A form-field and HTML id safe name for a practice id ("config.version-control")."""
    return "p_" + practice_id.replace(".", "__").replace("-", "_")


def answers_form(practices: Iterable[Practice], stored: Mapping[str, Answer], posted: bool = True) -> Any:
    """A form with one sub-form per practice, filled with the posted answers, else the stored ones."""

    class AnswersForm(FlaskForm):
        clear = HiddenField()  # the key of the practice whose "clear" button was pressed
        go = HiddenField()  # where to go after saving the page (prev, next, review, stay)

    data: dict[str, Any] = {}
    for practice in practices:
        key = practice_key(practice.id)
        setattr(AnswersForm, key, FormField(PracticeForm, separator="-"))
        answer = stored.get(practice.id)
        if answer is not None:
            data[key] = {"value": answer.value, "comment": answer.comment or "", "evidence": answer.evidence or ""}
    return AnswersForm(data=data) if posted else AnswersForm(formdata=None, data=data)


def given_answers(form: Any, practices: Iterable[Practice]) -> dict[str, AnswerInput]:
    """What the user gave: answered practices, and the cleared one. Blank practices stay as they are."""
    given = {}
    for practice in practices:
        key = practice_key(practice.id)
        sub = form[key]
        if form.clear.data == key:
            given[practice.id] = AnswerInput(None)
        elif sub.value.data:
            given[practice.id] = AnswerInput(sub.value.data, sub.comment.data, sub.evidence.data)
    return given


class PercentForm(Form):
    percent = IntegerField(
        _l("Percentage"), validators=[Optional(), NumberRange(0, 100, message=_l("Enter a whole percentage from 0 to 100."))]
    )
    unknown = BooleanField(_l("Don't know"))

    def validate_unknown(self, field: BooleanField) -> None:
        if field.data and self.percent.data is not None:
            raise ValidationError(_l("Enter a percentage or tick \u201cdon't know\u201d, not both."))


def metrics_form(metrics: Iterable[Metric], stored: Mapping[str, str]) -> Any:
    """One field per delivery metric: bands as radio options, or a percentage with "don't know"."""

    class MetricsForm(FlaskForm):
        pass

    data: dict[str, Any] = {}
    for metric in metrics:
        value = stored.get(metric.id)
        if metric.unit == "percent":
            setattr(MetricsForm, metric.id, FormField(PercentForm, separator="-"))
            data[metric.id] = {"percent": int(value) if value and value.isdigit() else None, "unknown": value == "unknown"}
        else:
            allowed = AnyOf((None, "", "unknown", *(b.id for b in metric.bands)), message=_l("Choose one of the answers."))
            setattr(MetricsForm, metric.id, RadioField(metric.id, choices=[], validate_choice=False, validators=[allowed]))
            data[metric.id] = value
    return MetricsForm(data=data)


def given_metrics(form: Any, metrics: Iterable[Metric]) -> dict[str, str | None]:
    given: dict[str, str | None] = {}
    for metric in metrics:
        field = form[metric.id]
        if metric.unit != "percent":
            given[metric.id] = field.data
        elif field.unknown.data:
            given[metric.id] = "unknown"
        else:
            given[metric.id] = None if field.percent.data is None else str(field.percent.data)
    return given


class SkipForm(FlaskForm):
    level = IntegerField(validators=[InputRequired(), NumberRange(1, 5)])


class ConfirmForm(FlaskForm):
    """A button that needs nothing but the CSRF token: submit, finalize."""


class ReopenForm(FlaskForm):
    reason = TextAreaField(
        _l("Why is it reopened?"),
        validators=[InputRequired(message=_l("Say why the assessment is reopened.")), Length(max=500)],
    )
