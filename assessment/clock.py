"""The current time, in one place so that tests can set it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

_now: Callable[[], datetime] = lambda: datetime.now(UTC)  # noqa: E731


def now() -> datetime:
    """The current UTC time, without tzinfo (as stored in the database)."""
    return _now().astimezone(UTC).replace(tzinfo=None, microsecond=0)


def set_clock(func: Callable[[], datetime] | None) -> None:
    """Tests: make `now()` return what `func` returns; None restores the real clock."""
    global _now
    _now = func or (lambda: datetime.now(UTC))
