"""Every accepted input form, turned into typed numpy data.

The render functions never look at raw user input: they call one ``normalize_*``
function here and get back arrays. Every :class:`~tfvis.errors.DataError` about the
shape or type of the input is raised in this module.

Example
-------
>>> from tfvis._data import normalize_xy
>>> xy = normalize_xy({"values": [{"x": 1, "y": 20}, {"x": 2, "y": 30}]}, chart="linechart")
>>> xy.series[0].y.tolist()
[20.0, 30.0]
"""

from __future__ import annotations

import datetime as _dt
import math
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from tfvis._frameworks import to_numpy
from tfvis._text import describe
from tfvis._values import TINY, is_missing, is_number, to_float, without_subnormals
from tfvis._warn import warn
from tfvis.errors import DataError, PrecisionWarning

if TYPE_CHECKING:
    import pandas as pd


def _pd(name: str) -> Any:
    """A pandas class for isinstance checks, or ``()`` when pandas is not loaded.

    pandas is imported only when needed (it doubles ``import tfvis``): a pandas
    object can only reach tfvis if its caller has imported pandas already.
    """
    module = sys.modules.get("pandas")
    return getattr(module, name) if module is not None else ()


__all__ = [
    "BarData",
    "ConfusionData",
    "HeatmapData",
    "XYData",
    "XYSeries",
    "as_array",
    "normalize_bars",
    "normalize_confusion_matrix",
    "normalize_heatmap",
    "normalize_histogram",
    "normalize_table",
    "normalize_xy",
]

XKind = Literal["quantitative", "temporal", "nominal"]


@dataclass(frozen=True)
class XYSeries:
    """One series of a line or scatter chart.

    ``x`` is float64 (quantitative), datetime64[ns] in UTC (temporal) or an object
    array of str (nominal); ``y`` is float64 with NaN where a value is missing.
    """

    name: str
    x: np.ndarray
    y: np.ndarray


@dataclass(frozen=True)
class XYData:
    """The series of a line or scatter chart, all with the same kind of x.

    ``x_name`` is the name of the pandas index the x values came from, if it had one.
    """

    series: tuple[XYSeries, ...]
    x_kind: XKind
    x_name: str | None = None


@dataclass(frozen=True)
class BarData:
    """Bars in input order: their display labels and heights."""

    labels: tuple[str, ...]
    values: np.ndarray


@dataclass(frozen=True)
class HeatmapData:
    """A matrix with ``values[i, j]`` drawn at column ``i`` and row ``j`` (tfjs-vis order)."""

    values: np.ndarray
    x_tick_labels: tuple[str, ...] | None
    y_tick_labels: tuple[str, ...] | None


def as_array(value: Any) -> np.ndarray | None:
    """A numpy view of an array-like or tensor, or None for anything else.

    See :func:`tfvis._frameworks.to_numpy`: numpy, pandas, torch (detached, on the
    CPU), TensorFlow, JAX and anything with ``__array__``.
    """
    return to_numpy(value)


# ----------------------------------------------------------------------------- x/y


def normalize_xy(data: Any, *, chart: str) -> XYData:
    """Turn linechart/scatterplot input into series of numpy arrays.

    Accepted: ``{"values": points, "series": names}`` where ``points`` is a list of
    ``{"x", "y"}`` dicts (one series), a list of such lists or of 1-D arrays (one per
    series), a 1-D array or tensor of y values, a pandas Series or DataFrame (the index
    is x, one series per column); or any of these directly, without the wrapper dict.
    """
    names: list[str] | None = None
    values: Any = data
    if isinstance(data, Mapping):
        unknown = [k for k in data if k not in ("values", "series")]
        if unknown or "values" not in data:
            raise DataError(
                f"data of {chart} must be a dict with a 'values' key and optionally a "
                f"'series' key, got keys {sorted(map(str, data))}"
            )
        values = data["values"]
        if data.get("series") is not None:
            names = _series_names(data["series"])
    series = _read_series(values, chart)
    if names is None:
        names = [n if n is not None else f"Series {i + 1}" for i, (n, _, _) in enumerate(series)]
    elif len(names) != len(series):
        raise DataError("Must have an equal number of series labels as there are data series")
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise DataError(f"series names must be unique, {name!r} appears more than once")
        seen.add(name)
    kinds = {_x_kind(x) for _, x, _ in series if len(x)}
    if len(kinds) > 1:
        raise DataError(
            f"x values of {chart} must all be numbers, all dates or all strings, "
            f"got a mix of {' and '.join(sorted(kinds))}"
        )
    x_kind: XKind = kinds.pop() if kinds else "quantitative"
    return XYData(
        series=tuple(
            XYSeries(
                name=n,
                x=drawable(_x_as(x, x_kind), f"series {n!r} x", chart),
                y=drawable(y, f"series {n!r}", chart),
            )
            for n, (_, x, y) in zip(names, series, strict=False)
        ),
        x_kind=x_kind,
        x_name=_index_name(values),
    )


