"""Roadmaps: draft one from an assessment, adjust it, accept it (sign-off), track its items.

A draft stores only the user's settings and moves; the plan itself is recomputed by the engine
(same input, same plan). Accepting writes the items, which are then tracked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _

from .. import clock
from ..engine import roadmap as engine
from ..engine.catalog import Catalog
from ..engine.periods import is_period, next_period
from ..extensions import db
from ..language import current_language
from ..store.models import Assessment, Roadmap, RoadmapItem, User
from ..store.roadmaps import ITEM_STATUSES
from . import permissions
from .assessments import answer_set, assessment_or_404, catalog_for
from .audit import record
from .errors import Conflict, Forbidden, Invalid, NotFound, ServiceError
from .teams import is_lead, team_or_404
from .tracking import retrack_team


def roadmap_or_404(user: User, roadmap_id: int) -> tuple[Roadmap, str]:
    roadmap = db.session.get(Roadmap, roadmap_id)
    if roadmap is None:
        raise NotFound()
    _, role = team_or_404(user, roadmap.team_id)
    return roadmap, role


def _require_planner(user: User, roadmap: Roadmap, role: str) -> None:
    if not permissions.can_start_assessment(role, is_lead(user, roadmap.team_id)):
        raise Forbidden()


def plan_of(roadmap: Roadmap) -> engine.Roadmap:
    """The engine's plan for this roadmap: computed from its assessment, settings and moves."""
    assessment = roadmap.assessment
    catalog, answers = catalog_for(assessment), answer_set(assessment)
    settings = engine.Settings(
        targets={k: int(v) for k, v in (roadmap.targets or {}).items()},
        capacity=roadmap.capacity,
        stages=roadmap.stages,
        start_period=roadmap.start_period,
        stage_length=roadmap.stage_length,
    )
    plan = engine.plan_roadmap(catalog, answers, settings)
    moves = _moves(roadmap)
    known = set(plan.priority)
    return engine.apply_edits(catalog, answers, plan, {k: v for k, v in moves.items() if k in known})


def _moves(roadmap: Roadmap) -> dict[str, int | None]:
    if roadmap.status == "draft":
        return dict(roadmap.edits or {})
    # An accepted plan as accepted: items keep their stage whatever their tracking status (a
    # planned item may need one marked dropped since), and the backlog stays the backlog.
    return {item.practice_id: item.stage for item in roadmap.items if item.stage is not None or item.status == "dropped"}


def draft_for(user: User, assessment_id: int) -> Roadmap:
    """The assessment's draft roadmap, created with the default settings on first use."""
    roadmap = _draft(user, assessment_id)
    db.session.commit()
    return roadmap


def _draft(user: User, assessment_id: int) -> Roadmap:
    """The assessment's draft, added to the session (not committed) when there is none yet."""
    assessment, role = assessment_or_404(user, assessment_id)
    existing = db.session.scalar(sa.select(Roadmap).where(Roadmap.assessment_id == assessment.id, Roadmap.status == "draft"))
    if existing is not None:
        return existing
    if not permissions.can_start_assessment(role, is_lead(user, assessment.team_id)):
        raise Forbidden()
    roadmap = Roadmap(
        team_id=assessment.team_id,
        assessment_id=assessment.id,
        status="draft",
        targets={},
        edits={},
        start_period=next_period(assessment.period),
        created_by_id=user.id,
    )
    db.session.add(roadmap)
    db.session.flush()
    return roadmap


def configure(
    user: User, roadmap_id: int, targets: dict[str, Any], capacity: int, stages: int, start_period: str, stage_length: int = 1
) -> Roadmap:
    """Change a draft's targets, capacity, stages or start; the moves made so far are reset."""
    roadmap, role = roadmap_or_404(user, roadmap_id)
    _require_planner(user, roadmap, role)
    _require_draft(roadmap)
    catalog = catalog_for(roadmap.assessment)
    dimensions = {d.id for d in catalog.dimensions}
    clean = {k: int(v) for k, v in targets.items() if v not in (None, "")}
    if any(k not in dimensions or not 1 <= v <= 5 for k, v in clean.items()):
        raise Invalid(_("Choose a target level from 1 to 5 for each dimension."))
    if not 1 <= capacity <= 30 or not 1 <= stages <= 12 or not 1 <= stage_length <= 4:
        raise Invalid(_("Choose 1 to 30 items per stage, 1 to 12 stages, and stages of 1 to 4 quarters."))
    if not is_period(start_period):
        raise Invalid(_("Write the first period as a year and quarter, such as 2027-Q1."))
    roadmap.targets, roadmap.capacity, roadmap.stages = clean, capacity, stages
    roadmap.start_period, roadmap.stage_length, roadmap.edits = start_period, stage_length, {}
    db.session.commit()
    return roadmap


