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
from typing import Any

import numpy as np

__all__ = ["is_number", "to_float"]


def is_number(value: Any) -> bool:
    """True for a real number (Python, numpy, ``Decimal``, ``Fraction``), never a bool."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_)


def to_float(value: Any) -> float:
    """``float(value)``; integers beyond the float range become ±inf, not OverflowError."""
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf
