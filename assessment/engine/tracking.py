"""Roadmap tracking (DESIGN.md, "Roadmap"): what the iterations after a roadmap's assessment say
about each of its items.

Walking the later finalized iterations in order, per item:
- an aggregated answer of 3 makes it *achieved*, with the iteration that showed it. It stays
  achieved (the work was done once); when a later iteration is below 3 again, it *fell back*, so
  a review shows the dip instead of hiding it. (A 2 is still a gap, so it is not achieved.)
- below 3 and the iteration lies after the item's stage: *slipped*;
- else below 3 but above the roadmap's baseline answer: *progressing*; else nothing (planned).
An iteration that did not ask the practice (the quick form, chosen dimensions), where nobody
answered it, or where it is N/A gives no evidence: the item's tracking stays as it was. A "don't
know" is an answer, and counts as 0 as in scoring. The result is a pure function of the iterations, so reopening one is undone by
tracking again from those that stay finalized.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .periods import next_period

StoredValue = float | int | str | None  # an aggregated answer as a stored result holds it
NO_EVIDENCE = ("na", "not_asked", "unanswered")
ACHIEVED, PROGRESSING, SLIPPED = "achieved", "progressing", "slipped"


@dataclass(frozen=True)
class Iteration:
    """A finalized assessment after the roadmap's own: its aggregated answer per practice."""

    assessment_id: int
    period: str
    values: Mapping[str, StoredValue]


@dataclass(frozen=True)
class PlannedItem:
    practice_id: str
    due_period: str | None  # the last period of its stage; None (backlog, dropped): never slips
    baseline: StoredValue  # its aggregated answer in the roadmap's assessment


@dataclass(frozen=True)
class Outcome:
    tracking: str | None  # achieved, progressing, slipped; None: no movement yet
    assessment_id: int | None  # the iteration that showed it (achieved: the first at 3)
    value: str | None  # the aggregated answer it was tracked on, as text
    latest_assessment_id: int | None = None  # the latest iteration with evidence on it
    latest_value: str | None = None

    @property
    def fell_back(self) -> bool:
        """Achieved once, and the latest evidence is below 3 again."""
        return self.tracking == ACHIEVED and self.latest_value is not None and _number(self.latest_value) < 3


UNTRACKED = Outcome(None, None, None)


def stage_last_period(start_period: str, stage: int, stage_length: int = 1) -> str:
    """The last period of a stage: stage 1 of a roadmap starting 2027-Q1 with stages of two
    quarters covers 2027-Q1 and 2027-Q2, so it ends 2027-Q2."""
    return next_period(start_period, stage * stage_length - 1)


def answer_text(value: StoredValue) -> str:
    """A stored aggregated answer as text: 3.0 -> "3", 1.5 -> "1.5", "unknown" as is."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:g}"
    return str(value) if value is not None else "unanswered"


def _number(value: StoredValue) -> float:
    """The answer as a number for comparison: unknown, unanswered and not asked count as 0."""
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(value) if value is not None else 0.0
    except ValueError:
        return 0.0


def track(item: PlannedItem, iterations: Sequence[Iteration]) -> Outcome:
    """The item's tracking after these iterations (oldest first, all after the roadmap's own)."""
    outcome = UNTRACKED
    baseline = _number(item.baseline)
    for iteration in iterations:
        value = iteration.values.get(item.practice_id)
        if value is None or value in NO_EVIDENCE:
            continue  # not asked (or unknown to this catalog version), skipped by all, or not applicable
        text, number = answer_text(value), _number(value)
        if outcome.tracking == ACHIEVED:
            outcome = Outcome(ACHIEVED, outcome.assessment_id, outcome.value, iteration.assessment_id, text)
        elif number >= 3:
            outcome = Outcome(ACHIEVED, iteration.assessment_id, text, iteration.assessment_id, text)
        elif item.due_period is not None and iteration.period > item.due_period:  # "2027-Q1" > "2026-Q4"
            outcome = Outcome(SLIPPED, iteration.assessment_id, text, iteration.assessment_id, text)
        elif number > baseline:
            outcome = Outcome(PROGRESSING, iteration.assessment_id, text, iteration.assessment_id, text)
        else:
            outcome = Outcome(None, None, None, iteration.assessment_id, text)
    return outcome


def practice_values(result: Mapping | None) -> dict[str, StoredValue]:
    """Every practice's aggregated answer in a stored result (`serialize.result_to_dict`)."""
    if not result:
        return {}
    return {p["id"]: p["value"] for d in result.get("dimensions", ()) for p in d.get("practices", ())}
