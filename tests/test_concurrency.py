"""Rendering from several threads at once, and memory over hundreds of renders.

vl-convert runs Vega in an embedded JavaScript engine and serialises conversions
internally: threads take turns (no speed-up, no interference) and get exactly the
pictures one thread gets. tfvis's own shared state (the one-time font discovery in
``tfvis._fontdirs``, the glyph-coverage caches in ``tfvis._glyphs``, the once-per-script
warnings in ``tfvis._fonts``) is guarded by a lock in each of those modules.
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
import textwrap
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

import tfvis
from tfvis import render

NUMBERED_ID = re.compile(r'(id="|url\(#)([A-Za-z_-]*?)\d+')
RENDERS = int(os.environ.get("TFVIS_MEMORY_RENDERS", "240"))

CHARTS: dict[str, Callable[[], tfvis.Chart]] = {
    "line": lambda: render.linechart(
        {
            "values": [
                [{"x": i, "y": i * i} for i in range(30)],
                [{"x": i, "y": -i} for i in range(20)],
            ],
            "series": ["squares", "negatives"],
        },
        xLabel="Epoch",
    ),
    "scatter": lambda: render.scatterplot(np.sin(np.arange(200) / 7.0)),
    "bars": lambda: render.barchart([{"index": "foo", "value": 1}, {"index": "bar", "value": 7}]),
    "histogram": lambda: render.histogram(np.arange(1000) % 37, maxBins=20),
    "heatmap": lambda: render.heatmap(
        {
            "values": [[1, 0, 0], [0, 0.3, 0.7], [0, 0.7, 0.3]],
            "xTickLabels": ["苹果", "橙子", "橘子"],
            "yTickLabels": ["苹果", "橙子", "橘子"],
        },
        xLabel="实际水果",
        yLabel="识别的水果",
        colorMap="blues",
    ),
}


def _output(name: str, fmt: str) -> tuple[str, bytes | str, str]:
    chart = CHARTS[name]()
    # vl-convert numbers clip paths and gradients per process (clip1, gradient_0, ...).
    picture = NUMBERED_ID.sub(r"\1\2", chart.to_svg()) if fmt == "svg" else chart.to_png()
    return chart.to_json(), picture, threading.current_thread().name


def test_threads_get_the_pictures_one_thread_gets() -> None:
    jobs = [(name, fmt) for name in CHARTS for fmt in ("svg", "png")]
    expected = {job: _output(*job)[:2] for job in jobs}
    work = jobs * 3
    random.Random(5).shuffle(work)
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda job: (job, _output(*job)), work))
    assert len({thread for _, (_, _, thread) in results}) > 1  # really several threads
    for job, (spec, picture, _) in results:
        assert (spec, picture) == expected[job], job


def _run(code: str, timeout: int = 600) -> str:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "PYTHONWARNINGS": "ignore::UserWarning"},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip().splitlines()[-1]


def test_first_exports_from_many_threads_at_once() -> None:
    """A fresh process whose first exports all start together: font discovery and the
    font index are built once, under the lock, and every thread gets the same picture."""
    out = _run(
        """
        import json, threading
        from tfvis import render
        barrier = threading.Barrier(8)
        pictures = []
        def work():
            bars = [{"index": "实际水果", "value": 1}, {"index": "ok", "value": 2}]
            chart = render.barchart(bars)
            barrier.wait()
            pictures.append(chart.to_png())
        threads = [threading.Thread(target=work) for _ in range(8)]
        for t in threads: t.start()
        for t in threads: t.join()
        print(json.dumps({"count": len(pictures), "distinct": len(set(pictures))}))
        """
    )
    assert json.loads(out) == {"count": 8, "distinct": 1}


@pytest.mark.skipif(sys.platform != "linux", reason="reads the resident size from /proc")
def test_memory_stays_bounded_over_hundreds_of_renders() -> None:
    """Hundreds of different charts, built and exported in a loop (a web server's life).

    After a warm-up, the number of live Python objects must stay where it was (no
    chart, spec or picture is kept anywhere), and the resident size, which includes
    vl-convert's JavaScript heap, must level off: the second half of the loop may grow
    it far less than keeping each chart's spec and picture would.
    """
    out = _run(
        f"""
        import gc, json
        import numpy as np
        from tfvis import render

        def rss_mb():
            with open("/proc/self/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1]) / 1024

        def one(i):
            kind = i % 4
            if kind == 0:
                chart = render.linechart(np.sin(np.arange(100) / (i + 1)), xLabel=f"run {{i}}")
            elif kind == 1:
                label = f"实际{{i}}" if i % 8 == 1 else f"bar {{i}}"
                bars = [{{"index": label, "value": i}}, {{"index": "b", "value": 2}}]
                chart = render.barchart(bars)
            elif kind == 2:
                chart = render.histogram(np.arange(500) * (i + 1), maxBins=10 + i % 20)
            else:
                chart = render.heatmap(np.arange(64).reshape(8, 8) * i, xLabel=f"heat {{i}}")
            return len(chart.to_png() if i % 2 else chart.to_svg())

        renders = {RENDERS}
        warm = max(20, renders // 6)
        half = warm + (renders - warm) // 2
        sizes = [one(i) for i in range(warm)]
        gc.collect()
        base_objects, base_rss = len(gc.get_objects()), rss_mb()
        sizes += [one(i) for i in range(warm, half)]
        gc.collect()
        mid_rss = rss_mb()
        sizes += [one(i) for i in range(half, renders)]
        gc.collect()
        print(json.dumps({{
            "objects": len(gc.get_objects()) - base_objects,
            "first_half_mb": mid_rss - base_rss,
            "second_half_mb": rss_mb() - mid_rss,
            "output_mb": sum(sizes[half:]) / 2**20,
            "renders": len(sizes),
        }}))
        """,
    )
    grown = json.loads(out)
    assert grown["renders"] == RENDERS
    assert grown["objects"] < 500, grown  # nothing kept per chart on the Python side
    # Keeping each render's picture alone would grow the second half by output_mb.
    assert grown["second_half_mb"] < max(16.0, 4 * grown["output_mb"]), grown
