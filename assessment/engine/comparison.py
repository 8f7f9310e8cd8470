"""What changed between two iterations of a team's assessment (DESIGN.md, Quarterly progress review).

Takes two engine `Result`s (their aggregates are in `Result.practices`) and, optionally, the
targets of the team's accepted roadmap. Everything is exact (fractions). A dip is reported, not
smoothed: improvement often gets worse before it gets better (the J-curve), and a review that
hides it loses the team's trust.

Practices are compared on the number scoring uses (the aggregated answer; "don't know" and no
answer count as 0); N/A and practices not asked have no number, so they neither move up nor down.
Only practices and dimensions that both results know are compared (results of different catalog
versions should be re-scored onto one version first).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from .aggregate import NOT_ASKED, Aggregate, AggregateValue
from .answers import NA
from .delivery import DeliveryResult
from .scoring import Result, percent_to_target, progress_to_date

ONE = Fraction(1)


@dataclass(frozen=True)
class DimensionChange:
    id: str
    before: Fraction | None  # None: not scored (not measured or not applicable)
    after: Fraction | None
    level_before: int | None
    level_after: int | None
    target: int | None
    progress: Fraction | None  # progress to date toward the target; None unless target > before

    @property
    def change(self) -> Fraction | None:
        return None if self.before is None or self.after is None else self.after - self.before


@dataclass(frozen=True)
class PracticeMove:
    id: str
    dimension: str
    before: AggregateValue
    after: AggregateValue
    change: Fraction  # in answer steps (0-3)


@dataclass(frozen=True)
class MetricChange:
    id: str
    tier_before: int | None  # 5 is the best tier
    tier_after: int | None
    quick_check_before: Fraction | None
    quick_check_after: Fraction | None

    @property
    def tier_change(self) -> int | None:
        return None if self.tier_before is None or self.tier_after is None else self.tier_after - self.tier_before


@dataclass(frozen=True)
class Dip:
    """Something that went down: the overall score, a dimension, the delivery tier or a metric's tier."""

    kind: Literal["overall", "dimension", "delivery", "metric"]
    id: str | None  # the dimension or metric id
    before: Fraction
    after: Fraction


@dataclass(frozen=True)
class Comparison:
    overall_before: Fraction | None
    overall_after: Fraction | None
    level_before: int | None
    level_after: int | None
    dimensions: tuple[DimensionChange, ...]
    moved_up: tuple[PracticeMove, ...]
    moved_down: tuple[PracticeMove, ...]
    new_disagreements: tuple[str, ...]  # disagreement now, none before
    resolved_disagreements: tuple[str, ...]  # disagreement before, none now
    confidence_before: Fraction | None
    confidence_after: Fraction | None
    percent_to_target_before: Fraction | None
    percent_to_target_after: Fraction | None
    progress: Fraction | None  # share of the gap to the targets closed since `before`
    delivery_tier_before: int | None
    delivery_tier_after: int | None
    metrics: tuple[MetricChange, ...]
    dips: tuple[Dip, ...]

    @property
    def overall_change(self) -> Fraction | None:
        return _difference(self.overall_before, self.overall_after)

    @property
    def confidence_change(self) -> Fraction | None:
        return _difference(self.confidence_before, self.confidence_after)

    @property
    def delivery_tier_change(self) -> int | None:
        if self.delivery_tier_before is None or self.delivery_tier_after is None:
            return None
        return self.delivery_tier_after - self.delivery_tier_before

    @property
    def dipped(self) -> bool:
        return bool(self.dips)


