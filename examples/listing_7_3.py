"""Listing 7.3: a scatter plot with two series.

``scatterplot`` takes exactly the data and options of ``linechart``::

    python examples/listing_7_3.py --out plot4.png
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from tfvis import render


def main(argv: Sequence[str] | None = None) -> int:
    """Draw the listing's chart and save it to ``--out``."""
    parser = argparse.ArgumentParser(description="Listing 7.3: a scatter plot.")
    parser.add_argument("--out", default="plot4.png", help="output file (default: plot4.png)")
    args = parser.parse_args(argv)

    values = [
        [{"x": 20, "y": 40}, {"x": 32, "y": 0}, {"x": 5, "y": 52}, {"x": 12, "y": -6}],
        [{"x": 15, "y": 35}, {"x": 0, "y": 9}, {"x": 7, "y": 28}, {"x": 16, "y": 8}],
    ]
    series = ["My scatter series 1", "My scatter series 2"]
    render.scatterplot(
        args.out,
        {"values": values, "series": series},
        {"width": 400, "xLabel": "My x-values", "yLabel": "My y-values"},
    )

    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