def _index_name(values: Any) -> str | None:
    """The name of the first pandas index among the series, for the x title."""
    candidates = values if isinstance(values, list | tuple) else [values]
    for item in candidates:
        if not isinstance(item, (_pd("Series"), _pd("DataFrame"))):
            continue
        if item.index.name is not None:
            return str(item.index.name)
    return None


def _series_names(series: Any) -> list[str]:
    if isinstance(series, str) or not isinstance(series, (Sequence, np.ndarray, _pd("Index"))):
        raise DataError(f"data['series'] must be a list of series names, got {describe(series)}")
    return [str(s) for s in series]


RawSeries = tuple[str | None, np.ndarray, np.ndarray]


def _read_series(values: Any, chart: str) -> list[RawSeries]:
    if isinstance(values, _pd("DataFrame")):
        x = _index_as_x(values.index)
        return [(str(c), x, _numeric(values[c].to_numpy(), f"column {c!r}")) for c in values]
    if isinstance(values, _pd("Series")):
        name = None if values.name is None else str(values.name)
        return [(name, _index_as_x(values.index), _numeric(values.to_numpy(), "values"))]
    array = None if isinstance(values, list | tuple) else as_array(values)
    if array is not None:
        if array.ndim == 2 and array.shape[1] == 2:  # an embedding, PCA output: (x, y) rows
            return [(None, _x_array(array[:, 0], "values"), _numeric(array[:, 1], "values"))]
        if array.ndim != 1:
            raise DataError(
                f"values of {chart} as an array must be 1-D (the y values of one series) "
                f"or N×2 ((x, y) pairs), got shape {array.shape}; pass a list of arrays or "
                "a DataFrame for several series"
            )
        y = _numeric(array, "values")
        return [(None, np.arange(len(y), dtype=np.float64), y)]
    if not isinstance(values, list | tuple):
        raise DataError(
            f"values of {chart} must be a list of {{x, y}} points, a list of such lists, "
            f"an array or a pandas object, got {describe(values)}"
        )
    if values and all(_is_scalar(v) for v in values):
        y = _numeric_list(list(values), "values", None)  # plain y values at x = 0, 1, ...
        return [(None, np.arange(len(y), dtype=np.float64), y)]
    if len(values) == 0 or isinstance(values[0], Mapping):
        x, y = _read_points(values, "values")
        return [(None, x, y)]
    out: list[RawSeries] = []
    for i, item in enumerate(values):
        where = f"values[{i}]"
        if isinstance(item, list | tuple):
            x, y = _read_points(item, where)
            out.append((None, x, y))
        elif isinstance(item, _pd("Series")):
            name = None if item.name is None else str(item.name)
            out.append((name, _index_as_x(item.index), _numeric(item.to_numpy(), where)))
        else:
            array = as_array(item)
            if array is not None and array.ndim == 2 and array.shape[1] == 2:
                out.append((None, _x_array(array[:, 0], where), _numeric(array[:, 1], where)))
                continue
            if array is None or array.ndim != 1:
                raise DataError(
                    f"{where} must be a list of {{x, y}} points, a 1-D array of y values or "
                    f"an N×2 array of (x, y) pairs, got {describe(item)}"
                )
            y = _numeric(array, where)
            out.append((None, np.arange(len(y), dtype=np.float64), y))
    return out


def _is_scalar(value: Any) -> bool:
    """A plain list item that is one value (a number, a missing value, a bool, a string)."""
    return is_number(value) or is_missing(value) or isinstance(value, bool | np.bool_ | str)


