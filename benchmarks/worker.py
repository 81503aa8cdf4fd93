"""Run one measurement in this fresh interpreter and print its result as JSON.

Usage (``run.py`` does this; by hand only for debugging)::

    python benchmarks/worker.py case_line.task_save '{"lib": "tfvis", "path": "x.png", ...}'

The first argument names ``module.function`` in this folder, the second is a JSON
object of keyword arguments; the function's return value is printed as JSON on the
last line of stdout.
"""

from __future__ import annotations

import importlib
import json
import sys
from typing import Any


def main(argv: list[str]) -> int:
    """Import the task's module, call it, print its answer."""
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    module_name, _, function_name = argv[0].rpartition(".")
    task = getattr(importlib.import_module(module_name), function_name)
    params: dict[str, Any] = json.loads(argv[1])
    answer = task(**params)
    sys.stdout.flush()
    print("\n" + json.dumps(answer))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
