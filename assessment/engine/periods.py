"""Assessment periods: calendar quarters such as 2026-Q4."""

from __future__ import annotations

import re
from datetime import date

PERIOD = re.compile(r"^(\d{4})-Q([1-4])$")


def quarter_of(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def is_period(text: str) -> bool:
    return bool(PERIOD.match(text))


def next_period(period: str, steps: int = 1) -> str:
    match = PERIOD.match(period)
    if not match:
        raise ValueError(f"not a period: {period!r}")
    index = int(match.group(1)) * 4 + int(match.group(2)) - 1 + steps
    return f"{index // 4}-Q{index % 4 + 1}"


def first_free(period: str, taken: set[str]) -> str:
    """`period`, or the first one after it that is not taken yet."""
    while period in taken:
        period = next_period(period)
    return period
