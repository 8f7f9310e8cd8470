"""Aggregation: many respondents' answers to one value per practice (DESIGN.md, Scoring).

Per practice: a facilitator's consensus wins; otherwise N/A when more than half of those who
answered say so, else the median of the numeric answers (1.5 is possible), else `unknown`.
Spread and disagreement are always computed from the raw answers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from .answers import NA, UNKNOWN, AnswerSet, ConsensusValue, Value, asked_practices
from .catalog import Catalog
from .stats import median

UNANSWERED: Literal["unanswered"] = "unanswered"
NOT_ASKED: Literal["not_asked"] = "not_asked"
AggregateValue = Fraction | Literal["na", "unknown", "unanswered", "not_asked"]


@dataclass(frozen=True)
class Aggregate:
    """One practice's aggregated answer and how it came about."""

    value: AggregateValue
    source: Literal["consensus", "responses", "profile", "none"]
    counts: Mapping[str, int]  # raw answers: "0".."3", "na", "unknown" -> how many
    spread: int | None
    disagreement: bool

    @property
    def is_na(self) -> bool:
        return self.value == NA

    @property
    def adoption(self) -> Fraction:
        """a = answer / 3; unknown, unanswered and not asked count as 0."""
        return self.value / 3 if isinstance(self.value, Fraction) else Fraction(0)


def not_applicable_by_profile(catalog: Catalog, profile: Mapping[str, str]) -> frozenset[str]:
    return frozenset(pid for rule in catalog.profile.rules if rule.matches(profile) for pid in rule.not_applicable)


def aggregate(catalog: Catalog, answers: AnswerSet) -> dict[str, Aggregate]:
    """The aggregated answer of every practice of the catalog, in catalog order."""
    asked = asked_practices(catalog, answers.questionnaire)
    profile_na = not_applicable_by_profile(catalog, answers.profile)
    result = {}
    for pid in catalog.practices:
        raw = [r.answers[pid] for r in answers.responses if pid in r.answers]
        if pid not in asked:
            result[pid] = Aggregate(NOT_ASKED, "none", {}, None, False)
        elif pid in profile_na:
            result[pid] = Aggregate(NA, "profile", *_raw_stats(raw))
        else:
            result[pid] = aggregate_practice(raw, answers.consensus.get(pid))
    return result


def aggregate_practice(raw: list[Value], consensus: ConsensusValue | None = None) -> Aggregate:
    """Aggregate one practice's raw answers (in any order) and an optional consensus value."""
    stats = _raw_stats(raw)
    if consensus is not None:
        return Aggregate(NA if consensus == NA else Fraction(consensus), "consensus", *stats)
    if not raw:
        return Aggregate(UNANSWERED, "none", *stats)
    if sum(1 for v in raw if v == NA) * 2 > len(raw):
        return Aggregate(NA, "responses", *stats)
    numeric = [v for v in raw if isinstance(v, int)]
    if not numeric:
        return Aggregate(UNKNOWN, "responses", *stats)
    return Aggregate(median(numeric), "responses", *stats)


def _raw_stats(raw: list[Value]) -> tuple[dict[str, int], int | None, bool]:
    """Counts per raw answer, spread (max - min of numeric answers) and disagreement."""
    numeric = [v for v in raw if isinstance(v, int)]
    spread = max(numeric) - min(numeric) if numeric else None
    says_na = any(v == NA for v in raw)
    disagreement = (spread is not None and spread >= 2) or (says_na and any(v >= 1 for v in numeric))
    return dict(sorted(Counter(str(v) for v in raw).items())), spread, disagreement
