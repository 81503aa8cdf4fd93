"""What counts as a number in user input, and how it becomes a float.

One definition for every input path (series values, bar heights, matrix cells,
``downsample.points``, option values): a real number that is not a boolean.
``True`` and ``numpy.True_`` are refused alike, because a chart of booleans is
almost always a mistake (a mask passed where values were meant); an array of
booleans is accepted where a whole array is, and reads as 0 and 1.

Example
-------
>>> import numpy as np
>>> from tfvis._values import is_number, to_float
>>> is_number(3), is_number(np.float32(2.5)), is_number(True), is_number(np.True_)
(True, True, False, False)
>>> to_float(10**400)
inf
"""

from __future__ import annotations

import math
import numbers
import sys
from typing import Any

import numpy as np

__all__ = ["TINY", "is_missing", "is_number", "to_float", "without_subnormals"]

#: The smallest normal float64. Below it, values are subnormal: Vega cannot draw an
#: axis across them (d3's ticks ask for an array of infinite length).
TINY = float(np.finfo(np.float64).tiny)


def is_number(value: Any) -> bool:
    """True for a real number (Python, numpy, ``Decimal``, ``Fraction``), never a bool."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_)


def is_missing(value: Any) -> bool:
    """True for the values that mean "no value here": None, ``pandas.NA``, ``pandas.NaT``.

    (A float NaN is a number: it is kept, and draws as a gap.)
    """
    if value is None:
        return True
    pandas = sys.modules.get("pandas")
    return pandas is not None and (value is pandas.NA or value is pandas.NaT)


def without_subnormals(values: np.ndarray) -> tuple[np.ndarray, int]:
    """``values`` with subnormal floats (0 < |v| < :data:`TINY`) set to 0, and their count.

    No picture can tell them from 0, and an axis or a colour scale spanning only
    subnormal values cannot be drawn at all (Vega fails). The input is never changed:
    a copy is made only when there is something to flush.
    """
    if values.dtype.kind != "f" or values.size == 0:
        return values, 0
    flat = values.reshape(-1)
    step = 1 << 20  # chunks: no full-size temporary arrays for a big input
    count = 0
    for start in range(0, flat.size, step):
        chunk = flat[start : start + step]
        with np.errstate(invalid="ignore"):
            count += int(np.count_nonzero((np.abs(chunk) < TINY) & (chunk != 0)))
    if not count:
        return values, 0
    flushed = values.copy()
    out = flushed.reshape(-1)
    for start in range(0, out.size, step):
        chunk = out[start : start + step]
        with np.errstate(invalid="ignore"):
            chunk[np.abs(chunk) < TINY] = 0.0
    return flushed, count


def to_float(value: Any) -> float:
    """``float(value)``; integers beyond the float range become ±inf, not OverflowError."""
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf
