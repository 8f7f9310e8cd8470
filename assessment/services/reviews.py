"""Quarterly progress reviews: the next iteration of a team's assessment, pre-filled from the last one.

Each respondent of the last finalized assessment starts with their answers carried over
(DESIGN.md, "Quarterly progress review"); a carried-over answer counts like any other, and is
marked until its respondent confirms it or changes it.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _

from ..engine.answers import Questionnaire, asked_practices
from ..engine.catalog import Catalog
from ..engine.periods import first_free, next_period
from ..engine.versions import VersionMap, combine, map_questionnaire, version_map
from ..extensions import db
from ..store.models import Answer, Assessment, Membership, Response, Team, User
from . import permissions
from .assessments import _check_questionnaire, _value, assessment_or_404, catalog_for, own_response, require_open
from .audit import record
from .catalogs import current_catalog, snapshot_for, version_chain
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


def start_next_review(user: User, team_id: int, catalog: Catalog | None = None) -> Assessment:
    """A new assessment for the first free period after the last finalized one, answers carried over.

    It uses the current version of the last assessment's catalog (`catalogs.current_catalog`;
    `catalog` only overrides it in tests): when a newer version was imported since, answers
    follow its `replaces` map (renamed practices keep their answers, removed ones are dropped,
    merged ones take the lower answer, new ones start empty) and so does the questionnaire."""
    team, role = team_or_404(user, team_id)
    if not permissions.can_start_assessment(role, is_lead(user, team.id)):
        raise Forbidden()
    if team.archived_at is not None:
        raise Conflict(_("This team is archived. Restore it to start an assessment."))
    last = last_finalized(team.id)
    if last is None:
        raise Conflict(_("This team has no finalized assessment yet, so there is nothing to carry over."))
    pinned = catalog_for(last)
    catalog = catalog or current_catalog(pinned.id)
    vmap = version_map(version_chain(pinned, catalog))
    questionnaire = map_questionnaire(_engine_questionnaire(last.questionnaire), vmap)
    assessment = Assessment(
        team_id=team.id,
        snapshot_id=snapshot_for(catalog).id,
        period=first_free(next_period(last.period), _taken_periods(team)),
        kind="self",
        questionnaire=_check_questionnaire(catalog, list(questionnaire) if isinstance(questionnaire, tuple) else questionnaire),
        status="open",
        profile=dict(team.profile or {}),
        created_by_id=user.id,
    )
    db.session.add(assessment)
    db.session.flush()
    carried = _carry_over(last, assessment, vmap, _asked(catalog, assessment.questionnaire), _answering_members(team))
    detail = {"period": assessment.period, "from": f"assessment:{last.id}", "answers": carried}
    if vmap.old.version != catalog.version:
        detail["versions"] = f"{vmap.old.version} -> {catalog.version}"
    record(user, team.organisation_id, "assessment.next_review", f"assessment:{assessment.id}", **detail)
    db.session.commit()
    return assessment


def _engine_questionnaire(stored: object) -> Questionnaire:
    return tuple(stored) if isinstance(stored, list) else stored  # type: ignore[return-value]


def _taken_periods(team: Team) -> set[str]:
    return set(db.session.scalars(sa.select(Assessment.period).where(Assessment.team_id == team.id, Assessment.kind == "self")))


def _asked(catalog: Catalog, questionnaire: object) -> frozenset[str]:
    return asked_practices(catalog, _engine_questionnaire(questionnaire))


def _answering_members(team: Team) -> set[int]:
    """Users who may still answer for the team's organisation (a departed respondent is not carried over)."""
    rows = sa.select(Membership.user_id).where(
        Membership.organisation_id == team.organisation_id, Membership.role.in_(("owner", "facilitator", "member"))
    )
    return set(db.session.scalars(rows))


def _carry_over(last: Assessment, new: Assessment, vmap: VersionMap, asked: frozenset[str], members: set[int]) -> int:
    """Copy each live user respondent's answers that the new questionnaire still asks, under their
    ids in the new version; returns how many answers the new assessment starts with."""
    count = 0
    for old in sorted(last.responses, key=lambda r: r.id):
        if old.user_id is None or old.removed_at is not None or old.user_id not in members:
            continue
        response = Response(assessment_id=new.id, user_id=old.user_id, role=old.role, display_name=old.display_name)
        db.session.add(response)
        db.session.flush()
        moved: dict[str, list[Answer]] = {}
        for answer in old.answers:
            target = vmap.ids.get(answer.practice_id)
            if target is not None and target in asked:
                moved.setdefault(target, []).append(answer)
        for practice_id, answers in moved.items():
            db.session.add(_copy(_merged(answers), response, practice_id))
            count += 1
    return count


def _merged(answers: list[Answer]) -> Answer:
    """Of answers to practices merged into one, the one whose value the merge takes (`combine`):
    the new answer keeps its comment and evidence."""
    value = combine([_value(a.value) for a in answers])
    return next(a for a in answers if _value(a.value) == value)


def _copy(answer: Answer, response: Response, practice_id: str) -> Answer:
    return Answer(
        response_id=response.id,
        practice_id=practice_id,
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
