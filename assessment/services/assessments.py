"""Assessments: start, answer, submit, finalize and reopen."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _

from .. import clock
from ..engine.answers import AnswerSet, asked_practices
from ..engine.answers import Response as EngineResponse
from ..engine.catalog import ROLES, Catalog, Metric
from ..engine.periods import is_period, quarter_of
from ..engine.scoring import Result, score
from ..engine.serialize import result_to_dict, summary_of
from ..extensions import db
from ..store.assessments import EVIDENCE
from ..store.models import Answer, Assessment, MetricAnswer, Response, Team, User
from . import permissions
from .audit import record
from .catalogs import catalog_of, snapshot_for
from .errors import Conflict, Forbidden, Invalid, NotFound
from .progress import progress_of
from .teams import is_lead, team_or_404
from .tracking import retrack_team

OPEN_STATES = ("open",)


def assessment_or_404(user: User, assessment_id: int) -> tuple[Assessment, str]:
    """The assessment and the user's role in its organisation; NotFound for strangers."""
    assessment = db.session.get(Assessment, assessment_id)
    if assessment is None:
        raise NotFound()
    _, role = team_or_404(user, assessment.team_id)
    return assessment, role


def start_assessment(
    user: User, team_id: int, catalog: Catalog, questionnaire: Any = "full", period: str | None = None, kind: str = "self"
) -> Assessment:
    team, role = team_or_404(user, team_id)
    if not permissions.can_start_assessment(role, is_lead(user, team.id)):
        raise Forbidden()
    assessment = new_assessment(user, team, catalog, questionnaire, period, kind)
    db.session.commit()
    return assessment


def new_assessment(
    user: User, team: Team, catalog: Catalog, questionnaire: Any, period: str | None, kind: str, status: str = "open"
) -> Assessment:
    """A checked new assessment, added and recorded but not committed (a workshop adds its join code first).

    One assessment per team, period and kind: a workshop may share a quarter with a self-assessment.
    """
    if team.archived_at is not None:
        raise Conflict(_("This team is archived. Restore it to start an assessment."))
    period = (period or quarter_of(clock.now().date())).strip()
    if not is_period(period):
        raise Invalid(_("Write the period as a year and quarter, such as 2026-Q4."))
    questionnaire = _check_questionnaire(catalog, questionnaire)
    clash = db.session.scalar(
        sa.select(Assessment.id).where(Assessment.team_id == team.id, Assessment.period == period, Assessment.kind == kind)
    )
    if clash is not None:
        raise Conflict(_("This team already has an assessment for %(period)s.", period=period))
    assessment = Assessment(
        team_id=team.id,
        snapshot_id=snapshot_for(catalog).id,
        period=period,
        kind=kind,
        questionnaire=questionnaire,
        status=status,
        profile=dict(team.profile or {}),
        created_by_id=user.id,
    )
    db.session.add(assessment)
    db.session.flush()
    record(user, team.organisation_id, "assessment.start", f"assessment:{assessment.id}", period=period, kind=kind)
    return assessment


def _check_questionnaire(catalog: Catalog, questionnaire: Any) -> Any:
    if questionnaire in ("full", "quick"):
        return questionnaire
    if isinstance(questionnaire, list | tuple) and questionnaire:
        known = [d.id for d in catalog.dimensions]
        chosen = [d for d in known if d in set(questionnaire)]
        if len(chosen) == len(set(questionnaire)):
            return chosen
    raise Invalid(_("Choose the full or the quick questionnaire, or at least one dimension."))


def catalog_for(assessment: Assessment) -> Catalog:
    return catalog_of(assessment.snapshot)


def asked(assessment: Assessment) -> frozenset[str]:
    questionnaire = assessment.questionnaire
    return asked_practices(catalog_for(assessment), tuple(questionnaire) if isinstance(questionnaire, list) else questionnaire)


def own_response(user: User, assessment: Assessment) -> Response | None:
    return db.session.scalar(sa.select(Response).where(Response.assessment_id == assessment.id, Response.user_id == user.id))


def join_as_respondent(user: User, assessment_id: int, role: str) -> Response:
    """The user's own response to the assessment, created with a role tag on first use."""
    assessment, org_role = assessment_or_404(user, assessment_id)
    if not permissions.can_answer(org_role):
        raise Forbidden()
    _require_open(assessment)
    if assessment.kind == "workshop":
        raise Conflict(_("This is a live workshop: participants join with its code, without an account."))
    if role not in ROLES:
        raise Invalid(_("Choose your role."))
    response = own_response(user, assessment)
    if response is None:
        response = Response(assessment_id=assessment.id, user_id=user.id, role=role, display_name=user.name)
        db.session.add(response)
    else:
        response.role = role
    db.session.commit()
    return response


@dataclass(frozen=True)
class AnswerInput:
    """One practice's answer as given: a value ("" or None clears it), a comment and evidence."""

    value: str | None
    comment: str | None = None
    evidence: str | None = None


