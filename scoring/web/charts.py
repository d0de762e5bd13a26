"""Server-rendered inline SVG charts: a score histogram and a unit's score line (no JavaScript).

The functions return plain data (bars, points, labels); the templates draw them,
so every text in a chart passes jinja2's autoescape.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

WIDTH, HEIGHT, PAD_LEFT, PAD_BOTTOM, PAD_TOP = 560, 200, 40, 28, 12


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str      # the bin, e.g. 「90–95」
    count: int


def histogram(values: Sequence[float], full: float = 100.0, step: float = 5.0) -> list[Bar]:
    """Bars of the number of units per score bin of ``step`` points, from the lowest bin used to ``full``."""
    if not values:
        return []
    low = min(math.floor(min(values) / step) * step, full - step)
    edges = [low + k * step for k in range(int(round((full - low) / step)))]
    counts = [0] * len(edges)
    for v in values:
        k = min(int((v - low) // step), len(edges) - 1)
        counts[max(k, 0)] += 1
    top = max(counts) or 1
    plot_w, plot_h = WIDTH - PAD_LEFT - 8, HEIGHT - PAD_BOTTOM - PAD_TOP
    w = plot_w / len(edges)
    return [Bar(PAD_LEFT + k * w + 1, PAD_TOP + plot_h - c / top * plot_h, w - 2, c / top * plot_h,
                f"{_num(e)}–{_num(e + step)}", c) for k, (e, c) in enumerate(zip(edges, counts))]


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str      # the round's name
    value: str      # the score as shown


def line(points: Sequence[tuple[str, float, str]], full: float = 100.0) -> list[Point]:
    """(round name, score, score text) → points of a line chart, y from the lowest score's ten to ``full``."""
    if not points:
        return []
    low = min(math.floor(min(p[1] for p in points) / 10) * 10, full - 10)
    margin = 60    # room for a round's name under the first and the last point
    plot_w, plot_h = WIDTH - PAD_LEFT - 2 * margin, HEIGHT - PAD_BOTTOM - PAD_TOP
    step = plot_w / max(len(points) - 1, 1)
    return [Point(PAD_LEFT + margin + k * step, PAD_TOP + plot_h - (v - low) / (full - low) * plot_h, name, text)
            for k, (name, v, text) in enumerate(points)]


def y_axis(points_low: float, full: float = 100.0) -> list[tuple[float, str]]:
    """(y, label) ticks for a line chart whose lowest point is ``points_low``."""
    low = min(math.floor(points_low / 10) * 10, full - 10)
    plot_h = HEIGHT - PAD_BOTTOM - PAD_TOP
    ticks = [low + k * (full - low) / 4 for k in range(5)]
    return [(PAD_TOP + plot_h - (t - low) / (full - low) * plot_h, _num(t)) for t in ticks]


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"
