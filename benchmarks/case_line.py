"""The Jena-sized line chart: 420,551 rows × 2 series with a datetime x.

* PNG, end to end: ``render.linechart(frame) .save("x.png")`` against Altair's
  ``mark_line`` on the same data (long form) saved through vl-convert, and
  matplotlib ``plot`` + ``savefig`` at the same pixel size.
* HTML, bytes written: ``chart.save("x.html")`` against Altair's
  ``save("x.html", inline=True)``.

Every sample is the first call in a fresh interpreter, with the data already built
and the library already imported; the worker times that import too (numpy and pandas
are in by then, for the data), so the table also shows what a whole script pays:
import plus first save. For tfvis and matplotlib the worker also times a second,
warm call. ``task_engine`` times vl-convert's engine start on an empty spec, the
part of tfvis's first export that no tfvis code can shorten.
"""

from __future__ import annotations

import importlib
import time
import warnings
from pathlib import Path
from typing import Any

from _common import (
    DATE_COLUMN,
    JENA_COLUMNS,
    JENA_ROWS,
    LINE_HEIGHT,
    LINE_WIDTH,
    CaseResult,
    Row,
    Settings,
    jena_frame,
    long_frame,
    measure,
    median,
    mib,
    run_worker,
    seconds,
    size,
    summary,
    traced_peak_mib,
)

LIBRARIES = ("tfvis", "matplotlib", "altair")
#: What each library's script imports before drawing.
MODULES = {"tfvis": "tfvis.render", "matplotlib": "matplotlib.pyplot", "altair": "altair"}


# ------------------------------------------------------------------- chart makers


def _tfvis_saver(frame: Any, path: Path) -> Any:
    from tfvis import render

    def save() -> dict[str, Any]:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            chart = render.linechart(
                frame[list(JENA_COLUMNS)], width=LINE_WIDTH, height=LINE_HEIGHT
            )
            chart.save(path)
        kinds = sorted({w.category.__name__ for w in caught})
        meta = chart.to_dict().get("usermeta", {}).get("tfvis", {})
        kept = [note["kept"] for note in meta.get("downsample", [])]
        return {"warnings": kinds, "kept": kept}

    return save


def _matplotlib_saver(frame: Any, path: Path) -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    def save() -> dict[str, Any]:
        figure, axes = plt.subplots(figsize=(LINE_WIDTH / 100, LINE_HEIGHT / 100), dpi=100)
        for name in JENA_COLUMNS:
            axes.plot(frame.index, frame[name].to_numpy(), linewidth=1, label=name)
        axes.set_xlabel("x")
        axes.set_ylabel("y")
        axes.legend(loc="upper right")
        figure.savefig(path, dpi=100)
        plt.close(figure)
        return {}

    return save


def _altair_saver(frame: Any, path: Path) -> Any:
    import altair as alt

    long = long_frame(frame)  # Altair wants long form; reshaping is not timed

    def save() -> dict[str, Any]:
        # Scoped: the row limit is lifted for this benchmark only.
        with alt.data_transformers.disable_max_rows():
            chart = (
                alt.Chart(long)
                .mark_line()
                .encode(x=f"{DATE_COLUMN}:T", y="value:Q", color="series:N")
                .properties(
                    width=LINE_WIDTH,
                    height=LINE_HEIGHT,
                    autosize=alt.AutoSizeParams(type="fit", contains="padding"),
                )
            )
            if path.suffix == ".html":
                chart.save(path, inline=True)
            else:
                chart.save(path)
        return {}

    return save


_SAVERS = {"tfvis": _tfvis_saver, "matplotlib": _matplotlib_saver, "altair": _altair_saver}


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG header."""
    head = path.read_bytes()[:24]
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


# ---------------------------------------------------------------------- worker side


#: Calls after the 2nd whose median is the steady warm time.
STEADY_CALLS = 5


def task_save(lib: str, path: str, warm: bool) -> dict[str, Any]:
    """Worker: save the Jena chart with ``lib`` to ``path``, cold (and warm) timed."""
    target = Path(path)
    frame = jena_frame()  # numpy and pandas are imported here, for every library
    start = time.perf_counter()
    importlib.import_module(MODULES[lib])
    imported = time.perf_counter() - start
    save = _SAVERS[lib](frame, target)
    cold = measure(save)
    answer: dict[str, Any] = {
        "import_seconds": imported,
        "cold": _clean(cold),
        "bytes": target.stat().st_size,
    }
    if target.suffix == ".png":
        answer["pixels"] = png_size(target)
    if warm:
        answer["warm"] = _clean(measure(save))
    if warm and target.suffix == ".png":
        # The engine's JavaScript is still warming up on the 2nd call (its JIT): the
        # median of five more calls is what a script saving many charts pays each.
        steady = []
        for _ in range(STEADY_CALLS):
            start = time.perf_counter()
            save()
            steady.append(time.perf_counter() - start)
        answer["steady_seconds"] = median(steady)
    return answer


def task_engine() -> dict[str, Any]:
    """Worker: vl-convert's first call in this process, on an empty Vega spec."""
    import json

    import vl_convert

    empty = json.dumps({"$schema": "https://vega.github.io/schema/vega/v5.json"})
    start = time.perf_counter()
    vl_convert.vega_to_svg(empty)
    first = time.perf_counter() - start
    start = time.perf_counter()
    vl_convert.vega_to_svg(empty)
    return {"first": first, "second": time.perf_counter() - start}