def _x_array(values: np.ndarray, where: str) -> np.ndarray:
    """The x column of an N×2 array: finite numbers."""
    x = _numeric(values, where)
    if not np.isfinite(x).all():
        bad = int(np.flatnonzero(~np.isfinite(x))[0])
        raise DataError(f"{where}[{bad}, 0] (an x value) must be a finite number, got {x[bad]!r}")
    return x


def _read_points(points: Sequence[Any], where: str) -> tuple[np.ndarray, np.ndarray]:
    try:
        xs = [p["x"] for p in points]
        ys = [p["y"] for p in points]
    except (KeyError, TypeError, IndexError):
        for i, p in enumerate(points):
            if not isinstance(p, Mapping) or "x" not in p or "y" not in p:
                raise DataError(
                    f"{where}[{i}] must be a dict with 'x' and 'y', got {describe(p)}"
                ) from None
        raise
    y = _numeric_list(ys, where, "y")
    return _x_list(xs, where), y


def _flat_array(items: Sequence[Any]) -> np.ndarray | None:
    """numpy's reading of a plain list, or None where numpy refuses it (ragged lists)."""
    if not items:
        return np.zeros(0)
    try:
        return np.asarray(items)
    except (ValueError, TypeError, OverflowError):
        return None


def _numeric_list(items: list[Any], where: str, key: str | None) -> np.ndarray:
    """Numbers (None, NaN, ``pandas.NA`` for a gap) to float64; name the first bad item.

    Booleans are not numbers here (:mod:`tfvis._values`): a list of them is almost
    always a mask passed where values were meant.
    """
    array = _flat_array(items)
    if array is not None and array.dtype.kind in "iuf" and array.ndim == 1:
        with np.errstate(over="ignore"):
            return array.astype(np.float64)
    for i, v in enumerate(items):
        if not is_missing(v) and not is_number(v):
            place = f"{where}[{i}]" + (f".{key}" if key else "")
            raise DataError(f"{place} must be a number, got {describe(v)}{_bool_hint(v)}")
    return np.array([np.nan if is_missing(v) else to_float(v) for v in items], dtype=np.float64)


def drawable(values: np.ndarray, where: str, chart: str) -> np.ndarray:
    """``values`` ready to be drawn: subnormal floats become 0, with a warning.

    See :func:`tfvis._values.without_subnormals`; the input array is never changed.
    """
    flushed, count = without_subnormals(values)
    if count:
        warn(
            f"{chart} drew {count:,} value(s) of {where} smaller than {TINY:.1e} in magnitude "
            "(subnormal floats) as 0: no picture can tell them from 0, and Vega cannot draw "
            "an axis across them. Scale the data to see them.",
            PrecisionWarning,
        )
    return flushed


def _bool_hint(value: Any) -> str:
    if isinstance(value, bool | np.bool_):
        return "; booleans are not numbers here, pass 0 and 1"
    return ""


def _numeric(array: np.ndarray, where: str) -> np.ndarray:
    if array.dtype.kind in "biuf":
        with np.errstate(over="ignore"):
            return array.astype(np.float64, copy=False)
    if array.dtype.kind == "O":
        return _numeric_list(list(array), where, None)
    raise DataError(f"{where} must hold numbers, got an array of dtype {array.dtype}")


_DATE_TYPES = (_dt.date, np.datetime64)  # pandas.Timestamp is a datetime


def _x_list(xs: list[Any], where: str) -> np.ndarray:
    """x values: numbers, dates or strings, all of one kind."""
    if not xs:
        return np.zeros(0)
    first = xs[0]
    if isinstance(first, str):
        for i, v in enumerate(xs):
            if not isinstance(v, str):
                raise DataError(
                    f"{where}[{i}].x must be a string like the others, got {describe(v)}"
                )
        return np.array([v for v in xs], dtype=object)
    if isinstance(first, _DATE_TYPES):
        for i, v in enumerate(xs):
            if not isinstance(v, _DATE_TYPES) or v != v:  # v != v: NaT
                raise DataError(f"{where}[{i}].x must be a date like the others, got {describe(v)}")
        import pandas as pd

        return _dates(pd.DatetimeIndex(pd.to_datetime(xs, utc=True)), where)
    array = _flat_array(xs)
    if array is not None and array.dtype.kind in "biuf" and array.ndim == 1:
        x = array.astype(np.float64)
        if np.isfinite(x).all():
            return x
    for i, v in enumerate(xs):
        if not is_number(v) or not math.isfinite(to_float(v)):
            raise DataError(f"{where}[{i}].x must be a finite number, got {describe(v)}")
    # Numbers numpy keeps as objects (integers beyond 64 bits, mixed scalar types).
    return np.array([to_float(v) for v in xs], dtype=np.float64)


