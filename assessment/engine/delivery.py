"""Delivery performance from the DORA metric answers, scored beside maturity.

Each answer falls in a band with a tier (1 to 5) and gets a DORA Quick Check score (0 to 10):
bands spread evenly from 0 (worst) to 10 (best); a percentage p scores 10 - p/10.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from .answers import UNKNOWN, MetricAnswer
from .catalog import Band, Catalog, Metric
from .stats import mean, median


@dataclass(frozen=True)
class MetricResult:
    id: str
    factor: str
    answer: MetricAnswer | None  # None: not answered
    band: str | None
    tier: int | None
    quick_check: Fraction | None


@dataclass(frozen=True)
class DeliveryResult:
    metrics: tuple[MetricResult, ...]
    tier: int | None  # floor of the median tier of the known metrics
    quick_check: Fraction | None  # mean of the known metrics' scores
    throughput: Fraction | None
    instability: Fraction | None


def band_for(metric: Metric, answer: MetricAnswer) -> tuple[int, Band] | None:
    """The band (and its index, best first) an answer falls in; None for unknown."""
    for index, band in enumerate(metric.bands):
        if metric.unit == "percent" and isinstance(answer, int | float) and band.holds(answer):
            return index, band
        if metric.unit != "percent" and answer == band.id:
            return index, band
    return None


def metric_result(metric: Metric, answer: MetricAnswer | None) -> MetricResult:
    found = band_for(metric, answer) if answer not in (None, UNKNOWN) else None
    if found is None:
        return MetricResult(metric.id, metric.factor, answer, None, None, None)
    index, band = found
    if metric.unit == "percent":
        quick = 10 - Fraction(answer) / 10  # type: ignore[arg-type]
    else:
        worst = len(metric.bands) - 1
        quick = Fraction(10 * (worst - index), worst)
    return MetricResult(metric.id, metric.factor, answer, band.id, band.tier, quick)


def delivery_performance(catalog: Catalog, answers: Mapping[str, MetricAnswer]) -> DeliveryResult:
    results = tuple(metric_result(m, answers.get(m.id)) for m in catalog.metrics)
    tiers = sorted(r.tier for r in results if r.tier is not None)
    return DeliveryResult(
        metrics=results,
        tier=math.floor(median(tiers)) if tiers else None,
        quick_check=mean([r.quick_check for r in results]),
        throughput=mean([r.quick_check for r in results if r.factor == "throughput"]),
        instability=mean([r.quick_check for r in results if r.factor == "instability"]),
    )
