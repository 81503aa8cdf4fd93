"""Section 7.2.3: a class activation map (Grad-CAM) over the input (figure 7.11).

Draws the map of the predicted class and, as the book's exercise 3 asks, of the
least likely class beside it: a class the model did not choose highlights other
parts of the image::

    python examples/cam.py --out cam.png
    python examples/cam.py --framework keras --class-index 3
    python examples/cam.py --model vgg16.keras --image elephants.jpg
"""

from __future__ import annotations

from collections.abc import Sequence

from _convnet import arguments, model_and_input

import tfvis
from tfvis import internals, show
from tfvis._demo.convnet import conv_layers


def main(argv: Sequence[str] | None = None) -> int:
    parser = arguments("Grad-CAM class activation maps.", "cam.png")
    parser.add_argument("--class-index", type=int, help="the class (default: the predicted one)")
    parser.add_argument("--layer", help="the convolutional layer (default: the last one)")
    args = parser.parse_args(argv)
    model, _, image = model_and_input(args)

    heat = internals.cam(model, image, args.class_index, args.layer)  # N×H×W in 0..1
    print(f"map {heat.shape}, peak at {divmod(int(heat[0].argmax()), heat.shape[2])}")
    winner = show.cam(model, image, args.class_index, args.layer, title="Grad-CAM")
    if args.class_index is None:
        layer = args.layer or conv_layers(model)[-1]
        output, _ = internals.forward(model, image, [layer], "cam")
        probabilities = internals.probabilities(output)
        least = int(probabilities[0].argmin())
        loser = show.cam(model, image, least, args.layer, title=f"least likely class {least}")
        tfvis.hconcat(winner, loser).save(args.out)
    else:
        winner.save(args.out)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
