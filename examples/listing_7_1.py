"""Listing 7.1: a simple line chart with ``tfvis.render.linechart``.

The JavaScript in the book renders into ``document.getElementById('plot1')``; here
the "container" is the file to write (``.png``, ``.svg``, ``.html``, ``.pdf`` or
``.json``)::

    python examples/listing_7_1.py --out plot1.png
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from tfvis import render


def main(argv: Sequence[str] | None = None) -> int:
    """Draw the listing's chart and save it to ``--out``."""
    parser = argparse.ArgumentParser(description="Listing 7.1: a simple line chart.")
    parser.add_argument("--out", default="plot1.png", help="output file (default: plot1.png)")
    args = parser.parse_args(argv)

    values = [{"x": 1, "y": 20}, {"x": 2, "y": 30}, {"x": 3, "y": 5}, {"x": 4, "y": 12}]
    render.linechart(args.out, {"values": values}, {"width": 400})

    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
