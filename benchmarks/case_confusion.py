"""Confusion matrices (issue #12): a 1,000-class PNG, and counting 10^7 samples.

* ``render.confusion_matrix`` of a 1,000 × 1,000 count matrix → PNG, against
  scikit-learn's ``ConfusionMatrixDisplay(...).plot(include_values=False)`` saved with
  matplotlib (its fastest setting: no text in a million cells). tfvis draws 100 × 100
  groups of 10 classes as one image mark; matplotlib draws the full matrix with
  ``imshow``. Both pictures are 600 × 600 pixels. Each sample is the first call in a
  fresh process (matrix built, library imported; the import is timed apart); the
  worker also times a warm second call.
* ``metrics.confusion_matrix`` of 10^7 int64 labels and predictions (100 classes),
  against ``sklearn.metrics.confusion_matrix``, in one fresh process: one cold call
  each, then alternating warm calls; the results are checked equal.
"""

from __future__ import annotations

import importlib
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _common import CaseResult, Row, Settings, measure, median, mib, run_worker, seconds, summary

LIBRARIES = ("tfvis", "scikit-learn")
MODULES = {"tfvis": "tfvis.render", "scikit-learn": "sklearn.metrics"}
CLASSES = 1000
SIZE = 600
SAMPLES = 10_000_000
COUNT_CLASSES = 100


def counts(classes: int = CLASSES, samples: int = 500_000, seed: int = 9) -> Any:
    """A ``classes × classes`` int64 confusion matrix of a classifier right 80% of the time."""
    import numpy as np

    rng = np.random.default_rng(seed)
    truth = rng.integers(0, classes, samples)
    guess = np.where(rng.random(samples) < 0.8, truth, rng.integers(0, classes, samples))
    matrix = np.zeros((classes, classes), dtype=np.int64)
    np.add.at(matrix, (truth, guess), 1)
    return matrix


def _saver(lib: str, matrix: Any, path: Path) -> Callable[[], dict[str, Any]]:
    if lib == "tfvis":
        from tfvis import render

        def ours() -> dict[str, Any]:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                chart = render.confusion_matrix(matrix, width=SIZE, height=SIZE)
                chart.save(path)
            return {
                "drawn": chart.report.get("aggregate", {}).get("drawn"),
                "spec_bytes": len(chart.to_json()),
                "warnings": sorted({w.category.__name__ for w in caught}),
            }

        return ours

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import ConfusionMatrixDisplay

    def theirs() -> dict[str, Any]:
        figure, axes = plt.subplots(figsize=(SIZE / 100, SIZE / 100), dpi=100)
        display = ConfusionMatrixDisplay(confusion_matrix=matrix)
        display.plot(ax=axes, include_values=False, cmap="Blues", colorbar=True)
        figure.savefig(path, dpi=100)
        plt.close(figure)
        return {}

    return theirs


def task_save(lib: str, path: str) -> dict[str, Any]:
    """Worker: one cold and one warm save of the 1,000-class matrix."""
    target = Path(path)
    matrix = counts()
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


def task_count(repeats: int) -> dict[str, Any]:
    """Worker: metrics.confusion_matrix against sklearn's on 10^7 samples, alternating."""
    import numpy as np
    from sklearn.metrics import confusion_matrix as theirs

    from tfvis.metrics import confusion_matrix as ours

    rng = np.random.default_rng(4)
    truth = rng.integers(0, COUNT_CLASSES, SAMPLES)
    guess = np.where(rng.random(SAMPLES) < 0.8, truth, rng.integers(0, COUNT_CLASSES, SAMPLES))
    calls = {"tfvis": lambda: ours(truth, guess), "scikit-learn": lambda: theirs(truth, guess)}
    answer: dict[str, Any] = {"cold": {}, "warm": {lib: [] for lib in LIBRARIES}}
    results = {}
    for lib, call in calls.items():
        start = time.perf_counter()
        results[lib] = call()
        answer["cold"][lib] = time.perf_counter() - start
    answer["equal"] = bool(np.array_equal(results["tfvis"], results["scikit-learn"]))
    for _ in range(repeats):
        for lib, call in calls.items():
            start = time.perf_counter()
            call()
            answer["warm"][lib].append(time.perf_counter() - start)
    return answer