def task_traced(lib: str, path: str) -> dict[str, Any]:
    """Worker: Python-side peak allocation of one save (after a warm-up save)."""
    target = Path(path)
    frame = jena_frame()
    save = _SAVERS[lib](frame, target)
    save()  # engines and caches up, so the peak is the chart's, not the import's
    return {"traced_peak_mib": traced_peak_mib(save)}


def _clean(sample: dict[str, Any]) -> dict[str, Any]:
    result = sample.pop("result") or {}
    return {**sample, **result}


# ---------------------------------------------------------------------- orchestrator


def run(settings: Settings) -> CaseResult:
    """Measure the PNG case (all three libraries) and the tfvis memory peak."""
    out = settings.out
    samples: dict[str, list[dict[str, Any]]] = {lib: [] for lib in LIBRARIES}
    rounds = max(settings.process_repeats, settings.altair_repeats)
    for i in range(rounds):
        for lib in LIBRARIES:
            wanted = settings.altair_repeats if lib == "altair" else settings.process_repeats
            if i >= wanted:
                continue
            answer = run_worker(
                "case_line.task_save",
                lib=lib,
                path=str(out / f"line_{lib}.png"),
                warm=lib != "altair",
            )
            samples[lib].append(answer)
            print(f"  line png {lib} #{i + 1}: {seconds(answer['cold']['seconds'])}", flush=True)
    engine = [run_worker("case_line.task_engine") for _ in range(settings.process_repeats)]
    traced = {
        lib: run_worker("case_line.task_traced", lib=lib, path=str(out / f"traced_{lib}.png"))[
            "traced_peak_mib"
        ]
        for lib in ("tfvis", "matplotlib")
    }
    for lib in ("tfvis", "matplotlib"):
        (out / f"traced_{lib}.png").unlink(missing_ok=True)

    cold = {lib: [s["cold"]["seconds"] for s in samples[lib]] for lib in LIBRARIES}
    warm = {lib: [s["warm"]["seconds"] for s in samples[lib]] for lib in ("tfvis", "matplotlib")}
    steady = {lib: [s["steady_seconds"] for s in samples[lib]] for lib in ("tfvis", "matplotlib")}
    med = {lib: median(values) for lib, values in cold.items()}
    warm_med = {lib: median(values) for lib, values in warm.items()}
    steady_med = {lib: median(values) for lib, values in steady.items()}
    steady_ratio = steady_med["tfvis"] / steady_med["matplotlib"]
    peak = {lib: median([s["cold"]["peak_rss_mib"] for s in samples[lib]]) for lib in LIBRARIES}
    added = {lib: median([s["cold"]["peak_added_mib"] for s in samples[lib]]) for lib in LIBRARIES}
    vs_mpl = med["tfvis"] / med["matplotlib"]
    speedup = med["altair"] / med["tfvis"]
    warm_ratio = warm_med["tfvis"] / warm_med["matplotlib"]
    script = {
        lib: median([s["import_seconds"] + s["cold"]["seconds"] for s in samples[lib]])
        for lib in LIBRARIES
    }
    script_ratio = script["tfvis"] / script["matplotlib"]
    engine_start = median([e["first"] for e in engine])
    case = f"linechart {JENA_ROWS:,} × 2, datetime x → PNG"
    rows = [
        Row(
            f"{case} (vs matplotlib)",
            seconds(med["tfvis"]),
            f"matplotlib {seconds(med['matplotlib'])}",
            f"{vs_mpl:.2f}×",
            "≤ 2× matplotlib",
            vs_mpl <= 2,
        ),
        Row(
            f"{case} (vs Altair)",
            seconds(med["tfvis"]),
            f"Altair {seconds(med['altair'])}",
            f"{speedup:.1f}× faster",
            "≥ 20× faster than Altair",
            speedup >= 20,
        ),
        Row(
            f"{case}, warm 2nd call in the same process",
            seconds(warm_med["tfvis"]),
            f"matplotlib {seconds(warm_med['matplotlib'])}",
            f"{warm_ratio:.2f}×",
            "(≤ 2× matplotlib)",
            None,
        ),
        Row(
            f"{case}, steady warm (median of calls 3-{2 + STEADY_CALLS} in the same process)",
            seconds(steady_med["tfvis"]),
            f"matplotlib {seconds(steady_med['matplotlib'])}",
            f"{steady_ratio:.2f}×",
            "(≤ 1× matplotlib warm)",
            None,
        ),
        Row(
            f"{case}, import + first save (a whole script)",
            seconds(script["tfvis"]),
            f"matplotlib {seconds(script['matplotlib'])}",
            f"{script_ratio:.2f}×",
            "(≤ 2× matplotlib)",
            None,
        ),
        Row(
            "vl-convert engine start alone (1st call in a process, empty spec)",
            seconds(engine_start),
            f"matplotlib's whole 1st save {seconds(med['matplotlib'])}",
            f"{engine_start / med['matplotlib']:.2f}×",
            "(the floor of any tfvis 1st export)",
            None,
        ),
    ]
    cpu = {lib: median([s["cold"]["cpu_seconds"] for s in samples[lib]]) for lib in LIBRARIES}
    pixels = {lib: samples[lib][0]["pixels"] for lib in LIBRARIES}
    kept = samples["tfvis"][0]["cold"].get("kept")
    warned = samples["tfvis"][0]["cold"].get("warnings")
    notes = [
        f"Jena line, peak RSS of the process (VmHWM) / added by the save: "
        f"tfvis {mib(peak['tfvis'])} / {mib(added['tfvis'])}, "
        f"matplotlib {mib(peak['matplotlib'])} / {mib(added['matplotlib'])}, "
        f"Altair {mib(peak['altair'])} / {mib(added['altair'])}",
        f"Jena line, Python-side peak of a warm save (tracemalloc): "
        f"tfvis {mib(traced['tfvis'])}, matplotlib {mib(traced['matplotlib'])}",
        "Jena line PNG, CPU seconds of the cold save (whole process, all threads): "
        + ", ".join(f"{lib} {seconds(cpu[lib])}" for lib in LIBRARIES),
        f"Jena line PNG pixels: {pixels}; tfvis kept {kept} points per series, warned {warned}",
        "Jena line PNG bytes: "
        + ", ".join(f"{lib} {size(samples[lib][0]['bytes'])}" for lib in LIBRARIES),
    ]
    data = {
        "cold_seconds": {lib: summary(v) for lib, v in cold.items()},
        "warm_seconds": {lib: summary(v) for lib, v in warm.items()},
        "steady_warm_seconds": {lib: summary(v) for lib, v in steady.items()},
        "import_plus_cold_seconds": script,
        "engine_start_seconds": summary([e["first"] for e in engine]),
        "cpu_seconds_cold": cpu,
        "peak_rss_mib": peak,
        "peak_added_mib": added,
        "traced_peak_mib": traced,
        "pixels": pixels,
        "kept_per_series": kept,
        "warnings": warned,
        "samples": samples,
    }
    return CaseResult("line_png", rows, notes, data)