def save_answer(
    user: User, assessment_id: int, practice_id: str, value: str | None, comment: str | None = None, evidence: str | None = None
) -> Answer | None:
    """Save (or with no value, clear) one answer of the user's own response."""
    return save_answers(user, assessment_id, {practice_id: AnswerInput(value, comment, evidence)}).get(practice_id)


def save_answers(user: User, assessment_id: int, given: Mapping[str, AnswerInput]) -> dict[str, Answer | None]:
    """Save several answers of the user's own response at once: all of them, or (on bad input) none."""
    assessment, _role = assessment_or_404(user, assessment_id)
    _require_open(assessment)
    return save_response_answers(_live_response(user, assessment), given)


def save_response_answers(response: Response, given: Mapping[str, AnswerInput]) -> dict[str, Answer | None]:
    """Save answers of one response (a user's, or a workshop participant's): all of them, or none.

    The callers check who the respondent is and that the assessment takes answers now.
    """
    questionnaire = asked(response.assessment)
    for practice_id, answer in given.items():
        _check_answer(questionnaire, practice_id, answer)
    saved = {practice_id: _apply_answer(response, practice_id, answer) for practice_id, answer in given.items()}
    db.session.commit()
    return saved


def _live_response(user: User, assessment: Assessment) -> Response:
    response = own_response(user, assessment)
    if response is None or response.removed_at is not None:
        raise Forbidden()
    return response


def _check_answer(questionnaire: frozenset[str], practice_id: str, answer: AnswerInput) -> None:
    if practice_id not in questionnaire:
        raise Invalid(_("This practice is not part of this questionnaire."))
    if answer.value not in (None, "", "0", "1", "2", "3", "na", "unknown"):
        raise Invalid(_("Choose one of the answers."))
    if answer.evidence not in (None, "", *EVIDENCE):
        raise Invalid(_("Choose how the answer is backed: claimed, shown or verified."))


def _apply_answer(response: Response, practice_id: str, given: AnswerInput) -> Answer | None:
    answer = db.session.scalar(sa.select(Answer).where(Answer.response_id == response.id, Answer.practice_id == practice_id))
    if not given.value:
        if answer is not None:
            db.session.delete(answer)
        return None
    if answer is None:
        answer = Answer(response_id=response.id, practice_id=practice_id, value=given.value)
        db.session.add(answer)
    answer.value = given.value
    answer.comment = (given.comment or "").strip()[:2000] or None
    answer.evidence = given.evidence or None
    answer.carried_over = False
    return answer


def mark_not_in_place(user: User, assessment_id: int, dimension_id: str, above_level: int) -> int:
    """Answer 0 for the dimension's unanswered practices above a level that is answered all 0.

    No level counts above one with coverage 0 (DESIGN.md, Scoring), so this only saves the
    respondent the clicks. Answers already given stay. Returns how many answers were added.
    """
    assessment, _role = assessment_or_404(user, assessment_id)
    _require_open(assessment)
    response = _live_response(user, assessment)
    page = progress_of(assessment, response).page(dimension_id)
    if page is None:
        raise NotFound()
    if page.zero_level() != above_level:
        raise Invalid(_("Only the levels above a level answered all 'not in place' can be skipped."))
    missing = page.open_above(above_level)
    for practice in missing:
        _apply_answer(response, practice.id, AnswerInput("0"))
    db.session.commit()
    return len(missing)


def submit_response(user: User, assessment_id: int) -> Response:
    assessment, _role = assessment_or_404(user, assessment_id)
    _require_open(assessment)
    response = own_response(user, assessment)
    if response is None:
        raise Forbidden()
    response.submitted_at = clock.now()
    db.session.commit()
    return response


def save_metric(user: User, assessment_id: int, metric_id: str, value: str | None) -> None:
    """The team's answer to one delivery-outcome question (a band id, a whole percentage, unknown)."""
    save_metrics(user, assessment_id, {metric_id: value})


def save_metrics(user: User, assessment_id: int, values: Mapping[str, str | None]) -> None:
    """The team's answers to several delivery-outcome questions: all of them, or (on bad input) none.

    The team shares one answer per metric, so anyone who may answer changes it for everyone.
    """
    assessment, role = assessment_or_404(user, assessment_id)
    if not permissions.can_answer(role):
        raise Forbidden()
    _require_open(assessment)
    metrics = {m.id: m for m in catalog_for(assessment).metrics}
    clean = {metric_id: _check_metric(metrics.get(metric_id), value) for metric_id, value in values.items()}
    for metric_id, value in clean.items():
        _apply_metric(user, assessment, metric_id, value)
    db.session.commit()


