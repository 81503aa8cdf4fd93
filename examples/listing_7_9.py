"""Listing 7.9: gradient ascent in input space, the inputs a layer's filters like most
(figure 7.10). All filters are optimised in one batch, 80 steps by default::

    python examples/listing_7_9.py --out max_activation.png
    python examples/listing_7_9.py --framework keras --layer conv2
    python examples/listing_7_9.py --model my_vgg16.pt --input-shape 3,224,224 \
        --layer features.28 --value-range 0,1
"""

from __future__ import annotations

from collections.abc import Sequence

from _convnet import arguments, model_and_input

from tfvis import show
from tfvis._demo.convnet import conv_layers


def main(argv: Sequence[str] | None = None) -> int:
    parser = arguments("Listing 7.9: maximally activating inputs.", "max_activation.png")
    parser.add_argument("--layer", help="the layer (default: the last convolution)")
    parser.add_argument("--filters", type=int, default=8, help="how many filters (default: 8)")
    parser.add_argument("--steps", type=int, default=80, help="ascent steps (default: 80)")
    parser.add_argument(
        "--value-range",
        default="0,1",
        help="the model's input range (default 0,1; the book's VGG16: 0,255)",
    )
    args = parser.parse_args(argv)
    model, shape, _ = model_and_input(args)
    layer = args.layer or conv_layers(model)[-1]
    low, high = (float(v) for v in args.value_range.split(","))
    show.max_activation(
        args.out,
        model,
        layer,
        args.filters,
        input_shape=shape,
        steps=args.steps,
        value_range=(low, high),
    )
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
