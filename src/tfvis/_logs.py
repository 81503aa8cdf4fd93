"""Training logs: every input form of ``show.history`` as one series per metric.

A training history reaches tfvis as a Keras ``History``, a tfjs-vis
``{"history": {...}}``, a dict of lists, a list of per-epoch log dicts, a DataFrame
(Keras ``CSVLogger`` output, Lightning's ``metrics.csv`` with its NaN-padded rows) or
a mapping of run names to any of those. This module reads them all into
:class:`Run` objects (one :class:`Metric` per logged name, each with the epoch, step
and wall-clock time of its values where the log has them) and names metrics the
way the charts group them: ``val_loss``, ``val/loss`` and ``loss_val`` are the
validation role of ``loss``; ``train_loss_step`` and ``train_loss_epoch`` are one
series, ``train_loss``. Every :class:`~tfvis.DataError` about a history is raised here.

Example
-------
>>> from tfvis._logs import read_runs, split_name
>>> [run] = read_runs({"loss": [0.9, 0.5], "val_loss": [1.0, 0.7]}, function="show.history")
>>> list(run.metrics)
['loss', 'val_loss']
>>> split_name("val/accuracy")
('accuracy', 'validation')
"""

from __future__ import annotations

import math
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from tfvis._frameworks import scalar, to_numpy
from tfvis._text import closest, describe
from tfvis._warn import warn
from tfvis.errors import DataError

__all__ = [
    "AXES",
    "Metric",
    "Run",
    "canonical",
    "choose",
    "is_accuracy_like",
    "read_runs",
    "split_name",
]

#: The x axes a history can be drawn against, and the log columns that hold each.
AXES: dict[str, tuple[str, ...]] = {
    "epoch": ("epoch", "epochs"),
    "step": ("step", "global_step", "steps", "iteration", "iter"),
    "time": ("time", "wall_time", "walltime", "timestamp", "elapsed", "created_at"),
}
_AXIS_COLUMNS = {name: axis for axis, names in AXES.items() for name in names}

#: Roles a metric plays in its panel, in the order legends list them.
ROLES = ("train", "validation", "test")
_PREFIXES = (
    ("val_", "validation"),
    ("val/", "validation"),
    ("val-", "validation"),
    ("valid_", "validation"),
    ("valid/", "validation"),
    ("validation_", "validation"),
    ("validation/", "validation"),
    ("test_", "test"),
    ("test/", "test"),
    ("train_", "train"),
    ("train/", "train"),
    ("training_", "train"),
    ("training/", "train"),
)
_SUFFIXES = (
    ("_val", "validation"),
    ("/val", "validation"),
    ("_valid", "validation"),
    ("_validation", "validation"),
    ("_test", "test"),
    ("/test", "test"),
    ("_train", "train"),
    ("/train", "train"),
)
#: Lightning writes a metric logged both per step and per epoch twice: ``x_step``, ``x_epoch``.
_AGGREGATES = ("_step", "_epoch", "/step", "/epoch")
_ACCURACY_WORDS = ("acc", "auc", "precision", "recall", "f1", "iou", "dice")


@dataclass
class Metric:
    """One logged name: its values and, where known, their epoch, step and time."""

    name: str
    values: np.ndarray
    epoch: np.ndarray | None = None
    step: np.ndarray | None = None
    time: np.ndarray | None = None

    def axis(self, axis: str) -> np.ndarray | None:
        """The x values of ``axis`` (``'epoch'``, ``'step'`` or ``'time'``), or None."""
        values: np.ndarray | None = getattr(self, axis)
        return values


@dataclass
class Run:
    """The metrics of one training run, by logged name, in the order first logged."""

    name: str | None
    metrics: dict[str, Metric] = field(default_factory=dict)


# ----------------------------------------------------------------------------- names


def canonical(name: str) -> tuple[str, str]:
    """``(series name, aggregate)``: ``train_loss_epoch`` → ``('train_loss', 'epoch')``.

    The aggregate is ``'step'``, ``'epoch'`` or ``''`` for a name Lightning did not
    suffix.
    """
    for suffix in _AGGREGATES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)], suffix[1:]
    return name, ""