def _index_as_x(index: pd.Index) -> np.ndarray:
    import pandas as pd

    if isinstance(index, pd.DatetimeIndex):
        if index.hasnans:
            raise DataError("the index used as x must not contain NaT")
        return _dates(index, "the index")
    if index.dtype.kind in "biuf":
        x = index.to_numpy(dtype=np.float64)
        if not np.isfinite(x).all():
            raise DataError("the index used as x must hold finite numbers")
        return x
    if index.dtype.kind == "M":
        return _dates(pd.DatetimeIndex(index), "the index")
    return np.array([str(v) for v in index], dtype=object)


def _dates(index: pd.DatetimeIndex, where: str) -> np.ndarray:
    """Dates to naive datetime64[ns] in UTC, so pictures never depend on the local zone."""
    import pandas as pd

    if index.tz is not None:
        index = index.tz_convert("UTC").tz_localize(None)
    try:
        # as_unit refuses what does not fit; a plain cast to [ns] would wrap around.
        dates: np.ndarray = index.as_unit("ns").to_numpy()
        return dates
    except (pd.errors.OutOfBoundsDatetime, OverflowError):
        outside = [str(v) for v in index if not pd.Timestamp.min <= v <= pd.Timestamp.max]
        raise DataError(
            f"dates used as x in {where} must lie between 1677-09-22 and 2262-04-11, "
            f"got {outside[0] if outside else 'a date outside that range'}"
        ) from None


def _x_kind(x: np.ndarray) -> XKind:
    if x.dtype.kind == "M":
        return "temporal"
    if x.dtype.kind == "O":
        return "nominal"
    return "quantitative"


def _x_as(x: np.ndarray, kind: XKind) -> np.ndarray:
    if len(x) == 0:
        return {"temporal": np.zeros(0, "datetime64[ns]"), "nominal": np.zeros(0, object)}.get(
            kind, np.zeros(0)
        )
    return x


# ----------------------------------------------------------------------------- bars


def normalize_bars(data: Any, *, chart: str) -> BarData:
    """Turn barchart input into labels and heights, in input order.

    Accepted: a list of ``{"index", "value"}`` dicts (tfjs-vis), a mapping of
    index to value, a pandas Series (index to value), or a list or 1-D array of
    heights (indexed by position).
    """
    if isinstance(data, _pd("Series")):
        index: list[Any] = list(data.index)
        values = _numeric(data.to_numpy(), "data")
    elif isinstance(data, Mapping):
        index = list(data.keys())
        values = _numeric_list(list(data.values()), "data", "value")
    elif isinstance(data, list | tuple) and data and all(_is_scalar(v) for v in data):
        values = _numeric_list(list(data), "data", None)  # plain heights at 0, 1, ...
        index = list(range(len(values)))
    elif isinstance(data, list | tuple):
        index, raw = [], []
        for i, item in enumerate(data):
            if not isinstance(item, Mapping) or "index" not in item or "value" not in item:
                raise DataError(
                    f"data[{i}] must be a dict with 'index' and 'value', got {describe(item)}"
                )
            index.append(item["index"])
            raw.append(item["value"])
        values = _numeric_list(raw, "data", "value")
    else:
        array = as_array(data)
        if array is None or array.ndim != 1:
            raise DataError(
                f"data of {chart} must be a list of {{index, value}} dicts, a dict, a pandas "
                f"Series or a 1-D array, got {describe(data)}"
            )
        values = _numeric(array, "data")
        index = list(range(len(values)))
    keys: list[str | float] = []
    for i, v in enumerate(index):
        if isinstance(v, str):
            keys.append(v)
        elif is_number(v) and math.isfinite(to_float(v)):
            keys.append(float(v))
        else:
            raise DataError(
                f"data[{i}].index must be a string or a finite number, got {describe(v)}"
            )
    return BarData(labels=tuple(map(_label, keys)), values=drawable(values, "data", chart))


def _label(value: str | float) -> str:
    """Show an index the way JavaScript would: 3 not 3.0."""
    if isinstance(value, str):
        return value
    number = to_float(value)
    if number.is_integer() and abs(number) < 1e21:
        return str(int(number))
    return repr(number)


