"""Array statistics and Vega-compatible nice bins, computed in bounded memory.

Both walk the input in fixed-size chunks, so a 10^8-value float32 array costs a few
megabytes of scratch space, never a copy of the input.

Example
-------
>>> import numpy as np
>>> from tfvis._stats import array_stats, histogram_bins
>>> values = np.array([1, 5, 5, 5, 5, 10, -3, -3])
>>> array_stats(values).num_zeros
0
>>> bins = histogram_bins(values, max_bins=3)
>>> (bins.start, bins.stop, bins.step, bins.counts.tolist())
(-5.0, 10.0, 5.0, [2, 1, 5])
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = ["ArrayStats", "Bins", "array_stats", "histogram_bins", "nice_bins"]

CHUNK = 1 << 18  # elements per pass; 2 MiB of float64 scratch, cache friendly
_VEGA_EPSILON = 1e-14  # the tolerance Vega's bin transform adds before flooring


@dataclass(frozen=True)
class ArrayStats:
    """Summary of an array, as in the tfjs-vis histogram table.

    ``min`` and ``max`` ignore NaN but count ±inf (as tfjs-vis does) and are None
    when every value is NaN; ``finite_min``/``finite_max`` span the finite values,
    which are the ones that get binned.
    """

    num_vals: int
    min: float | None
    max: float | None
    num_zeros: int
    num_nans: int
    num_infs: int
    finite_min: float | None
    finite_max: float | None


@dataclass(frozen=True)
class Bins:
    """Equal-width bins ``[start + k*step, start + (k+1)*step)``; the last is closed."""

    start: float
    stop: float
    step: float
    counts: np.ndarray

    @property
    def edges(self) -> np.ndarray:
        """The ``len(counts) + 1`` bin edges."""
        # Halved, added and doubled (exact in binary): no overflow where the sum fits.
        steps = np.arange(len(self.counts) + 1)
        with np.errstate(over="ignore"):
            edges: np.ndarray = (self.start / 2 + (self.step / 2) * steps) * 2
        # Bins reaching the float maximum: the edge past it is the stop itself.
        return np.minimum(edges, self.stop) if np.isfinite(self.stop) else edges


def _chunks(values: np.ndarray) -> list[np.ndarray]:
    flat = values.reshape(-1)
    return [flat[i : i + CHUNK] for i in range(0, flat.size, CHUNK)]


def array_stats(values: np.ndarray) -> ArrayStats:
    """Count values, zeros, NaNs and infinities and find the extents in one pass."""
    lo, hi = math.inf, -math.inf
    has_neg_inf = has_pos_inf = False
    zeros = nans = infs = 0
    is_float = values.dtype.kind == "f"
    for chunk in _chunks(values):
        zeros += int(np.count_nonzero(chunk == 0))
        c_lo, c_hi = chunk.min(), chunk.max()
        if is_float and not (math.isfinite(c_lo) and math.isfinite(c_hi)):
            # NaN or ±inf in this chunk: the slower, masked path.
            nan_mask = np.isnan(chunk)
            inf_mask = np.isinf(chunk)
            nans += int(np.count_nonzero(nan_mask))
            infs += int(np.count_nonzero(inf_mask))
            if inf_mask.any():
                has_neg_inf |= bool((chunk[inf_mask] < 0).any())
                has_pos_inf |= bool((chunk[inf_mask] > 0).any())
            finite = chunk[~(nan_mask | inf_mask)]
            if finite.size == 0:
                continue
            c_lo, c_hi = finite.min(), finite.max()
        lo, hi = min(lo, float(c_lo)), max(hi, float(c_hi))
    found = math.isfinite(lo)
    any_number = found or has_neg_inf or has_pos_inf
    return ArrayStats(
        num_vals=int(values.size),
        min=(-math.inf if has_neg_inf else (lo if found else math.inf)) if any_number else None,
        max=(math.inf if has_pos_inf else (hi if found else -math.inf)) if any_number else None,
        num_zeros=zeros,
        num_nans=nans,
        num_infs=infs,
        finite_min=lo if found else None,
        finite_max=hi if found else None,
    )


def nice_bins(lo: float, hi: float, max_bins: int) -> tuple[float, float, float]:
    """Vega's ``bin`` step selection: ``(start, stop, step)`` for an extent.

    Base 10, divides ``[5, 2]``, nice start and stop: the bins Vega-Lite draws for
    ``bin: {maxbins: max_bins}`` over a field whose extent is ``[lo, hi]``.
    """
    span = (hi - lo) or abs(lo) or 1.0
    if not math.isfinite(span) or span < 1e-300:
        return _plain_bins(lo, hi, max_bins)
    level = math.ceil(math.log10(max_bins)) if max_bins > 1 else 0
    step = 10.0 ** (round(math.log10(span)) - level)
    while math.ceil(span / step) > max_bins:
        step *= 10
    for divide in (5, 2):
        candidate = step / divide
        if span / candidate <= max_bins:
            step = candidate
    log_step = math.log(step)
    precision = 0 if log_step >= 0 else int(-log_step / math.log(10)) + 1
    eps = 10.0 ** (-precision - 1)
    start = math.floor(lo / step + eps) * step
    if lo < start:
        start -= step
    stop = math.ceil(hi / step) * step
    if stop == start:
        stop = start + step
    if step <= 0 or not math.isfinite((stop - start) / step):
        return _plain_bins(lo, hi, max_bins)
    return start, stop, step


def _plain_bins(lo: float, hi: float, max_bins: int) -> tuple[float, float, float]:
    """Equal bins from ``lo`` to ``hi`` where nice steps overflow or underflow.

    Vega's algorithm breaks for extents wider than the float range (1e308 apart) or
    narrower than the smallest normal float; such data still gets honest bins.
    """
    step = hi / max_bins - lo / max_bins  # never overflows, unlike hi - lo
    if not step > 0:  # a single value
        step = abs(lo) / max_bins or 1.0
        return (lo, lo + step, step) if math.isfinite(lo + step) else (lo - step, lo, step)
    return lo, hi, step


def histogram_bins(values: np.ndarray, max_bins: int, stats: ArrayStats | None = None) -> Bins:
    """Vega-Lite's ``bin: {maxbins}`` over the finite values, counted with numpy.

    A value lands in bin ``floor(1e-14 + (v - start) / step)``, with the last bin
    closed, exactly as Vega's bin transform assigns it.
    """
    stats = stats or array_stats(values)
    if stats.finite_min is None or stats.finite_max is None:
        return Bins(0.0, 0.0, 1.0, np.zeros(0, dtype=np.int64))
    start, nice_stop, step = nice_bins(stats.finite_min, stats.finite_max, max_bins)
    # As Vega's Bin transform: the last bin ends on a whole step from the start, and a
    # value is clamped to that bin's start before it is floored into place.
    bins = (nice_stop - start) / step
    if math.isfinite(bins) and math.isfinite(start + math.ceil(bins) * step):
        n_bins = max(1, math.ceil(bins))
        stop = start + n_bins * step
        last_start = stop - step
    else:  # an extent wider than the float range: divide before subtracting
        n_bins = max(1, math.ceil(nice_stop / step - start / step))
        last_start, stop = start + (n_bins - 1) * step, nice_stop
    counts = np.zeros(n_bins, dtype=np.int64)
    skip_nonfinite = values.dtype.kind == "f" and (stats.num_nans or stats.num_infs)
    for chunk in _chunks(values):
        if skip_nonfinite:
            chunk = chunk[np.isfinite(chunk)]
        position = np.clip(chunk, start, last_start, dtype=np.float64)
        with np.errstate(over="ignore"):  # beyond the float range: the last bins
            position -= start
        position /= step
        position += _VEGA_EPSILON
        np.floor(position, out=position)
        np.clip(position, 0, n_bins - 1, out=position)
        counts += np.bincount(position.astype(np.intp), minlength=n_bins)
    return Bins(start, stop, step, counts)
