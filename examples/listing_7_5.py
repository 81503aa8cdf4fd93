"""Listing 7.5: two histograms of the same data, automatic bins and ``maxBins: 3``.

The book draws into two elements (``plot6`` and ``plot7``); here ``--out`` names the
first file and the second gets ``-maxbins`` added to its name::

    python examples/listing_7_5.py --out plot6.png     # also writes plot6-maxbins.png
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from tfvis import render


def main(argv: Sequence[str] | None = None) -> int:
    """Draw the listing's two charts; save them to ``--out`` and ``<stem>-maxbins``."""
    parser = argparse.ArgumentParser(description="Listing 7.5: histograms.")
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("plot6.png"),
        help="output file of the automatic-bins histogram (default: plot6.png); the "
        "maxBins: 3 histogram goes beside it as <stem>-maxbins<suffix>",
    )
    args = parser.parse_args(argv)
    second = args.out.with_name(f"{args.out.stem}-maxbins{args.out.suffix}")

    data = [1, 5, 5, 5, 5, 10, -3, -3]
    # Histogram with automatically computed bins.
    render.histogram(args.out, data, {"width": 400})
    # With a custom number of bins; the data is the same as above.
    chart = render.histogram(second, data, {"maxBins": 3, "width": 400})

    print(f"wrote {args.out} and {second}; statistics: {chart.stats}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