# ----------------------------------------------------------------------------- histogram


def normalize_histogram(data: Any, *, chart: str) -> np.ndarray:
    """Turn histogram input into a flat numeric array, without copying arrays.

    Accepted: a list of numbers, a list of ``{"value"}`` dicts, an array or tensor of
    any shape (flattened), a pandas Series or DataFrame.
    """
    if isinstance(data, list | tuple):
        if data and isinstance(data[0], Mapping):
            raw = []
            for i, item in enumerate(data):
                if not isinstance(item, Mapping) or "value" not in item:
                    raise DataError(
                        f"input data must have a value field: data[{i}] is {describe(item)}"
                    )
                raw.append(item["value"])
            return _numeric_list(raw, "data", "value")
        array = _flat_array(data)
        if array is not None and array.dtype.kind in "iuf" and array.ndim == 1:
            return _numeric(array, "data")
        return _numeric_list(list(data), "data", None)
    given = as_array(data)
    if given is None:
        raise DataError(
            "input data must be an array: a list of numbers, a list of {value} dicts, an "
            f"array or a tensor, got {describe(data)}"
        )
    array = given
    if array.dtype.kind == "b":
        array = array.view(np.uint8)
    if array.dtype.kind not in "iuf":
        raise DataError(f"data of {chart} must hold numbers, got an array of dtype {array.dtype}")
    return array.reshape(-1)


# ----------------------------------------------------------------------------- heatmap


def _matrix_shape(chart: str) -> str:
    """tfjs-vis's message for a matrix of the wrong shape, naming the render function."""
    tfjs = "render" + "".join(part.title() for part in chart.split("_"))
    return f"Input to {tfjs} must be a 2d array or Tensor2d"


def normalize_heatmap(data: Any, *, chart: str, row_major: bool = False) -> HeatmapData:
    """Turn heatmap input into a float64 matrix and optional tick labels.

    Accepted: ``{"values": matrix, "xTickLabels": [...], "yTickLabels": [...]}`` or
    the matrix alone; a matrix is a 2-D nested list, array or tensor, or a DataFrame.
    The result's ``values[i][j]`` is drawn at column ``i`` and row ``j`` (tfjs-vis
    order); with ``row_major`` the input is transposed first, as tfjs-vis does, and
    the tick labels are checked against the transposed shape. A DataFrame is drawn as
    it prints, its index down the y axis and its columns along x (their labels the
    tick labels unless labels are given), whatever ``row_major`` says.
    """
    x_labels = y_labels = None
    matrix: Any = data
    if isinstance(data, Mapping):
        known = ("values", "xTickLabels", "yTickLabels", "x_tick_labels", "y_tick_labels")
        unknown = [k for k in data if k not in known]
        if unknown or "values" not in data:
            raise DataError(
                f"data of {chart} must be a dict with a 'values' key and optionally "
                f"'xTickLabels' and 'yTickLabels', got keys {sorted(map(str, data))}"
            )
        matrix = data["values"]
        x_labels = _tick_labels(data, "xTickLabels", "x_tick_labels")
        y_labels = _tick_labels(data, "yTickLabels", "y_tick_labels")
    values = _matrix(matrix, chart)
    if isinstance(matrix, _pd("DataFrame")):
        # Drawn as it prints: its rows down the y axis, its columns along x. A
        # DataFrame is row-major by nature, so rowMajor changes nothing for it.
        values = values.T
        x_labels = _frame_labels(matrix.columns) if x_labels is None else x_labels
        y_labels = _frame_labels(matrix.index) if y_labels is None else y_labels
    elif row_major:
        values = values.T
    rows, cols = values.shape
    if x_labels is not None and len(x_labels) != rows:
        raise DataError(
            f"Length of xTickLabels ({len(x_labels)}) must match number of rows ({rows})"
        )
    if y_labels is not None and len(y_labels) != cols:
        raise DataError(
            f"Length of yTickLabels ({len(y_labels)}) must match number of columns ({cols})"
        )
    return HeatmapData(
        values=drawable(values, "values", chart), x_tick_labels=x_labels, y_tick_labels=y_labels
    )