def move(user: User, roadmap_id: int, practice_id: str, stage: int | None) -> Roadmap:
    """Move a draft's item to another stage (or drop it: stage None); refused with the reason
    when a prerequisite would not come first or a stage would be over capacity."""
    roadmap, role = roadmap_or_404(user, roadmap_id)
    _require_planner(user, roadmap, role)
    _require_draft(roadmap)
    edits = dict(roadmap.edits or {})
    edits[practice_id] = stage
    roadmap.edits = edits
    try:
        plan_of(roadmap)
    except engine.PlanInvalid as refused:
        db.session.rollback()
        raise Invalid(refusal(refused, catalog_for(roadmap.assessment))) from None
    db.session.commit()
    return roadmap


def refusal(refused: engine.PlanInvalid, catalog: Catalog) -> str:
    """The engine's reason in the user's language, naming practices by their statements."""
    lang = current_language()

    def statement(pid: object) -> str:
        practice = catalog.practices.get(str(pid))
        return practice.statement.get(lang) if practice else str(pid)

    details = refused.details
    messages = {
        "needs_earlier": _(
            "“%(practice)s” needs “%(required)s” in an earlier stage.",
            practice=statement(details.get("practice")),
            required=statement(details.get("required")),
        ),
        "needs_unplanned": _(
            "“%(practice)s” needs “%(required)s”, which is not in any stage yet.",
            practice=statement(details.get("practice")),
            required=statement(details.get("required")),
        ),
        "needs_dropped": _(
            "“%(practice)s” needs “%(required)s”; drop or move it after that one first.",
            practice=statement(details.get("practice")),
            required=statement(details.get("required")),
        ),
        "capacity": _(
            "Stage %(stage)s is full (%(capacity)s items). Raise the capacity or move another item out.",
            stage=details.get("stage"),
            capacity=details.get("capacity"),
        ),
        "no_stage": _("There is no stage %(stage)s.", stage=details.get("stage")),
    }
    return str(messages.get(refused.kind, _("This change is not possible.")))


def accept(user: User, roadmap_id: int) -> Roadmap:
    """The sponsor's sign-off: the plan's items are stored for tracking; an earlier accepted
    roadmap of the team is superseded (its items and history stay)."""
    roadmap, role = roadmap_or_404(user, roadmap_id)
    _require_planner(user, roadmap, role)
    _require_draft(roadmap)
    if roadmap.assessment.status != "finalized":
        raise Conflict(_("Finalize the assessment before accepting its roadmap."))
    plan = plan_of(roadmap)
    stage_of = {item.id: stage.number for stage in plan.stages for item in stage.items}
    dropped = {item.id for item in plan.dropped}
    for position, pid in enumerate(plan.priority):
        roadmap.items.append(
            RoadmapItem(
                practice_id=pid, position=position, stage=stage_of.get(pid), status="dropped" if pid in dropped else "planned"
            )
        )
    for previous in db.session.scalars(
        sa.select(Roadmap).where(Roadmap.team_id == roadmap.team_id, Roadmap.status == "accepted")
    ):
        previous.status = "superseded"
        roadmap.replanned_from_id = previous.id
    _carry_over_ownership(roadmap)
    roadmap.status, roadmap.accepted_by_id, roadmap.accepted_at = "accepted", user.id, clock.now()
    retrack_team(roadmap.team_id)  # iterations after its assessment may have moved its items already
    record(user, roadmap.assessment.team.organisation_id, "roadmap.accept", f"roadmap:{roadmap.id}")
    db.session.commit()
    return roadmap


def _carry_over_ownership(roadmap: Roadmap) -> None:
    """A re-plan keeps who owns an item still to do, its notes, and that it is in progress."""
    earlier = db.session.get(Roadmap, roadmap.replanned_from_id) if roadmap.replanned_from_id else None
    if earlier is None:
        return
    before = {item.practice_id: item for item in earlier.items}
    for item in roadmap.items:
        old = before.get(item.practice_id)
        if old is not None and item.status != "dropped":
            item.owner, item.notes = old.owner, old.notes
            item.status = "in_progress" if old.status == "in_progress" else item.status


