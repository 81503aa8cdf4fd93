"""Listing 7.4: a bar chart whose indexes are strings and numbers.

Bars keep the order given ("the order of the elements matters")::

    python examples/listing_7_4.py --out plot5.png
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from tfvis import render


def main(argv: Sequence[str] | None = None) -> int:
    """Draw the listing's chart and save it to ``--out``."""
    parser = argparse.ArgumentParser(description="Listing 7.4: a bar chart.")
    parser.add_argument("--out", default="plot5.png", help="output file (default: plot5.png)")
    args = parser.parse_args(argv)

    data = [
        {"index": "foo", "value": 1},
        {"index": "bar", "value": 7},
        {"index": 3, "value": 3},
        {"index": 5, "value": 6},
    ]
    render.barchart(args.out, data, {"yLabel": "My value", "width": 400})

    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
