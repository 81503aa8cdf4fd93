"""Where a best-value label goes so that it crosses no line of its panel.

Vega-Lite cannot move a text mark out of the way of other marks (Vega's ``label``
transform is not reachable from Vega-Lite), so tfvis picks each label's corner itself:
it maps the panel's lines to pixels with the scale Vega-Lite will build (a "nice"
domain, with zero for linear scales unless told otherwise), then tries the four
corners around the mark and then the plot's own corners, and keeps the first place
that crosses no line, mark or other label and stays inside the plot. The estimate
need not be exact: a label is about 10 px tall and the places are 18 px apart.

Example
-------
>>> import numpy as np
>>> from tfvis.show._label_place import Scale
>>> scale = Scale.linear(np.array([0.0, 7.0]), 300, zero=True, nice=True)
>>> scale.to_pixels(np.array([3.5]))
array([150.])
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = [
    "DX",
    "DY_ABOVE",
    "DY_BELOW",
    "MARGIN",
    "PLACES",
    "Scale",
    "label_place",
    "mark_box",
    "text_width",
]

#: Places a label can take, as (beside its mark, right-aligned, below). Beside the mark
#: first: above it (a label's usual place), then below, toward the plot's inside first.
#: Then the plot's own corners (the label still names the epoch and has the series'
#: colour), for a mark whose every side is crossed by a line.
PLACES = tuple(
    (beside, right, below)
    for beside in (True, False)
    for below in (False, True)
    for right in (False, True)
)
#: The label's offset from its mark, in pixels (the text mark's dx and dy), and from
#: the plot's edge when it sits in a corner.
DX, DY_ABOVE, DY_BELOW, MARGIN = 6, -8, 10, 4
#: Half the side of a best mark (a filled point of size 45 px²), an obstacle too.
_MARK = 4.0
#: How far past the plot's right edge a label may run (the legend is further off).
_OVERHANG = 10.0
#: Advances in Vega's default sans-serif (Helvetica-like), in ems, rounded up: labels
#: are mostly digits and lower case ("min 0.5647 (epoch 17)").
_NARROW, _WIDE, _UPPER, _OTHER = 0.3, 0.86, 0.7, 0.58
_NARROW_CHARS = frozenset(" .,:;'|!()[]-ijlftrI")
_WIDE_CHARS = frozenset("mwMW@%")


def _nice_step(span: float, count: int) -> float | None:
    """d3's tick step for ``count`` ticks over ``span`` (1, 2 or 5 times a power of 10);
    None where floats cannot hold one (a span past the float maximum, or subnormal)."""
    raw = span / max(count, 1)
    if not (math.isfinite(raw) and raw > 1e-290):
        return None
    power = 10.0 ** math.floor(math.log10(raw))
    error = raw / power
    factor = 10 if error >= math.sqrt(50) else 5 if error >= math.sqrt(10) else 2
    return float(power * (factor if error >= math.sqrt(2) else 1))


@dataclass(frozen=True)
class Scale:
    """A data-to-pixel map: ``low`` at pixel 0, ``high`` at ``size``, linear or log."""

    low: float
    high: float
    size: float
    log: bool = False

    @classmethod
    def linear(cls, values: np.ndarray, size: float, *, zero: bool, nice: bool) -> Scale:
        """The scale Vega-Lite builds for ``values`` on an axis of ``size`` pixels."""
        low, high = float(np.min(values)), float(np.max(values))
        if zero:
            low, high = min(low, 0.0), max(high, 0.0)
        if not high > low:
            pad = max(abs(low) * 0.1, 1.0)  # ± 1 is lost on values near 1e300
            low, high = low - pad, high + pad
        step = _nice_step(high - low, 10) if nice else None  # Vega nices to ~10 ticks
        if step is not None:
            low, high = math.floor(low / step) * step, math.ceil(high / step) * step
        return cls(low, high, size)

    @classmethod
    def logarithmic(cls, values: np.ndarray, size: float) -> Scale:
        """A log scale, niced to powers of ten as d3 does."""
        positive = values[values > 0]
        low = math.floor(math.log10(float(positive.min()))) if len(positive) else 0
        high = math.ceil(math.log10(float(positive.max()))) if len(positive) else 1
        return cls(float(low), float(max(high, low + 1)), size, log=True)

    def to_pixels(self, values: np.ndarray) -> np.ndarray:
        data = np.log10(np.maximum(values, 1e-300)) if self.log else values
        # A span past the float maximum gives NaN pixels: such a label keeps place 0.
        with np.errstate(over="ignore", invalid="ignore"):
            pixels: np.ndarray = (data - self.low) / (self.high - self.low) * self.size
        return pixels


def text_width(text: str, font_size: float) -> float:
    """Estimated pixel width of ``text`` (a little wide: a label must not be under-sized)."""
    ems = 0.0
    for char in text:
        if unicodedata.east_asian_width(char) in "WF":
            ems += 1.0
        elif char in _NARROW_CHARS:
            ems += _NARROW
        elif char in _WIDE_CHARS:
            ems += _WIDE
        else:
            ems += _UPPER if char.isupper() else _OTHER
    return ems * font_size


def _crosses(box: tuple[float, float, float, float], line: tuple[np.ndarray, np.ndarray]) -> bool:
    """Whether the polyline (pixels, x increasing) passes through the box."""
    left, right, top, bottom = box
    x, y = line
    if not len(x) or right < x[0] or left > x[-1]:
        return False
    inside = (x > left) & (x < right)
    edges = np.clip([left, right], x[0], x[-1])
    ys = np.concatenate([y[inside], np.interp(edges, x, y)])
    # A continuous line over [left, right] takes every value between its extremes there.
    return bool(ys.min() <= bottom and ys.max() >= top)


def label_place(
    mark: tuple[float, float],
    text: str,
    font_size: float,
    lines: Sequence[tuple[np.ndarray, np.ndarray]],
    taken: list[tuple[float, float, float, float]],
    plot: tuple[float, float],
    *,
    prefer_right: bool,
) -> int:
    """The index in PLACES of the first place for the label of ``mark`` (pixels, y down)
    that stays in the plot and crosses none of ``lines`` and ``taken`` boxes (other
    labels and marks); else the place crossing the fewest. Its box joins ``taken``."""
    width, height = text_width(text, font_size), font_size + 2
    px, py = mark

    def box(beside: bool, right: bool, below: bool) -> tuple[float, float, float, float]:
        if beside:
            left = px - DX - width if right else px + DX
            middle = py + (DY_BELOW if below else DY_ABOVE)
            return left, left + width, middle - height / 2, middle + height / 2
        left = plot[0] - MARGIN - width if right else MARGIN
        top = plot[1] - MARGIN - height if below else MARGIN
        return left, left + width, top, top + height

    def crossings(candidate: tuple[float, float, float, float]) -> int:
        left, right, top, bottom = candidate
        # Text is not clipped to the plot: it may run into the gap before the legend,
        # but not over the axes or the title.
        if left < 0 or right > plot[0] + _OVERHANG or top < 0 or bottom > plot[1]:
            return len(lines) + len(taken) + 1  # cut off: worse than any crossing
        hits = sum(not (right < t[0] or left > t[1] or bottom < t[2] or top > t[3]) for t in taken)
        return hits + sum(_crosses(candidate, line) for line in lines)

    # Beside the mark before the plot's corners, above before below, and on the side
    # facing the plot's inside first.
    order = sorted(
        range(len(PLACES)),
        key=lambda i: (not PLACES[i][0], PLACES[i][2], PLACES[i][1] != prefer_right),
    )
    scores = {i: crossings(box(*PLACES[i])) for i in order}
    chosen = min(order, key=lambda i: (scores[i], order.index(i)))
    taken.append(box(*PLACES[chosen]))
    return chosen


def mark_box(mark: tuple[float, float]) -> tuple[float, float, float, float]:
    """The box a best mark covers, which no label may cover."""
    px, py = mark
    return px - _MARK, px + _MARK, py - _MARK, py + _MARK
