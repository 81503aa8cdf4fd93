"""``render.histogram`` of 10^7 float64 values → spec, against ``np.histogram(x, bins=12)``.

tfvis computes the stats table (count, min, max, zeros, NaNs, infinities) and
Vega-Lite's nice bins in numpy, then builds the spec; numpy only bins. The timing
worker runs both in one fresh process: one cold call each, then alternating warm
calls. Peak memory is measured in separate fresh processes, one per library,
after a small warm-up call: RSS high-water mark (VmHWM) and tracemalloc.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable
from typing import Any

from _common import (
    CaseResult,
    Row,
    Settings,
    measure,
    median,
    mib,
    run_worker,
    seconds,
    summary,
    traced_peak_mib,
)

N_VALUES = 10_000_000
LIBRARIES = ("tfvis", "numpy")


def _values(n: int) -> Any:
    import numpy as np

    return np.random.default_rng(11).normal(3.0, 2.0, n)


def _caller(lib: str, values: Any) -> Callable[[], Any]:
    """The call to time; imports only its own library."""
    if lib == "numpy":
        import numpy as np

        return lambda: np.histogram(values, bins=12)
    from tfvis import render

    def ours() -> Any:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return render.histogram(values)

    return ours


def task_time(n: int, repeats: int) -> dict[str, Any]:
    """Worker: cold call of each, then ``repeats`` alternating warm calls."""
    values = _values(n)
    calls = {lib: _caller(lib, values) for lib in LIBRARIES}
    answer: dict[str, Any] = {"cold": {}, "warm": {lib: [] for lib in LIBRARIES}}
    for lib in LIBRARIES:
        start = time.perf_counter()
        calls[lib]()
        answer["cold"][lib] = time.perf_counter() - start
    for _ in range(repeats):
        for lib in LIBRARIES:
            start = time.perf_counter()
            calls[lib]()
            answer["warm"][lib].append(time.perf_counter() - start)
    chart = calls["tfvis"]()
    answer["spec_bytes"] = len(chart.to_json())
    answer["stats"] = chart.stats
    return answer


def task_memory(lib: str, n: int) -> dict[str, Any]:
    """Worker: peak RSS added and tracemalloc peak of one call, after a warm-up."""
    import numpy as np

    _caller(lib, np.arange(100.0))()  # imports, validators and caches: not the call's
    values = _values(n)
    call = _caller(lib, values)
    sample = measure(call)
    sample.pop("result")
    sample["traced_peak_mib"] = traced_peak_mib(call)
    sample["input_mib"] = values.nbytes / 2**20
    return sample


def run(settings: Settings) -> CaseResult:
    """Time both, measure both peaks, make the rows and the memory notes."""
    answer = run_worker("case_histogram.task_time", n=N_VALUES, repeats=settings.call_repeats)
    memory = {
        lib: run_worker("case_histogram.task_memory", lib=lib, n=N_VALUES) for lib in LIBRARIES
    }
    ours, theirs = median(answer["warm"]["tfvis"]), median(answer["warm"]["numpy"])
    ratio = ours / theirs
    cold_ratio = answer["cold"]["tfvis"] / answer["cold"]["numpy"]
    rows = [
        Row(
            "histogram 10^7 float64 → spec",
            seconds(ours),
            f"np.histogram(bins=12) {seconds(theirs)}",
            f"{ratio:.2f}×",
            "≤ 2×",
            ratio <= 2,
        ),
        Row(
            "same, first call in a fresh process",
            seconds(answer["cold"]["tfvis"]),
            f"np.histogram {seconds(answer['cold']['numpy'])}",
            f"{cold_ratio:.2f}×",
            "(≤ 2×)",
            None,
        ),
    ]
    t, p = memory["tfvis"], memory["numpy"]
    notes = [
        f"histogram 10^7 (input {mib(t['input_mib'])}): peak RSS added by the call "
        f"(VmHWM) tfvis {mib(t['peak_added_mib'])}, np.histogram {mib(p['peak_added_mib'])}; "
        f"Python-side peak (tracemalloc) tfvis {mib(t['traced_peak_mib'])}, "
        f"np.histogram {mib(p['traced_peak_mib'])}; process peak RSS "
        f"tfvis {mib(t['peak_rss_mib'])}, numpy {mib(p['peak_rss_mib'])}",
        f"histogram spec: {answer['spec_bytes']:,} bytes of JSON",
    ]
    data = {
        "warm_seconds": {lib: summary(answer["warm"][lib]) for lib in LIBRARIES},
        "cold_seconds": answer["cold"],
        "memory": memory,
        "spec_bytes": answer["spec_bytes"],
        "stats": answer["stats"],
    }
    return CaseResult("histogram", rows, notes, data)
