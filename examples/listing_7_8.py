"""Listing 7.8: the internal activations of a convnet for one image (figure 7.8).

Runs on a small convnet trained on scikit-learn's digits (trained and cached on first
use, a few seconds), or on your own model and image::

    python examples/listing_7_8.py --out activations.png
    python examples/listing_7_8.py --framework keras
    python examples/listing_7_8.py --model vgg16.keras --image cat.jpg --layers \
        block1_conv1,block2_conv1,block3_conv2,block4_conv2,block5_conv3
"""

from __future__ import annotations

from collections.abc import Sequence

from _convnet import arguments, model_and_input

from tfvis import internals, show
from tfvis._demo.convnet import conv_layers


def main(argv: Sequence[str] | None = None) -> int:
    parser = arguments("Listing 7.8: internal activations.", "activations.png")
    parser.add_argument("--layers", help="comma-separated layer names (default: up to 5 convs)")
    parser.add_argument("--filters", type=int, default=8, help="filters per layer (default: 8)")
    args = parser.parse_args(argv)
    model, _, image = model_and_input(args)
    layers = args.layers.split(",") if args.layers else conv_layers(model)

    maps = internals.activations(model, image, layers)  # numpy, one forward pass
    for name, value in maps.items():
        print(f"{name}: {value.shape}")
    show.activations(args.out, model, image, layers, filters=args.filters)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
