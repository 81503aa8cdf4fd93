"""The histogram's statistics table, formatted the way tfjs-vis formats it."""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np

from tfvis.stats import ArrayStats

__all__ = ["format_number", "format_percent", "stats_lines"]

_PER_LINE = 3


def format_number(value: float) -> str:
    """d3-format ``',.4~f'``: thousands separators, at most four decimals, trimmed.

    Rounds half up like JavaScript's ``toFixed`` (exact binary ties go up).

    >>> format_number(1234567.891234)
    '1,234,567.8912'
    """
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if abs(value) >= 1e21:
        return repr(value)  # JavaScript switches to exponent notation here too: 1e+21
    rounded = Decimal(value).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    text = f"{rounded:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def format_percent(fraction: float) -> str:
    """d3-format ``'.4~p'``: four significant digits, plain decimal, trimmed.

    >>> format_percent(3 / 8)
    '37.5%'
    """
    text = np.format_float_positional(fraction * 100, precision=4, fractional=False, trim="-")
    return f"{text}%"


def _count(count: int, total: int) -> str:
    if count > 0 and total > 0:
        return f"{format_number(count)} ({format_percent(count / total)})"
    return format_number(count)


def stats_rows(stats: ArrayStats | Mapping[str, Any]) -> list[tuple[str, str]]:
    """The table's (name, value) cells; a mapping given by the user is shown as is."""
    if isinstance(stats, Mapping):
        return [(str(k), v if isinstance(v, str) else _any(v)) for k, v in stats.items()]
    rows = [("Num Vals", format_number(stats.num_vals))]
    if stats.min is not None and stats.max is not None:
        rows += [("Min", format_number(stats.min)), ("Max", format_number(stats.max))]
    rows += [
        ("# Zeros", _count(stats.num_zeros, stats.num_vals)),
        ("# NaNs", _count(stats.num_nans, stats.num_vals)),
    ]
    if stats.num_vals:
        rows.append(("# Infinity", _count(stats.num_infs, stats.num_vals)))
    return rows


def _any(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return format_number(float(value))
    return str(value)


def stats_lines(stats: ArrayStats | Mapping[str, Any]) -> list[str]:
    """The table as text lines of ``Name: value`` cells, three to a line."""
    cells = [f"{name}: {value}" for name, value in stats_rows(stats)]
    # Em spaces: SVG text collapses runs of ordinary spaces.
    gap = "\u2003\u2003"
    return [gap.join(cells[i : i + _PER_LINE]) for i in range(0, len(cells), _PER_LINE)]
