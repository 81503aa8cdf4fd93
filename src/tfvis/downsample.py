"""Reduce a long series to a point budget before it is drawn.

Every reducer has the signature ``f(y, n_out, *, x=None)`` and returns the
*indices* of the points to keep, as a 1-D :class:`numpy.ndarray` of dtype
``int64``. The heavy lifting is done by the `tsdownsample`_ package (Rust,
SIMD); this module validates the input so that tsdownsample never sees data it
mishandles, and turns any failure inside it into a :class:`~tfvis.errors.DataError`.

.. _tsdownsample: https://github.com/predict-idlab/tsdownsample

Methods
-------
``minmax_lttb`` (default of :func:`points`)
    MinMaxLTTB (Van Der Donckt et al., 2023): a MinMax preselection of
    ``4 * n_out`` points, then LTTB on the preselected points. Identical to
    tsdownsample's ``MinMaxLTTBDownsampler(minmax_ratio=4)``, plus the global
    extremes (see below).
``lttb``
    Largest-Triangle-Three-Buckets (Steinarsson, 2013).
``m4``
    M4 (Jugel et al., 2014): first, last, min and max of each bucket.
``minmax``
    Min and max of each bucket.
``stride``
    Every k-th point, value-agnostic.

Guarantees
----------
For every method, with ``n = len(y)``:

* the result is sorted ascending, has no duplicates, has dtype ``int64`` and
  every index is in ``range(n)``;
* index ``0`` and index ``n - 1`` are always included (for ``n >= 1``);
* if ``n_out >= n`` the result is ``np.arange(n)``;
* ``lttb`` and ``stride`` return at most ``n_out`` indices (``lttb`` exactly
  ``n_out`` when ``y`` is finite); ``minmax``, ``m4`` and ``minmax_lttb``
  return at most ``max(n_out, 4)`` indices -- four is the least that can hold
  the first point, the last point, the minimum and the maximum, so ``n_out=3``
  is the only budget these methods can exceed (by one);
* ``minmax``, ``m4`` and ``minmax_lttb`` keep an index of the global minimum and
  of the global maximum of the finite values of ``y`` (the first occurrence
  when there are ties). With non-finite values, this holds as long as the
  budget left after gap markers (see below) is at least 4.

Bucket budget
-------------
* ``m4`` uses ``n_out // 4`` buckets (at least one): ``n_out`` is rounded *down*
  to a multiple of 4, but never below 4. M4 keeps each bucket's first and
  last point, so the series' first and last points come for free.
* ``minmax`` rounds ``n_out`` down to an even number ``m`` and uses
  ``max(1, (m - 2) // 2)`` buckets: two slots are reserved for the first and
  last points, which a min/max pair does not include by itself.
* tsdownsample computes the end of the last bucket in floating point, and
  its search for bucket ends assumes distinct ``x``: the last point, or a
  final run of equal ``x`` values, can fall out of every bucket. The min and
  max of that end zone and the last index are therefore added (for
  ``minmax_lttb`` the zone only competes for the global extremes). If that
  exceeds the budget of ``m4`` or ``minmax``, the reduction is redone with one
  bucket fewer.

Non-finite values (NaN, +inf, -inf)
-----------------------------------
A non-finite ``y`` value is a *gap* in the line. The methods run on the finite
points only (their positions -- or their ``x`` -- are kept, so buckets still
cover the original axis), and the returned indices refer to the original
array. Then:

* wherever two consecutive selected finite points have non-finite values
  between them, the index of the *first* non-finite value after the left point
  is also returned, so the reduced line still breaks there;
* index ``0`` and ``n - 1`` are kept even when their value is not finite.

The finite budget is shrunk up front so that finite points plus gap markers
plus non-finite end points stay within the length guarantees above. If it
drops below what the method needs (3 for ``lttb``, 4 otherwise), only the
first and last finite points are selected (only a finite end point, if the
budget has room for one finite point). ``stride`` ignores values
entirely. Integer and bool ``y`` cannot hold NaN and skip all of this.

Detecting non-finite values costs no extra pass over ``y`` for ``minmax``,
``m4`` and ``minmax_lttb``: they use tsdownsample's NaN-returning variants,
which select a NaN in every bucket that holds one (and an infinity is always a
bucket extreme), so one look at the selected values is enough. ``lttb`` does one
SIMD min/max pass for the check.

x
-
``x`` is optional; without it the points are taken as evenly spaced. It must be
1-D, as long as ``y``, non-decreasing, and finite (no NaN, inf or NaT).
Integers, floats, ``datetime64``/``timedelta64`` of any unit, and tz-aware
pandas datetimes (converted to UTC) are accepted. Datetimes are used as their
int64 tick counts in their own unit: bucket edges and LTTB areas scale with
the unit, so the selection is the one nanoseconds would give (up to float64
rounding at bucket edges), without a copy and without overflowing far-off
dates. ``m4`` and ``minmax`` use equal-width
buckets in ``x``; ``minmax_lttb`` preselects in equal-width ``x`` buckets, and
``lttb`` (also the second stage of ``minmax_lttb``) uses ``x`` in the triangle
areas. When ``x`` values are large compared to their spread (e.g. nanosecond
timestamps over a few microseconds, or integers near 2**63), a shifted copy
``x - x[0]`` is given to tsdownsample, whose float64 bucket edges would
otherwise be off or out of range (tsdownsample panics on some of those). A
constant ``x`` gives no bucket widths: the buckets are then taken over the
index, as without ``x``.
"""

