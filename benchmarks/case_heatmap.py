"""``render.heatmap`` of a 1000×1000 matrix → PNG, against matplotlib ``imshow`` + ``savefig``.

tfvis aggregates the matrix to block means (a few pixels a cell) and draws them as
one image mark through vl-convert; matplotlib resamples the image itself. Both draw
a 600×600 picture with a colour bar. Each sample is the first call in a fresh
process (matrix built, library imported; the import is timed too, for the whole
script's cost); the worker also times a warm call.
"""

from __future__ import annotations

import importlib
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _common import (
    HEAT_SIZE,
    CaseResult,
    Row,
    Settings,
    heat_matrix,
    measure,
    median,
    mib,
    run_worker,
    seconds,
    summary,
)

LIBRARIES = ("tfvis", "matplotlib")
MODULES = {"tfvis": "tfvis.render", "matplotlib": "matplotlib.pyplot"}


def _saver(lib: str, matrix: Any, path: Path) -> Callable[[], dict[str, Any]]:
    if lib == "tfvis":
        from tfvis import render

        def ours() -> dict[str, Any]:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                chart = render.heatmap(matrix, width=HEAT_SIZE, height=HEAT_SIZE)
                chart.save(path)
            meta = chart.to_dict().get("usermeta", {}).get("tfvis", {}).get("aggregate", {})
            return {
                "drawn": meta.get("drawn"),
                "warnings": sorted({w.category.__name__ for w in caught}),
            }

        return ours

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    def theirs() -> dict[str, Any]:
        figure, axes = plt.subplots(figsize=(HEAT_SIZE / 100, HEAT_SIZE / 100), dpi=100)
        image = axes.imshow(matrix.T, cmap="viridis", aspect="auto", interpolation="antialiased")
        figure.colorbar(image, ax=axes)
        figure.savefig(path, dpi=100)
        plt.close(figure)
        return {}

    return theirs


def task_save(lib: str, path: str) -> dict[str, Any]:
    """Worker: one cold and one warm save of the heatmap."""
    target = Path(path)
    matrix = heat_matrix()
    start = time.perf_counter()
    importlib.import_module(MODULES[lib])
    answer: dict[str, Any] = {"import_seconds": time.perf_counter() - start}
    save = _saver(lib, matrix, target)
    for key in ("cold", "warm"):
        sample = measure(save)
        result = sample.pop("result") or {}
        answer[key] = {**sample, **result}
    answer["bytes"] = target.stat().st_size
    return answer


def run(settings: Settings) -> CaseResult:
    """Alternate fresh processes of both libraries; make the rows."""
    samples: dict[str, list[dict[str, Any]]] = {lib: [] for lib in LIBRARIES}
    for i in range(settings.process_repeats):
        for lib in LIBRARIES:
            answer = run_worker(
                "case_heatmap.task_save", lib=lib, path=str(settings.out / f"heatmap_{lib}.png")
            )
            samples[lib].append(answer)
            print(f"  heatmap {lib} #{i + 1}: {seconds(answer['cold']['seconds'])}", flush=True)
    cold = {lib: [s["cold"]["seconds"] for s in samples[lib]] for lib in LIBRARIES}
    warm = {lib: [s["warm"]["seconds"] for s in samples[lib]] for lib in LIBRARIES}
    ratio = median(cold["tfvis"]) / median(cold["matplotlib"])
    warm_ratio = median(warm["tfvis"]) / median(warm["matplotlib"])
    script = {
        lib: median([s["import_seconds"] + s["cold"]["seconds"] for s in samples[lib]])
        for lib in LIBRARIES
    }
    rows = [
        Row(
            "heatmap 1000×1000 → PNG",
            seconds(median(cold["tfvis"])),
            f"matplotlib imshow {seconds(median(cold['matplotlib']))}",
            f"{ratio:.2f}×",
            "≤ 4×",
            ratio <= 4,
        ),
        Row(
            "same, warm 2nd call in the same process",
            seconds(median(warm["tfvis"])),
            f"matplotlib {seconds(median(warm['matplotlib']))}",
            f"{warm_ratio:.2f}×",
            "(≤ 4×)",
            None,
        ),
        Row(
            "same, import + first save (a whole script)",
            seconds(script["tfvis"]),
            f"matplotlib {seconds(script['matplotlib'])}",
            f"{script['tfvis'] / script['matplotlib']:.2f}×",
            "(≤ 4×)",
            None,
        ),
    ]
    first = samples["tfvis"][0]["cold"]
    peak = {lib: median([s["cold"]["peak_added_mib"] for s in samples[lib]]) for lib in LIBRARIES}
    notes = [
        f"heatmap: tfvis drew {first.get('drawn')} block means (warned {first.get('warnings')}); "
        f"peak RSS added by the save: tfvis {mib(peak['tfvis'])}, "
        f"matplotlib {mib(peak['matplotlib'])}"
    ]
    data = {
        "cold_seconds": {lib: summary(v) for lib, v in cold.items()},
        "warm_seconds": {lib: summary(v) for lib, v in warm.items()},
        "import_plus_cold_seconds": script,
        "peak_added_mib": peak,
        "samples": samples,
    }
    return CaseResult("heatmap", rows, notes, data)
