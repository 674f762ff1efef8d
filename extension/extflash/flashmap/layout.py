"""Geometry of the HTML flash map: where each address lands on a bar, and
where each label goes. Pure functions of the view model; no markup.

Each memory is one bar per view, all of the same height, so each memory is
drawn to its own scale (an 8 MiB NOR chip and a 1 MiB internal flash are
both readable). Within a bar, address -> y is piecewise linear over the
boundaries of every partition and gap in every view, so the views of one
memory share one scale; intervals that would be thinner than ``min_px``
are drawn ``min_px`` tall and the rest shrink to fit (``enlarged`` counts
them). Labels sit beside the bars at their partition's centre, pushed apart
so they never overlap, and are tied to it by a leader line.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    """Address -> y for one memory."""

    stops: tuple[int, ...]  # addresses, ascending
    ys: tuple[float, ...]  # y of each stop
    enlarged: int  # intervals drawn larger than to scale

    def y(self, address: int) -> float:
        if address <= self.stops[0]:
            return self.ys[0]
        if address >= self.stops[-1]:
            return self.ys[-1]
        i = bisect_right(self.stops, address) - 1
        a0, a1 = self.stops[i], self.stops[i + 1]
        y0, y1 = self.ys[i], self.ys[i + 1]
        return y0 + (y1 - y0) * (address - a0) / (a1 - a0)

    @property
    def height(self) -> float:
        return self.ys[-1] - self.ys[0]


def scale(boundaries, base: int, end: int, height: float, min_px: float,
          top: float = 0.0) -> Scale:
    """Heights proportional to size, but no interval under ``min_px``."""
    stops = sorted({a for a in boundaries if base <= a <= end} | {base, end})
    if len(stops) < 2:
        stops = [base, base + 1]
    sizes = [b - a for a, b in zip(stops, stops[1:], strict=False)]
    height = max(height, min_px * len(sizes))
    small: set[int] = set()
    for _ in range(len(sizes) + 1):
        rest = sum(s for i, s in enumerate(sizes) if i not in small)
        room = height - min_px * len(small)
        k = room / rest if rest else 0.0
        grown = {i for i, s in enumerate(sizes) if s * k < min_px}
        if grown <= small:
            break
        small |= grown
    heights = [min_px if i in small else s * k for i, s in enumerate(sizes)]
    ys = [top]
    for h in heights:
        ys.append(ys[-1] + h)
    enlarged = sum(1 for i in small if sizes[i] * (height / max(sum(sizes), 1)) < min_px)
    return Scale(tuple(stops), tuple(ys), enlarged)


def place_labels(targets: list[float], heights: list[float], top: float, bottom: float,
                 gap: float = 3.0) -> list[float]:
    """Top y of each label (same order as ``targets``, their wanted centres,
    and ``heights``): no two overlap; they stay within [top, bottom] when
    they fit, else the column grows downwards."""
    order = sorted(range(len(targets)), key=lambda i: targets[i])
    ys = [0.0] * len(targets)
    cursor = top
    for i in order:
        ys[i] = max(targets[i] - heights[i] / 2, cursor)
        cursor = ys[i] + heights[i] + gap
    overflow = cursor - gap - bottom
    if overflow > 0:  # pull the column back up, as far as the top allows
        floor = top
        for i in order:
            ys[i] = max(floor, ys[i] - overflow)
            floor = ys[i] + heights[i] + gap
    return ys
