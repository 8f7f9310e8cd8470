"""Quarterly progress reviews: the next iteration of a team's assessment, pre-filled from the last one.

Each respondent of the last finalized assessment starts with their answers carried over
(DESIGN.md, "Quarterly progress review"); a carried-over answer counts like any other, and is
marked until its respondent confirms it or changes it.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _

from ..engine.answers import asked_practices
from ..engine.catalog import Catalog
from ..engine.periods import first_free, next_period
from ..extensions import db
from ..store.models import Answer, Assessment, Membership, Response, Team, User
from . import permissions
from .assessments import _check_questionnaire, assessment_or_404, catalog_for, own_response, require_open
from .audit import record
from .catalogs import snapshot_for
from .errors import Conflict, Forbidden, NotFound
from .progress import progress_of
from .teams import is_lead, team_or_404


def last_finalized(team_id: int) -> Assessment | None:
    """The team's latest finalized self-assessment: the one a next review starts from."""
    return db.session.scalar(
        sa.select(Assessment)
        .where(Assessment.team_id == team_id, Assessment.kind == "self", Assessment.status == "finalized")
        .order_by(Assessment.period.desc(), Assessment.id.desc())
        .limit(1)
    )


def start_next_review(user: User, team_id: int, catalog: Catalog) -> Assessment:
    """A new assessment for the first free period after the last finalized one, answers carried over."""
    team, role = team_or_404(user, team_id)
    if not permissions.can_start_assessment(role, is_lead(user, team.id)):
        raise Forbidden()
    if team.archived_at is not None:
        raise Conflict(_("This team is archived. Restore it to start an assessment."))
    last = last_finalized(team.id)
    if last is None:
        raise Conflict(_("This team has no finalized assessment yet, so there is nothing to carry over."))
    assessment = Assessment(
        team_id=team.id,
        snapshot_id=snapshot_for(catalog).id,
        period=first_free(next_period(last.period), _taken_periods(team)),
        kind="self",
        questionnaire=_check_questionnaire(catalog, last.questionnaire),
        status="open",
        profile=dict(team.profile or {}),
        created_by_id=user.id,
    )
    db.session.add(assessment)
    db.session.flush()
    carried = _carry_over(last, assessment, _asked(catalog, assessment.questionnaire), _answering_members(team))
    detail = {"period": assessment.period, "from": f"assessment:{last.id}", "answers": carried}
    record(user, team.organisation_id, "assessment.next_review", f"assessment:{assessment.id}", **detail)
    db.session.commit()
    return assessment


def _taken_periods(team: Team) -> set[str]:
    return set(db.session.scalars(sa.select(Assessment.period).where(Assessment.team_id == team.id, Assessment.kind == "self")))


def _asked(catalog: Catalog, questionnaire: object) -> frozenset[str]:
    return asked_practices(catalog, tuple(questionnaire) if isinstance(questionnaire, list) else questionnaire)


def _answering_members(team: Team) -> set[int]:
    """Users who may still answer for the team's organisation (a departed respondent is not carried over)."""
    rows = sa.select(Membership.user_id).where(
        Membership.organisation_id == team.organisation_id, Membership.role.in_(("owner", "facilitator", "member"))
    )
    return set(db.session.scalars(rows))


def _carry_over(last: Assessment, new: Assessment, asked: frozenset[str], members: set[int]) -> int:
    """Copy each live user respondent's answers that the new questionnaire still asks; returns how many."""
    count = 0
    for old in sorted(last.responses, key=lambda r: r.id):
        if old.user_id is None or old.removed_at is not None or old.user_id not in members:
            continue
        response = Response(assessment_id=new.id, user_id=old.user_id, role=old.role, display_name=old.display_name)
        db.session.add(response)
        db.session.flush()
        for answer in old.answers:
            if answer.practice_id in asked:
                db.session.add(_copy(answer, response))
                count += 1
    return count


def _copy(answer: Answer, response: Response) -> Answer:
    return Answer(
        response_id=response.id,
        practice_id=answer.practice_id,
        value=answer.value,
        comment=answer.comment,
        evidence=answer.evidence,
        carried_over=True,
    )


def carried_over_count(response: Response | None, practice_ids: set[str]) -> int:
    """How many of these practices' answers the respondent has not confirmed since they were carried over."""
    if response is None:
        return 0
    return sum(1 for a in response.answers if a.carried_over and a.practice_id in practice_ids)


def confirm_carried_over(user: User, assessment_id: int, dimension_id: str) -> int:
    """Keep the user's carried-over answers of one dimension as they are; returns how many were confirmed."""
    assessment, _role = assessment_or_404(user, assessment_id)
    require_open(assessment)
    response = own_response(user, assessment)
    if response is None or response.removed_at is not None:
        raise Forbidden()
    if progress_of(assessment, response).page(dimension_id) is None:
        raise NotFound()
    practice_ids = {p.id for p in catalog_for(assessment).dimension(dimension_id).practices}
    confirmed = [a for a in response.answers if a.carried_over and a.practice_id in practice_ids]
    for answer in confirmed:
        answer.carried_over = False
    db.session.commit()
    return len(confirmed)