def _frame_labels(index: pd.Index) -> tuple[str, ...] | None:
    """A DataFrame's index or columns as tick labels; a plain 0..n-1 range is no label."""
    import pandas as pd

    if isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1:
        return None
    return tuple(_label(v) if is_number(v) else str(v) for v in index)


def _tick_labels(data: Mapping[str, Any], camel: str, snake: str) -> tuple[str, ...] | None:
    if camel in data and snake in data:
        raise DataError(f"data['{camel}'] was given twice (as '{camel}' and '{snake}')")
    labels = data.get(camel, data.get(snake))
    if labels is None:
        return None
    if isinstance(labels, str) or not isinstance(labels, Iterable):
        raise DataError(f"data['{camel}'] must be a list of labels, got {describe(labels)}")
    return tuple(_label(v) if is_number(v) else str(v) for v in labels)


def _matrix(matrix: Any, chart: str) -> np.ndarray:
    shape_message = _matrix_shape(chart)
    given = as_array(matrix)
    if given is not None:
        array = given
    else:
        if not isinstance(matrix, list | tuple) or not all(
            isinstance(row, list | tuple) for row in matrix
        ):
            raise DataError(shape_message)
        lengths = {len(row) for row in matrix}
        if len(lengths) > 1:
            raise DataError(f"{shape_message}; rows have different lengths {sorted(lengths)}")
        for i, row in enumerate(matrix):
            for j, v in enumerate(row):
                if v is not None and not is_number(v):
                    raise DataError(f"values[{i}][{j}] must be a number, got {describe(v)}")
        array = np.array(
            [[np.nan if v is None else to_float(v) for v in row] for row in matrix],
            dtype=np.float64,
        ).reshape(len(matrix), -1 if matrix and matrix[0] else 0)
    if array.ndim != 2:
        raise DataError(f"{shape_message}, got shape {array.shape}")
    if array.dtype.kind not in "biuf":
        raise DataError(f"values of {chart} must hold numbers, got an array of dtype {array.dtype}")
    return array.astype(np.float64, copy=False)


# ----------------------------------------------------------------------------- confusion matrix


@dataclass(frozen=True)
class ConfusionData:
    """A confusion matrix: ``counts[i, j]`` samples of true class ``i`` predicted as ``j``.

    ``labels`` name the rows (true classes, y) and ``predicted`` the columns (x);
    they are the same unless a DataFrame's index and columns differ.
    """

    counts: np.ndarray
    labels: tuple[str, ...]
    predicted: tuple[str, ...]


def normalize_confusion_matrix(data: Any, *, chart: str) -> ConfusionData:
    """Turn confusion-matrix input into a square float64 matrix of counts and labels.

    Accepted: ``{"values": matrix, "tickLabels": [...]}`` (``tick_labels`` works
    too) or the matrix alone: a 2-D nested list, array, tensor, or a DataFrame whose
    index (true classes) and columns (predictions) become the labels. Counts must be
    finite and non-negative (weighted counts may be fractional). Without labels the
    classes are called ``Class 0`` .. ``Class n-1``, as in tfjs-vis.
    """
    labels: tuple[str, ...] | None = None
    matrix: Any = data
    if isinstance(data, Mapping):
        known = ("values", "tickLabels", "tick_labels")
        unknown = [k for k in data if k not in known]
        if unknown or "values" not in data:
            raise DataError(
                f"data of {chart} must be a dict with a 'values' key and optionally "
                f"'tickLabels', got keys {sorted(map(str, data))}"
            )
        matrix = data["values"]
        labels = _tick_labels(data, "tickLabels", "tick_labels")
    counts = _matrix(matrix, chart)
    rows, cols = counts.shape
    if rows == cols == 0:
        raise DataError(f"{_matrix_shape(chart)} with at least one class, got shape (0, 0)")
    if rows != cols:
        raise DataError(
            f"{_matrix_shape(chart)} with one row and one column per class, got shape "
            f"{counts.shape}, which is not square"
        )
    finite = np.isfinite(counts)
    if not finite.all() or (counts < 0).any():
        i, j = np.argwhere(~finite | (counts < 0))[0]
        raise DataError(
            f"values of {chart} must be finite counts >= 0, got {float(counts[i, j])!r} at "
            f"values[{i}][{j}]"
        )
    predicted = labels
    if isinstance(matrix, _pd("DataFrame")) and labels is None:
        labels, predicted = _frame_labels(matrix.index), _frame_labels(matrix.columns)
        if labels is None or predicted is None:
            labels = predicted = labels or predicted
    if labels is not None and len(labels) != rows:
        raise DataError(
            f"Length of tickLabels ({len(labels)}) must match number of classes ({rows})"
        )
    generated = tuple(f"Class {i}" for i in range(rows))
    return ConfusionData(
        counts=counts, labels=labels or generated, predicted=predicted or labels or generated
    )


