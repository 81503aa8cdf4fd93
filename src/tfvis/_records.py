"""Inline datasets: numpy columns that become JSON records only when an output needs them.

A chart keeps its data as columns; the list of row dicts that Vega-Lite reads is
made the first time an output asks for it (``to_dict``, HTML, a notebook, an SVG)
and never for outputs that do not use that dataset (a big heatmap's PNG draws one
image and never touches its cells).

Example
-------
>>> import numpy as np
>>> from tfvis._records import Records
>>> rows = Records(x=np.array([1.0, np.nan]), s=np.array(["a", "b"], dtype=object))
>>> len(rows), rows.records()
(2, [{'x': 1.0, 's': 'a'}, {'x': None, 's': 'b'}])
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = ["Columns", "Records", "json_column"]


def json_column(values: np.ndarray | Sequence[Any]) -> list[Any]:
    """One column as JSON-ready Python values.

    NaN and ±inf become None (a gap, never a bare ``NaN`` token); datetime64 becomes
    epoch milliseconds, which Vega reads as UTC instants.
    """
    array = np.asarray(values)
    if array.dtype.kind == "M":
        missing = np.isnat(array)
        column: list[Any] = array.astype("datetime64[ms]").astype(np.int64).tolist()
    elif array.dtype.kind == "f":
        missing = ~np.isfinite(array)
        column = array.tolist()
    else:
        return array.tolist()  # type: ignore[no-any-return]
    for i in np.flatnonzero(missing):
        column[i] = None
    return column


class Records:
    """Columns of equal length, turned into row dicts on first use (then kept).

    The columns are copied: a chart is a snapshot of the data it was given, even
    when the caller changes the array afterwards (an array reused across training
    steps). ``len()`` is known without building the rows, so a chart can be priced
    (:mod:`tfvis._budget`) before any output exists.
    """

    def __init__(self, **columns: np.ndarray | Sequence[Any]) -> None:
        lengths = {len(column) for column in columns.values()}
        if len(lengths) > 1:
            raise ValueError(f"columns of one dataset must have equal lengths, got {lengths}")
        self._columns = {name: np.array(column, copy=True) for name, column in columns.items()}
        self._length = lengths.pop() if lengths else 0
        self._rows: list[dict[str, Any]] | None = None

    def __len__(self) -> int:
        return self._length

    def records(self) -> list[dict[str, Any]]:
        """The rows as ``{column: value}`` dicts, strict-JSON ready (see :func:`json_column`)."""
        if self._rows is None:
            names = list(self._columns)
            converted = [json_column(c) for c in self._columns.values()]
            self._rows = [
                dict(zip(names, row, strict=True)) for row in zip(*converted, strict=True)
            ]
        return self._rows

    @property
    def names(self) -> list[str]:
        """The column names, in order."""
        return list(self._columns)

    def distinct(self, name: str) -> int:
        """How many distinct values column ``name`` holds (0 for no such column)."""
        column = self._columns.get(name)
        if column is None:
            return 0
        if column.dtype.kind == "O":
            return len(set(column.tolist()))
        return int(np.unique(column).size)

    def total(self, name: str) -> float:
        """The sum of numeric column ``name`` (0 for no such column)."""
        column = self._columns.get(name)
        if column is None or column.dtype.kind not in "biuf":
            return 0.0
        return float(np.nansum(column))

    def as_columns(self) -> Columns:
        """The same data as one row of column lists (see :class:`Columns`)."""
        return Columns(self)

    def column_lists(self) -> dict[str, list[Any]]:
        """Each column as a JSON-ready list (see :func:`json_column`)."""
        return {name: json_column(column) for name, column in self._columns.items()}

    def __repr__(self) -> str:
        return f"<Records {list(self._columns)} x {self._length}>"


class Columns:
    """Records written column-wise: one row holding a list per column.

    A view reads it with a ``flatten`` transform over the columns, which gives it
    the rows back. Vega reads arrays of numbers far faster than objects (a third of
    the PNG time of a long line), and Python writes them faster. ``len()`` is the
    number of rows the flatten makes, so the export guard prices it as the rows.
    """

    def __init__(self, records: Records) -> None:
        self._records = records

    def __len__(self) -> int:
        return len(self._records)

    @property
    def names(self) -> list[str]:
        """The column names, which the flatten transform lists."""
        return self._records.names

    def distinct(self, name: str) -> int:
        """How many distinct values column ``name`` holds."""
        return self._records.distinct(name)

    def total(self, name: str) -> float:
        """The sum of numeric column ``name``."""
        return self._records.total(name)

    def records(self) -> list[dict[str, Any]]:
        """``[{column: list}]``."""
        return [self._records.column_lists()]

    def __repr__(self) -> str:
        return f"<Columns {self.names} x {len(self)}>"
