"""``tfvis.downsample.minmax_lttb`` on 10^7 points → 2,000, against raw tsdownsample.

tfvis calls tsdownsample's MinMax and LTTB kernels itself (so it can keep the global
extremes and handle NaN gaps); the peer is ``MinMaxLTTBDownsampler().downsample``
with the same ratio (4) and ``parallel=False``, which is what tfvis uses. Both run in
one fresh process, alternating, after one warm-up call each; the ratio is our
overhead. A second, informational pair passes a datetime64 x (int64 for the peer).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from _common import CaseResult, Row, Settings, median, random_walk, run_worker, seconds, summary

N_POINTS = 10_000_000
N_OUT = 2_000


def _alternate(
    first: Callable[[], Any], second: Callable[[], Any], repeats: int
) -> tuple[list[float], list[float]]:
    """Time two calls ``repeats`` times each, interleaved, after one warm-up each."""
    first()
    second()
    a: list[float] = []
    b: list[float] = []
    for _ in range(repeats):
        for call, samples in ((first, a), (second, b)):
            start = time.perf_counter()
            call()
            samples.append(time.perf_counter() - start)
    return a, b


def task_minmax_lttb(n: int, n_out: int, repeats: int) -> dict[str, Any]:
    """Worker: time tfvis and tsdownsample on the same random walk, with and without x."""
    import numpy as np
    from tsdownsample import MinMaxLTTBDownsampler

    from tfvis import downsample

    y = random_walk(n)
    raw = MinMaxLTTBDownsampler()
    ours = downsample.minmax_lttb(y, n_out)
    theirs = np.asarray(raw.downsample(y, n_out=n_out, minmax_ratio=4, parallel=False))
    common = len(np.intersect1d(ours, theirs))
    t_ours, t_raw = _alternate(
        lambda: downsample.minmax_lttb(y, n_out),
        lambda: raw.downsample(y, n_out=n_out, minmax_ratio=4, parallel=False),
        repeats,
    )
    stamps = np.datetime64("2009-01-01T00:10", "ns") + np.arange(n) * np.timedelta64(1, "m")
    ticks = stamps.view(np.int64)
    x_ours, x_raw = _alternate(
        lambda: downsample.minmax_lttb(y, n_out, x=stamps),
        lambda: raw.downsample(ticks, y, n_out=n_out, minmax_ratio=4, parallel=False),
        max(3, repeats // 2),
    )
    return {
        "tfvis": t_ours,
        "tsdownsample": t_raw,
        "tfvis_x": x_ours,
        "tsdownsample_x": x_raw,
        "kept": [len(ours), len(theirs)],
        "common_indices": common,
    }


def run(settings: Settings) -> CaseResult:
    """Run the worker once (it alternates internally) and make the rows."""
    answer = run_worker(
        "case_downsample.task_minmax_lttb", n=N_POINTS, n_out=N_OUT, repeats=settings.call_repeats
    )
    ours, theirs = median(answer["tfvis"]), median(answer["tsdownsample"])
    x_ours, x_theirs = median(answer["tfvis_x"]), median(answer["tsdownsample_x"])
    ratio, x_ratio = ours / theirs, x_ours / x_theirs
    rows = [
        Row(
            "downsample.minmax_lttb 10^7 → 2,000",
            seconds(ours),
            f"tsdownsample MinMaxLTTB {seconds(theirs)}",
            f"{ratio:.2f}×",
            "≤ 1.2×",
            ratio <= 1.2,
        ),
        Row(
            "same, with datetime64 x",
            seconds(x_ours),
            f"tsdownsample (int64 x) {seconds(x_theirs)}",
            f"{x_ratio:.2f}×",
            "(≤ 1.2×)",
            None,
        ),
    ]
    kept, common = answer["kept"], answer["common_indices"]
    notes = [
        f"minmax_lttb kept {kept[0]} indices, tsdownsample {kept[1]}; {common} in common "
        "(tfvis also keeps the global min and max)"
    ]
    data = {
        key: summary(answer[key]) for key in ("tfvis", "tsdownsample", "tfvis_x", "tsdownsample_x")
    }
    data.update(kept=kept, common_indices=common)
    return CaseResult("minmax_lttb", rows, notes, data)
