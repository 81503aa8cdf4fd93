"""Block means: shrink a matrix to at most a given number of cells per axis.

Example
-------
>>> import numpy as np
>>> from tfvis._aggregate import block_mean
>>> blocks = block_mean(np.arange(16.0).reshape(4, 4), max_rows=2, max_cols=2)
>>> blocks.values.tolist(), blocks.block
([[2.5, 4.5], [10.5, 12.5]], (2, 2))
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = ["Blocks", "block_mean"]


@dataclass(frozen=True)
class Blocks:
    """A reduced matrix: ``values[i, j]`` is the mean of the original block
    ``[i*block[0] : (i+1)*block[0], j*block[1] : (j+1)*block[1]]`` (the last block
    of an axis may be smaller); NaN cells are ignored, an all-NaN block is NaN."""

    values: np.ndarray
    block: tuple[int, int]
    shape: tuple[int, int]


#: Values a pass works on at once: the scratch memory of a block mean is a few times
#: this many floats, however large the matrix (a 15,000 × 15,000 input is 1.8 GB).
CHUNK_VALUES = 1 << 22


def block_mean(matrix: np.ndarray, max_rows: int, max_cols: int) -> Blocks:
    """Average ``matrix`` over equal blocks so it has at most ``max_rows × max_cols`` cells.

    Computed a band of block rows at a time, in bounded scratch memory; the input is
    never copied whole.
    """
    rows, cols = matrix.shape
    block = (max(1, math.ceil(rows / max_rows)), max(1, math.ceil(cols / max_cols)))
    if block == (1, 1):
        return Blocks(matrix, block, (rows, cols))
    out_rows, out_cols = math.ceil(rows / block[0]), math.ceil(cols / block[1])
    means = np.empty((out_rows, out_cols))
    band = max(1, CHUNK_VALUES // max(1, block[0] * out_cols * block[1]))
    for first in range(0, out_rows, band):
        last = min(out_rows, first + band)
        chunk = matrix[first * block[0] : min(rows, last * block[0])]
        means[first:last] = _band_means(np.asarray(chunk, dtype=np.float64), block, out_cols)
    return Blocks(means, block, (rows, cols))


def _band_means(chunk: np.ndarray, block: tuple[int, int], out_cols: int) -> np.ndarray:
    """Block means of a band of whole block rows (the last band may be short)."""
    out_rows = math.ceil(chunk.shape[0] / block[0])
    padded = np.full((out_rows * block[0], out_cols * block[1]), np.nan)
    padded[: chunk.shape[0], : chunk.shape[1]] = chunk
    tiles = padded.reshape(out_rows, block[0], out_cols, block[1])
    finite = np.isfinite(tiles)
    per_block = block[0] * block[1]
    # Each value is divided by the block size before summing, so sums of huge values
    # cannot overflow: mean = sum(v / k) * k / count.
    np.divide(tiles, per_block, out=tiles)
    tiles[~finite] = 0.0
    counts = finite.sum(axis=(1, 3))
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        # Rounding can still carry a sum of values at the float maximum one ulp past it,
        # to inf: the clip below brings that mean back, without a leaked RuntimeWarning.
        scaled_sums = tiles.sum(axis=(1, 3))
        means = np.where(counts > 0, scaled_sums * (per_block / counts), np.nan)
    # A mean lies within its values; rounding near the float maximum could push one an
    # ulp past it (to inf, an empty cell), so means are held to the values' range.
    if finite.any():
        values = chunk[np.isfinite(chunk)]
        np.clip(means, values.min(), values.max(), out=means)
    return means
