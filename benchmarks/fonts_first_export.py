"""The first static export with CJK text in a fresh process, against its ASCII peer.

Usage::

    python benchmarks/fonts_first_export.py            # 7 fresh processes per task
    python benchmarks/fonts_first_export.py --runs 11
    PYTHONPATH=/some/other/checkout/src python benchmarks/fonts_first_export.py

Each sample is a fresh interpreter that imports tfvis, builds the book's confusion
matrix (Chinese titles and tick labels) or the same matrix with ASCII labels, and
times

* ``prep``: the first ``tfvis._fonts.prepare_spec_json`` call on the chart's PNG
  spec, the whole font cost of the first export (font folder discovery, script
  detection, the CJK family, the glyph-coverage check of the missing-glyph warning);
* ``png``: the first ``chart.to_png()``, which includes vl-convert's own start-up
  (the ASCII chart's first PNG is the peer: the difference is the fonts' share).

``prep`` and ``png`` are measured in separate processes (the PNG's time includes its
own font preparation). The tasks alternate (CJK, ASCII, CJK, ...) so that load on the
machine hits both alike; medians are printed with the load average before and after.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import textwrap

_SAMPLE = textwrap.dedent(
    """
    import time, warnings
    warnings.simplefilter("ignore")
    import tfvis
    from tfvis import _fonts, render
    labels = {labels!r}
    chart = render.heatmap(
        {{"values": [[1, 0, 0], [0, 0.3, 0.7], [0, 0.7, 0.3]],
          "xTickLabels": labels[2:], "yTickLabels": labels[2:]}},
        {{"xLabel": labels[0], "yLabel": labels[1], "width": 400, "height": 300}},
    )
    text = chart._text("raster")
    start = time.perf_counter()
    if {what!r} == "prep":
        _fonts.prepare_spec_json(text)
    else:
        chart.to_png()
    print(time.perf_counter() - start)
    """
)
LABELS = {
    "cjk": ["实际水果", "识别的水果", "苹果", "橙子", "橘子"],
    "ascii": ["actual fruit", "predicted fruit", "apple", "orange", "tangerine"],
}


def _sample(task: str, what: str) -> float:
    done = subprocess.run(
        [sys.executable, "-c", _SAMPLE.format(labels=LABELS[task], what=what)],
        capture_output=True,
        text=True,
        check=True,
        env=os.environ,
    )
    return float(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    load_before = os.getloadavg()
    _sample("cjk", "png")  # bytecode caches, fontconfig's cache
    tasks = [(task, what) for task in LABELS for what in ("prep", "png")]
    results: dict[tuple[str, str], list[float]] = {task: [] for task in tasks}
    for _ in range(runs):
        for task in tasks:
            results[task].append(_sample(*task))
    load_after = os.getloadavg()
    print(
        f"{runs} fresh processes per task; load average before {load_before[0]:.2f}, "
        f"after {load_after[0]:.2f}"
    )
    print(f"{'task':<8}{'first prepare_spec_json':>26}{'first to_png':>16}")
    for task in LABELS:
        prep = statistics.median(results[task, "prep"]) * 1e3
        png = statistics.median(results[task, "png"]) * 1e3
        print(f"{task:<8}{prep:>23.1f} ms{png:>13.1f} ms")


if __name__ == "__main__":
    main()