def _check_metric(metric: Metric | None, value: str | None) -> str:
    if metric is None:
        raise NotFound()
    value = (value or "").strip()
    if value and value != "unknown":
        if metric.unit == "percent":
            if not value.isdigit() or int(value) > 100:
                raise Invalid(_("Enter a whole percentage from 0 to 100."))
            value = str(int(value))
        elif value not in {b.id for b in metric.bands}:
            raise Invalid(_("Choose one of the answers."))
    return value


def _apply_metric(user: User, assessment: Assessment, metric_id: str, value: str) -> None:
    row = db.session.scalar(
        sa.select(MetricAnswer).where(MetricAnswer.assessment_id == assessment.id, MetricAnswer.metric_id == metric_id)
    )
    if not value:
        if row is not None:
            db.session.delete(row)
    elif row is None:
        db.session.add(MetricAnswer(assessment_id=assessment.id, metric_id=metric_id, value=value, updated_by_id=user.id))
    else:
        row.value, row.updated_by_id = value, user.id


def answer_set(assessment: Assessment) -> AnswerSet:
    """What the engine scores: every live response, consensus, profile and metric answers."""
    responses = tuple(
        EngineResponse(r.display_name or f"#{r.id}", {a.practice_id: _value(a.value) for a in r.answers}, r.role)
        for r in sorted(assessment.responses, key=lambda r: r.id)
        if r.removed_at is None
    )
    questionnaire = assessment.questionnaire
    return AnswerSet(
        responses=responses,
        questionnaire=tuple(questionnaire) if isinstance(questionnaire, list) else questionnaire,
        consensus={c.practice_id: _value(c.value) for c in assessment.consensus},
        profile=dict(assessment.profile or {}),
        metrics={m.metric_id: _value(m.value) for m in assessment.metric_answers},
    )


def _value(stored: str) -> Any:
    """Stored text back to an engine value: digits are numbers, the rest ("na", band ids) as is."""
    return int(stored) if stored.isdigit() else stored


def result_of(assessment: Assessment) -> Result:
    return score(catalog_for(assessment), answer_set(assessment))


def finalize(user: User, assessment_id: int) -> Assessment:
    """Close the assessment for good and store its scores as a snapshot."""
    assessment, role = assessment_or_404(user, assessment_id)
    if not permissions.can_finalize(role, is_lead(user, assessment.team_id)):
        raise Forbidden()
    if assessment.status == "finalized":
        raise Conflict(_("This assessment is already finalized."))
    catalog = catalog_for(assessment)
    assessment.result = result_to_dict(score(catalog, answer_set(assessment)), catalog)
    assessment.overall_score = assessment.result["overall"]["score"]
    assessment.summary = summary_of(assessment.result)
    assessment.status = "finalized"
    assessment.finalized_at = clock.now()
    assessment.finalized_by_id = user.id
    retrack_team(assessment.team_id)  # the team's roadmap items landed, progressed or slipped
    record(user, assessment.team.organisation_id, "assessment.finalize", f"assessment:{assessment.id}")
    db.session.commit()
    return assessment


def reopen(user: User, assessment_id: int, reason: str) -> Assessment:
    """An owner reopens a finalized assessment, only while no later iteration exists."""
    assessment, role = assessment_or_404(user, assessment_id)
    if not permissions.can_reopen(role):
        raise Forbidden()
    if assessment.status != "finalized":
        raise Conflict(_("Only a finalized assessment can be reopened."))
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_("Say why the assessment is reopened; the reason is kept in the audit log."))
    if later_assessment_exists(assessment):
        raise Conflict(_("A later assessment of this team exists, so this one can no longer be reopened."))
    assessment.status = "open"
    assessment.result = assessment.overall_score = assessment.summary = None
    assessment.finalized_at = None
    retrack_team(assessment.team_id)  # undo what this iteration showed about the roadmap
    record(user, assessment.team.organisation_id, "assessment.reopen", f"assessment:{assessment.id}", reason=reason)
    db.session.commit()
    return assessment


def later_assessment_exists(assessment: Assessment) -> bool:
    """Whether the team has an assessment of a later period (then this one can no longer be reopened)."""
    later = db.session.scalar(
        sa.select(Assessment.id).where(Assessment.team_id == assessment.team_id, Assessment.period > assessment.period)
    )
    return later is not None


def require_open(assessment: Assessment) -> None:
    """Conflict unless the assessment takes answers now (views check it before reading a form)."""
    _require_open(assessment)


def _require_open(assessment: Assessment) -> None:
    if assessment.status == "finalized":
        raise Conflict(_("This assessment is finalized: its answers can no longer change."))
    if assessment.status not in OPEN_STATES:
        raise Conflict(_("This assessment is not open for answers right now."))


def assessments_of_team(team: Team) -> list[Assessment]:
    return list(
        db.session.scalars(
            sa.select(Assessment).where(Assessment.team_id == team.id).order_by(Assessment.period.desc(), Assessment.id.desc())
        )
    )