def split_name(name: str) -> tuple[str, str]:
    """``(group, role)`` of a series name: ``val_loss`` → ``('loss', 'validation')``."""
    lowered = name.lower()
    for prefix, role in _PREFIXES:
        if lowered.startswith(prefix) and len(name) > len(prefix):
            return name[len(prefix) :], role
    for suffix, role in _SUFFIXES:
        if lowered.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)], role
    return name, "train"


def is_accuracy_like(group: str) -> bool:
    """Whether higher is better and values lie in 0..1 (accuracy, AUC, precision, F1...)."""
    lowered = group.lower()
    return any(word in lowered for word in _ACCURACY_WORDS)


def choose(run: Run, axis: str) -> dict[str, Metric]:
    """The run's series by canonical name, one logged name each.

    Of ``x``, ``x_step`` and ``x_epoch`` the per-step values are drawn against steps
    and the per-epoch ones against epochs and time; a name without a suffix comes
    between the two.
    """
    preference = ("step", "", "epoch") if axis == "step" else ("epoch", "", "step")
    chosen: dict[str, tuple[int, Metric]] = {}
    for name, metric in run.metrics.items():
        series, aggregate = canonical(name)
        rank = preference.index(aggregate)
        if series not in chosen or rank < chosen[series][0]:
            chosen[series] = (rank, metric)
    return {series: metric for series, (_, metric) in chosen.items()}


def unknown_metric(function: str, name: Any, available: Sequence[str]) -> DataError:
    """The error for a metric the history does not have, with a "did you mean"."""
    hint = closest(name, available) if isinstance(name, str) else None
    suggestion = f" Did you mean {hint!r}?" if hint else ""
    shown = ", ".join(repr(a) for a in available) or "none"
    return DataError(
        f"{function}: metric {name!r} is not in the history.{suggestion} Available metrics: {shown}"
    )


# ----------------------------------------------------------------------------- input forms


def read_runs(history: Any, *, function: str) -> list[Run]:
    """Every run of ``history`` (one for a single history; several for a mapping of runs)."""
    if _is_runs(history):
        runs = []
        for name, item in history.items():
            if not isinstance(name, str):
                raise DataError(
                    f"{function}: run names must be strings, got {describe(name)} for a run"
                )
            runs.append(_read_one(item, name, function))
        if not runs:
            raise DataError(f"{function}: got an empty mapping of runs")
        return runs
    return [_read_one(history, None, function)]


def _is_single(value: Any) -> bool:
    """A value that is one history by itself (not a list of numbers)."""
    return (
        _keras_history(value) is not None
        or _is_frame(value)
        or (isinstance(value, Mapping) and bool(value))
        or (
            isinstance(value, Sequence)
            and not isinstance(value, str)
            and bool(value)
            and all(isinstance(item, Mapping) for item in value)
        )
    )


def _is_runs(history: Any) -> bool:
    """A mapping of run names to histories: ``{"baseline": h1, "wider": h2}``."""
    if not isinstance(history, Mapping) or not history or _tfjs_history(history) is not None:
        return False
    return all(_is_single(value) for value in history.values())


def _keras_history(value: Any) -> Mapping[str, Any] | None:
    """The ``history`` dict of a Keras ``History`` callback (or any object with one)."""
    if isinstance(value, Mapping):
        return None
    logged = getattr(value, "history", None)
    return logged if isinstance(logged, Mapping) else None


