"""The roadmap page as plain values: the plan a user sees (a draft, an accepted roadmap, or the
plan proposed with the default settings), its settings, and every item with the reasons for its
place and its guidance, in the user's language. Templates get strings and numbers, never rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

import sqlalchemy as sa

from ..engine import roadmap as engine
from ..engine.aggregate import Aggregate
from ..engine.catalog import EFFORT_COST, Catalog
from ..engine.periods import next_period
from ..engine.scoring import Result, score
from ..extensions import db
from ..store.models import Roadmap, RoadmapItem, User
from .assessments import answer_set, catalog_for
from .result_values import Guidance
from .roadmaps import accepted_roadmap, access_of, plan_of, proposed_plan, shown_roadmap
from .teams import team_or_404


@dataclass(frozen=True)
class Tracking:
    status: str  # planned, in_progress, done, dropped
    owner: str | None
    notes: str | None


@dataclass(frozen=True)
class ItemView:
    practice_id: str
    statement: str
    dimension_id: str
    dimension_name: str
    level: int
    effective_level: int  # lower than `level` when a more urgent item needs this one first
    answer: str  # the aggregated answer: "0".."3", "1.5", "unknown", "unanswered" or "not_asked"
    impact: int
    effort: str  # S, M, L
    impact_per_effort: float
    needed_by: tuple[str, ...]  # statements of the items that make it urgent
    unblocks: tuple[str, ...]  # statements of the other items that wait on it
    guidance: Guidance
    stage: int | None
    tracking: Tracking | None = None  # once accepted


@dataclass(frozen=True)
class StageView:
    number: int
    period: str | None
    items: tuple[ItemView, ...]
    overall: float | None  # projected overall score once this stage and the earlier ones are done


@dataclass(frozen=True)
class DimensionRow:
    id: str
    name: str
    status: str  # scored, not_applicable, not_measured
    score: float | None
    level: int | None
    target: int | None
    projected: tuple[float | None, ...]  # after each stage


@dataclass(frozen=True)
class RoadmapPage:
    assessment_id: int
    team_id: int
    team_name: str
    period: str
    finalized: bool
    mode: str  # "draft", "accepted", or "proposed" (the default plan; nothing stored yet)
    planner: bool  # may change the draft and accept it
    tracker: bool  # may update the items of an accepted roadmap
    accepted_by: str | None
    accepted_on: str | None  # ISO date
    capacity: int
    stage_length: int
    start_period: str
    current_overall: float | None
    dimensions: tuple[DimensionRow, ...]
    stages: tuple[StageView, ...]
    backlog: tuple[ItemView, ...]
    dropped: tuple[ItemView, ...]
    replans: str | None = None  # a re-plan's draft: the period of the roadmap it will replace
    superseded_id: int | None = None  # the roadmap once accepted from this assessment, since re-planned

    @property
    def editable(self) -> bool:
        return self.planner and self.mode != "accepted"

    @property
    def item_count(self) -> int:
        return sum(len(s.items) for s in self.stages) + len(self.backlog)


def roadmap_page(user: User, assessment_id: int, lang: str) -> RoadmapPage:
    access = access_of(user, assessment_id)
    stored = shown_roadmap(user, assessment_id)
    plan = plan_of(stored) if stored is not None else proposed_plan(user, assessment_id)
    assessment = access.assessment
    catalog = catalog_for(assessment)
    result = score(catalog, answer_set(assessment))
    items = _item_views(catalog, result, plan, _tracking(stored), lang)
    accepted = stored is not None and stored.status == "accepted"
    return RoadmapPage(
        assessment_id=assessment.id,
        team_id=assessment.team_id,
        team_name=assessment.team.name,
        period=assessment.period,
        finalized=assessment.status == "finalized",
        mode=stored.status if stored is not None else "proposed",
        planner=access.planner,
        tracker=access.tracker,
        accepted_by=stored.accepted_by.name if accepted and stored.accepted_by else None,
        accepted_on=stored.accepted_at.date().isoformat() if accepted and stored.accepted_at else None,
        capacity=plan.settings.capacity,
        stage_length=plan.settings.stage_length,
        start_period=plan.settings.start_period or next_period(assessment.period),
        current_overall=_float(plan.current_overall),
        dimensions=_dimension_rows(catalog, result, plan, lang),
        stages=tuple(
            StageView(s.number, s.period, tuple(items[i.id] for i in s.items), _float(s.projected_overall)) for s in plan.stages
        ),
        backlog=tuple(items[i.id] for i in plan.backlog),
        dropped=tuple(items[i.id] for i in plan.dropped),
        replans=_replans(stored),
        superseded_id=None if accepted else _superseded(assessment.id),
    )


def _superseded(assessment_id: int) -> int | None:
    """The roadmap accepted from this assessment and since superseded by a re-plan, if any."""
    return db.session.scalar(
        sa.select(Roadmap.id).where(Roadmap.assessment_id == assessment_id, Roadmap.status == "superseded").limit(1)
    )


def _replans(stored: Roadmap | None) -> str | None:
    """For a re-plan's draft, the period of the accepted roadmap it re-plans."""
    if stored is None or stored.status != "draft" or stored.replanned_from_id is None:
        return None
    earlier = db.session.get(Roadmap, stored.replanned_from_id)
    return earlier.assessment.period if earlier is not None and earlier.status == "accepted" else None