# ----------------------------------------------------------------------------- table


def normalize_table(data: Any) -> tuple[list[Any], list[Sequence[Any]]]:
    """Turn ``render.table`` input into headers and rows of cells (not yet checked).

    Accepted: tfjs-vis' ``{"headers": [...], "values": rows}`` (rows may be lists,
    tuples or a 2-D array), or a DataFrame (its columns are the headers).
    """
    if isinstance(data, _pd("DataFrame")):
        return [str(c) for c in data.columns], [list(row) for row in data.itertuples(index=False)]
    if not isinstance(data, Mapping):
        raise DataError(
            f'Data to render must be a dict with "headers" and "values", or a DataFrame, '
            f"got {describe(data)}"
        )
    if data.get("headers") is None:
        raise DataError('Data to render must have a "headers" property')
    if data.get("values") is None:
        raise DataError('Data to render must have a "values" property')
    headers, values = data["headers"], data["values"]
    if isinstance(headers, str) or not isinstance(headers, Sequence | np.ndarray):
        raise DataError(f'"headers" must be a list of column titles, got {describe(headers)}')
    if isinstance(values, np.ndarray):
        values = values.tolist()
    if isinstance(values, str) or not isinstance(values, Sequence):
        raise DataError(f'"values" must be a list of rows, got {describe(values)}')
    rows = []
    for index, row in enumerate(values):
        if isinstance(row, np.ndarray):
            row = row.tolist()
        if isinstance(row, str) or not isinstance(row, Sequence):
            raise DataError(f"values[{index}] must be a list of cells, got {describe(row)}")
        rows.append(row)
    return list(headers), rows


# ----------------------------------------------------------------- images (issue #13)

_CHANNELS = (1, 3, 4)


@dataclass(frozen=True)
class ImageData:
    """Tiles ready to colour: H×W float64 (colour-mapped) or H×W×4 uint8 RGBA each."""

    tiles: tuple[np.ndarray, ...]
    titles: tuple[str, ...] | None


def normalize_images(data: Any, *, chart: str) -> ImageData:
    """Turn image input into tiles.

    Accepted: an H×W array (values, colour-mapped), an H×W×3/4 array (RGB(A), uint8
    0..255 or floats 0..1), a tensor (a 3-D torch tensor whose first axis has 1, 3 or
    4 entries is channels-first), a PIL image, an N×H×W stack or N×H×W×C batch (a
    torch N×C×H×W batch too), a list of any of these, or a ``{title: image}`` mapping.
    A numpy array of shape 3×H×W is a stack of three value images; pass
    ``array.transpose(1, 2, 0)`` for one RGB picture.
    """
    titles: tuple[str, ...] | None = None
    items: list[Any]
    if isinstance(data, Mapping):
        titles = tuple(str(key) for key in data)
        items = list(data.values())
    elif isinstance(data, list | tuple) and not all(isinstance(d, list | tuple) for d in data):
        items = list(data)  # a list of images (a nested list of numbers is one image)
    else:
        items = [data]
    tiles: list[np.ndarray] = []
    for i, item in enumerate(items):
        where = f"data of {chart}" if len(items) == 1 else f"image {i} of {chart}"
        found = _image_tiles(item, where)
        if titles is not None and len(found) != 1:
            raise DataError(f"{where} (titled {titles[i]!r}) must be one image, got {len(found)}")
        tiles.extend(found)
    if not tiles:
        raise DataError(f"data of {chart} must hold at least one image, got none")
    return ImageData(tuple(tiles), titles)