def _tfjs_history(value: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """tfjs-vis's ``{"history": {...}}`` (a tfjs ``History``: also ``epoch``, ``params``)."""
    logged = value.get("history")
    if isinstance(logged, Mapping) and set(value) <= {"history", "epoch", "params", "model"}:
        return logged
    return None


def _is_frame(value: Any) -> bool:
    pandas = sys.modules.get("pandas")
    return pandas is not None and isinstance(value, pandas.DataFrame)


def _read_one(value: Any, name: str | None, function: str) -> Run:
    where = function if name is None else f"{function}, run {name!r}"
    keras = _keras_history(value)
    if keras is not None:
        epochs = getattr(value, "epoch", None)
        return _from_columns(keras, name, where, epochs=epochs)
    if _is_frame(value):
        return _from_frame(value, name, where)
    if isinstance(value, Mapping):
        tfjs = _tfjs_history(value)
        if tfjs is not None:
            return _from_columns(tfjs, name, where, epochs=value.get("epoch"))
        return _from_columns(value, name, where)
    if (
        isinstance(value, Sequence)
        and not isinstance(value, str)
        and all(isinstance(item, Mapping) for item in value)
    ):
        return _from_rows(value, name, where)
    raise DataError(
        f"{where} takes a Keras History, {{'history': {{...}}}}, a dict of lists, a list of "
        f"log dicts or a DataFrame (or a mapping of run names to them), got {describe(value)}"
    )


def _numbers(values: Any, where: str, key: str) -> np.ndarray:
    """A column of log values as float64: non-numbers (strings, None) become NaN."""
    array = to_numpy(values)
    if array is not None and array.dtype.kind in "iuf" and array.ndim == 1:
        return array.astype(np.float64)
    if isinstance(values, str) or not isinstance(values, Sequence | np.ndarray):
        if array is None or array.ndim != 1:
            raise DataError(
                f"{where}: the values of {key!r} must be a list of numbers, got {describe(values)}"
            )
        values = list(array)
    out = np.empty(len(values), dtype=np.float64)
    for index, item in enumerate(values):
        number = scalar(item)
        out[index] = math.nan if number is None else number
    return out


def _from_columns(
    columns: Mapping[str, Any], name: str | None, where: str, *, epochs: Any = None
) -> Run:
    """A dict of lists (Keras ``History.history``): lists of different lengths allowed."""
    if not columns:
        raise DataError(f"{where}: the history is empty (no metrics were logged)")
    arrays: dict[str, np.ndarray] = {}
    for key, values in columns.items():
        if not isinstance(key, str):
            raise DataError(f"{where}: metric names must be strings, got {describe(key)}")
        arrays[key] = _numbers(values, where, key)
    axes = {
        _AXIS_COLUMNS[k.lower()]: arrays.pop(k) for k in list(arrays) if k.lower() in _AXIS_COLUMNS
    }
    if epochs is not None and "epoch" not in axes:
        axes["epoch"] = _numbers(epochs, where, "epoch")
    return _build(arrays, axes, name, aligned=False, places=_sparse_places(arrays, axes, where))


def _sparse_places(
    arrays: Mapping[str, np.ndarray], axes: Mapping[str, np.ndarray], where: str
) -> dict[str, np.ndarray]:
    """The epoch positions of each list shorter than the epochs.

    Keras's ``fit(validation_freq=f)`` logs ``val_*`` only after epochs whose number
    (counted from 1) is a multiple of ``f``, so its lists are shorter than ``loss``.
    Drawn at positions 0..k−1 they would be silently wrong; a shorter list is placed at
    the epochs of the one frequency that explains its length, or refused."""
    epochs = axes.get("epoch")
    longest = max(len(values) for values in arrays.values())
    count = len(epochs) if epochs is not None and len(epochs) >= longest else longest
    # Epoch numbers as Keras counts them (History.epoch starts at initial_epoch).
    numbers = epochs[:count] if epochs is not None and len(epochs) >= count else np.arange(count)
    places: dict[str, np.ndarray] = {}
    for key, values in arrays.items():
        length = len(values)
        if length in (0, count):
            continue
        fitting = [
            frequency
            for frequency in range(2, count + 1)
            if np.count_nonzero((numbers + 1) % frequency == 0) == length
        ]
        if len(fitting) != 1:
            raise DataError(
                f"{where}: {key!r} has {length} value{'s' if length != 1 else ''} for {count} "
                "epochs, and tfvis cannot tell which epochs they belong to (no single "
                "validation_freq explains it). Pass one log dict per epoch, leaving the "
                "metric out where it was not logged, or a DataFrame with an 'epoch' column"
            )
        places[key] = np.flatnonzero((numbers + 1) % fitting[0] == 0)
        # validation_freq may also be a list of epochs, which a History cannot tell
        # apart: say where the values were drawn.
        at = ", ".join(f"{number:g}" for number in numbers[places[key][:4]])
        warn(
            f"{where}: {key!r} has {length} values for {count} epochs; drawn at epochs "
            f"{at}{', ...' if length > 4 else ''}, the epochs Keras's "
            f"fit(validation_freq={fitting[0]}) validates after. If they were logged after "
            "other epochs, pass one log dict per epoch, leaving the metric out where it was "
            "not logged",
            UserWarning,
        )
    return places


def _from_rows(rows: Sequence[Mapping[str, Any]], name: str | None, where: str) -> Run:
    """A list of per-epoch log dicts; a name missing from a row is NaN there."""
    keys: dict[str, None] = {}
    for row in rows:
        keys.update(dict.fromkeys(k for k in row if isinstance(k, str)))
    columns: dict[str, np.ndarray] = {}
    for key in keys:
        column = np.empty(len(rows), dtype=np.float64)
        for index, row in enumerate(rows):
            number = scalar(row.get(key))
            column[index] = math.nan if number is None else number
        columns[key] = column
    axes = {
        _AXIS_COLUMNS[k.lower()]: columns.pop(k)
        for k in list(columns)
        if k.lower() in _AXIS_COLUMNS
    }
    if not columns:
        raise DataError(f"{where}: the log dicts hold no metrics, got {describe(list(rows))}")
    return _build(columns, axes, name, aligned=True)


def _from_frame(frame: Any, name: str | None, where: str) -> Run:
    """A DataFrame: numeric columns are metrics, ``epoch``/``step``/``time`` are axes."""
    pandas = sys.modules["pandas"]
    columns: dict[str, np.ndarray] = {}
    axes: dict[str, np.ndarray] = {}
    for key in frame.columns:
        column = frame[key]
        if not isinstance(key, str):
            key = str(key)
        axis = _AXIS_COLUMNS.get(key.lower())
        if axis is not None and pandas.api.types.is_datetime64_any_dtype(column):
            seconds = (column - column.min()).dt.total_seconds()
            axes[axis] = seconds.to_numpy(dtype=np.float64, na_value=np.nan)
            continue
        if not pandas.api.types.is_numeric_dtype(column) or pandas.api.types.is_bool_dtype(column):
            continue  # text columns (a run's name, a date) are no metric
        values = column.to_numpy(dtype=np.float64, na_value=np.nan)
        if axis is not None:
            axes[axis] = values
        else:
            columns[key] = values
    if "epoch" not in axes and isinstance(frame.index.name, str):
        index_axis = _AXIS_COLUMNS.get(frame.index.name.lower())
        if index_axis is not None and pandas.api.types.is_numeric_dtype(frame.index):
            axes[index_axis] = frame.index.to_numpy(dtype=np.float64)
    if not columns:
        raise DataError(
            f"{where}: the DataFrame has no numeric metric columns, got columns "
            f"{[str(c) for c in frame.columns]}"
        )
    return _build(columns, axes, name, aligned=True)


def _build(
    columns: Mapping[str, np.ndarray],
    axes: Mapping[str, np.ndarray],
    name: str | None,
    *,
    aligned: bool,
    places: Mapping[str, np.ndarray] | None = None,
) -> Run:
    """One Metric per column. Aligned columns (rows of one table) keep their rows where
    the metric was logged (NaN-padded rows dropped) with those rows' axes; a dict of
    lists counts its positions as epochs unless an epoch column says otherwise, except
    where ``places`` gives a shorter list's positions among the epochs."""
    run = Run(name)
    for key, values in columns.items():
        length = len(values)
        if aligned:
            logged = ~np.isnan(values)
            keep = np.flatnonzero(logged) if not logged.all() else np.arange(length)
        else:
            keep = np.arange(length)
        place = places.get(key) if places else None
        if place is not None:
            length = int(place[-1]) + 1  # the axes are read at these positions
        metric_axes: dict[str, np.ndarray | None] = {}
        for axis in AXES:
            given = axes.get(axis)
            if given is not None and len(given) >= length:
                metric_axes[axis] = given[keep if place is None else place]
            else:
                metric_axes[axis] = None
        if metric_axes["epoch"] is None and (not aligned or "step" not in axes):
            metric_axes["epoch"] = (keep if place is None else place).astype(np.float64)
        if not np.isfinite(values).any():
            continue  # nothing but NaN (or text): no metric to draw
        run.metrics[key] = Metric(key, values[keep], **metric_axes)
    return run
