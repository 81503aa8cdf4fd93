"""Time and peak memory of the inputs that used to crash vl-convert, each in a subprocess.

Run: ``python benchmarks/guard_inputs.py``. Prints one line per input: what happened
(picture or ExportError), wall time of build + export, and the child's peak RSS.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time

PRELUDE = """
import resource, warnings, numpy as np, pandas as pd, tfvis
from tfvis import render
warnings.simplefilter("ignore", tfvis.DownsampleWarning)
def run(make, export):
    try:
        out = export(make())
        print("picture", len(out))
    except tfvis.ExportError as error:
        print("ExportError:", str(error)[:90] + "...")
    print("peak", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""

CASES = {
    "heatmap 1000x1000 -> PNG": (
        "m = np.random.default_rng(0).normal(size=(1000, 1000))\n"
        "run(lambda: render.heatmap(m, width=500, height=300), lambda c: c.to_png())"
    ),
    "heatmap 1000x1000 -> SVG": (
        "m = np.random.default_rng(0).normal(size=(1000, 1000))\n"
        "run(lambda: render.heatmap(m, width=500, height=300), lambda c: c.to_svg())"
    ),
    "heatmap 1000x1000, aggregate=False -> PNG": (
        "m = np.zeros((1000, 1000))\n"
        "run(lambda: render.heatmap(m, aggregate=False), lambda c: c.to_png())"
    ),
    "line 1,000,000 points -> PNG": (
        "y = np.cumsum(np.random.default_rng(1).normal(size=1_000_000))\n"
        "run(lambda: render.linechart({'values': y}, width=800), lambda c: c.to_png())"
    ),
    "line 1,000,000 points, downsample=False -> PNG": (
        "y = np.cumsum(np.random.default_rng(1).normal(size=1_000_000))\n"
        "run(lambda: render.linechart({'values': y}, downsample=False), lambda c: c.to_png())"
    ),
    "Jena 420,551 x 2, datetime x -> PNG": (
        "t = np.arange(420_551)\n"
        "x = np.datetime64('2009-01-01T00:10') + t * np.timedelta64(10, 'm')\n"
        "T, p = np.sin(t / 144 * 6.28) * 5, np.sin(t / 900) + 990\n"
        "df = pd.DataFrame({'T': T, 'p': p}, index=x)\n"
        "run(lambda: render.linechart(df, width=800, height=300), lambda c: c.to_png())"
    ),
    "Jena 420,551 x 2 -> HTML": (
        "t = np.arange(420_551)\n"
        "x = np.datetime64('2009-01-01T00:10') + t * np.timedelta64(10, 'm')\n"
        "T, p = np.sin(t / 144 * 6.28) * 5, np.sin(t / 900) + 990\n"
        "df = pd.DataFrame({'T': T, 'p': p}, index=x)\n"
        "run(lambda: render.linechart(df, width=800, height=300), lambda c: c.to_html())"
    ),
    "scatter 1,000,000 points -> PNG": (
        "r = np.random.default_rng(2)\n"
        "run(lambda: render.scatterplot([{'x': float(a), 'y': float(b)} for a, b in "
        "zip(r.normal(size=1_000_000), r.normal(size=1_000_000))]), lambda c: c.to_png())"
    ),
    "scatter 1,000,000 points, maxPoints=10**9 -> PNG": (
        "y = np.random.default_rng(2).normal(size=1_000_000)\n"
        "run(lambda: render.scatterplot({'values': y}, maxPoints=10**9), lambda c: c.to_png())"
    ),
    "histogram 10^8 float32, maxBins=10000 -> PNG": (
        "v = np.random.default_rng(3).standard_normal(100_000_000, dtype=np.float32)\n"
        "run(lambda: render.histogram(v, maxBins=10_000), lambda c: c.to_png())"
    ),
    "barchart 100,000 bars -> SVG": (
        "run(lambda: render.barchart(np.ones(100_000)), lambda c: c.to_svg())"
    ),
}


def main() -> None:
    for name, body in CASES.items():
        code = PRELUDE + textwrap.dedent(body)
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        seconds = time.perf_counter() - start
        lines = done.stdout.strip().splitlines()
        if done.returncode != 0 or len(lines) != 2:
            print(
                f"| {name} | exit {done.returncode}: {done.stderr[-300:]!r} | {seconds:.1f} s | |"
            )
            continue
        outcome, peak = lines[0], int(lines[1].split()[1])
        print(f"| {name} | {outcome} | {seconds:.1f} s | {peak:,} MiB |")


if __name__ == "__main__":
    main()
