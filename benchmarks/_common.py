"""Shared plumbing of the benchmarks: data, timing, memory, subprocesses, results.

Nothing here imports tfvis, Altair or matplotlib at module level, so the worker
processes import exactly what their task needs and nothing else.
"""

from __future__ import annotations

import gc
import json
import os
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORKER = HERE / "worker.py"

#: Size of the pictures of the line chart case, for every library.
LINE_WIDTH, LINE_HEIGHT = 800, 300
#: Size of the pictures of the heatmap case, for every library.
HEAT_SIZE = 600
#: Rows of the Jena climate series (2009-01-01 00:10 to 2016-12-31 23:50, every 10 min).
JENA_ROWS = 420_551
JENA_COLUMNS = ("T (degC)", "p (mbar)")
#: Name of the x column in the long (Altair) form of the Jena frame.
DATE_COLUMN = "Date Time"

MIB = 1024 * 1024


# ---------------------------------------------------------------------------- data


def jena_frame(rows: int = JENA_ROWS, seed: int = 7) -> pd.DataFrame:
    """A synthetic Jena-shaped frame: a DatetimeIndex at 10-minute steps, two columns.

    ``T (degC)`` has a yearly and a daily cycle plus noise; ``p (mbar)`` a slow
    weather-like random walk around 989 mbar with a short daily tide.
    """
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    index = pd.date_range("2009-01-01 00:10", periods=rows, freq="10min", name=DATE_COLUMN)
    days = np.arange(rows) / 144.0
    temperature = (
        9.5
        - 10.0 * np.cos(2 * np.pi * (days - 15) / 365.25)
        - 4.0 * np.cos(2 * np.pi * days)
        + np.convolve(rng.normal(0.0, 1.2, rows), np.ones(36) / 6.0, mode="same")
        + rng.normal(0.0, 0.3, rows)
    )
    walk = np.cumsum(rng.normal(0.0, 0.08, rows))
    # Subtract a 30-day moving mean (by cumulative sums) so the walk stays plausible.
    window = 4320
    sums = np.concatenate(([0.0], np.cumsum(walk)))
    lo = np.clip(np.arange(rows) - window // 2, 0, rows)
    hi = np.clip(np.arange(rows) + window // 2, 0, rows)
    walk -= (sums[hi] - sums[lo]) / np.maximum(hi - lo, 1)
    pressure = 989.0 + 3.0 * walk + 0.4 * np.sin(4 * np.pi * days) + rng.normal(0.0, 0.05, rows)
    return pd.DataFrame({JENA_COLUMNS[0]: temperature, JENA_COLUMNS[1]: pressure}, index=index)


def long_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The Jena frame in long form (``Date Time``, ``series``, ``value``) for Altair."""
    return frame.reset_index().melt(id_vars=DATE_COLUMN, var_name="series", value_name="value")


def random_walk(n: int, seed: int = 3) -> np.ndarray:
    """``n`` float64 values of a Gaussian random walk."""
    import numpy as np

    return np.cumsum(np.random.default_rng(seed).normal(size=n))


def heat_matrix(n: int = 1000, seed: int = 5) -> np.ndarray:
    """An ``n × n`` float64 matrix: smooth waves plus noise."""
    import numpy as np

    grid = np.linspace(0.0, 6 * np.pi, n)
    noise = np.random.default_rng(seed).normal(0.0, 0.3, (n, n))
    return np.sin(grid)[:, None] * np.cos(0.5 * grid)[None, :] + noise


# -------------------------------------------------------------------------- memory


def _status_kib(key: str) -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return -1


def rss_mib() -> float:
    """Current resident set size (VmRSS), MiB; -1 where /proc is missing."""
    try:
        return _status_kib("VmRSS") / 1024
    except OSError:
        return -1.0


def hwm_mib() -> float:
    """Resident set high-water mark (VmHWM), MiB; -1 where /proc is missing."""
    try:
        return _status_kib("VmHWM") / 1024
    except OSError:
        return -1.0


def reset_hwm() -> bool:
    """Reset VmHWM to the current RSS (Linux ``clear_refs`` 5); False if not allowed."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")
    except OSError:
        return False
    return True


# -------------------------------------------------------------------------- timing


def measure(action: Callable[[], Any]) -> dict[str, Any]:
    """Run ``action`` once: wall and CPU seconds, and the RSS it added at its peak.

    ``cpu_seconds`` is the whole process's CPU time (all threads, so vl-convert's
    too); on a shared machine it is steadier than wall time, which includes waiting
    for a core.

    ``peak_rss_mib`` is the process's VmHWM after the call (everything resident at
    the worst moment: interpreter, libraries, input data); ``peak_added_mib`` is that
    minus the RSS just before the call, which is what the call itself needed (exact
    when ``hwm_reset`` is true).
    """
    gc.collect()
    before = rss_mib()
    was_reset = reset_hwm()
    cpu = time.process_time()
    start = time.perf_counter()
    result = action()
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu
    peak = hwm_mib()
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "peak_rss_mib": peak,
        "peak_added_mib": peak - before,
        "hwm_reset": was_reset,
        "result": result,
    }


