"""Exact means and medians over fractions, as scoring and aggregation define them."""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction


def median(values: Iterable[int]) -> Fraction:
    """The median of whole numbers; the mean of the two middle ones for an even count."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return Fraction(ordered[middle])
    return Fraction(ordered[middle - 1] + ordered[middle], 2)


def mean(values: Iterable[Fraction | None]) -> Fraction | None:
    """The mean of the values that are present; None when there are none."""
    present = [v for v in values if v is not None]
    return sum(present, Fraction(0)) / len(present) if present else None
