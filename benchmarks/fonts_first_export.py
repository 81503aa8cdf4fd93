"""The first static export with CJK text in a fresh process, against its ASCII peer.

Usage::

    python benchmarks/fonts_first_export.py                 # 7 fresh processes per task
    python benchmarks/fonts_first_export.py --runs 11
    python benchmarks/fonts_first_export.py --against /other/checkout/src

Each sample is a fresh interpreter that imports tfvis, builds the book's confusion
matrix (Chinese titles and tick labels), the same matrix with ASCII labels, or with
Tibetan ones (on most machines no font has Tibetan: the glyph check's worst case), and
times

* ``prep``: the first ``tfvis._fonts.prepare_spec_json`` call on the chart's PNG
  spec, the whole font cost of the first export (font folder discovery, script
  detection, the CJK family, the glyph-coverage check of the missing-glyph warning);
* ``png``: the first ``chart.to_png()``, which includes vl-convert's own start-up
  (the ASCII chart's first PNG is the peer: the difference is the fonts' share).

``prep`` and ``png`` are measured in separate processes (the PNG's time includes its
own font preparation). Every round runs each task once, in turn (CJK, ASCII, and with
``--against`` the other source tree too), so that load on the machine hits all of
them alike; medians are printed with the load average before and after.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import textwrap
from pathlib import Path

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
    # a script no font may have: the missing-glyph check's worst case (and a warning)
    "tibetan": ["ཀཁག", "ངཅཆ", "ཇཉཏ", "ཐདན", "པཕབ"],
}
HERE_SRC = Path(__file__).resolve().parent.parent / "src"


def _sample(source: Path, task: str, what: str) -> float:
    done = subprocess.run(
        [sys.executable, "-c", _SAMPLE.format(labels=LABELS[task], what=what)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(source)},
    )
    return float(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--against", type=Path, help="another tfvis source tree (its src/)")
    arguments = parser.parse_args()
    sources = {"this tree": HERE_SRC}
    if arguments.against is not None:
        sources["against"] = arguments.against.resolve()
    tasks = [(name, task, what) for name in sources for task in LABELS for what in ("prep", "png")]
    load_before = os.getloadavg()
    for name in sources:
        _sample(sources[name], "cjk", "png")  # bytecode caches, fontconfig's cache
    results: dict[tuple[str, str, str], list[float]] = {task: [] for task in tasks}
    for _ in range(arguments.runs):
        for name, task, what in tasks:
            results[name, task, what].append(_sample(sources[name], task, what))
    load_after = os.getloadavg()
    print(
        f"{arguments.runs} fresh processes per task; load average before "
        f"{load_before[0]:.2f}, after {load_after[0]:.2f}"
    )
    print(f"{'source':<12}{'task':<8}{'first prepare_spec_json':>26}{'first to_png':>16}")
    for name, source in sources.items():
        for task in LABELS:
            prep = statistics.median(results[name, task, "prep"]) * 1e3
            png = statistics.median(results[name, task, "png"]) * 1e3
            print(f"{name:<12}{task:<8}{prep:>23.1f} ms{png:>13.1f} ms")
        print(f"{'':<12}({source})")


if __name__ == "__main__":
    main()
