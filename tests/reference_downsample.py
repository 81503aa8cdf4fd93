"""Slow, plain reference implementations of the downsampling algorithms.

The test oracle for :mod:`tfvis.downsample`. Written from the published
descriptions, with loops and no cleverness:

* LTTB -- S. Steinarsson, *Downsampling Time Series for Visual
  Representation*, MSc thesis, University of Iceland, 2013 (section 4.2);
* M4 -- U. Jugel, Z. Jerzak, G. Hackenbroich, V. Markl, *M4: A
  Visualization-Oriented Time Series Data Aggregation*, PVLDB 7(10), 2014;
* MinMax -- the min/max half of M4 (two points per bucket);
* MinMaxLTTB -- J. Van Der Donckt, J. Van Der Donckt, M. Rademaker, S. Van
  Hoecke, *MinMaxLTTB: Leveraging MinMax-Preselection to Scale LTTB*, 2023;
* stride -- every k-th point, as documented in :func:`tfvis.downsample.stride`.

Buckets
-------
"Equal buckets" are equal-width intervals of the horizontal axis. Without
``x`` the axis is the index ``0 .. n-1``; bucket ``k`` of ``nb`` holds the
points ``t`` with ``k*w < t <= (k+1)*w`` where ``w = (n-1)/nb``, and bucket 0
also holds ``t = 0``. With ``x``, the same with ``x[t]`` and
``w = (x[-1]-x[0])/nb``. The edges are computed in float64, as any
implementation does; the last bucket always ends with the last point.

Ties are broken towards the first point, like ``numpy.argmin``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

Buckets = list[list[int]]


def index_buckets(n: int, n_buckets: int) -> Buckets:
    """Equal-width buckets of the index axis ``[0, n-1]`` (right-closed)."""
    w = (n - 1) / n_buckets
    buckets: Buckets = [[] for _ in range(n_buckets)]
    k = 0  # points come in ascending order, so the bucket index only grows
    for t in range(n):
        while k < n_buckets - 1 and not t <= w * (k + 1):
            k += 1
        buckets[k].append(t)
    return buckets


def x_buckets(x: Sequence[float], n_buckets: int) -> Buckets:
    """Equal-width buckets of ``[x[0], x[-1]]`` (right-closed); empty ones are kept."""
    x0, xn = float(x[0]), float(x[-1])
    w = (xn - x0) / n_buckets
    buckets: Buckets = [[] for _ in range(n_buckets)]
    k = 0  # x is sorted, so the bucket index only grows
    for t, xt in enumerate(x):
        while k < n_buckets - 1 and not float(xt) <= x0 + w * (k + 1):
            k += 1
        buckets[k].append(t)
    return buckets


def buckets_for(n: int, n_buckets: int, x: Sequence[float] | None = None) -> Buckets:
    return index_buckets(n, n_buckets) if x is None else x_buckets(x, n_buckets)


def _argmin(y: Sequence[float], bucket: list[int]) -> int:
    best = bucket[0]
    for t in bucket:
        if y[t] < y[best]:
            best = t
    return best


def _argmax(y: Sequence[float], bucket: list[int]) -> int:
    best = bucket[0]
    for t in bucket:
        if y[t] > y[best]:
            best = t
    return best


def minmax(y: Sequence[float], n_buckets: int, x: Sequence[float] | None = None) -> set[int]:
    """The min and the max point of every bucket."""
    out: set[int] = set()
    for bucket in buckets_for(len(y), n_buckets, x):
        if bucket:
            out |= {_argmin(y, bucket), _argmax(y, bucket)}
    return out


def m4(y: Sequence[float], n_buckets: int, x: Sequence[float] | None = None) -> set[int]:
    """The first, last, min and max point of every bucket."""
    out: set[int] = set()
    for bucket in buckets_for(len(y), n_buckets, x):
        if bucket:
            out |= {bucket[0], bucket[-1], _argmin(y, bucket), _argmax(y, bucket)}
    return out


def lttb(
    y: Sequence[float],
    n_out: int,
    x: Sequence[float] | None = None,
    *,
    next_x: str = "mean",
) -> list[int]:
    """Largest-Triangle-Three-Buckets, as in Steinarsson's thesis.

    The first and last points are kept. The other ``n - 2`` points go into
    ``n_out - 2`` buckets of size ``every = (n - 2) / (n_out - 2)``: bucket
    ``i`` is ``[floor(i*every) + 1, floor((i+1)*every) + 1)``. Walking left to
    right, from bucket ``i`` the point ``b`` is kept that maximises the area of
    the triangle (a, b, c), where ``a`` is the point kept last and ``c`` the
    average point of bucket ``i + 1`` (for the last bucket: the last point).

    ``next_x`` is how the x of ``c`` is taken: ``"mean"`` (the thesis: mean x
    of the next bucket) or ``"midrange"`` (mean of its first and last x).
    They agree for evenly spaced x; tsdownsample uses the midrange.
    """
    n = len(y)
    if n_out >= n:
        return list(range(n))
    xs = [float(t) for t in range(n)] if x is None else [float(v) for v in x]
    ys = [float(v) for v in y]
    every = (n - 2) / (n_out - 2)
    kept = [0]
    a = 0
    for i in range(n_out - 2):
        lo = math.floor(i * every) + 1
        hi = math.floor((i + 1) * every) + 1
        c_lo = hi
        c_hi = min(math.floor((i + 2) * every) + 1, n)
        c_y = sum(ys[c_lo:c_hi]) / (c_hi - c_lo)
        if next_x == "mean":
            c_x = sum(xs[c_lo:c_hi]) / (c_hi - c_lo)
        else:
            c_x = (xs[c_lo] + xs[c_hi - 1]) / 2
        best, best_area = lo, -1.0
        for b in range(lo, hi):
            # twice the triangle area, by the shoelace formula
            area = abs((xs[a] - c_x) * (ys[b] - ys[a]) - (xs[a] - xs[b]) * (c_y - ys[a]))
            if area > best_area:
                best, best_area = b, area
        kept.append(best)
        a = best
    kept.append(n - 1)
    return kept


def minmax_preselection(
    y: Sequence[float], n_out: int, x: Sequence[float] | None = None, ratio: int = 4
) -> list[int]:
    """MinMaxLTTB's first stage: the first point, then the min and max of each of
    ``ratio * n_out / 2`` equal buckets of the inner points ``1 .. n-2``, in index
    order (once if they are the same point), then the last point."""
    n = len(y)
    inner_x = None if x is None else list(x)[1:-1]
    pre = [0]
    for bucket in buckets_for(n - 2, ratio * n_out // 2, inner_x):
        if bucket:
            lo, hi = _argmin(y[1:-1], bucket), _argmax(y[1:-1], bucket)
            pre += [1 + t for t in sorted({lo, hi})]
    pre.append(n - 1)
    return pre


def minmax_lttb(
    y: Sequence[float],
    n_out: int,
    x: Sequence[float] | None = None,
    *,
    ratio: int = 4,
    lttb_x: str = "index",
) -> list[int]:
    """MinMaxLTTB: LTTB over a MinMax preselection of ``ratio * n_out`` points.

    The preselection is only worth it (and only done) when
    ``len(y) // n_out > ratio``; otherwise this is plain LTTB.

    ``lttb_x`` is the x the LTTB stage sees when ``x`` is None: ``"index"``
    (the preselected points' original index, as in the paper and in
    tsdownsample 0.1.5) or ``"rank"`` (the preselected points evenly spaced,
    as some older tsdownsample versions did). With ``x`` given the LTTB stage
    uses it. Either way LTTB takes the midrange x of the next bucket, like
    tsdownsample.
    """
    n = len(y)
    if n // n_out <= ratio:
        return lttb(y, n_out, x, next_x="midrange")
    pre = minmax_preselection(y, n_out, x, ratio)
    y_pre = [y[t] for t in pre]
    if x is not None:
        x_pre: list[float] | None = [float(x[t]) for t in pre]
    else:
        x_pre = None if lttb_x == "rank" else [float(t) for t in pre]
    return [pre[i] for i in lttb(y_pre, n_out, x_pre, next_x="midrange")]


def stride(n: int, n_out: int) -> list[int]:
    """0, k, 2k, ... with k = ceil(n / n_out), and n - 1 (appended while there
    is room, otherwise in place of the last multiple of k)."""
    if n_out >= n:
        return list(range(n))
    k = math.ceil(n / n_out)
    out = list(range(0, n, k))
    if out[-1] != n - 1:
        if len(out) < n_out:
            out.append(n - 1)
        else:
            out[-1] = n - 1
    return out


def first_min_max(y: Sequence[float]) -> tuple[int, int]:
    """Index of the first minimum and of the first maximum of the finite values."""
    finite = [t for t in range(len(y)) if math.isfinite(float(y[t]))]
    return _argmin(y, finite), _argmax(y, finite)


def as_list(a: np.ndarray) -> list[float]:
    return [float(v) for v in a]
