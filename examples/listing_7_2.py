"""Listing 7.2: a line chart with two series and axis labels.

A list of point lists draws one line per list; ``series`` names them in the legend::

    python examples/listing_7_2.py --out plot2.png
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from tfvis import render


def main(argv: Sequence[str] | None = None) -> int:
    """Draw the listing's chart and save it to ``--out``."""
    parser = argparse.ArgumentParser(description="Listing 7.2: a line chart with two series.")
    parser.add_argument("--out", default="plot2.png", help="output file (default: plot2.png)")
    args = parser.parse_args(argv)

    values = [
        [{"x": 1, "y": 20}, {"x": 2, "y": 30}, {"x": 3, "y": 5}, {"x": 4, "y": 12}],
        [{"x": 1, "y": 40}, {"x": 2, "y": 0}, {"x": 3, "y": 50}, {"x": 4, "y": -5}],
    ]
    series = ["My series 1", "My series 2"]
    render.linechart(
        args.out,
        {"values": values, "series": series},
        {"width": 400, "xLabel": "My x-axis label", "yLabel": "My y-axis label"},
    )

    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
