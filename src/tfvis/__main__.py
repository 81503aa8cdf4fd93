"""The ``tfvis`` command line: ``tfvis demo``, ``tfvis plot`` and ``tfvis --version``.

Example
-------
.. code-block:: console

    $ tfvis demo --out tfvis-gallery
    $ tfvis plot data.csv --kind line -x time -y loss,val_loss -o out.png
    $ python -m tfvis --version
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

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
    demo.add_argument(
        "--list", action="store_true", help="list the chart names --only takes, and stop"
    )
    _add_plot(commands)
    return parser


def _add_plot(commands: Any) -> None:
    from tfvis._cli_plot import KINDS, READERS

    plot = commands.add_parser(
        "plot",
        help="chart a data file (CSV, Parquet, .npy, JSON) and save it by the suffix of -o",
        description=(
            "Chart a data file from the shell, e.g. "
            "tfvis plot data.csv --kind line -x time -y loss,val_loss -o out.png. "
            "Files: " + "; ".join(f"{s} ({r})" for s, r in READERS.items()) + "."
        ),
        epilog="kinds: " + "; ".join(f"{k}: {what}" for k, what in KINDS.items()),
    )
    plot.add_argument("file", type=Path, metavar="FILE", help="the data file")
    plot.add_argument("--kind", choices=list(KINDS), default="line", help="(default: line)")
    plot.add_argument(
        "-x", default=None, metavar="COLUMN", help="the x column (default: the first column)"
    )
    plot.add_argument(
        "-y",
        default="",
        metavar="COLUMNS",
        help="comma-separated value columns (default: every numeric column but x)",
    )
    plot.add_argument(
        "-o",
        "--out",
        type=Path,
        default=None,
        metavar="PATH",
        help="output file: .png .svg .pdf .html .json (default: FILE's name with .png)",
    )
    plot.add_argument("--title", default=None, help="a title over the chart")
    plot.add_argument("--width", type=float, default=None, help="picture width in pixels")
    plot.add_argument("--height", type=float, default=None, help="picture height in pixels")
    plot.add_argument("--x-label", default=None, help="the x axis title")
    plot.add_argument("--y-label", default=None, help="the y axis title")


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
        return _demo(args, _subparser(parser, "demo"))
    if args.command == "plot":
        return _plot(args, _subparser(parser, "plot"))
    parser.print_usage(sys.stderr)
    print("tfvis: error: give a command: demo or plot (tfvis --help says more)", file=sys.stderr)
    return 2


def _subparser(parser: argparse.ArgumentParser, name: str) -> argparse.ArgumentParser:
    """The sub-parser of ``name``, so a usage error prints that command's usage."""
    for action in parser._subparsers._group_actions if parser._subparsers else []:
        choices = getattr(action, "choices", None)
        if isinstance(choices, dict) and name in choices:
            found: argparse.ArgumentParser = choices[name]
            return found
    return parser


def _plot(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from tfvis._cli_plot import plot_file

    out = args.out if args.out is not None else Path(args.file.with_suffix(".png").name)
    options: dict[str, Any] = {}
    for name, key in (
        ("title", "title"),
        ("width", "width"),
        ("height", "height"),
        ("x_label", "xLabel"),
        ("y_label", "yLabel"),
    ):
        if getattr(args, name) is not None:
            options[key] = getattr(args, name)
    columns = [c.strip() for c in args.y.split(",") if c.strip()]
    try:
        saved = plot_file(args.file, kind=args.kind, x=args.x, y=columns, out=out, options=options)
    except tfvis.TfvisError as error:
        print(f"tfvis plot: error: {error}", file=sys.stderr)
        return 1
    print(f"wrote {saved}")
    return 0


def _demo(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from tfvis._demo import gallery

    out: Path = args.out
    only: str | None = args.only
    entries = gallery.default_entries()
    if args.list:
        width = max(len(e.slug) for e in entries)
        for entry in entries:
            print(f"{entry.slug:<{width}}  {entry.title}")
        return 0
    if out.exists() and not out.is_dir():
        parser.error(f"--out {str(out)!r} is a file; give a folder (created if missing)")
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
    count = f"{len(entries)} chart{'s' * (len(entries) != 1)}"
    print(f"tfvis {tfvis.__version__}: drawing {count} into {out.resolve()}")
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