def run_html(settings: Settings) -> CaseResult:
    """Bytes (and time) of the standalone HTML page: tfvis against Altair inline."""
    out = settings.out
    tfvis_runs = [
        run_worker("case_line.task_save", lib="tfvis", path=str(out / "line_tfvis.html"), warm=True)
        for _ in range(settings.process_repeats)
    ]
    altair_path = out / "line_altair.html"
    altair = run_worker("case_line.task_save", lib="altair", path=str(altair_path), warm=False)
    altair_path.unlink(missing_ok=True)  # tens of MiB; only its size matters
    ours, theirs = tfvis_runs[0]["bytes"], altair["bytes"]
    fraction = ours / theirs
    cold = median([r["cold"]["seconds"] for r in tfvis_runs])
    warm = median([r["warm"]["seconds"] for r in tfvis_runs])
    rows = [
        Row(
            f"linechart {JENA_ROWS:,} × 2 → HTML, bytes written",
            size(ours),
            f"Altair inline {size(theirs)}",
            f"{fraction:.2%}",
            "≤ 2% of Altair's bytes",
            fraction <= 0.02,
        ),
        Row(
            "same → HTML, time (fresh process / warm)",
            f"{seconds(cold)} / {seconds(warm)}",
            f"Altair {seconds(altair['cold']['seconds'])} (1 run)",
            f"{altair['cold']['seconds'] / cold:.1f}× faster",
            "—",
            None,
        ),
    ]
    data = {
        "tfvis_bytes": ours,
        "altair_bytes": theirs,
        "tfvis_seconds_cold": summary([r["cold"]["seconds"] for r in tfvis_runs]),
        "tfvis_seconds_warm": summary([r["warm"]["seconds"] for r in tfvis_runs]),
        "altair_seconds": altair["cold"]["seconds"],
        "altair_peak_rss_mib": altair["cold"]["peak_rss_mib"],
    }
    return CaseResult("line_html", rows, [], data)
