"""``tfvis plot``: chart a data file from the shell (CSV, Parquet, .npy, JSON).

The command reads the file into a DataFrame (or a 2-D array for ``.npy``), picks the
columns the flags name, calls the same ``render`` function a script would, and saves
by the suffix of ``-o``.

Example
-------
.. code-block:: console

    $ tfvis plot log.csv --kind line -x epoch -y loss,val_loss -o curves.png
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tfvis._text import closest
from tfvis.errors import DataError

__all__ = ["KINDS", "READERS", "plot_file", "read_table"]

#: The chart kinds ``--kind`` takes, and what each draws.
KINDS = {
    "line": "one line per -y column against -x",
    "scatter": "one point cloud per -y column against -x",
    "bar": "one bar per row: -x the labels, -y one value column",
    "histogram": "the distribution of one -y column",
    "heatmap": "the numeric columns as a matrix (rows as in the file; -x the row labels)",
    "history": "training curves: every metric column, val_X with X (Keras CSVLogger, "
    "Lightning metrics.csv)",
}

#: The file suffixes read, and what reads them.
READERS = {
    ".csv": "pandas.read_csv",
    ".tsv": "pandas.read_csv (tab-separated)",
    ".parquet": "pandas.read_parquet (needs pyarrow or fastparquet)",
    ".npy": "numpy.load (a 1-D or 2-D array, never pickles)",
    ".json": "records [{...}, ...] or columns {name: [...]}",
}


def read_table(path: Path) -> pd.DataFrame:
    """The file at ``path`` as a DataFrame; a DataError saying why it cannot be read."""
    suffix = path.suffix.lower()
    if suffix not in READERS:
        raise DataError(
            f"tfvis plot reads {', '.join(READERS)} files, got {str(path)!r} "
            f"(suffix {suffix or '(none)'!r})"
        )
    if not path.is_file():
        raise DataError(f"tfvis plot: no such file: {str(path)!r}")
    try:
        if suffix in (".csv", ".tsv"):
            text: pd.DataFrame = pd.read_csv(path, sep="\t" if suffix == ".tsv" else ",")
            return text
        if suffix == ".parquet":
            columns: pd.DataFrame = pd.read_parquet(path)
            return columns
        if suffix == ".npy":
            array = np.load(path, allow_pickle=False)
            if array.ndim not in (1, 2):
                raise DataError(
                    f"tfvis plot: {str(path)!r} holds a {array.ndim}-D array; expected 1-D or 2-D"
                )
            frame: pd.DataFrame = pd.DataFrame(array if array.ndim == 2 else {"value": array})
            frame.columns = pd.Index([str(c) for c in frame.columns])
            return frame
        with path.open(encoding="utf-8") as handle:
            loaded = json.load(handle)
        if isinstance(loaded, dict) and isinstance(loaded.get("history"), dict):
            loaded = loaded["history"]  # tfjs-vis's {"history": {...}}
        table: pd.DataFrame = pd.DataFrame(loaded)
        return table
    except DataError:
        raise
    except (ImportError, OSError, ValueError, TypeError) as error:
        raise DataError(f"tfvis plot could not read {str(path)!r}: {error}") from error


def plot_file(
    path: Path,
    *,
    kind: str,
    x: str | None,
    y: Sequence[str],
    out: Path,
    options: dict[str, Any],
) -> Path:
    """Draw ``path`` as a ``kind`` chart and save it to ``out``; return the path written."""
    from tfvis import render

    frame = read_table(path)
    if frame.empty:
        raise DataError(f"tfvis plot: {str(path)!r} holds no rows")
    if kind == "history":
        from tfvis import show

        if not hasattr(show, "history"):
            raise DataError("tfvis plot --kind history needs show.history (not in this tfvis)")
        wanted = list(y) or None
        chart = show.history(_without(frame, x), wanted, **options)
    elif kind == "heatmap":
        labels = _column(frame, x, "-x") if x else None
        numbers = _numeric(_without(frame, x), path)
        data: dict[str, Any] = {"values": numbers.to_numpy(dtype=float)}
        data["xTickLabels"] = [str(c) for c in numbers.columns]
        if labels is not None:
            data["yTickLabels"] = [str(v) for v in labels]
        chart = render.heatmap(data, rowMajor=True, **options)
    elif kind == "histogram":
        column = _one_value_column(frame, y, x, path)
        chart = render.histogram(frame[column].to_numpy(), xLabel=column, **options)
    elif kind == "bar":
        column = _one_value_column(frame, y, x, path)
        labels = _column(frame, x, "-x") if x else frame.iloc[:, 0]
        if x is None and labels.name == column:
            labels = pd.Series(range(len(frame)))
        bars = [
            {"index": str(label), "value": value}
            for label, value in zip(labels, frame[column].tolist(), strict=True)
        ]
        chart = render.barchart(bars, yLabel=column, **options)
    elif kind in ("line", "scatter"):
        x_name = x if x is not None else str(frame.columns[0])
        xs = _column(frame, x_name, "-x")
        names = list(y) or [str(c) for c in _numeric(_without(frame, x_name), path).columns]
        for name in names:
            _column(frame, name, "-y")
        series = [pd.Series(frame[name].to_numpy(), index=xs.to_numpy()) for name in names]
        draw = render.linechart if kind == "line" else render.scatterplot
        options.setdefault("xLabel", x_name)
        options.setdefault("yLabel", names[0] if len(names) == 1 else "value")
        chart = draw({"values": series, "series": names}, **options)
    else:  # argparse's choices keep this out; a guard for in-process callers
        raise DataError(f"tfvis plot --kind must be one of {', '.join(KINDS)}, got {kind!r}")
    return Path(chart.save(out))


def _column(frame: pd.DataFrame, name: str | None, flag: str) -> pd.Series:
    if name not in frame.columns:
        known = [str(c) for c in frame.columns]
        hint = closest(str(name), known)
        raise DataError(
            f"tfvis plot {flag}: no column {name!r}"
            + (f"; did you mean {hint!r}?" if hint else "")
            + f" Columns: {', '.join(known)}"
        )
    column: pd.Series = frame[name]
    return column


def _without(frame: pd.DataFrame, name: str | None) -> pd.DataFrame:
    if name is None:
        return frame
    _column(frame, name, "-x")
    rest: pd.DataFrame = frame.drop(columns=[name])
    return rest


def _numeric(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    numbers: pd.DataFrame = frame.select_dtypes(include="number")
    if numbers.columns.empty:
        raise DataError(f"tfvis plot: {str(path)!r} has no numeric columns to draw")
    return numbers


def _one_value_column(frame: pd.DataFrame, y: Sequence[str], x: str | None, path: Path) -> str:
    if len(y) > 1:
        raise DataError(f"tfvis plot -y takes one column for this kind, got {', '.join(y)}")
    if y:
        _column(frame, y[0], "-y")
        return y[0]
    return str(_numeric(_without(frame, x), path).columns[0])