from __future__ import annotations

import functools
import math
import numbers
from collections.abc import Mapping, Sequence
from typing import Any, Final, Protocol

import numpy as np
from numpy.typing import ArrayLike, NDArray

from tfvis._text import closest
from tfvis._values import is_number
from tfvis.errors import DataError, OptionError

__all__ = [
    "DEFAULT_METHOD",
    "METHODS",
    "MIN_N_OUT",
    "Reducer",
    "lttb",
    "m4",
    "minmax",
    "minmax_lttb",
    "points",
    "reduce_indices",
    "stride",
]

IndexArray = NDArray[np.int64]

#: Size of the MinMax preselection of ``minmax_lttb``, as a multiple of n_out.
MINMAX_RATIO: Final = 4
#: The method charts use unless told otherwise.
DEFAULT_METHOD: Final = "minmax_lttb"
#: The smallest ``n_out``: the first point, the last, and one more.
MIN_N_OUT: Final = 3

# A bucket must be wider than this many ulps of |x| for tsdownsample's float64
# bucket edges to be trusted; otherwise x is shifted to start at zero.
_EDGE_ULPS: Final = 4096

# Errors that are not about the data and must never be turned into a DataError.
_PASS_THROUGH: Final = (KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError)


@functools.cache
def _downsampler(name: str) -> Any:
    """A tsdownsample downsampler, imported on first use (keeps ``import tfvis`` fast)."""
    import tsdownsample

    # tsdownsample ships py.typed but its constructors are unannotated.
    return getattr(tsdownsample, name)()


class Reducer(Protocol):
    """The signature shared by every reducer in :data:`METHODS`."""

    def __call__(self, y: ArrayLike, n_out: int, *, x: ArrayLike | None = None) -> IndexArray:
        """Return the sorted, unique int64 indices of the points to keep."""
        ...


# ----------------------------------------------------------------- public API


def lttb(y: ArrayLike, n_out: int, *, x: ArrayLike | None = None) -> IndexArray:
    """Select ``n_out`` points with Largest-Triangle-Three-Buckets.

    The first and last points are kept; the others are split into
    ``n_out - 2`` buckets of (nearly) equal point count, and from each bucket
    the point forming the largest triangle with the previously selected point
    and the mean of the next bucket is kept (Steinarsson, 2013).

    Parameters
    ----------
    y : array_like
        1-D numeric or bool values. Non-finite values are gaps (see the module
        documentation).
    n_out : int
        Point budget, at least 3.
    x : array_like, optional
        1-D, non-decreasing, finite positions of the points (numbers or
        datetimes), used in the triangle areas. Evenly spaced if omitted.

    Returns
    -------
    numpy.ndarray
        Sorted, unique ``int64`` indices into ``y``; exactly ``n_out`` of them
        when ``y`` is finite and longer than ``n_out``.

    Raises
    ------
    OptionError
        If ``n_out`` is not an int >= 3.
    DataError
        If ``y`` or ``x`` is malformed.

    Examples
    --------
    >>> import numpy as np
    >>> from tfvis import downsample
    >>> y = np.array([0.0, 1.0, 0.0, 5.0, 0.0, 1.0, 0.0, 0.0])
    >>> downsample.lttb(y, 4)
    array([0, 3, 4, 7])
    """
    return _reduce("lttb", y, n_out, x)


