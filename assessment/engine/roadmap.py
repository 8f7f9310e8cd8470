"""The staged improvement roadmap (DESIGN.md, Roadmap): gaps, priority, stages, projections.

Same input, same roadmap: every ordering below ends in catalog order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from fractions import Fraction

from .aggregate import Aggregate, not_applicable_by_profile
from .answers import AnswerSet
from .catalog import EFFORT_COST, Catalog, Practice
from .periods import next_period
from .scoring import Result, score, score_dimension
from .stats import mean

DEFAULT_CAPACITY = 6
DEFAULT_STAGES = 4
FULL = Fraction(3)


@dataclass(frozen=True)
class Settings:
    targets: Mapping[str, int] = field(default_factory=dict)  # dimension id -> level; default current + 1
    capacity: int = DEFAULT_CAPACITY
    stages: int = DEFAULT_STAGES
    start_period: str | None = None  # e.g. "2027-Q1": stage labels are real periods
    stage_length: int = 1  # quarters per stage


@dataclass(frozen=True)
class Item:
    practice: Practice
    dimension: str
    value: Fraction  # the aggregated answer, with unknown / unanswered / not asked as 0
    effective_level: int
    requires: tuple[str, ...]  # gap prerequisites: placed strictly earlier
    unblocks: tuple[str, ...]  # gap items that wait on this one

    @property
    def id(self) -> str:
        return self.practice.id


@dataclass(frozen=True)
class Stage:
    number: int  # 1-based
    period: str | None
    items: tuple[Item, ...]
    projected: Mapping[str, Fraction | None]  # dimension id -> score once this and earlier stages are done
    projected_overall: Fraction | None


@dataclass(frozen=True)
class Roadmap:
    targets: Mapping[str, int]
    current: Mapping[str, Fraction | None]
    current_overall: Fraction | None
    stages: tuple[Stage, ...]
    backlog: tuple[Item, ...]
    dropped: tuple[Item, ...] = ()
    settings: Settings = field(default_factory=Settings)
    priority: tuple[str, ...] = ()  # every item id, most urgent first

    def items(self) -> list[Item]:
        return [item for stage in self.stages for item in stage.items] + list(self.backlog)

    def stage_of(self, practice_id: str) -> int | None:
        """The stage number holding the practice; None when in the backlog or not planned."""
        return next((s.number for s in self.stages for i in s.items if i.id == practice_id), None)


class PlanInvalid(ValueError):
    """An edit would break the plan's rules. `kind` says which (for a translated message) and
    the English message says it in full (for the command line)."""

    def __init__(self, kind: str, message: str, **details: object):
        super().__init__(message)
        self.kind = kind
        self.details = details


def default_targets(result: Result, given: Mapping[str, int]) -> dict[str, int]:
    """Target per dimension: as given but never below the current level; else current + 1 (max 5)."""
    targets = {}
    for dim in result.dimensions:
        if dim.status == "not_applicable":
            continue
        current = dim.level or 0
        if dim.id in given:
            targets[dim.id] = max(min(int(given[dim.id]), 5), current)
        elif dim.status == "scored":
            targets[dim.id] = min(current + 1, 5)
    return targets


def plan_roadmap(catalog: Catalog, answers: AnswerSet, settings: Settings | None = None) -> Roadmap:
    settings = settings or Settings()
    if settings.capacity < 1 or settings.stages < 1:
        raise PlanInvalid("settings", "capacity and the number of stages must be at least 1")
    result = score(catalog, answers)
    targets = default_targets(result, settings.targets)
    items = gap_items(catalog, result.practices, not_applicable_by_profile(catalog, answers.profile), targets)
    ordered = sorted(items.values(), key=_priority(catalog, result))
    assignment = _stage(ordered, settings)
    return _assemble(catalog, result, targets, {i.id: i for i in ordered}, assignment, settings)


def gap_items(
    catalog: Catalog, aggregates: Mapping[str, Aggregate], profile_na: frozenset[str], targets: Mapping[str, int]
) -> dict[str, Item]:
    """Practices up to their dimension's target below 3, plus their prerequisites below 3."""

    def open_gap(pid: str) -> bool:
        return pid not in profile_na and not aggregates[pid].is_na and _value(aggregates[pid]) < FULL

    wanted = [
        p.id
        for p in catalog.practices.values()
        if catalog.dimension_of[p.id] in targets and p.level <= targets[catalog.dimension_of[p.id]] and open_gap(p.id)
    ]
    gaps: set[str] = set()
    stack = list(wanted)
    while stack:
        pid = stack.pop()
        if pid in gaps:
            continue
        gaps.add(pid)
        stack += [r for r in catalog.practices[pid].requires if open_gap(r)]
    dependents = {pid: [q for q in gaps if pid in catalog.practices[q].requires] for pid in gaps}
    effective: dict[str, int] = {}

    def effective_level(pid: str) -> int:  # the urgency of what waits on it
        if pid not in effective:
            effective[pid] = min([catalog.practices[pid].level] + [effective_level(q) for q in dependents[pid]])
        return effective[pid]

    order = list(catalog.practices)
    return {
        pid: Item(
            practice=catalog.practices[pid],
            dimension=catalog.dimension_of[pid],
            value=_value(aggregates[pid]),
            effective_level=effective_level(pid),
            requires=tuple(r for r in catalog.practices[pid].requires if r in gaps),
            unblocks=tuple(sorted(dependents[pid], key=order.index)),
        )
        for pid in order
        if pid in gaps
    }