def _image_tiles(item: Any, where: str) -> list[np.ndarray]:
    pil = sys.modules.get("PIL.Image")
    if pil is not None and isinstance(item, pil.Image):
        picture = item if item.mode in ("L", "RGB", "RGBA", "F", "I") else item.convert("RGBA")
        pixels = np.asarray(picture)
        return [_rgba(pixels, where) if pixels.ndim == 3 else _values_tile(pixels, where)]
    channels_first = type(item).__module__.split(".")[0] == "torch"
    array: np.ndarray | None = as_array(item)
    if array is None and isinstance(item, list | tuple):
        try:
            array = np.asarray(item, dtype=np.float64)
        except (TypeError, ValueError):
            array = None
    if array is None:
        raise DataError(
            f"{where} must be an image: an H×W or H×W×3/4 array, tensor or PIL image, "
            f"got {describe(item)}"
        )
    if array.dtype == object:
        raise DataError(f"{where} must hold numbers, got an array of {array.dtype}")
    shape = array.shape
    if array.ndim == 2:
        return [_values_tile(array, where)]
    if array.ndim == 3:
        if channels_first and shape[0] in _CHANNELS:
            return [_one_image(np.moveaxis(array, 0, -1), where)]
        if shape[-1] in (3, 4):
            return [_one_image(array, where)]
        return [_values_tile(a, f"{where}[{n}]") for n, a in enumerate(array)]
    if array.ndim == 4:
        if shape[-1] in _CHANNELS and not (channels_first and shape[1] in _CHANNELS):
            batch = array
        elif shape[1] in _CHANNELS:
            batch = np.moveaxis(array, 1, -1)
        else:
            raise DataError(
                f"{where} must be N×H×W×C or N×C×H×W with 1, 3 or 4 channels, got shape {shape}"
            )
        return [_one_image(a, f"{where}[{n}]") for n, a in enumerate(batch)]
    raise DataError(
        f"{where} must be an image of shape H×W or H×W×3/4, a stack N×H×W or a batch "
        f"N×H×W×C, got shape {shape}"
    )


def _one_image(array: np.ndarray, where: str) -> np.ndarray:
    """An H×W×C image: one channel is values, three or four are RGB(A)."""
    if array.shape[-1] == 1:
        return _values_tile(array[..., 0], where)
    return _rgba(array, where)


def _values_tile(array: np.ndarray, where: str) -> np.ndarray:
    if array.size == 0:
        raise DataError(f"{where} must have at least one pixel, got shape {array.shape}")
    if array.dtype.kind not in "biuf":
        raise DataError(f"{where} must hold numbers, got values of type {array.dtype}")
    return np.asarray(array, dtype=np.float64)


def _rgba(array: np.ndarray, where: str) -> np.ndarray:
    """RGB(A) as uint8 RGBA: uint8 as it is, floats from 0..1, other integers 0..255."""
    if array.size == 0:
        raise DataError(f"{where} must have at least one pixel, got shape {array.shape}")
    height, width, channels = array.shape
    if array.dtype == np.uint8:
        scaled = array
    elif array.dtype.kind in "iu" or array.dtype.kind == "b":
        lo, hi = int(array.min()), int(array.max())
        if array.dtype.kind == "b" or (lo >= 0 and hi <= 255):
            scaled = array.astype(np.uint8) * (255 if array.dtype.kind == "b" else 1)
        else:
            raise DataError(
                f"{where} is an RGB image of integers, which must lie in 0..255, got "
                f"values from {lo} to {hi}"
            )
    elif array.dtype.kind == "f":
        values = np.asarray(array, dtype=np.float64)
        finite = np.isfinite(values)
        shown = values[finite]
        if shown.size and (shown.min() < -1e-6 or shown.max() > 1 + 1e-6):
            raise DataError(
                f"{where} is an RGB image of floats, which must lie in 0..1, got values "
                f"from {shown.min():.4g} to {shown.max():.4g} (rescale it, or pass one "
                f"channel to draw it colour-mapped)"
            )
        scaled = np.rint(np.clip(np.where(finite, values, 0.0), 0, 1) * 255).astype(np.uint8)
        if not finite.all():  # a missing value is a transparent pixel
            scaled = np.concatenate(
                [scaled[..., :3], np.where(finite.all(axis=-1), 255, 0)[..., None]], axis=-1
            ).astype(np.uint8)
            channels = 4
    else:
        raise DataError(f"{where} must hold numbers, got values of type {array.dtype}")
    rgba = np.empty((height, width, 4), dtype=np.uint8)
    rgba[..., :3] = scaled[..., :3]
    rgba[..., 3] = scaled[..., 3] if channels == 4 else 255
    return rgba