def minmax_lttb(y: ArrayLike, n_out: int, *, x: ArrayLike | None = None) -> IndexArray:
    """Select about ``n_out`` points with MinMaxLTTB.

    MinMaxLTTB (Van Der Donckt et al., 2023) first keeps the min and max of
    ``2 * n_out`` equal buckets of ``y[1:-1]`` (``4 * n_out`` points), then runs
    LTTB on those. It is chosen only when ``len(y) // n_out > 4``; otherwise
    plain LTTB runs on all points. The result is that of tsdownsample's
    ``MinMaxLTTBDownsampler(minmax_ratio=4)``, except that the global minimum
    and maximum are always kept: if LTTB dropped one, it replaces the nearest
    selected point (neither the first nor the last one).

    Parameters
    ----------
    y : array_like
        1-D numeric or bool values. Non-finite values are gaps.
    n_out : int
        Point budget, at least 3.
    x : array_like, optional
        1-D, non-decreasing, finite positions. The preselection buckets are
        then of equal width in ``x``, and LTTB uses ``x``. Without it, the
        LTTB stage uses the preselected points' indices as their x.

    Returns
    -------
    numpy.ndarray
        Sorted, unique ``int64`` indices; at most ``max(n_out, 4)``.

    Raises
    ------
    OptionError
        If ``n_out`` is not an int >= 3.
    DataError
        If ``y`` or ``x`` is malformed.

    Examples
    --------
    >>> import numpy as np
    >>> from tfvis import downsample
    >>> y = np.sin(np.linspace(0, 20, 10_000))
    >>> idx = downsample.minmax_lttb(y, 500)
    >>> len(idx), idx[0], idx[-1], bool(y[idx].max() == y.max())
    (500, np.int64(0), np.int64(9999), True)
    """
    return _reduce("minmax_lttb", y, n_out, x)


def m4(y: ArrayLike, n_out: int, *, x: ArrayLike | None = None) -> IndexArray:
    """Select the first, last, min and max point of each bucket (M4).

    ``n_out`` is rounded down to a multiple of 4 (but never below 4), giving
    ``n_out // 4`` buckets of equal point count, or of equal width in ``x``
    when ``x`` is given (Jugel et al., 2014). With ``x`` given and ``n_out``
    four times the plot width in pixels, each bucket is one pixel column: the
    setting in which M4 draws the same line as the full series.

    Parameters
    ----------
    y : array_like
        1-D numeric or bool values. Non-finite values are gaps.
    n_out : int
        Point budget, at least 3.
    x : array_like, optional
        1-D, non-decreasing, finite positions; buckets are equal-width in ``x``.

    Returns
    -------
    numpy.ndarray
        Sorted, unique ``int64`` indices; at most ``max(n_out, 4)``, fewer
        when buckets share points or are empty.

    Raises
    ------
    OptionError
        If ``n_out`` is not an int >= 3.
    DataError
        If ``y`` or ``x`` is malformed.

    Examples
    --------
    >>> import numpy as np
    >>> from tfvis import downsample
    >>> y = np.array([3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0, 5.0, 3.0, 5.0, 8.0])
    >>> downsample.m4(y, 8)  # buckets y[0:6] and y[6:12]
    array([ 0,  1,  5,  6, 11])
    """
    return _reduce("m4", y, n_out, x)


def minmax(y: ArrayLike, n_out: int, *, x: ArrayLike | None = None) -> IndexArray:
    """Select the min and max point of each bucket, plus the first and last.

    ``n_out`` is rounded down to an even number ``m``; two slots go to the
    first and last points and the rest to ``max(1, (m - 2) // 2)`` buckets of
    equal point count (equal width in ``x`` when ``x`` is given).

    Parameters
    ----------
    y : array_like
        1-D numeric or bool values. Non-finite values are gaps.
    n_out : int
        Point budget, at least 3.
    x : array_like, optional
        1-D, non-decreasing, finite positions; buckets are equal-width in ``x``.

    Returns
    -------
    numpy.ndarray
        Sorted, unique ``int64`` indices; at most ``max(n_out, 4)``.

    Raises
    ------
    OptionError
        If ``n_out`` is not an int >= 3.
    DataError
        If ``y`` or ``x`` is malformed.

    Examples
    --------
    >>> import numpy as np
    >>> from tfvis import downsample
    >>> y = np.array([3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0, 5.0, 3.0, 5.0, 8.0])
    >>> downsample.minmax(y, 6)
    array([ 0,  1,  5,  6, 11])
    """
    return _reduce("minmax", y, n_out, x)


