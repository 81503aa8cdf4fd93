"""Listing 7.6: a heatmap of a made-up confusion matrix for three classes.

``values[i][j]`` is drawn at column ``i``, row ``j`` (the tfjs-vis order).
``xTickLabels``/``yTickLabels`` label the individual columns and rows;
``xLabel``/``yLabel`` label the whole axes::

    python examples/listing_7_6.py --out plot8.png
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from tfvis import render


def main(argv: Sequence[str] | None = None) -> int:
    """Draw the listing's chart and save it to ``--out``."""
    parser = argparse.ArgumentParser(description="Listing 7.6: a heatmap.")
    parser.add_argument("--out", default="plot8.png", help="output file (default: plot8.png)")
    args = parser.parse_args(argv)

    render.heatmap(
        args.out,
        {
            "values": [[1, 0, 0], [0, 0.3, 0.7], [0, 0.7, 0.3]],
            "xTickLabels": ["Apple", "Orange", "Tangerine"],
            "yTickLabels": ["Apple", "Orange", "Tangerine"],
        },
        {
            "width": 500,
            "height": 300,
            "xLabel": "Actual Fruit",
            "yLabel": "Recognized Fruit",
            "colorMap": "blues",  # also 'greyscale' and 'viridis'
        },
    )

    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
