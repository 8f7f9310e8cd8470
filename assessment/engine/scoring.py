"""Scores from aggregated answers (DESIGN.md, Scoring), computed exactly with fractions.

Level coverage c(d, L) is the weighted mean adoption of a dimension's asked, applicable
practices at level L; the dimension score is the sum over L of min(c(d,1), ..., c(d,L)), so a
level counts only as far as every level below it is in place.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from .aggregate import NOT_ASKED, Aggregate, aggregate
from .answers import AnswerSet
from .catalog import Catalog, Dimension
from .delivery import DeliveryResult, delivery_performance
from .stats import mean

LEVELS = (1, 2, 3, 4, 5)
ONE = Fraction(1)


@dataclass(frozen=True)
class DimensionResult:
    id: str
    area: str
    status: Literal["scored", "not_applicable", "not_measured"]
    score: Fraction | None
    level: int | None
    coverage: tuple[Fraction, ...]  # levels 1..5
    measured: tuple[bool, ...]  # False for a level whose practices were all left out
    capping: tuple[str, ...]  # practices below 3 at the lowest incomplete level
    lowest_incomplete: int | None

    @property
    def measured_up_to(self) -> int:
        """The highest level L such that levels 1..L were all asked about."""
        return next((i for i, m in enumerate(self.measured) if not m), len(LEVELS))


@dataclass(frozen=True)
class Result:
    catalog_id: str
    catalog_version: str
    practices: Mapping[str, Aggregate]
    dimensions: tuple[DimensionResult, ...]
    areas: Mapping[str, Fraction | None]
    overall_score: Fraction | None
    overall_level: int | None
    confidence: Fraction | None
    weakest: str | None
    delivery: DeliveryResult

    def dimension(self, dimension_id: str) -> DimensionResult:
        return next(d for d in self.dimensions if d.id == dimension_id)


def score(catalog: Catalog, answers: AnswerSet) -> Result:
    aggregates = aggregate(catalog, answers)
    dimensions = tuple(score_dimension(d, aggregates) for d in catalog.dimensions)
    scored = [d for d in dimensions if d.score is not None]
    overall = mean([d.score for d in scored])
    return Result(
        catalog_id=catalog.id,
        catalog_version=catalog.version,
        practices=aggregates,
        dimensions=dimensions,
        areas={a.id: mean([d.score for d in scored if d.area == a.id]) for a in catalog.areas},
        overall_score=overall,
        overall_level=math.floor(overall) if overall is not None else None,
        confidence=confidence(catalog, answers, aggregates),
        weakest=min(scored, key=lambda d: d.score).id if scored else None,  # min keeps catalog order on ties
        delivery=delivery_performance(catalog, answers.metrics),
    )


def score_dimension(dimension: Dimension, aggregates: Mapping[str, Aggregate]) -> DimensionResult:
    asked = [p for p in dimension.practices if aggregates[p.id].value != NOT_ASKED]
    applicable = [p for p in asked if not aggregates[p.id].is_na]
    coverage, measured = [], []
    for level in LEVELS:
        at_level = [p for p in dimension.practices if p.level == level]
        asked_here = [p for p in at_level if aggregates[p.id].value != NOT_ASKED]
        counted = [p for p in asked_here if not aggregates[p.id].is_na]
        measured.append(bool(asked_here) or not at_level)
        coverage.append(_weighted_adoption(counted, aggregates) if counted else (ONE if measured[-1] else Fraction(0)))
    status = "not_measured" if not asked else ("not_applicable" if not applicable else "scored")
    if status != "scored":
        return DimensionResult(dimension.id, dimension.area, status, None, None, tuple(coverage), tuple(measured), (), None)
    total = sum((min(coverage[:level]) for level in LEVELS), Fraction(0))
    lowest = next((level for level, c in zip(LEVELS, coverage) if c < 1), None)
    capping = tuple(p.id for p in applicable if p.level == lowest and aggregates[p.id].adoption < 1)
    return DimensionResult(
        dimension.id, dimension.area, "scored", total, math.floor(total), tuple(coverage), tuple(measured), capping, lowest
    )


def _weighted_adoption(practices: list, aggregates: Mapping[str, Aggregate]) -> Fraction:
    weights = [Fraction(str(p.weight)) for p in practices]
    total = sum((w * aggregates[p.id].adoption for w, p in zip(weights, practices)), Fraction(0))
    return total / sum(weights)


def confidence(catalog: Catalog, answers: AnswerSet, aggregates: Mapping[str, Aggregate]) -> Fraction | None:
    """Share of numeric answers over every response x asked, applicable practice."""
    numeric, total = confidence_counts(answers, aggregates)
    return Fraction(numeric, total) if total else None


def confidence_counts(answers: AnswerSet, aggregates: Mapping[str, Aggregate]) -> tuple[int, int]:
    """(numeric answers, answers counted): a response's own N/A answers and practices N/A by
    the team profile are left out of the count."""
    counted = [pid for pid, agg in aggregates.items() if agg.value != NOT_ASKED and agg.source != "profile"]
    numeric = total = 0
    for response in answers.responses:
        for pid in counted:
            value = response.answers.get(pid)
            if value == "na":
                continue
            total += 1
            numeric += isinstance(value, int)
    return numeric, total


def percent_to_target(scores: Mapping[str, Fraction], targets: Mapping[str, int | Fraction]) -> Fraction | None:
    """1 - sum(max(0, target - score)) / sum(target), over the dimensions that have a target."""
    keys = [k for k in targets if k in scores]
    wanted = sum((Fraction(targets[k]) for k in keys), Fraction(0))
    if not wanted:
        return None
    short = sum((max(Fraction(0), Fraction(targets[k]) - scores[k]) for k in keys), Fraction(0))
    return 1 - short / wanted


def progress_to_date(baseline: Fraction, now: Fraction, target: Fraction) -> Fraction | None:
    """(now - baseline) / (target - baseline); only meaningful when the target is above the baseline."""
    if target <= baseline:
        return None
    return (now - baseline) / (target - baseline)