def stride(y: ArrayLike, n_out: int, *, x: ArrayLike | None = None) -> IndexArray:
    """Keep every k-th point, and the last one.

    With ``n = len(y)`` and ``k = ceil(n / n_out)``, the indices are
    ``0, k, 2k, ...`` (at most ``n_out`` of them) and ``n - 1``: appended if
    there is room, otherwise it replaces the last multiple of ``k``. Values
    (and ``x``, which is still validated) are not looked at, so non-finite
    values are kept or dropped like any other.

    Parameters
    ----------
    y : array_like
        1-D numeric or bool values.
    n_out : int
        Point budget, at least 3.
    x : array_like, optional
        Validated like for the other methods, otherwise unused.

    Returns
    -------
    numpy.ndarray
        Sorted, unique ``int64`` indices; at most ``n_out``.

    Raises
    ------
    OptionError
        If ``n_out`` is not an int >= 3.
    DataError
        If ``y`` or ``x`` is malformed.

    Examples
    --------
    A month of 10-minute weather readings (30 * 144 points) at one point per
    hour:

    >>> import numpy as np
    >>> from tfvis import downsample
    >>> idx = downsample.stride(np.zeros(30 * 144), 720)
    >>> len(idx), idx[:3], idx[-2:]
    (720, array([ 0,  6, 12]), array([4308, 4319]))
    """
    return _reduce("stride", y, n_out, x)


METHODS: dict[str, Reducer] = {
    "lttb": lttb,
    "m4": m4,
    "minmax": minmax,
    "minmax_lttb": minmax_lttb,
    "stride": stride,
}
"""The reducers by name, as accepted by :func:`reduce_indices` and :func:`points`."""


def reduce_indices(
    y: ArrayLike, n_out: int, method: str, *, x: ArrayLike | None = None
) -> IndexArray:
    """Run the reducer called ``method`` (a key of :data:`METHODS`).

    Parameters
    ----------
    y : array_like
        1-D numeric or bool values.
    n_out : int
        Point budget, at least 3.
    method : str
        One of ``'lttb'``, ``'m4'``, ``'minmax'``, ``'minmax_lttb'``, ``'stride'``.
    x : array_like, optional
        1-D, non-decreasing, finite positions.

    Returns
    -------
    numpy.ndarray
        Sorted, unique ``int64`` indices into ``y``.

    Raises
    ------
    OptionError
        If ``method`` is unknown (with a "did you mean" hint) or ``n_out`` is
        not an int >= 3.
    DataError
        If ``y`` or ``x`` is malformed.

    Examples
    --------
    >>> from tfvis import downsample
    >>> downsample.reduce_indices([5, 1, 4, 2, 3, 0, 2], 4, "minmax")
    array([0, 5, 6])
    >>> downsample.reduce_indices([1, 2, 3], 3, "lttbb")
    Traceback (most recent call last):
    ...
    tfvis.errors.OptionError: method must be one of 'lttb', 'm4', 'minmax', 'minmax_lttb', \
'stride', got 'lttbb'; did you mean 'lttb'?
    """
    return _lookup(method)(y, n_out, x=x)


def points(
    values: Sequence[Mapping[str, Any]], n_out: int, method: str = DEFAULT_METHOD
) -> list[Mapping[str, Any]]:
    """Reduce a tfjs-vis series (a list of ``{"x": ..., "y": ...}`` dicts).

    Parameters
    ----------
    values : sequence of dict
        Points in ascending ``x`` order; ``x`` must be a finite real number and
        ``y`` a real number or ``None`` (a gap, like NaN). Other keys are kept.
    n_out : int
        Point budget, at least 3.
    method : str, default ``'minmax_lttb'``
        A key of :data:`METHODS`.

    Returns
    -------
    list of dict
        The selected dicts themselves (not copies), in their original order.

    Raises
    ------
    OptionError
        If ``method`` or ``n_out`` is invalid.
    DataError
        If ``values`` is not a list of such dicts or is not sorted by ``x``.

    Examples
    --------
    >>> from tfvis import downsample
    >>> values = [{"x": i, "y": (i * 7) % 5} for i in range(10)]
    >>> downsample.points(values, 6, method="minmax")
    [{'x': 0, 'y': 0}, {'x': 2, 'y': 4}, {'x': 5, 'y': 0}, {'x': 7, 'y': 4}, {'x': 9, 'y': 3}]
    """
    fn = _lookup(method)
    n_out = _check_n_out(n_out)
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
        raise DataError(
            f"values must be a list of {{'x': ..., 'y': ...}} dicts, got {type(values).__name__}"
        )
    n = len(values)
    xs = np.empty(n, dtype=np.float64)
    ys = np.empty(n, dtype=np.float64)
    prev: Any = None
    for i, v in enumerate(values):
        if not (
            isinstance(v, Mapping)
            and "x" in v
            and "y" in v
            and is_number(v["x"])
            and (v["y"] is None or is_number(v["y"]))
        ):
            raise DataError(
                f"values[{i}] must be a dict with numeric 'x' and 'y', got {_short_repr(v)}"
            )
        xv, yv = v["x"], v["y"]
        if not math.isfinite(xv):
            raise DataError(f"values[{i}]['x'] must be finite, got {xv!r}")
        if i and xv < prev:
            raise DataError(
                "values must be sorted by 'x' in ascending order, but "
                f"values[{i}]['x'] = {xv!r} is less than values[{i - 1}]['x'] = {prev!r}"
            )
        prev = xv
        xs[i] = xv
        ys[i] = np.nan if yv is None else yv
    if n_out >= n:
        return list(values)
    return [values[i] for i in fn(ys, n_out, x=xs).tolist()]


