"""Charts for the results page and the PDF report: one function per chart, plain data in, SVG out.

Drawn with matplotlib's `Figure` API (never pyplot: it keeps global state and is not safe in a
server). The SVG keeps text as text (`svg.fonttype = "none"`: smaller and much faster for
WeasyPrint than glyph outlines), uses straight lines only (few path points), and is byte-for-byte
deterministic for the same data (fixed hash salt, no date), so it can be cached and compared.
"""

from __future__ import annotations

import contextlib
import io
import math
import textwrap
from collections.abc import Sequence
from functools import cache

import matplotlib
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

CJK_FONT_FILE = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
FONTS = ["DejaVu Sans", "Noto Sans CJK SC"]
MAX_SCORE = 5
SCORE_COLOUR = "#1f6f8b"
TARGET_COLOUR = "#c2571a"
GRID_COLOUR = "#c9d1d9"
TEXT_COLOUR = "#24292f"
MUTED_COLOUR = "#6e7781"
SVG_SETTINGS = {
    "svg.fonttype": "none",
    "svg.hashsalt": "cdcoach",
    # A Latin font, then the CJK font; browsers fall back to any sans-serif they have.
    "font.family": [*FONTS, "sans-serif"],
    "font.sans-serif": FONTS,
    "font.size": 10.5,
    "text.color": TEXT_COLOUR,
}
NO_METADATA = {"Date": None, "Creator": None, "Format": None, "Type": None}


@cache
def register_fonts() -> None:
    """Tell matplotlib about the CJK font directly, so a stale font cache does not matter."""
    with contextlib.suppress(OSError):  # not installed: Chinese labels fall back to the viewer's fonts
        font_manager.fontManager.addfont(CJK_FONT_FILE)


def radar_chart(
    labels: Sequence[str],
    scores: Sequence[float | None],
    targets: Sequence[float | None] | None = None,
    *,
    legend: tuple[str, str] = ("Score", "Target"),
    note: str = "",
) -> str:
    """A radar chart of dimension scores (0-5) as an SVG document.

    `labels` are the dimension names in the reader's language. A score of None (a dimension not
    measured or not applicable) leaves a gap at its spoke, whose label is greyed; `note` (say,
    which dimensions have no score and why) is printed under the chart. `targets`, when given,
    are drawn as a dashed second series and a legend names both series.
    """
    if len(scores) != len(labels) or (targets is not None and len(targets) != len(labels)):
        raise ValueError("labels, scores and targets must have the same length")
    register_fonts()
    with matplotlib.rc_context(SVG_SETTINGS):
        figure = Figure(figsize=(5.2, 4.6 if note else 4.3))
        FigureCanvasSVG(figure)
        axes = figure.add_axes((0.02, 0.1 if note else 0.02, 0.96, 0.88 if note else 0.96))
        _radar_frame(axes, labels, scores)
        _series(axes, scores, SCORE_COLOUR, fill=True)
        if targets is not None:
            _series(axes, targets, TARGET_COLOUR, fill=False)
            _legend(axes, legend)
        if note:
            figure.text(0.5, 0.02, "\n".join(_wrap(note, 80)), ha="center", va="bottom", color=MUTED_COLOUR)
        return _svg(figure)


def _spoke(index: int, count: int, radius: float) -> tuple[float, float]:
    """The point at `radius` on spoke `index`: the first spoke points up, then clockwise."""
    angle = math.pi / 2 - 2 * math.pi * index / count
    return radius * math.cos(angle), radius * math.sin(angle)


def _radar_frame(axes: Axes, labels: Sequence[str], scores: Sequence[float | None]) -> None:
    count = len(labels)
    axes.set_axis_off()
    axes.set_aspect("equal")
    limit = MAX_SCORE * 1.75
    axes.set_xlim(-limit, limit)
    axes.set_ylim(-MAX_SCORE * 1.35, MAX_SCORE * 1.35)
    for ring in range(1, MAX_SCORE + 1):
        xs, ys = zip(*(_spoke(i, count, ring) for i in [*range(count), 0]))
        axes.plot(xs, ys, color=GRID_COLOUR, linewidth=0.6, clip_on=False)
        axes.text(0.12, ring + 0.05, str(ring), color=MUTED_COLOUR, fontsize=8, ha="left", va="bottom")
    for index, label in enumerate(labels):
        x, y = _spoke(index, count, MAX_SCORE)
        axes.plot((0, x), (0, y), color=GRID_COLOUR, linewidth=0.6, clip_on=False)
        _label(axes, index, count, label, muted=scores[index] is None)


def _label(axes: Axes, index: int, count: int, label: str, muted: bool) -> None:
    x, y = _spoke(index, count, MAX_SCORE + 0.45)
    horizontal = "center" if abs(x) < 0.5 else ("left" if x > 0 else "right")
    vertical = "center" if abs(y) < 0.5 else ("bottom" if y > 0 else "top")
    width = 10 if any(ord(c) > 0x2E80 for c in label) else 15  # CJK characters are about twice as wide
    text = "\n".join(_wrap(label, width))
    axes.text(x, y, text, ha=horizontal, va=vertical, color=MUTED_COLOUR if muted else TEXT_COLOUR, multialignment="center")


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width=width) or [text]


def _series(axes: Axes, values: Sequence[float | None], colour: str, fill: bool) -> None:
    """One series: a closed polygon when every value is there, else its runs with gaps between."""
    count = len(values)
    points = [_spoke(i, count, v) if v is not None else None for i, v in enumerate(values)]
    style = {"color": colour, "linewidth": 1.6 if fill else 1.4, "clip_on": False}
    if not fill:
        style["linestyle"] = (0, (4, 2))
    for run in _runs(points):
        closed = len(run) == count
        outline = [*run, run[0]] if closed else run
        xs, ys = zip(*outline)
        axes.plot(xs, ys, marker="o", markersize=3.5, **style)
        if fill and len(run) > 1:
            area = run if closed else [(0.0, 0.0), *run]
            axes.fill(*zip(*area), color=colour, alpha=0.18, linewidth=0, clip_on=False)


def _runs(points: list[tuple[float, float] | None]) -> list[list[tuple[float, float]]]:
    """Consecutive present points, going round the circle (a run may wrap past the first spoke)."""
    if all(p is not None for p in points):
        return [list(points)]  # type: ignore[arg-type]
    start = next(i for i, p in enumerate(points) if p is None)
    rotated = points[start:] + points[:start]
    runs: list[list[tuple[float, float]]] = [[]]
    for point in rotated:
        if point is None:
            runs.append([])
        else:
            runs[-1].append(point)
    return [run for run in runs if run]


def _legend(axes: Axes, names: tuple[str, str]) -> None:
    from matplotlib.lines import Line2D

    handles = [
        Line2D([], [], color=SCORE_COLOUR, linewidth=1.6, marker="o", markersize=3.5),
        Line2D([], [], color=TARGET_COLOUR, linewidth=1.4, linestyle=(0, (4, 2))),
    ]
    # below the chart, clear of the spoke labels
    axes.legend(handles, names, loc="upper center", bbox_to_anchor=(0.5, -0.05), ncol=2, frameon=False, handlelength=2.2)


def _svg(figure: Figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata=NO_METADATA, bbox_inches="tight", pad_inches=0.05)
    return buffer.getvalue()
