"""What the section 7.2 examples share: ``--model``, ``--image`` and ``--framework``."""

from __future__ import annotations

import argparse
import os
from typing import Any

import numpy as np

os.environ.setdefault("KERAS_BACKEND", "torch")


def arguments(description: str, out: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--framework",
        choices=["torch", "keras"],
        default="torch",
        help="the digits convnet to use when --model is not given",
    )
    parser.add_argument(
        "--model",
        help="your own model: a .keras file, or a .pt/.pth file "
        "holding a torch.nn.Module (torch.save(model, path)) or TorchScript",
    )
    parser.add_argument("--image", help="your own image (PNG, JPEG...); default: a test digit")
    parser.add_argument(
        "--input-shape",
        help="a PyTorch model's input without the batch "
        "axis, e.g. 3,224,224 (default: 1,16,16, the digits model's)",
    )
    parser.add_argument("--out", default=out, help=f"output file (default: {out})")
    return parser


def model_and_input(args: argparse.Namespace) -> tuple[Any, tuple[int, ...], np.ndarray]:
    """The model, one input's shape (without the batch axis) and the input image."""
    from tfvis._demo import convnet
    from tfvis._frameworks import model_kind

    model = convnet.load_model(args.model, args.framework)
    if model_kind(model) == "keras":
        shape = tuple(int(d) for d in model.inputs[0].shape[1:])
        channels_first = False
    else:
        given = args.input_shape or f"1,{convnet.SIDE},{convnet.SIDE}"
        shape = tuple(int(d) for d in given.split(","))
        channels_first = True
    return model, shape, convnet.load_image(args.image, shape, channels_first)
