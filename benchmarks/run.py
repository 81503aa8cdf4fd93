"""Run the tfvis benchmarks and print a table of medians and ratios (issue #3).

Usage::

    python benchmarks/run.py                  # everything, ~10 minutes
    python benchmarks/run.py --quick          # fewer repeats, no full-data Vega picture
    python benchmarks/run.py --only import --only histogram
    python benchmarks/run.py --out /tmp/bench # pictures and results.json go there

Every tfvis number is measured next to its peer in the same run, alternating, each
end-to-end sample in a fresh interpreter; the table shows medians and the ratio the
target is about. Cases run one after the other, never two at once. Pictures, the
profile and ``results.json`` go to ``--out`` (default ``benchmarks/results/``,
git-ignored). See ``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from importlib import metadata
from importlib.util import find_spec
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import case_confusion
import case_downsample
import case_first_html
import case_heatmap
import case_histogram
import case_history
import case_import
import case_internals
import case_line
import case_visor
import picture_check
import profiles
from _common import HERE, ROOT, CaseResult, Row, Settings, load_average

#: Case name → function, in the order they run (cheap ones first).
CASES: dict[str, Callable[[Settings], CaseResult]] = {
    "import": case_import.run,
    "minmax_lttb": case_downsample.run,
    "histogram": case_histogram.run,
    "heatmap": case_heatmap.run,
    "line_png": case_line.run,
    "line_html": case_line.run_html,
    "first_html": case_first_html.run,
    "confusion": case_confusion.run,
    "visor": case_visor.run,
    "history": case_history.run,
    "profile": profiles.run,
    "picture": picture_check.run,
    "internals": case_internals.run,
}
#: The modules a case's peer needs beyond tfvis's own dependencies (the bench extra).
NEEDS: dict[str, tuple[str, ...]] = {
    "heatmap": ("matplotlib",),
    "line_png": ("matplotlib",),
    "confusion": ("matplotlib", "sklearn"),
    "profile": ("matplotlib",),
    "picture": ("matplotlib",),
    # These two train and inspect real models (the test extra and CPU torch).
    "history": ("torch", "keras", "lightning", "nbclient", "ipykernel"),
    "internals": ("torch", "keras", "sklearn"),
}
PACKAGES = (
    "tfvis",
    "altair",
    "vl-convert-python",
    "numpy",
    "pandas",
    "tsdownsample",
    "matplotlib",
    "scikit-learn",
)


def machine() -> dict[str, Any]:
    """What the numbers were measured on."""
    cpu = platform.processor()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            cpu = next(line.split(":", 1)[1].strip() for line in info if "model name" in line)
    except (OSError, StopIteration):
        pass
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "versions": versions,
        "git": _git(),
    }


def _git() -> dict[str, Any]:
    def ask(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
        return done.stdout.strip()

    return {
        "commit": ask("rev-parse", "--short", "HEAD"),
        "src_changed": bool(ask("status", "--porcelain", "--", "src")),
    }


def table(rows: Sequence[Row]) -> str:
    """The results as a markdown table."""
    lines = [
        "| case | tfvis (median) | peer in the same run (median) | ratio | target | result |",
        "|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {r.case} | {r.tfvis} | {r.peers} | {r.ratio} | {r.target} | {r.verdict()} |"
        for r in rows
    ]
    return "\n".join(lines)


def parse(argv: Sequence[str]) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats (a rough look)")
    parser.add_argument(
        "--only",
        action="append",
        choices=list(CASES),
        metavar="NAME",
        help=f"run only this case (repeatable): {', '.join(CASES)}",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=HERE / "results",
        help="folder for pictures, the profile and results.json (default: benchmarks/results)",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the chosen cases one after the other; print and save the results."""
    args = parse(sys.argv[1:] if argv is None else argv)
    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    settings = Settings(out=out, quick=args.quick)
    names = args.only or list(CASES)
    missing = sorted({m for n in names for m in NEEDS.get(n, ()) if find_spec(m) is None})
    if missing:
        # Say it before minutes of other cases, not as a traceback per case at the end.
        print(
            f"the chosen cases need {', '.join(missing)} (their peers): "
            'pip install -e ".[bench]" (and ".[test]" with CPU torch for history, internals)',
            file=sys.stderr,
        )
        return 2
    info = machine()
    print(
        f"tfvis benchmarks {info['date']} on {info['cpus']} CPUs ({info['cpu']}), "
        f"Python {info['python']}, git {info['git']['commit']}"
        f"{' + uncommitted src changes' if info['git']['src_changed'] else ''}"
        f"{', quick' if args.quick else ''}",
        flush=True,
    )
    print(f"versions: {info['versions']}", flush=True)
    results: list[CaseResult] = []
    failures: dict[str, str] = {}
    loads: dict[str, Any] = {}
    for name in names:
        before = load_average()
        print(f"\n== {name} (load average {before[0]:.2f})", flush=True)
        start = time.perf_counter()
        try:
            result = CASES[name](settings)
        except Exception:
            failures[name] = traceback.format_exc()
            print(f"!! {name} failed:\n{failures[name]}", file=sys.stderr, flush=True)
            continue
        loads[name] = {
            "before": before,
            "after": load_average(),
            "seconds": time.perf_counter() - start,
        }
        results.append(result)
        for row in result.rows:
            print(f"  {row.case}: {row.tfvis} vs {row.peers} -> {row.ratio} ({row.verdict()})")
        for note in result.notes:
            print(f"  {note}")

    rows = [row for result in results for row in result.rows]
    print("\n" + table(rows))
    print()
    for result in results:
        for note in result.notes:
            print(note)
    report = {
        "machine": info,
        "quick": args.quick,
        "load_average": loads,
        "table": table(rows),
        "rows": [row.__dict__ for row in rows],
        "notes": [note for result in results for note in result.notes],
        "cases": {result.name: result.data for result in results},
        "failures": failures,
    }
    (out / "results.json").write_text(json.dumps(report, indent=2, default=str), encoding="utf-8")
    (out / "results.md").write_text(table(rows) + "\n", encoding="utf-8")
    print(f"\nresults: {out / 'results.json'}")
    if failures:
        print(f"FAILED: {', '.join(failures)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