def _value(aggregate: Aggregate) -> Fraction:
    return aggregate.value if isinstance(aggregate.value, Fraction) else Fraction(0)


def _priority(catalog: Catalog, result: Result):
    order = {pid: i for i, pid in enumerate(catalog.practices)}
    dimension_score = {d.id: d.score if d.score is not None else Fraction(0) for d in result.dimensions}

    def key(item: Item) -> tuple:
        return (
            item.effective_level,
            0 if item.value < 2 else 1,
            -Fraction(item.practice.impact, EFFORT_COST[item.practice.effort]),
            dimension_score[item.dimension],
            order[item.id],
        )

    return key


def _stage(ordered: list[Item], settings: Settings) -> dict[str, int]:
    """Stage number per placed item; unplaced items go to the backlog."""
    placed: dict[str, int] = {}
    for number in range(1, settings.stages + 1):
        count = 0
        for item in ordered:
            if count == settings.capacity:
                break
            if item.id in placed:
                continue
            if all(placed.get(r, number) < number for r in item.requires):
                placed[item.id] = number
                count += 1
    return placed


def _assemble(
    catalog: Catalog,
    result: Result,
    targets: Mapping[str, int],
    items: Mapping[str, Item],
    assignment: Mapping[str, int],
    settings: Settings,
    dropped: tuple[Item, ...] = (),
) -> Roadmap:
    """The roadmap from a stage per item; `items` is in priority order, which stages keep."""
    stages = []
    done: set[str] = set()
    for number in range(1, settings.stages + 1):
        in_stage = tuple(i for i in items.values() if assignment.get(i.id) == number)
        done |= {i.id for i in in_stage}
        projected = project(catalog, result, done)
        stages.append(
            Stage(number, _period(settings, number), in_stage, projected, mean([projected[d.id] for d in result.dimensions]))
        )
    backlog = tuple(i for i in items.values() if i.id not in assignment and i not in dropped)
    current = {d.id: d.score for d in result.dimensions}
    return Roadmap(targets, current, result.overall_score, tuple(stages), backlog, dropped, settings, tuple(items))


def _period(settings: Settings, number: int) -> str | None:
    if settings.start_period is None:
        return None
    return next_period(settings.start_period, (number - 1) * settings.stage_length)


def project(catalog: Catalog, result: Result, done: set[str]) -> dict[str, Fraction | None]:
    """Dimension scores if the practices in `done` were fully in place (answer 3)."""
    aggregates = {pid: replace(agg, value=FULL) if pid in done else agg for pid, agg in result.practices.items()}
    return {d.id: score_dimension(d, aggregates).score for d in catalog.dimensions}


def apply_edits(catalog: Catalog, answers: AnswerSet, roadmap: Roadmap, moves: Mapping[str, int | None]) -> Roadmap:
    """The roadmap with items moved (practice -> stage number) or dropped (-> None).

    Refused with PlanInvalid when a prerequisite would not come strictly earlier, when a
    stage would exceed its capacity, or when a dropped item is still needed by a planned one."""
    result = score(catalog, answers)
    known = {i.id: i for i in roadmap.items() + list(roadmap.dropped)}
    items = {pid: known[pid] for pid in roadmap.priority}
    assignment = {i.id: s.number for s in roadmap.stages for i in s.items}
    dropped = {i.id for i in roadmap.dropped}
    for pid, stage in moves.items():
        if pid not in items:
            raise PlanInvalid("unknown", f"'{pid}' is not an item of this roadmap", practice=pid)
        assignment.pop(pid, None)
        dropped.discard(pid)
        if stage is None:
            dropped.add(pid)
        elif not 1 <= stage <= roadmap.settings.stages:
            raise PlanInvalid("no_stage", f"there is no stage {stage}", stage=stage)
        else:
            assignment[pid] = stage
    _check(items, assignment, dropped, roadmap.settings.capacity)
    return _assemble(
        catalog,
        result,
        roadmap.targets,
        items,
        assignment,
        roadmap.settings,
        tuple(items[pid] for pid in items if pid in dropped),
    )


def _check(items: Mapping[str, Item], assignment: Mapping[str, int], dropped: set[str], capacity: int) -> None:
    for pid, stage in assignment.items():
        for required in items[pid].requires:
            if required in dropped:
                raise PlanInvalid(
                    "needs_dropped", f"'{pid}' needs '{required}', which is dropped", practice=pid, required=required
                )
            if required not in assignment:
                raise PlanInvalid(
                    "needs_unplanned", f"'{pid}' needs '{required}' first, which is in no stage", practice=pid, required=required
                )
            if assignment[required] >= stage:
                raise PlanInvalid(
                    "needs_earlier",
                    f"'{pid}' needs '{required}' first, which would come in the same or a later stage",
                    practice=pid,
                    required=required,
                )
    for stage in set(assignment.values()):
        if sum(1 for s in assignment.values() if s == stage) > capacity:
            raise PlanInvalid("capacity", f"stage {stage} would hold more than {capacity} items", stage=stage, capacity=capacity)
