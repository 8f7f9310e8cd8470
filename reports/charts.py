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
from dataclasses import dataclass
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


@dataclass(frozen=True)
class TrendSeries:
    """One dimension's scores over the iterations (None: no score that time) and its target."""

    name: str
    scores: Sequence[float | None]
    target: float | None = None


def trend_chart(
    periods: Sequence[str],
    overall: Sequence[float | None],
    dimensions: Sequence[TrendSeries],
    *,
    overall_target: float | None = None,
    titles: tuple[str, str] = ("Overall score", "Target"),
    note: str = "",
) -> str:
    """Scores over a team's iterations as an SVG document: a wide panel for the overall score,
    then one small panel per dimension (small multiples: ten lines on one axis cannot be read),
    all on the same 0-5 scale. Targets are dashed lines. `titles`: the overall panel's title and
    the targets' name in the legend. `note` is printed underneath.

    Every panel is drawn on one matplotlib Axes in inch coordinates (eleven real Axes, with
    their tick machinery, took six times as long to draw); the grid is one path.
    """
    if len(overall) != len(periods) or any(len(d.scores) != len(periods) for d in dimensions):
        raise ValueError("every series needs one value per period")
    register_fonts()
    rows = math.ceil(len(dimensions) / TREND_COLUMNS)
    height = TREND_TOP + rows * TREND_ROW + (0.4 if note else 0.05)
    with matplotlib.rc_context(SVG_SETTINGS):
        figure = Figure(figsize=(TREND_WIDTH, height))
        FigureCanvasSVG(figure)
        axes = figure.add_axes((0, 0, 1, 1))
        axes.set_axis_off()
        axes.set_xlim(0, TREND_WIDTH)
        axes.set_ylim(0, height)
        grid: list[list[tuple[float, float]]] = []
        main = _Panel(TREND_LEFT, height - 0.45 - 1.9, TREND_WIDTH - TREND_LEFT - 0.1, 1.9, len(periods))
        main.frame(axes, grid, periods, every_label=True, y_labels=True, size=8)
        main.line(axes, overall, SCORE_COLOUR, 2.2, labelled=True)
        main.target(axes, overall_target, 1.2)
        axes.text(main.x0, height - 0.12, titles[0], fontsize=11, va="top", ha="left")
        if overall_target is not None or any(d.target is not None for d in dimensions):
            _trend_legend(axes, titles, (main.x0 + main.width, height - 0.02))
        width = (TREND_WIDTH - TREND_LEFT - 0.1 - (TREND_COLUMNS - 1) * TREND_GAP) / TREND_COLUMNS
        for index, series in enumerate(dimensions):
            row, column = divmod(index, TREND_COLUMNS)
            top = height - TREND_TOP - row * TREND_ROW
            panel = _Panel(TREND_LEFT + column * (width + TREND_GAP), top - 0.5 - 0.95, width, 0.95, len(periods))
            panel.frame(axes, grid, periods, every_label=False, y_labels=column == 0, size=7)
            panel.line(axes, series.scores, SCORE_COLOUR, 1.4, labelled=False)
            panel.target(axes, series.target, 1.0)
            title = "\n".join(_wrap(series.name, _title_width(series.name)))
            axes.text(panel.x0 + width / 2, panel.y0 + panel.height + 0.06, title, fontsize=8.5, ha="center", va="bottom")
        # the grid as one line broken by gaps: a single path in the SVG
        xs = [x for segment in grid for x in (segment[0][0], segment[1][0], math.nan)]
        ys = [y for segment in grid for y in (segment[0][1], segment[1][1], math.nan)]
        axes.plot(xs, ys, color=GRID_COLOUR, linewidth=0.5, zorder=0)
        if note:
            axes.text(
                TREND_WIDTH / 2, 0.05, "\n".join(_wrap(note, 110)), ha="center", va="bottom", color=MUTED_COLOUR, fontsize=9
            )
        return _svg(figure)


TREND_WIDTH = 7.6  # inches; the panels' layout below is in inches too
TREND_LEFT = 0.3  # room for the score labels
TREND_TOP = 2.75  # the overall panel with its title and period labels
TREND_ROW = 1.75  # a row of small panels with their titles and period labels
TREND_GAP = 0.22
TREND_COLUMNS = 5


@dataclass(frozen=True)
class _Panel:
    """A chart's box in inch coordinates: periods across, scores 0-5 up."""

    x0: float
    y0: float
    width: float
    height: float
    count: int  # periods

    def x(self, index: int) -> float:
        pad = 0.35 if self.width > 2 else 0.3
        if self.count < 2:
            return self.x0 + self.width / 2
        return self.x0 + pad + index * (self.width - 2 * pad) / (self.count - 1)

    def y(self, score: float) -> float:
        return self.y0 + self.height * score / (MAX_SCORE + 0.2)

    def frame(self, axes: Axes, grid: list, periods: Sequence[str], every_label: bool, y_labels: bool, size: float) -> None:
        """Grid lines (added to `grid`), score labels on the left, period labels (the small
        panels name only the first and the last)."""
        right = self.x0 + self.width
        grid.extend([(self.x0, self.y(level)), (right, self.y(level))] for level in range(MAX_SCORE + 1))
        grid.append([(self.x0, self.y0), (self.x0, self.y0 + self.height)])
        if y_labels:
            for level in range(MAX_SCORE + 1):
                axes.text(self.x0 - 0.06, self.y(level), str(level), ha="right", va="center", fontsize=size, color=MUTED_COLOUR)
        shown = range(self.count) if every_label or self.count <= 2 else (0, self.count - 1)
        for index in shown:
            axes.text(self.x(index), self.y0 - 0.06, periods[index], ha="center", va="top", fontsize=size, color=MUTED_COLOUR)

    def line(self, axes: Axes, values: Sequence[float | None], colour: str, width: float, labelled: bool) -> None:
        """Scores joined by straight lines; a missing score leaves a gap."""
        xs = [self.x(i) for i in range(len(values))]
        ys = [math.nan if v is None else self.y(v) for v in values]
        axes.plot(xs, ys, color=colour, linewidth=width, marker="o", markersize=4 if labelled else 2.5, clip_on=False)
        if labelled:
            for x, y, value in zip(xs, ys, values):
                if value is not None:
                    axes.annotate(f"{value:.1f}", (x, y), textcoords="offset points", xytext=(0, 6), ha="center", fontsize=8)

    def target(self, axes: Axes, value: float | None, width: float) -> None:
        if value is not None:
            y = self.y(value)
            axes.plot((self.x0, self.x0 + self.width), (y, y), color=TARGET_COLOUR, linewidth=width, linestyle=(0, (4, 2)))


def _title_width(text: str) -> int:
    return 11 if any(ord(c) > 0x2E80 for c in text) else 17  # CJK characters are about twice as wide


def _trend_legend(axes: Axes, names: tuple[str, str], corner: tuple[float, float]) -> None:
    from matplotlib.lines import Line2D

    handles = [
        Line2D([], [], color=SCORE_COLOUR, linewidth=2.2, marker="o", markersize=4),
        Line2D([], [], color=TARGET_COLOUR, linewidth=1.2, linestyle=(0, (4, 2))),
    ]
    axes.legend(
        handles,
        names,
        loc="upper right",
        bbox_to_anchor=corner,
        bbox_transform=axes.transData,
        ncol=2,
        frameon=False,
        fontsize=8.5,
        handlelength=2.2,
        borderaxespad=0,
    )


def _svg(figure: Figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata=NO_METADATA, bbox_inches="tight", pad_inches=0.05)
    return buffer.getvalue()