def _tracking(stored: Roadmap | None) -> Mapping[str, RoadmapItem]:
    if stored is None or stored.status != "accepted":
        return {}
    return {item.practice_id: item for item in stored.items}


def _item_views(
    catalog: Catalog, result: Result, plan: engine.Roadmap, tracked: Mapping[str, RoadmapItem], lang: str
) -> dict[str, ItemView]:
    every = {i.id: i for i in plan.items() + list(plan.dropped)}
    stage_of = {i.id: s.number for s in plan.stages for i in s.items}
    names = {d.id: d.name.get(lang) for d in catalog.dimensions}

    def statement(pid: str) -> str:
        return catalog.practices[pid].statement.get(lang)

    views = {}
    for pid, item in every.items():
        urgent = [
            q
            for q in item.unblocks
            if item.effective_level < item.practice.level and every[q].effective_level == item.effective_level
        ]
        practice = item.practice
        views[pid] = ItemView(
            practice_id=pid,
            statement=statement(pid),
            dimension_id=item.dimension,
            dimension_name=names[item.dimension],
            level=practice.level,
            effective_level=item.effective_level,
            answer=_answer(result.practices[pid]),
            impact=practice.impact,
            effort=practice.effort,
            impact_per_effort=round(practice.impact / EFFORT_COST[practice.effort], 2),
            needed_by=tuple(statement(q).rstrip(".。") for q in urgent),
            unblocks=tuple(statement(q).rstrip(".。") for q in item.unblocks if q not in urgent),
            guidance=_guidance(catalog, pid, lang),
            stage=stage_of.get(pid),
            tracking=_tracked(tracked.get(pid)),
        )
    return views


def _tracked(item: RoadmapItem | None) -> Tracking | None:
    return Tracking(item.status, item.owner, item.notes) if item is not None else None


def _guidance(catalog: Catalog, practice_id: str, lang: str) -> Guidance:
    g = catalog.practices[practice_id].guidance
    return Guidance(g.why.get(lang), g.first_steps.get(lang), g.success.get(lang), g.pitfalls.get(lang))


def _answer(aggregate: Aggregate) -> str:
    value = aggregate.value
    if isinstance(value, Fraction):
        return str(value.numerator) if value.denominator == 1 else f"{float(value):g}"
    return str(value)


def _dimension_rows(catalog: Catalog, result: Result, plan: engine.Roadmap, lang: str) -> tuple[DimensionRow, ...]:
    return tuple(
        DimensionRow(
            id=d.id,
            name=catalog.dimensions[i].name.get(lang),
            status=d.status,
            score=_float(d.score),
            level=d.level,
            target=plan.targets.get(d.id),
            projected=tuple(_float(s.projected.get(d.id)) for s in plan.stages),
        )
        for i, d in enumerate(result.dimensions)
        if d.status != "not_applicable"
    )


def _float(value: Fraction | None) -> float | None:
    return float(value) if value is not None else None


@dataclass(frozen=True)
class TeamRoadmap:
    """A team's accepted roadmap in brief, for the team page."""

    assessment_id: int
    period: str
    accepted_by: str | None
    accepted_on: str | None
    achieved: int  # of those, the ones a later assessment showed fully in place (services.tracking)
    total: int  # items in a stage and not dropped


def team_roadmap(user: User, team_id: int) -> TeamRoadmap | None:
    team_or_404(user, team_id)
    roadmap = accepted_roadmap(team_id)
    if roadmap is None:
        return None
    kept = [item for item in roadmap.items if item.stage is not None and item.status != "dropped"]
    return TeamRoadmap(
        assessment_id=roadmap.assessment_id,
        period=roadmap.assessment.period,
        accepted_by=roadmap.accepted_by.name if roadmap.accepted_by else None,
        accepted_on=roadmap.accepted_at.date().isoformat() if roadmap.accepted_at else None,
        achieved=sum(1 for item in kept if item.tracking == "achieved"),
        total=len(kept),
    )
