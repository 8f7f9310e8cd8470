"""Assessment periods: quarters, the next one, the first free one."""

from __future__ import annotations

from datetime import date

import pytest

from assessment.engine.periods import first_free, is_period, next_period, quarter_of


@pytest.mark.parametrize(
    ("day", "period"),
    [
        (date(2026, 1, 1), "2026-Q1"),
        (date(2026, 3, 31), "2026-Q1"),
        (date(2026, 4, 1), "2026-Q2"),
        (date(2026, 12, 31), "2026-Q4"),
    ],
)
def test_quarter_of(day, period):
    assert quarter_of(day) == period


def test_next_period_crosses_years():
    assert next_period("2026-Q4") == "2027-Q1"
    assert next_period("2026-Q2", 5) == "2027-Q3"
    with pytest.raises(ValueError):
        next_period("2026-5")


def test_is_period():
    assert is_period("2026-Q4") and not is_period("2026-Q5") and not is_period("26-Q1")


def test_first_free_period_skips_the_taken_ones():
    assert first_free("2026-Q4", set()) == "2026-Q4"
    assert first_free("2026-Q4", {"2026-Q4", "2027-Q1"}) == "2027-Q2"