# ------------------------------------------------------------- validation


def _short_repr(v: object, limit: int = 120) -> str:
    r = repr(v)
    return r if len(r) <= limit else r[: limit - 3] + "..."


def _lookup(method: object) -> Reducer:
    fn = METHODS.get(method) if isinstance(method, str) else None
    if fn is not None:
        return fn
    valid = ", ".join(repr(name) for name in METHODS)
    hint = ""
    if isinstance(method, str):
        close = closest(method, METHODS)
        if close:
            hint = f"; did you mean {close!r}?"
    raise OptionError(f"method must be one of {valid}, got {method!r}{hint}")


def _check_n_out(n_out: object) -> int:
    if (
        isinstance(n_out, numbers.Integral)
        and not isinstance(n_out, (bool, np.bool_))
        and int(n_out) >= MIN_N_OUT
    ):
        return int(n_out)
    raise OptionError(f"n_out must be an int >= {MIN_N_OUT}, got {n_out!r}")


def _from_pandas_extension(obj: Any) -> NDArray[Any] | None:
    """Convert a pandas extension array (nullable numbers, tz-aware datetimes)."""
    dtype = getattr(obj, "dtype", None)
    if dtype is None or isinstance(dtype, np.dtype) or isinstance(obj, np.ndarray):
        return None
    if getattr(dtype, "tz", None) is not None:
        import pandas as pd

        return np.asarray(pd.DatetimeIndex(obj).tz_convert(None))
    if getattr(dtype, "kind", None) in ("b", "i", "u", "f") and hasattr(obj, "to_numpy"):
        return np.asarray(obj.to_numpy(dtype=np.float64, na_value=np.nan))
    return None


def _to_numpy(obj: ArrayLike, name: str) -> NDArray[Any]:
    arr = _from_pandas_extension(obj)
    if arr is None:
        try:
            arr = np.asarray(obj)
        except (TypeError, ValueError) as exc:  # ragged lists and the like
            raise DataError(
                f"{name} must be a 1-D array of numbers, got {type(obj).__name__}"
            ) from exc
    if arr.ndim != 1:
        raise DataError(f"{name} must be 1-D, got shape {arr.shape}")
    if not arr.dtype.isnative:
        arr = arr.astype(arr.dtype.newbyteorder("="))
    return arr


def _as_y(y: ArrayLike) -> NDArray[Any]:
    arr = _to_numpy(y, "y")
    kind = arr.dtype.kind
    if kind not in "biuf":
        raise DataError(f"y must be numeric (float, int, uint or bool), got dtype {arr.dtype}")
    if kind == "f" and arr.dtype.itemsize > 8:  # long double: not supported by tsdownsample
        arr = arr.astype(np.float64)
    arr = np.ascontiguousarray(arr)
    if kind == "b":
        arr = arr.view(np.uint8)
    return arr


def _fmt(v: Any) -> str:
    if isinstance(v, (np.datetime64, np.timedelta64)):
        return str(v)
    return repr(v.item() if isinstance(v, np.generic) else v)


