"""Charts as inline SVG, drawn on the server: bars and lines with their axes.

Each function turns a table of numbers into shapes with coordinates; the templates draw
them and always follow a chart with the same numbers as a table, which is the chart's text
alternative. Colours are the U.S. Web Design System's and keep a 3:1 contrast with the
white background (WCAG 2.1, 1.4.11); two series are also told apart by shape (a dashed
line, a hatched bar), never by colour alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from math import ceil, log10
from typing import Final

WIDTH: Final = 720
HEIGHT: Final = 260
LEFT: Final = 56
RIGHT: Final = 16
TOP: Final = 16
BOTTOM: Final = 44
#: USWDS blue-60v and orange-60v (both above 3:1 against white).
COLOURS: Final = ("#005ea2", "#c05600")


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar: where it is drawn, and what it says."""

    x: float
    y: float
    width: float
    height: float
    series: int
    label: str
    value: float


@dataclass(frozen=True, slots=True)
class Tick:
    """A labelled position on an axis."""

    position: float
    label: str


@dataclass
class Chart:
    """Shapes, axes and legend, ready for a template."""

    width: int = WIDTH
    height: int = HEIGHT
    bars: list[Bar] = field(default_factory=list)
    lines: list[dict[str, object]] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)
    legend: list[tuple[str, str, int]] = field(default_factory=list)
    baseline: float = HEIGHT - BOTTOM
    left: float = LEFT
    right: float = WIDTH - RIGHT
    empty: bool = False
    #: ``bar`` or ``line``: how the legend draws each series' key.
    kind: str = "bar"


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2 or 5 times a power of ten at or above ``value`` (at least 1)."""
    if value <= 1:
        return 1.0
    power = 10 ** int(log10(value))
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return float(step * power)
    return float(10 * power)  # pragma: no cover - the loop always returns


def _y_ticks(top: float, *, percent: bool) -> list[Tick]:
    plot = HEIGHT - TOP - BOTTOM
    ticks = []
    for index in range(5):
        value = top * index / 4
        text = f"{value * 100:.0f}%" if percent else (f"{value:g}" if value < 1000
                                                      else f"{value / 1000:g}k")
        ticks.append(Tick(HEIGHT - BOTTOM - plot * index / 4, text))
    return ticks


def _x_ticks(labels: Sequence[str], centres: Sequence[float], most: int = 12) -> list[Tick]:
    step = max(1, ceil(len(labels) / most))
    room = max(4, int((WIDTH - LEFT - RIGHT) / max(1, min(len(labels), most)) / 6.5))
    return [Tick(centres[i], _shorten(labels[i], room)) for i in range(0, len(labels), step)]


def _shorten(text: str, room: int) -> str:
    """A label that fits under its bar (the table under the chart has it whole)."""
    return text if len(text) <= room else text[:room - 1] + "…"


def bar_chart(labels: Sequence[str], series: Sequence[tuple[str, Sequence[float]]]) -> Chart:
    """Grouped bars: one group per label, one bar per series."""
    chart = Chart(legend=[(name, COLOURS[i % len(COLOURS)], i)
                          for i, (name, _) in enumerate(series)])
    highest = max((v for _, values in series for v in values), default=0)
    if not labels or highest <= 0:
        chart.empty = True
    top = nice_ceiling(highest)
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    group = plot_width / max(1, len(labels))
    bar_width = max(1.0, group * 0.8 / max(1, len(series)))
    centres = []
    for index, text in enumerate(labels):
        start = LEFT + index * group + group * 0.1
        centres.append(LEFT + index * group + group / 2)
        for number, (_, values) in enumerate(series):
            value = values[index]
            height = plot_height * value / top
            chart.bars.append(Bar(round(start + number * bar_width, 2),
                                  round(HEIGHT - BOTTOM - height, 2), round(bar_width, 2),
                                  round(height, 2), number, text, value))
    chart.y_ticks = _y_ticks(top, percent=False)
    chart.x_ticks = _x_ticks(labels, centres)
    return chart


def line_chart(labels: Sequence[str],
               series: Sequence[tuple[str, Sequence[float | None]]]) -> Chart:
    """Lines of rates (0 to 1) over ``labels``; a missing value breaks the line."""
    chart = Chart(legend=[(name, COLOURS[i % len(COLOURS)], i)
                          for i, (name, _) in enumerate(series)], kind="line")
    values = [v for _, vs in series for v in vs if v is not None]
    if not labels or not values:
        chart.empty = True
    top = 1.0 if not values or max(values) > 0.5 else nice_ceiling(max(values) * 100) / 100
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    step = plot_width / max(1, len(labels) - 1) if len(labels) > 1 else 0
    xs = [LEFT + (index * step if len(labels) > 1 else plot_width / 2)
          for index in range(len(labels))]
    for number, (name, points) in enumerate(series):
        segments: list[list[tuple[float, float]]] = [[]]
        dots = []
        for x, value in zip(xs, points, strict=True):
            if value is None:
                segments.append([])
                continue
            y = HEIGHT - BOTTOM - plot_height * min(value, top) / top
            segments[-1].append((round(x, 2), round(y, 2)))
            dots.append((round(x, 2), round(y, 2)))
        paths = [" ".join(f"{x},{y}" for x, y in segment) for segment in segments if segment]
        chart.lines.append({"name": name, "colour": COLOURS[number % len(COLOURS)],
                            "series": number, "paths": paths, "dots": dots})
    chart.y_ticks = _y_ticks(top, percent=True)
    chart.x_ticks = _x_ticks(labels, xs)
    return chart
