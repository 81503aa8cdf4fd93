"""The ``tfvis`` command line: ``tfvis demo`` and ``tfvis --version``.

Example
-------
.. code-block:: console

    $ tfvis demo --out tfvis-gallery
    $ python -m tfvis --version
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import tfvis

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``tfvis`` command, with one sub-parser per command."""
    parser = argparse.ArgumentParser(
        prog="tfvis",
        description="tfjs-vis charts for Python: command-line tools.",
    )
    parser.add_argument("--version", action="version", version=f"tfvis {tfvis.__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    demo = commands.add_parser(
        "demo",
        help="write the offline gallery of every chart (index.html and one PNG per chart)",
        description=(
            "Draw every chart kind on the book's listings, vega_datasets' local data and "
            "a synthetic Jena-shaped series of 420,551 rows; write index.html (one "
            "offline page) and a PNG per chart."
        ),
    )
    demo.add_argument(
        "--out",
        type=Path,
        default=Path("tfvis-gallery"),
        metavar="DIR",
        help="output folder, created if missing (default: ./tfvis-gallery)",
    )
    demo.add_argument(
        "--only",
        default=None,
        metavar="SLUGS",
        help="comma-separated chart names to draw (default: all), e.g. listing-7-1,iris",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``tfvis`` command; return the process exit code.

    Parameters
    ----------
    argv
        Arguments without the program name; ``sys.argv[1:]`` when None.

    Returns
    -------
    int
        0 on success, 1 if any chart failed, 2 for a usage error.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "demo":
        return _demo(args.out, args.only, parser)
    parser.print_help()
    return 2


def _demo(out: Path, only: str | None, parser: argparse.ArgumentParser) -> int:
    from tfvis._demo import gallery

    entries = gallery.default_entries()
    if only is not None:
        wanted = [s.strip() for s in only.split(",") if s.strip()]
        known = {e.slug for e in entries}
        unknown = [s for s in wanted if s not in known]
        if unknown or not wanted:
            parser.error(
                f"--only: unknown chart {', '.join(unknown) or '(none given)'}; "
                f"known: {', '.join(e.slug for e in entries)}"
            )
        entries = [e for e in entries if e.slug in wanted]
    print(f"tfvis {tfvis.__version__}: drawing {len(entries)} charts into {out.resolve()}")
    started = time.perf_counter()
    try:
        result = gallery.build(out, entries=entries, log=lambda line: print(line, flush=True))
    except tfvis.errors.DemoError as error:
        print(f"tfvis demo: error: {error}", file=sys.stderr)
        print(
            f"tfvis demo: the page shows each error: {(out / 'index.html').resolve()}",
            file=sys.stderr,
        )
        return 1
    except (OSError, tfvis.TfvisError) as error:
        print(f"tfvis demo: error: {error}", file=sys.stderr)
        return 1
    skipped = [o for o in result.outcomes if o.skipped]
    if skipped:
        print(
            f"note: {len(skipped)} charts were skipped because an optional package is "
            "missing: " + "; ".join(f"{o.entry.slug} {o.skipped}" for o in skipped)
        )
    drawn = len(result.outcomes) - len(skipped)
    print(
        f"Done in {time.perf_counter() - started:.1f} s: {drawn} charts. "
        f"Open {result.index.resolve()} (works offline)."
    )
    return 0


if __name__ == "__main__":  # pragma: no cover - exercised through subprocess tests
    sys.exit(main())