def update_item(user: User, item_id: int, status: str, owner: str | None, notes: str | None) -> RoadmapItem:
    item = db.session.get(RoadmapItem, item_id)
    if item is None:
        raise NotFound()
    roadmap, role = roadmap_or_404(user, item.roadmap_id)
    if not permissions.can_answer(role):
        raise Forbidden()
    if roadmap.status != "accepted":
        raise Conflict(_("Only the items of an accepted roadmap are tracked."))
    if status not in ITEM_STATUSES:
        raise Invalid(_("Choose a status."))
    item.status = status
    item.owner = (owner or "").strip()[:120] or None
    item.notes = (notes or "").strip()[:4000] or None
    record(user, roadmap.assessment.team.organisation_id, "roadmap.item", f"roadmap_item:{item.id}", status=status)
    db.session.commit()
    return item


def accepted_roadmap(team_id: int) -> Roadmap | None:
    return db.session.scalar(sa.select(Roadmap).where(Roadmap.team_id == team_id, Roadmap.status == "accepted"))


def _require_draft(roadmap: Roadmap) -> None:
    if roadmap.status != "draft":
        raise Conflict(_("This roadmap is accepted; its plan no longer changes. Track its items instead."))


# The web pages' use cases: by assessment, since a planner's draft is made by the first change
# (showing a roadmap writes nothing), and read-only plans for those who do not plan.


@dataclass(frozen=True)
class Access:
    assessment: Assessment
    role: str
    planner: bool  # may change the draft and accept it: staff, or a member who leads the team
    tracker: bool  # may update the items of an accepted roadmap


def access_of(user: User, assessment_id: int) -> Access:
    assessment, role = assessment_or_404(user, assessment_id)
    planner = permissions.can_start_assessment(role, is_lead(user, assessment.team_id))
    return Access(assessment, role, planner, permissions.can_answer(role))


def shown_roadmap(user: User, assessment_id: int) -> Roadmap | None:
    """The roadmap a user sees for an assessment: its accepted one, else (for planners) its
    draft; None when the user sees the plan proposed with the default settings."""
    access = access_of(user, assessment_id)
    states = ("accepted", "draft") if access.planner else ("accepted",)
    found = db.session.scalars(
        sa.select(Roadmap).where(Roadmap.assessment_id == access.assessment.id, Roadmap.status.in_(states))
    )
    return min(found, key=lambda r: states.index(r.status), default=None)


def proposed_plan(user: User, assessment_id: int) -> engine.Roadmap:
    """The plan with the default settings, for anyone who may read the assessment; stores nothing."""
    assessment, _role = assessment_or_404(user, assessment_id)
    settings = engine.Settings(start_period=next_period(assessment.period))
    return engine.plan_roadmap(catalog_for(assessment), answer_set(assessment), settings)


def configure_draft(
    user: User, assessment_id: int, targets: dict[str, Any], capacity: int, stages: int, start_period: str, stage_length: int = 1
) -> Roadmap:
    """`configure` on the assessment's draft, drafting it first."""
    return _in_draft(
        user, assessment_id, lambda roadmap_id: configure(user, roadmap_id, targets, capacity, stages, start_period, stage_length)
    )


def move_in_draft(user: User, assessment_id: int, practice_id: str, stage: int | None) -> Roadmap:
    """`move` on the assessment's draft, drafting it first."""
    return _in_draft(user, assessment_id, lambda roadmap_id: move(user, roadmap_id, practice_id, stage))


def accept_draft(user: User, assessment_id: int) -> Roadmap:
    """`accept` on the assessment's draft (as proposed when nobody changed it yet)."""
    return _in_draft(user, assessment_id, lambda roadmap_id: accept(user, roadmap_id))


def _in_draft(user: User, assessment_id: int, change: Callable[[int], Roadmap]) -> Roadmap:
    """A change to the draft; refused, it leaves nothing behind, not even a new draft."""
    try:
        return change(_draft(user, assessment_id).id)
    except ServiceError:
        db.session.rollback()
        raise


def item_of(user: User, assessment_id: int, practice_id: str) -> RoadmapItem:
    """The practice's item in the assessment's accepted roadmap; NotFound when there is none."""
    assessment, _role = assessment_or_404(user, assessment_id)
    item = db.session.scalar(
        sa.select(RoadmapItem)
        .join(Roadmap)
        .where(Roadmap.assessment_id == assessment.id, Roadmap.status == "accepted", RoadmapItem.practice_id == practice_id)
    )
    if item is None:
        raise NotFound()
    return item
