"""``tfvis.metrics``: accuracy, confusion matrix and per-class accuracy, in numpy.

The tfjs-vis ``tfvis.metrics`` functions for Python: the same semantics (a class
with no samples has accuracy 0; ``num_classes`` defaults to the largest class seen
plus one) and scikit-learn's numbers where they overlap. Labels and predictions may
be lists, numpy arrays, or torch, TensorFlow or JAX tensors (on any device); a 2-D
input (one-hot labels, or one row of scores or probabilities per sample) is reduced
to class indices with argmax over its last axis, and an ``n × 1`` column is read as
``n`` class indices. Everything is vectorised: a confusion matrix of 10^7 samples is
one ``numpy.bincount``.

Example
-------
>>> from tfvis import metrics
>>> labels = [0, 0, 1, 2, 2, 2]
>>> predictions = [0, 0, 0, 2, 1, 1]
>>> metrics.accuracy(labels, predictions)
0.5
>>> metrics.confusion_matrix(labels, predictions).tolist()
[[2, 0, 0], [1, 0, 0], [0, 2, 1]]
>>> [round(c["accuracy"], 3) for c in metrics.per_class_accuracy(labels, predictions)]
[1.0, 0.0, 0.333]
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from tfvis._frameworks import to_numpy
from tfvis._text import describe
from tfvis.errors import DataError

__all__ = [
    "MAX_CLASSES",
    "accuracy",
    "confusionMatrix",
    "confusion_matrix",
    "perClassAccuracy",
    "per_class_accuracy",
]

#: The most classes a confusion matrix may have: 10^8 cells of int64 are 800 MB. A
#: stray label such as 2**31 would otherwise ask for an impossible matrix.
MAX_CLASSES = 10_000


def accuracy(labels: Any, predictions: Any) -> float:
    """The fraction of predictions equal to their label.

    Parameters
    ----------
    labels, predictions
        Class indices (or any values compared for equality), of the same shape once
        2-D inputs are reduced by argmax.

    Returns
    -------
    float

    Example
    -------
    >>> from tfvis import metrics
    >>> metrics.accuracy([1, 2, 4], [2, 2, 4])  # doctest: +ELLIPSIS
    0.666...
    """
    truth = _values(labels, "labels", "accuracy")
    guess = _values(predictions, "predictions", "accuracy")
    if truth.shape != guess.shape:
        raise DataError(
            f"Error computing accuracy. Shapes {_js_shape(truth.shape)} and "
            f"{_js_shape(guess.shape)} must match"
        )
    if truth.size == 0:
        raise DataError("accuracy needs at least one sample, got empty labels and predictions")
    return float(np.mean(truth == guess))


def confusion_matrix(
    labels: Any,
    predictions: Any,
    num_classes: int | None = None,
    weights: Any = None,
) -> np.ndarray:
    """Count how often each true class (row) was predicted as each class (column).

    ``result[i][j]`` is the number of samples of class ``i`` predicted as class
    ``j`` (scikit-learn's and tfjs-vis' orientation), so
    ``render.confusion_matrix(metrics.confusion_matrix(y, p))`` draws it.

    Parameters
    ----------
    labels, predictions
        Class indices 0, 1, ... (whole numbers; one-hot or probability rows are
        reduced by argmax), of the same length.
    num_classes
        The matrix size; by default the largest class in either input plus one.
    weights
        One number per sample, added to its cell instead of 1.

    Returns
    -------
    numpy.ndarray
        ``num_classes × num_classes``: int64 counts, or float64 sums of ``weights``.

    Example
    -------
    >>> from tfvis import metrics
    >>> metrics.confusion_matrix([1, 2, 4], [2, 2, 4]).shape
    (5, 5)
    """
    truth, guess, n = _classes(labels, predictions, num_classes, "confusion_matrix")
    weight = None
    if weights is not None:
        weight = _weights(weights, len(guess))
    cells = np.bincount(truth * n + guess, weights=weight, minlength=n * n)
    matrix: np.ndarray = cells.reshape(n, n)
    return matrix if weight is not None else matrix.astype(np.int64, copy=False)


def per_class_accuracy(
    labels: Any, predictions: Any, num_classes: int | None = None
) -> list[dict[str, Any]]:
    """The accuracy of the predictions for each true class, and its sample count.

    The accuracy of class ``i`` is the share of its samples predicted as ``i``
    (scikit-learn's per-class recall); a class with no samples gets 0, as in
    tfjs-vis.

    Returns
    -------
    list of dict
        ``[{"accuracy": float, "count": int}, ...]``, one per class, the input of
        :func:`tfvis.show.per_class_accuracy`.

    Example
    -------
    >>> from tfvis import metrics
    >>> metrics.per_class_accuracy([0, 1, 2, 2], [0, 1, 2, 1], 4)[2:]
    [{'accuracy': 0.5, 'count': 2}, {'accuracy': 0.0, 'count': 0}]
    """
    truth, guess, n = _classes(labels, predictions, num_classes, "per_class_accuracy")
    counts = np.bincount(truth, minlength=n)
    correct = np.bincount(truth[truth == guess], minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = np.where(counts > 0, correct / np.maximum(counts, 1), 0.0)
    return [
        {"accuracy": float(share), "count": int(count)}
        for share, count in zip(shares, counts, strict=True)
    ]


#: tfjs-vis' names.
confusionMatrix = confusion_matrix
perClassAccuracy = per_class_accuracy


# ----------------------------------------------------------------------------- inputs


def _js_shape(shape: tuple[int, ...]) -> str:
    """A shape as tfjs prints one in messages: ``4`` or ``2,2``."""
    return ",".join(str(side) for side in shape)


def _values(value: Any, name: str, function: str, reduce: bool = True) -> np.ndarray:
    """Any accepted input as a 1-D numpy array (2-D reduced by argmax if ``reduce``)."""
    array = to_numpy(value)
    if array is None:
        if isinstance(value, list | tuple):
            try:
                array = np.asarray(value)
            except (ValueError, TypeError):
                array = None
        if array is None or array.dtype.kind == "O":
            raise DataError(
                f"{name} of {function} must be a list, array or tensor of class indices, "
                f"got {describe(value)}"
            )
    if array.ndim == 2 and (reduce or array.shape[1] == 1):
        # One column is one index per sample; wider rows are one-hot labels or scores.
        array = array[:, 0] if array.shape[1] == 1 else np.argmax(array, axis=-1)
    if array.ndim != 1:
        wider = " (or 2-D one-hot or probability rows, reduced by argmax)" if reduce else ""
        raise DataError(f"{name} must be a 1D tensor{wider}, got shape {array.shape}")
    return array


def _indices(value: Any, name: str, function: str) -> np.ndarray:
    """Class indices as int64: whole, finite, non-negative numbers."""
    array = _values(value, name, function)
    kind = array.dtype.kind
    if kind == "b":
        return array.astype(np.int64)
    if kind in "iu":
        indices = array.astype(np.int64, copy=False)
    elif kind == "f":
        whole = np.isfinite(array) & (np.floor(array) == array)
        if not whole.all():
            position = int(np.argmin(whole))
            raise DataError(
                f"{name} must hold whole class indices 0, 1, 2, ..., got "
                f"{float(array[position])!r} at position {position}; reduce scores or "
                "probabilities to classes first (one column: threshold it, e.g. p > 0.5)"
            )
        if array.size and array.max() > np.iinfo(np.int64).max:
            raise DataError(f"{name} holds a class index too large: {array.max()!r}")
        indices = array.astype(np.int64)
    else:
        raise DataError(
            f"{name} must hold class indices (whole numbers), got an array of dtype {array.dtype}"
        )
    if indices.size and indices.min() < 0:
        position = int(np.argmin(indices))
        raise DataError(
            f"{name} must hold class indices >= 0, got {int(indices[position])} at "
            f"position {position}"
        )
    return indices


def _classes(
    labels: Any, predictions: Any, num_classes: Any, function: str
) -> tuple[np.ndarray, np.ndarray, int]:
    truth = _indices(labels, "labels", function)
    guess = _indices(predictions, "predictions", function)
    if truth.shape != guess.shape:
        raise DataError(
            f"labels and predictions must be the same length, got {len(truth):,} labels "
            f"and {len(guess):,} predictions"
        )
    largest = max(int(truth.max()), int(guess.max())) if truth.size else -1
    if num_classes is None:
        n = largest + 1
    else:
        if (
            not isinstance(num_classes, numbers.Integral)
            or isinstance(num_classes, bool)
            or int(num_classes) < 1
        ):
            raise DataError(
                f"num_classes must be a positive integer or None, got {describe(num_classes)}"
            )
        n = int(num_classes)
        if largest >= n:
            where = "labels" if truth.size and int(truth.max()) == largest else "predictions"
            raise DataError(
                f"{where} hold class {largest}, but num_classes is {n} (classes 0 to {n - 1})"
            )
    if n > MAX_CLASSES:
        raise DataError(
            f"{function} counts at most {MAX_CLASSES:,} classes, but the inputs hold class "
            f"{n - 1:,}; are these class indices?"
        )
    return truth, guess, n


def _weights(value: Any, length: int) -> np.ndarray:
    array = _values(value, "weights", "confusion_matrix", reduce=False)
    if array.dtype.kind not in "biuf":
        raise DataError(f"weights must hold numbers, got an array of dtype {array.dtype}")
    weight = array.astype(np.float64)
    if len(weight) != length:
        raise DataError(
            f"weights and predictions must be the same length, got {len(weight):,} weights "
            f"and {length:,} predictions"
        )
    if not np.isfinite(weight).all():
        position = int(np.argmin(np.isfinite(weight)))
        raise DataError(
            f"weights must be finite numbers, got {float(weight[position])!r} at position "
            f"{position}"
        )
    return weight