def _as_x(x: ArrayLike, n: int) -> NDArray[Any]:
    arr = _to_numpy(x, "x")
    if arr.shape[0] != n:
        raise DataError(
            f"x and y must have the same length, got len(x) = {arr.shape[0]} and len(y) = {n}"
        )
    kind = arr.dtype.kind
    if kind not in "biufMm":
        raise DataError(f"x must be numeric or datetime64, got dtype {arr.dtype}")
    if kind == "f" and arr.dtype.itemsize > 8:
        arr = arr.astype(np.float64)
    original = arr
    arr = np.ascontiguousarray(arr)
    # Map to the x dtypes tsdownsample accepts: {int,uint}{16,32,64}, float{32,64}.
    if kind in "Mm":
        arr = arr.view(np.int64)
    elif kind == "b" or (kind in "iu" and arr.dtype.itemsize == 1):
        arr = arr.astype(np.int16)
    elif kind == "f" and arr.dtype.itemsize == 2:
        arr = arr.astype(np.float32)
    if n == 0:
        return arr
    sorted_ok = n == 1 or bool(np.all(arr[1:] >= arr[:-1]))
    if kind in "Mm":
        nat = np.iinfo(np.int64).min
        if not sorted_ok or arr[0] == nat:
            bad = np.flatnonzero(arr == nat)
            if bad.size:
                raise DataError(f"x must not contain NaT, found NaT at index {bad[0]}")
    elif kind == "f":
        if not sorted_ok:
            bad = np.flatnonzero(np.isnan(arr))
            if bad.size:
                raise DataError(f"x must not contain NaN or infinity, found nan at index {bad[0]}")
        elif not (np.isfinite(arr[0]) and np.isfinite(arr[-1])):
            # sorted and NaN-free: infinities can only sit at the ends
            i = 0 if not np.isfinite(arr[0]) else int(np.searchsorted(arr, np.inf))
            raise DataError(
                f"x must not contain NaN or infinity, found {float(arr[i])} at index {i}"
            )
    if not sorted_ok:
        i = int(np.flatnonzero(arr[1:] < arr[:-1])[0]) + 1
        raise DataError(
            "x must be sorted in ascending order, but "
            f"x[{i}] = {_fmt(original[i])} is less than x[{i - 1}] = {_fmt(original[i - 1])}"
        )
    return arr


# --------------------------------------------------------- tsdownsample calls


def _ts(
    downsampler: Any, label: str, x: NDArray[Any] | None, y: NDArray[Any], n_out: int
) -> IndexArray:
    """Call tsdownsample; any failure, a Rust panic included, becomes a DataError.

    A pyo3 ``PanicException`` derives from ``BaseException``, hence the broad
    ``except``; interpreter-level exceptions are re-raised untouched.
    """
    args = (y,) if x is None else (x, y)
    try:
        out = downsampler.downsample(*args, n_out=n_out, parallel=False)
    except _PASS_THROUGH:
        raise
    except BaseException as exc:
        raise DataError(
            f"tsdownsample {label} failed on y of length {y.shape[0]} "
            f"(dtype {y.dtype}) with n_out = {n_out}: {type(exc).__name__}: {exc}"
        ) from exc
    return np.asarray(out).astype(np.int64)


def _all_finite(y: NDArray[Any]) -> bool:
    """One SIMD pass: a single-bucket NaN-aware MinMax returns a NaN if there is
    one, else the extremes, which are infinite if any value is."""
    idx = _ts(_downsampler("NaNMinMaxDownsampler"), "MinMax", None, y, 2)
    return bool(np.isfinite(y[idx]).all())


def _prepare_x(
    x: NDArray[Any], n_bins: int, lo: int = 0, hi: int = -1
) -> tuple[NDArray[Any], bool]:
    """Make ``x`` safe for tsdownsample's equal-width binning of ``x[lo:hi]``.

    Returns ``(x_for_tsdownsample, can_bin)``. ``can_bin`` is False when
    ``x[lo] == x[hi]`` (tsdownsample panics on a zero-width range). The array
    is a shifted copy when the bucket width is not well above the float64
    resolution at ``|x|`` (bucket edges would be off, or overflow the integer
    type, or step past the end of the array -- all seen as panics), or when
    integer x starts below zero with narrow buckets (edges are truncated
    towards zero, i.e. rounded up).
    """
    a, b = x[lo], x[hi]
    if not a < b:
        return x, False
    if x.dtype.kind == "f":
        fa, fb = float(a), float(b)
        with np.errstate(over="ignore"):  # spacing overflows at the float maximum
            ulp = float(np.spacing(x.dtype.type(max(abs(fa), abs(fb)))))
        if not (math.isfinite(ulp) and math.isfinite(fb - fa)):
            return x, False  # no float bucket edges out there: bucket by index
        if (fb - fa) / n_bins > _EDGE_ULPS * ulp:
            return x, True
        return np.subtract(x, fa, dtype=np.float64), True
    ia, ib = int(a), int(b)
    big = max(abs(ia), abs(ib))
    step = (ib - ia) / n_bins
    if big <= 2**62 and step > _EDGE_ULPS * math.ulp(float(big)) and (ia >= 0 or step > 2):
        return x, True
    # Exact integer shift (modular arithmetic is exact when the result fits).
    if max(abs(int(x[0]) - ia), abs(int(x[-1]) - ia)) <= 2**53:
        if x.dtype == np.uint64:
            return (x - np.uint64(ia)).astype(np.int64), True
        return np.subtract(x, np.int64(ia), dtype=np.int64), True
    # Spread beyond 2**53: float64 resolution is fine relative to the spread.
    return np.subtract(x.astype(np.float64), float(ia)), True


