"""Assessments: start, answer, submit, finalize and reopen."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _

from .. import clock
from ..engine.answers import AnswerSet, asked_practices
from ..engine.answers import Response as EngineResponse
from ..engine.catalog import ROLES, Catalog
from ..engine.periods import is_period, quarter_of
from ..engine.scoring import Result, score
from ..engine.serialize import result_to_dict
from ..extensions import db
from ..store.assessments import EVIDENCE
from ..store.models import Answer, Assessment, MetricAnswer, Response, Team, User
from . import permissions
from .audit import record
from .catalogs import catalog_of, snapshot_for
from .errors import Conflict, Forbidden, Invalid, NotFound
from .teams import is_lead, team_or_404

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
        status="open",
        profile=dict(team.profile or {}),
        created_by_id=user.id,
    )
    db.session.add(assessment)
    db.session.flush()
    record(user, team.organisation_id, "assessment.start", f"assessment:{assessment.id}", period=period)
    db.session.commit()
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


def save_answer(
    user: User, assessment_id: int, practice_id: str, value: str | None, comment: str | None = None, evidence: str | None = None
) -> Answer | None:
    """Save (or with no value, clear) one answer of the user's own response."""
    assessment, _ = assessment_or_404(user, assessment_id)
    _require_open(assessment)
    response = own_response(user, assessment)
    if response is None or response.removed_at is not None:
        raise Forbidden()
    if practice_id not in asked(assessment):
        raise Invalid(_("This practice is not part of this questionnaire."))
    if value not in (None, "", "0", "1", "2", "3", "na", "unknown"):
        raise Invalid(_("Choose one of the answers."))
    if evidence not in (None, "", *EVIDENCE):
        raise Invalid(_("Choose how the answer is backed: claimed, shown or verified."))
    answer = db.session.scalar(sa.select(Answer).where(Answer.response_id == response.id, Answer.practice_id == practice_id))
    if not value:
        if answer is not None:
            db.session.delete(answer)
        db.session.commit()
        return None
    if answer is None:
        answer = Answer(response_id=response.id, practice_id=practice_id, value=value)
        db.session.add(answer)
    answer.value = value
    answer.comment = (comment or "").strip()[:2000] or None
    answer.evidence = evidence or None
    answer.carried_over = False
    db.session.commit()
    return answer


def submit_response(user: User, assessment_id: int) -> Response:
    assessment, _ = assessment_or_404(user, assessment_id)
    _require_open(assessment)
    response = own_response(user, assessment)
    if response is None:
        raise Forbidden()
    response.submitted_at = clock.now()
    db.session.commit()
    return response


def save_metric(user: User, assessment_id: int, metric_id: str, value: str | None) -> None:
    """The team's answer to one delivery-outcome question (a band id, a whole percentage, unknown)."""
    assessment, role = assessment_or_404(user, assessment_id)
    if not permissions.can_answer(role):
        raise Forbidden()
    _require_open(assessment)
    catalog = catalog_for(assessment)
    metric = next((m for m in catalog.metrics if m.id == metric_id), None)
    if metric is None:
        raise NotFound()
    value = (value or "").strip()
    if value and value != "unknown":
        if metric.unit == "percent":
            if not value.isdigit() or int(value) > 100:
                raise Invalid(_("Enter a whole percentage from 0 to 100."))
        elif value not in {b.id for b in metric.bands}:
            raise Invalid(_("Choose one of the answers."))
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
    db.session.commit()


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
    assessment.status = "finalized"
    assessment.finalized_at = clock.now()
    assessment.finalized_by_id = user.id
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
    later = db.session.scalar(
        sa.select(Assessment.id).where(Assessment.team_id == assessment.team_id, Assessment.period > assessment.period)
    )
    if later is not None:
        raise Conflict(_("A later assessment of this team exists, so this one can no longer be reopened."))
    assessment.status = "open"
    assessment.result = None
    assessment.finalized_at = None
    record(user, assessment.team.organisation_id, "assessment.reopen", f"assessment:{assessment.id}", reason=reason)
    db.session.commit()
    return assessment


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
