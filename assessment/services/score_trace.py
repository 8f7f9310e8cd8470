"""How a score came about: the trace behind the "how is this computed" page, as plain values.

Recomputed from the answers with the engine (exact fractions); each step keeps the numbers it
used, so the page can show the arithmetic from raw answers to the dimension score and level.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from ..engine.aggregate import NOT_ASKED, Aggregate
from ..engine.catalog import Catalog, Dimension
from ..engine.scoring import LEVELS, DimensionResult, Result, confidence_counts, score
from ..store.models import User
from .assessments import answer_set, assessment_or_404, catalog_for
from .errors import NotFound


@dataclass(frozen=True)
class Exact:
    """A number as a decimal for reading and as the exact fraction the engine used."""

    value: float
    text: str  # "2/3", "1"

    @classmethod
    def of(cls, number: Fraction) -> Exact:
        return cls(float(number), str(number))


@dataclass(frozen=True)
class PracticeTrace:
    id: str
    statement: str
    level: int
    weight: float
    counts: Mapping[str, int]  # raw answers: "0".."3", "na", "unknown" -> how many
    numeric: tuple[int, ...]  # the numeric raw answers, sorted (their median is the value)
    rule: str  # consensus, profile, majority_na, median, unknown, unanswered, not_asked
    value: str  # the aggregated answer: "0".."3", "1.5", "na", "unknown", "unanswered", "not_asked"
    adoption: Exact
    counted: bool  # part of its level's coverage (asked and not N/A)


@dataclass(frozen=True)
class LevelTrace:
    level: int
    kind: str  # weighted, no_practices, all_na, not_measured
    terms: tuple[tuple[float, Exact], ...]  # (weight, adoption) of each counted practice
    weight_sum: float
    coverage: Exact
    running_min: Exact


@dataclass(frozen=True)
class DimensionTrace:
    id: str
    name: str
    status: str
    practices: tuple[PracticeTrace, ...]
    levels: tuple[LevelTrace, ...]
    score: Exact | None
    level: int | None


@dataclass(frozen=True)
class MeanTrace:
    name: str
    scores: tuple[tuple[str, Exact], ...]  # (dimension name, score)
    mean: Exact | None


@dataclass(frozen=True)
class Trace:
    assessment_id: int
    team_name: str
    period: str
    provisional: bool
    choices: tuple[tuple[str, str], ...]  # (dimension id, name) for choosing another dimension
    dimension: DimensionTrace
    areas: tuple[MeanTrace, ...]
    overall: MeanTrace
    overall_level: int | None
    numeric_answers: int
    counted_answers: int
    confidence: Exact | None


def score_trace(user: User, assessment_id: int, dimension_id: str | None, lang: str) -> Trace:
    """The trace of one dimension (default: the weakest, else the first) and of the means."""
    assessment, _ = assessment_or_404(user, assessment_id)
    catalog = catalog_for(assessment)
    answers = answer_set(assessment)
    result = score(catalog, answers)
    chosen = dimension_id or result.weakest or catalog.dimensions[0].id
    if chosen not in {d.id for d in catalog.dimensions}:
        raise NotFound()
    numeric, counted = confidence_counts(answers, result.practices)
    return Trace(
        assessment_id=assessment.id,
        team_name=assessment.team.name,
        period=assessment.period,
        provisional=assessment.status != "finalized",
        choices=tuple((d.id, d.name.get(lang)) for d in catalog.dimensions),
        dimension=trace_dimension(catalog.dimension(chosen), result.dimension(chosen), result.practices, lang),
        areas=tuple(_mean_trace(a.name.get(lang), catalog, result, a.id, lang) for a in catalog.areas),
        overall=_mean_trace("", catalog, result, None, lang),
        overall_level=result.overall_level,
        numeric_answers=numeric,
        counted_answers=counted,
        confidence=Exact.of(result.confidence) if result.confidence is not None else None,
    )


def trace_dimension(
    dimension: Dimension, result: DimensionResult, aggregates: Mapping[str, Aggregate], lang: str
) -> DimensionTrace:
    practices = tuple(
        trace_practice(p.id, p.statement.get(lang), p.level, p.weight, aggregates[p.id])
        for p in sorted(dimension.practices, key=lambda p: p.level)
    )
    levels, running = [], None
    for level, coverage in zip(LEVELS, result.coverage):
        running = coverage if running is None else min(running, coverage)
        levels.append(_level_trace(level, practices, Exact.of(coverage), Exact.of(running)))
    return DimensionTrace(
        dimension.id,
        dimension.name.get(lang),
        result.status,
        practices,
        tuple(levels),
        Exact.of(result.score) if result.score is not None else None,
        result.level,
    )


def trace_practice(pid: str, statement: str, level: int, weight: float, agg: Aggregate) -> PracticeTrace:
    numeric = tuple(sorted(int(k) for k, n in agg.counts.items() if k.isdigit() for _ in range(n)))
    value = agg.value
    shown = f"{float(value):g}" if isinstance(value, Fraction) else str(value)
    return PracticeTrace(
        pid,
        statement,
        level,
        float(weight),
        dict(agg.counts),
        numeric,
        _rule(agg),
        shown,
        Exact.of(agg.adoption),
        value != NOT_ASKED and not agg.is_na,
    )


def _rule(agg: Aggregate) -> str:
    if agg.source in ("consensus", "profile"):
        return agg.source
    if agg.source == "none":
        return str(agg.value)  # unanswered or not_asked
    if agg.is_na:
        return "majority_na"
    return "median" if isinstance(agg.value, Fraction) else "unknown"


def _level_trace(level: int, practices: tuple[PracticeTrace, ...], coverage: Exact, running: Exact) -> LevelTrace:
    at_level = [p for p in practices if p.level == level]
    counted = [p for p in at_level if p.counted]
    if not at_level:
        kind = "no_practices"
    elif counted:
        kind = "weighted"
    elif any(p.value != NOT_ASKED for p in at_level):
        kind = "all_na"
    else:
        kind = "not_measured"
    terms = tuple((p.weight, p.adoption) for p in counted)
    return LevelTrace(level, kind, terms, sum(p.weight for p in counted), coverage, running)


def _mean_trace(name: str, catalog: Catalog, result: Result, area: str | None, lang: str) -> MeanTrace:
    scored = [
        (catalog.dimension(d.id).name.get(lang), Exact.of(d.score))
        for d in result.dimensions
        if d.score is not None and (area is None or d.area == area)
    ]
    mean = result.overall_score if area is None else result.areas.get(area)
    return MeanTrace(name, tuple(scored), Exact.of(mean) if mean is not None else None)
