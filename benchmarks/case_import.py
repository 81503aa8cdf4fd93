"""``import tfvis`` against ``import altair``, each in a fresh interpreter.

Wall time of ``python -c "import tfvis"`` and ``python -c "import altair"``,
alternating, after one discarded run of each (so bytecode caches exist); a bare
``python -c "pass"`` gives the interpreter's own start-up, reported for the net
numbers. ``python -X importtime -c "import tfvis"`` (three runs, median per module)
names the slowest imports.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections import defaultdict

from _common import CaseResult, Row, Settings, median, seconds, summary

STATEMENTS = {"tfvis": "import tfvis", "altair": "import altair", "python": "pass"}
_IMPORTTIME = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")


def _time_once(statement: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", statement], check=True, capture_output=True)
    return time.perf_counter() - start


def import_profile(runs: int = 3) -> list[dict[str, object]]:
    """Modules of ``import tfvis`` by cumulative import time (median of ``runs``).

    Each entry: module, depth in the import tree (1 = imported by the top-level
    statement), median cumulative and self microseconds.
    """
    cumulative: dict[str, list[int]] = defaultdict(list)
    own: dict[str, list[int]] = defaultdict(list)
    depth: dict[str, int] = {}
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", "import tfvis"],
            check=True,
            capture_output=True,
            text=True,
        )
        for line in done.stderr.splitlines():
            match = _IMPORTTIME.match(line)
            if not match:
                continue
            self_us, cum_us, indent, name = match.groups()
            cumulative[name].append(int(cum_us))
            own[name].append(int(self_us))
            depth[name] = len(indent) // 2
    return sorted(
        (
            {
                "module": name,
                "depth": depth[name],
                "cumulative_us": median(cumulative[name]),
                "self_us": median(own[name]),
            }
            for name in cumulative
        ),
        key=lambda entry: -float(entry["cumulative_us"]),  # type: ignore[arg-type]
    )


def _ms(microseconds: object) -> str:
    return f"{float(microseconds) / 1000:7.1f} ms"  # type: ignore[arg-type]


def run(settings: Settings) -> CaseResult:
    """Alternate the three statements; then the import-time profile of tfvis."""
    for statement in STATEMENTS.values():
        _time_once(statement)  # bytecode caches written, files in the page cache
    samples: dict[str, list[float]] = {name: [] for name in STATEMENTS}
    for _ in range(settings.import_repeats):
        for name, statement in STATEMENTS.items():
            samples[name].append(_time_once(statement))
    med = {name: median(values) for name, values in samples.items()}
    ratio = med["tfvis"] / med["altair"]
    net = (med["tfvis"] - med["python"]) / (med["altair"] - med["python"])
    rows = [
        Row(
            "import tfvis (fresh process)",
            seconds(med["tfvis"]),
            f"import altair {seconds(med['altair'])}",
            f"{ratio:.2f}×",
            "≤ 1.2×",
            ratio <= 1.2,
        ),
        Row(
            "same, minus bare interpreter start-up",
            seconds(med["tfvis"] - med["python"]),
            f"altair {seconds(med['altair'] - med['python'])} (python -c pass "
            f"{seconds(med['python'])})",
            f"{net:.2f}×",
            "(≤ 1.2×)",
            None,
        ),
    ]
    profile = import_profile()
    # First import of each top-level package (shared dependencies count for whoever
    # imports them first), and tfvis' own modules by their own time.
    packages = [e for e in profile if "." not in str(e["module"]) and e["module"] != "tfvis"]
    own = [e for e in profile if str(e["module"]).startswith("tfvis")]
    own.sort(key=lambda e: -float(e["self_us"]))  # type: ignore[arg-type]
    notes = ["import tfvis: slowest packages (python -X importtime, cumulative, median of 3):"]
    notes += [f"    {e['module']:<28} {_ms(e['cumulative_us'])}" for e in packages[:8]]
    notes.append("import tfvis: its own modules by self time:")
    notes += [f"    {e['module']:<28} {_ms(e['self_us'])}" for e in own[:5]]
    data = {
        "seconds": {name: summary(values) for name, values in samples.items()},
        "importtime_top": profile[:40],
    }
    return CaseResult("import", rows, notes, data)
