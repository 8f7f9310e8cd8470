"""Coordinates for a sparkline drawn by the template as an inline SVG polyline (no script, no style).

Every sparkline on a page shares one scale (the page's lowest to highest score, at least one
point of score tall), so the lines of different teams compare at a glance and a dip shows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

WIDTH, HEIGHT, PAD = 96, 24, 3  # the viewBox; PAD keeps the end dot inside it
TOP = 5.0  # the highest score
MIN_SPAN = 1.0  # a flat organisation's small changes are not blown up into cliffs


@dataclass(frozen=True)
class Scale:
    low: float
    high: float

    def y(self, value: float) -> float:
        share = (min(max(value, self.low), self.high) - self.low) / (self.high - self.low)
        return HEIGHT - PAD - share * (HEIGHT - 2 * PAD)


@dataclass(frozen=True)
class Sparkline:
    points: str  # "x,y x,y ..." for <polyline points>
    last_x: float
    last_y: float


def scale_of(series: Iterable[Sequence[float]]) -> Scale:
    """The scale shared by every series: their lowest to highest value, widened to MIN_SPAN within 0-5."""
    values = [v for s in series for v in s]
    low, high = (min(values), max(values)) if values else (0.0, TOP)
    if high - low < MIN_SPAN:
        middle = (low + high) / 2
        low, high = middle - MIN_SPAN / 2, middle + MIN_SPAN / 2
        low, high = (0.0, MIN_SPAN) if low < 0 else (TOP - MIN_SPAN, TOP) if high > TOP else (low, high)
    return Scale(low, high)


def sparkline(values: Sequence[float], scale: Scale) -> Sparkline | None:
    """Evenly spaced points, oldest on the left; None without values."""
    if not values:
        return None
    step = (WIDTH - 2 * PAD) / max(1, len(values) - 1)
    coords = [(PAD + i * step if len(values) > 1 else WIDTH / 2, scale.y(v)) for i, v in enumerate(values)]
    return Sparkline(" ".join(f"{x:.1f},{y:.1f}" for x, y in coords), round(coords[-1][0], 1), round(coords[-1][1], 1))
