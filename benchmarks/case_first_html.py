"""The first ``to_html`` of a process: with the runtime cache empty, and on disk.

Each run is a fresh interpreter that builds a small line chart and times its first
``to_html()`` (the JavaScript runtime is built, or read from tfvis's cache folder,
then); Altair's first ``to_html(inline=True)`` (which builds the same vl-convert
bundle) is the peer. Runs alternate, so machine load touches all three alike.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from _common import CaseResult, Row, Settings, median, seconds, summary

TFVIS = """
import json, time
from tfvis import render
chart = render.linechart([1, 3, 2])
start = time.perf_counter()
chart.to_html()
print(json.dumps({"seconds": time.perf_counter() - start}))
"""

ALTAIR = """
import json, time
import altair as alt, pandas as pd
chart = alt.Chart(pd.DataFrame({"x": [0, 1, 2], "y": [1, 3, 2]})).mark_line().encode(x="x", y="y")
start = time.perf_counter()
chart.to_html(inline=True)
print(json.dumps({"seconds": time.perf_counter() - start}))
"""


def _first(code: str, cache: str) -> float:
    done = subprocess.run(
        [sys.executable, "-c", code],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "TFVIS_CACHE_DIR": cache},
    )
    return float(json.loads(done.stdout.strip().splitlines()[-1])["seconds"])


def run(settings: Settings) -> CaseResult:
    """Median first-``to_html`` seconds: cache empty, cache on disk, Altair."""
    empty: list[float] = []
    warm: list[float] = []
    altair: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        shared = str(Path(folder, "shared"))
        _first(TFVIS, shared)  # fills the shared cache
        for number in range(settings.process_repeats):
            empty.append(_first(TFVIS, str(Path(folder, f"empty-{number}"))))
            warm.append(_first(TFVIS, shared))
            altair.append(_first(ALTAIR, ""))
    cold, cached, peer = median(empty), median(warm), median(altair)
    rows = [
        Row(
            "first to_html in a process: runtime cache empty",
            seconds(cold),
            f"Altair inline {seconds(peer)}",
            f"{cold / peer:.2f}× Altair's time",
            "—",
            None,
        ),
        Row(
            "first to_html in a process: runtime cache on disk",
            seconds(cached),
            f"Altair inline {seconds(peer)}",
            f"{peer / cached:.0f}× faster",
            "≤ 0.1 s",
            cached <= 0.1,
        ),
    ]
    data = {"empty": summary(empty), "cached": summary(warm), "altair": summary(altair)}
    return CaseResult("first_html", rows, [], data)
