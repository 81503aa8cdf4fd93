"""The histogram's statistics table, formatted the way tfjs-vis formats it."""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

from tfvis._options import STATS_KEYS
from tfvis._stats import ArrayStats

__all__ = [
    "format_number",
    "format_percent",
    "stats_lines",
    "stats_rows",
    "stats_values",
]

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


# The header of each row, in the order tfjs-vis draws them (keys: the options' STATS_KEYS).
_HEADERS = dict(
    zip(
        (key for key, _ in STATS_KEYS),
        ("Num Vals", "Min", "Max", "# Zeros", "# NaNs", "# Infinity"),
        strict=True,
    )
)
_COUNTS = {"num_zeros", "num_nans", "num_infs"}


def stats_values(stats: ArrayStats) -> dict[str, float | None]:
    """Computed stats as tfjs-vis shows them: min and max are NaN when every value is,
    and an empty input has no infinity count."""
    empty = stats.num_vals == 0
    return {
        "num_vals": stats.num_vals,
        "min": None if empty else (math.nan if stats.min is None else stats.min),
        "max": None if empty else (math.nan if stats.max is None else stats.max),
        "num_zeros": stats.num_zeros,
        "num_nans": stats.num_nans,
        "num_infs": None if empty else stats.num_infs,
    }


def stats_rows(values: Mapping[str, float | None]) -> list[tuple[str, str]]:
    """The table's (header, cell) pairs: a row for each value that is not None."""
    total = values.get("num_vals")
    rows = []
    for key, header in _HEADERS.items():
        value = values.get(key)
        if value is None:
            continue
        cell = format_number(float(value))
        if key in _COUNTS and total and value > 0:
            cell += f" ({format_percent(value / total)})"
        rows.append((header, cell))
    return rows


def stats_lines(values: Mapping[str, float | None]) -> list[str]:
    """The table as text lines of ``Name: value`` cells, three to a line."""
    cells = [f"{name}: {value}" for name, value in stats_rows(values)]
    # Em spaces: SVG text collapses runs of ordinary spaces.
    gap = "\u2003\u2003"
    return [gap.join(cells[i : i + _PER_LINE]) for i in range(0, len(cells), _PER_LINE)]