def traced_peak_mib(action: Callable[[], Any]) -> float:
    """Peak of Python-side allocations during ``action`` (tracemalloc), MiB.

    numpy buffers are counted (numpy reports them to tracemalloc); memory that Rust
    or V8 allocate (tsdownsample, vl-convert) is not: see the RSS numbers for that.
    """
    gc.collect()
    tracemalloc.start()
    try:
        action()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / MIB


def median(values: Sequence[float]) -> float:
    """Median of a non-empty sequence (NaN when empty)."""
    return statistics.median(values) if values else float("nan")


def summary(values: Sequence[float]) -> dict[str, Any]:
    """Median, min, max and the raw samples."""
    return {
        "median": median(values),
        "min": min(values) if values else None,
        "max": max(values) if values else None,
        "n": len(values),
        "samples": list(values),
    }


# ---------------------------------------------------------------------- subprocesses


def run_worker(task: str, timeout: float = 900.0, **params: Any) -> dict[str, Any]:
    """Run ``worker.py TASK PARAMS`` in a fresh interpreter and return its JSON answer.

    The worker prints one JSON object on its last line of stdout. Any failure raises
    ``RuntimeError`` with the worker's stderr, so a broken case is never silent.
    """
    env = dict(os.environ, MPLBACKEND="Agg", PYTHONWARNINGS="default")
    command = [sys.executable, str(WORKER), task, json.dumps(params)]
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=timeout, env=env, check=False
    )
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        raise RuntimeError(
            f"worker {task} {params} failed with exit code {done.returncode}:\n"
            f"{done.stderr[-4000:]}"
        )
    answer: dict[str, Any] = json.loads(lines[-1])
    return answer


def load_average() -> tuple[float, float, float]:
    """The 1, 5 and 15 minute load averages (how busy the shared machine was)."""
    try:
        return os.getloadavg()
    except OSError:
        return (float("nan"),) * 3


# ------------------------------------------------------------------------ results


@dataclass
class Row:
    """One line of the results table.

    ``ratio`` is what the target is about (tfvis / peer, or peer / tfvis for the
    "faster than" target, or a byte fraction); ``passed`` is None for rows that only
    inform.
    """

    case: str
    tfvis: str
    peers: str
    ratio: str
    target: str
    passed: bool | None
    values: dict[str, Any] = field(default_factory=dict)

    def verdict(self) -> str:
        """PASS, MISS, or a dash for informational rows."""
        if self.passed is None:
            return "info"
        return "PASS" if self.passed else "MISS"


@dataclass
class CaseResult:
    """What one case hands back: table rows, extra lines to print, raw data."""

    name: str
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Settings:
    """How hard to run: repeats per kind of measurement, and where to write."""

    out: Path
    quick: bool

    @property
    def process_repeats(self) -> int:
        """Fresh processes per library for end-to-end cases."""
        return 2 if self.quick else 5

    @property
    def altair_repeats(self) -> int:
        """Fresh processes for Altair's PNG of 840k points (slow and memory hungry)."""
        return 1 if self.quick else 3

    @property
    def call_repeats(self) -> int:
        """In-process repeats for call-level cases."""
        return 5 if self.quick else 15

    @property
    def import_repeats(self) -> int:
        """Fresh interpreters per module for the import case."""
        return 5 if self.quick else 15


def seconds(value: float) -> str:
    """A duration for the table: ms below one second."""
    if value != value:  # NaN
        return "n/a"
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


def mib(value: float) -> str:
    """A memory size for the notes."""
    return f"{value:,.0f} MiB" if value >= 10 else f"{value:.1f} MiB"


def size(value: int) -> str:
    """A byte count for the table."""
    if value >= MIB:
        return f"{value / MIB:.1f} MiB"
    return f"{value / 1024:.0f} KiB"