def compare(before: Result, after: Result, targets: Mapping[str, int] | None = None) -> Comparison:
    """What changed from `before` to `after`; `targets` (dimension id -> level) give the percent to
    target and the progress to date."""
    targets = dict(targets or {})
    dimensions = _dimensions(before, after, targets)
    moves = _moves(before, after)
    pct_before = percent_to_target(_scores(before), targets)
    pct_after = percent_to_target(_scores(after), targets)
    progress = progress_to_date(pct_before, pct_after, ONE) if pct_before is not None and pct_after is not None else None
    metrics = _metrics(before.delivery, after.delivery)
    common = [pid for pid in after.practices if pid in before.practices]
    return Comparison(
        overall_before=before.overall_score,
        overall_after=after.overall_score,
        level_before=before.overall_level,
        level_after=after.overall_level,
        dimensions=dimensions,
        moved_up=tuple(m for m in moves if m.change > 0),
        moved_down=tuple(m for m in moves if m.change < 0),
        new_disagreements=tuple(
            pid for pid in common if after.practices[pid].disagreement and not before.practices[pid].disagreement
        ),
        resolved_disagreements=tuple(
            pid for pid in common if before.practices[pid].disagreement and not after.practices[pid].disagreement
        ),
        confidence_before=before.confidence,
        confidence_after=after.confidence,
        percent_to_target_before=pct_before,
        percent_to_target_after=pct_after,
        progress=progress,
        delivery_tier_before=before.delivery.tier,
        delivery_tier_after=after.delivery.tier,
        metrics=metrics,
        dips=_dips(before, after, dimensions, metrics),
    )


def _scores(result: Result) -> dict[str, Fraction]:
    return {d.id: d.score for d in result.dimensions if d.score is not None}


def _dimensions(before: Result, after: Result, targets: Mapping[str, int]) -> tuple[DimensionChange, ...]:
    earlier = {d.id: d for d in before.dimensions}
    changes = []
    for now in after.dimensions:
        then = earlier.get(now.id)
        if then is None:
            continue
        target = targets.get(now.id)
        progress = None
        if target is not None and then.score is not None and now.score is not None:
            progress = progress_to_date(then.score, now.score, Fraction(target))
        changes.append(DimensionChange(now.id, then.score, now.score, then.level, now.level, target, progress))
    return tuple(changes)


def number_of(aggregate: Aggregate) -> Fraction | None:
    """The number scoring counts for a practice: its answer, 0 for unknown or no answer; None for
    N/A and not asked (they are left out of the score, so they cannot move)."""
    if aggregate.value in (NA, NOT_ASKED):
        return None
    return aggregate.value if isinstance(aggregate.value, Fraction) else Fraction(0)


def _moves(before: Result, after: Result) -> list[PracticeMove]:
    moves = []
    for pid, now in after.practices.items():
        then = before.practices.get(pid)
        if then is None:
            continue
        a, b = number_of(then), number_of(now)
        if a is not None and b is not None and a != b:
            # a practice id is "<dimension>.<name>" (the catalog checks enforce it)
            moves.append(PracticeMove(pid, pid.split(".")[0], then.value, now.value, b - a))
    return moves


def _metrics(before: DeliveryResult, after: DeliveryResult) -> tuple[MetricChange, ...]:
    earlier = {m.id: m for m in before.metrics}
    return tuple(
        MetricChange(m.id, earlier[m.id].tier, m.tier, earlier[m.id].quick_check, m.quick_check)
        for m in after.metrics
        if m.id in earlier
    )


def _dips(
    before: Result, after: Result, dimensions: tuple[DimensionChange, ...], metrics: tuple[MetricChange, ...]
) -> tuple[Dip, ...]:
    dips = []
    if before.overall_score is not None and after.overall_score is not None and after.overall_score < before.overall_score:
        dips.append(Dip("overall", None, before.overall_score, after.overall_score))
    dips += [Dip("dimension", d.id, d.before, d.after) for d in dimensions if d.change is not None and d.change < 0]  # type: ignore[arg-type]
    tier_before, tier_after = before.delivery.tier, after.delivery.tier
    if tier_before is not None and tier_after is not None and tier_after < tier_before:
        dips.append(Dip("delivery", None, Fraction(tier_before), Fraction(tier_after)))
    dips += [
        Dip("metric", m.id, Fraction(m.tier_before), Fraction(m.tier_after))  # type: ignore[arg-type]
        for m in metrics
        if m.tier_change is not None and m.tier_change < 0
    ]
    return tuple(dips)


def _difference(before: Fraction | None, after: Fraction | None) -> Fraction | None:
    return None if before is None or after is None else after - before