# ------------------------------------------------------------------ methods


def _reduce(method: str, y: ArrayLike, n_out: object, x: ArrayLike | None) -> IndexArray:
    budget = _check_n_out(n_out)
    yv = _as_y(y)
    n = yv.shape[0]
    xv = None if x is None else _as_x(x, n)
    if budget >= n:
        return np.arange(n, dtype=np.int64)
    if method == "stride":
        return _stride(n, budget)
    detect = yv.dtype.kind == "f"
    out = _core(method, yv, xv, budget, detect)
    if out is None:
        out = _with_gaps(method, yv, xv, budget)
    return out


def _limit(method: str, budget: int) -> int:
    return budget if method in ("lttb", "stride") else max(budget, 4)


def _stride(n: int, budget: int) -> IndexArray:
    k = -(-n // budget)
    idx = np.arange(0, n, k, dtype=np.int64)
    if idx[-1] != n - 1:
        if idx.shape[0] < budget:
            idx = np.append(idx, np.int64(n - 1))
        else:
            idx[-1] = n - 1
    return idx


def _uniq(a: NDArray[Any]) -> IndexArray:
    """Sorted unique int64 values; cheap when ``a`` is already sorted (the usual
    case here), where np.unique would hash or sort anyway."""
    out = a.astype(np.int64, copy=False)
    if out.shape[0] < 2:
        return out
    step = out[1:] != out[:-1]
    if not (out[1:] >= out[:-1]).all():
        out = np.sort(out)
        step = out[1:] != out[:-1]
    return out[np.concatenate(([True], step))]


def _end_zone(x: NDArray[Any] | None, n: int) -> int:
    """First index of the points that tsdownsample may leave out of every bucket.

    Buckets are contiguous, but the end of the last one is a floating-point
    computation: without ``x`` it can stop one short of the last point, and
    with ``x`` it can stop short of the final run of equal ``x`` values (its
    binary search assumes distinct values) or of values within a few ulps of
    ``x[-1]``. Those points are the "end zone"; the caller considers their
    extremes separately. Returns ``n - 1`` when only the last point is at risk.
    """
    if x is None or n < 2:
        return max(n - 1, 0)
    last = x[-1]
    if x.dtype.kind == "f":
        a, b = abs(float(x[0])), abs(float(last))
        with np.errstate(over="ignore"):  # spacing overflows at the float maximum
            ulp = np.spacing(x.dtype.type(max(a, b)))
        if np.isfinite(ulp):
            last = last - 16 * ulp
    return min(int(np.searchsorted(x, last, side="left")), n - 1)


def _zone_extremes(y: NDArray[Any], start: int) -> IndexArray:
    """Indices of the min and max of ``y[start:]`` (of a NaN, if any)."""
    if start >= y.shape[0] - 1:
        return np.empty(0, dtype=np.int64)
    zone = y[start:]
    return np.array([start + np.argmin(zone), start + np.argmax(zone)], dtype=np.int64)


def _core(
    method: str, y: NDArray[Any], x: NDArray[Any] | None, budget: int, detect: bool
) -> IndexArray | None:
    """Run ``method`` on ``y``; None if ``detect`` and y has non-finite values."""
    n = y.shape[0]
    if budget >= n:
        return np.arange(n, dtype=np.int64)
    ends = np.array([0, n - 1], dtype=np.int64)
    limit = _limit(method, budget)

    if method in ("minmax", "m4"):
        ds: Any
        if method == "minmax":
            ds, label, per_bin = _downsampler("NaNMinMaxDownsampler"), "MinMax", 2
            n_bins = max(1, (budget - budget % 2 - 2) // 2)  # 2 slots for the ends
        else:
            ds, label, per_bin = _downsampler("NaNM4Downsampler"), "M4", 4
            n_bins = max(1, budget // 4)
        xb, can_bin = (None, False) if x is None or n_bins < 2 else _prepare_x(x, n_bins)
        while True:
            use_x = xb if can_bin and n_bins >= 2 else None
            found = _ts(ds, label, use_x, y, per_bin * n_bins)
            zone = _zone_extremes(y, _end_zone(use_x, n))
            idx = _uniq(np.concatenate((ends[:1], found, zone, ends[1:])))
            if detect and not np.isfinite(y[idx]).all():
                return None
            if idx.shape[0] <= limit or n_bins == 1:
                return idx
            n_bins -= 1

    if method == "lttb" or n // budget <= MINMAX_RATIO:
        if detect and not _all_finite(y):
            return None
        xl = None if x is None else _prepare_x(x, budget)[0]
        idx = _ts(_downsampler("LTTBDownsampler"), "LTTB", xl, y, budget)
        if method == "lttb":
            return idx
        return _keep_extremes(idx, int(np.argmin(y)), int(np.argmax(y)), limit)

    # minmax_lttb: MinMax preselection of ratio * budget points of y[1:-1], then LTTB.
    n_pre = MINMAX_RATIO * budget
    xb, can_bin = (None, False) if x is None else _prepare_x(x, n_pre // 2, 1, -2)
    inner_x = xb[1:-1] if xb is not None and can_bin else None
    inner = _ts(_downsampler("NaNMinMaxDownsampler"), "MinMax", inner_x, y[1:-1], n_pre)
    pre = np.empty(inner.shape[0] + 2, dtype=np.int64)
    pre[0], pre[-1] = 0, n - 1
    np.add(inner, 1, out=pre[1:-1])
    y_pre = y[pre]
    # Candidates for the global extremes: the preselection and its end zone.
    zone = 1 + _zone_extremes(y[1:-1], _end_zone(inner_x, n - 2))
    cand, y_cand = pre, y_pre
    if zone.shape[0]:
        cand = _uniq(np.concatenate((pre, zone)))
        y_cand = y[cand]
    lo, hi = int(cand[np.argmin(y_cand)]), int(cand[np.argmax(y_cand)])
    # argmin/argmax return a NaN if there is one, else the infinities if any.
    if detect and not (np.isfinite(y[lo]) and np.isfinite(y[hi])):
        return None
    picked = pre[
        _ts(_downsampler("LTTBDownsampler"), "LTTB", pre if xb is None else xb[pre], y_pre, budget)
    ]
    return _keep_extremes(picked, lo, hi, limit)


def _keep_extremes(idx: IndexArray, lo: int, hi: int, limit: int) -> IndexArray:
    """Make sure ``lo`` and ``hi`` are in ``idx``, staying within ``limit``.

    A missing extreme is appended if there is room, else it replaces the
    nearest selected index that is neither an end point nor an extreme.
    """
    out = _uniq(idx)
    for p in (hi, lo):
        pos = int(np.searchsorted(out, p))
        if pos < out.shape[0] and out[pos] == p:
            continue
        if out.shape[0] < limit:
            out = np.insert(out, pos, p)
            continue
        inner = out[1:-1]
        candidates = inner[(inner != lo) & (inner != hi)]
        if candidates.shape[0] == 0:
            continue
        victim = candidates[np.argmin(np.abs(candidates - p))]
        out[out == victim] = p
        out.sort()
    return out


def _with_gaps(method: str, y: NDArray[Any], x: NDArray[Any] | None, budget: int) -> IndexArray:
    """Reduce a float ``y`` holding NaN or infinities (see the module notes)."""
    n = y.shape[0]
    limit = _limit(method, budget)
    finite = np.isfinite(y)
    fidx = np.flatnonzero(finite).astype(np.int64)
    ends = np.array([0, n - 1], dtype=np.int64)
    if fidx.shape[0] == 0:
        return ends
    # Non-finite end points, and interior gaps (runs with finite neighbours).
    n_ends = int(not finite[0]) + int(not finite[-1])
    n_gaps = int(np.count_nonzero(finite[:-1] & ~finite[1:])) - int(not finite[-1])
    # Largest finite budget c with c + n_ends + min(n_gaps, c - 1) <= limit.
    c = max(limit - n_ends - n_gaps, (limit + 1 - n_ends) // 2)
    m = fidx.shape[0]
    sub: IndexArray | None
    if c >= (3 if method == "lttb" else 4):
        sub = _core(method, y[fidx], fidx if x is None else x[fidx], c, detect=False)
        assert sub is not None
    elif c >= 2:
        sub = _uniq(np.array([0, m - 1], dtype=np.int64))
    else:  # one slot: it must go to the finite end point, if there is one
        sub = np.array([m - 1 if finite[-1] else 0], dtype=np.int64)
    kept = fidx[sub]
    # One marker per gap between consecutive selected finite points.
    gaps = np.flatnonzero(~finite)
    pos = np.searchsorted(gaps, kept[:-1], side="right")
    first_after = gaps[np.minimum(pos, gaps.shape[0] - 1)]
    markers = first_after[(pos < gaps.shape[0]) & (first_after < kept[1:])]
    return _uniq(np.concatenate((kept, markers, ends)))