def run(settings: Settings) -> CaseResult:
    """Alternate fresh processes of both libraries for the PNG; one process for counting."""
    samples: dict[str, list[dict[str, Any]]] = {lib: [] for lib in LIBRARIES}
    for i in range(settings.process_repeats):
        for lib in LIBRARIES:
            name = lib.replace("-", "_")
            answer = run_worker(
                "case_confusion.task_save", lib=lib, path=str(settings.out / f"cm1000_{name}.png")
            )
            samples[lib].append(answer)
            print(f"  confusion {lib} #{i + 1}: {seconds(answer['cold']['seconds'])}", flush=True)
    cold = {lib: [s["cold"]["seconds"] for s in samples[lib]] for lib in LIBRARIES}
    warm = {lib: [s["warm"]["seconds"] for s in samples[lib]] for lib in LIBRARIES}
    ratio = median(cold["tfvis"]) / median(cold["scikit-learn"])
    warm_ratio = median(warm["tfvis"]) / median(warm["scikit-learn"])
    counting = run_worker("case_confusion.task_count", repeats=settings.call_repeats)
    ours, theirs = (median(counting["warm"][lib]) for lib in LIBRARIES)
    rows = [
        Row(
            "confusion matrix 1,000 classes → PNG",
            seconds(median(cold["tfvis"])),
            f"sklearn ConfusionMatrixDisplay {seconds(median(cold['scikit-learn']))}",
            f"{ratio:.2f}×",
            "a PNG in seconds",
            median(cold["tfvis"]) < 5,
        ),
        Row(
            "same, warm 2nd call in the same process",
            seconds(median(warm["tfvis"])),
            f"sklearn {seconds(median(warm['scikit-learn']))}",
            f"{warm_ratio:.2f}×",
            "(info)",
            None,
        ),
        Row(
            "metrics.confusion_matrix, 10^7 samples",
            seconds(ours),
            f"sklearn.metrics.confusion_matrix {seconds(theirs)}",
            f"{ours / theirs:.2f}×",
            "≤ 1 s, equal results",
            ours < 1 and counting["equal"],
        ),
    ]
    first = samples["tfvis"][0]["cold"]
    imports = {lib: median([s["import_seconds"] for s in samples[lib]]) for lib in LIBRARIES}
    peak = {lib: median([s["cold"]["peak_added_mib"] for s in samples[lib]]) for lib in LIBRARIES}
    notes = [
        f"confusion matrix: tfvis drew {first.get('drawn')} class groups (warned "
        f"{first.get('warnings')}), spec {first.get('spec_bytes', 0) / 1e6:.2f} MB; PNG files "
        f"tfvis {samples['tfvis'][0]['bytes']:,} B, sklearn "
        f"{samples['scikit-learn'][0]['bytes']:,} B; peak RSS added by the save: tfvis "
        f"{mib(peak['tfvis'])}, sklearn+matplotlib {mib(peak['scikit-learn'])}; imports "
        f"tfvis {seconds(imports['tfvis'])}, sklearn.metrics {seconds(imports['scikit-learn'])}",
        f"metrics.confusion_matrix: cold tfvis {seconds(counting['cold']['tfvis'])}, sklearn "
        f"{seconds(counting['cold']['scikit-learn'])}; results equal: {counting['equal']}",
    ]
    data = {
        "cold_seconds": {lib: summary(v) for lib, v in cold.items()},
        "warm_seconds": {lib: summary(v) for lib, v in warm.items()},
        "peak_added_mib": peak,
        "counting": counting,
        "samples": samples,
    }
    return CaseResult("confusion", rows, notes, data)
