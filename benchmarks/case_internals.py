"""The book's section 7.2 (issue #13): ``tfvis.internals`` against plain framework calls.

For PyTorch and Keras 3 (torch backend), on the digits convnet (a batch of 32 digits
at 16×16) and on a VGG16-shaped model with random weights (one 224×224 image; built
by hand in PyTorch, ``keras.applications.VGG16(weights=None)`` in Keras), each in a
fresh process, warm calls alternating with their peer:

* ``internals.activations`` of 5 layers against one plain forward pass of the batch
  (target ≤ 1.2×);
* ``internals.cam`` against one forward plus one backward pass (``loss.backward()``
  of the class score: what any gradient costs; target ≤ 1.5×);
* ``internals.max_activation`` of 8 filters (one batch, one graph) against a
  hand-written loop that runs the same ascent filter by filter (reported; on VGG16
  10 steps of an early layer, as 80 steps of 8 filters at 224×224 take minutes on two
  cores: the ratio does not depend on the step count).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

from _common import CaseResult, Row, Settings, median, run_worker, seconds

FRAMEWORKS = ("torch", "keras")
MODELS = ("digits", "vgg16")
LAYERS = {
    ("torch", "digits"): ["features.0", "features.2", "features.4", "features.5", "features.7"],
    ("keras", "digits"): ["conv1", "conv2", "pool1", "conv3", "pool2"],
    ("torch", "vgg16"): ["features.0", "features.5", "features.12", "features.19", "features.28"],
    ("keras", "vgg16"): [
        "block1_conv1",
        "block2_conv1",
        "block3_conv2",
        "block4_conv2",
        "block5_conv3",
    ],
}
ASCENT = {
    ("torch", "digits"): ("features.5", 80),
    ("keras", "digits"): ("conv3", 80),
    ("torch", "vgg16"): ("features.2", 10),
    ("keras", "vgg16"): ("block1_conv2", 10),
}


def torch_vgg16() -> Any:
    """VGG16's layers (torchvision's layout and names), random weights, eval mode."""
    import torch
    from torch import nn

    torch.manual_seed(0)
    layers: list[nn.Module] = []
    channels = 3
    for width, convs in ((64, 2), (128, 2), (256, 3), (512, 3), (512, 3)):
        for _ in range(convs):
            layers += [nn.Conv2d(channels, width, 3, padding=1), nn.ReLU(inplace=True)]
            channels = width
        layers.append(nn.MaxPool2d(2))
    model = nn.Sequential()
    model.add_module("features", nn.Sequential(*layers))
    model.add_module("avgpool", nn.AdaptiveAvgPool2d(7))
    model.add_module(
        "classifier",
        nn.Sequential(
            nn.Flatten(),
            nn.Linear(512 * 7 * 7, 4096),
            nn.ReLU(True),
            nn.Dropout(),
            nn.Linear(4096, 4096),
            nn.ReLU(True),
            nn.Dropout(),
            nn.Linear(4096, 1000),
        ),
    )
    return model.eval()


def _setup(framework: str, which: str) -> tuple[Any, Any]:
    import numpy as np

    from tfvis._demo import convnet

    if which == "digits":
        images, _ = convnet.digits()
        batch = images[convnet.TRAIN : convnet.TRAIN + 32]
        if framework == "torch":
            return convnet.torch_model(), batch[:, None]
        return convnet.keras_model(), batch[..., None]
    rng = np.random.default_rng(0)
    if framework == "torch":
        return torch_vgg16(), rng.random((1, 3, 224, 224), dtype=np.float32)
    import keras

    model = keras.applications.VGG16(weights=None)
    return model, rng.random((1, 224, 224, 3), dtype=np.float32)


def _peers(framework: str, model: Any, x: Any) -> tuple[Callable[[], Any], Callable[[], Any]]:
    """One plain forward pass; one forward plus backward of a class score."""
    import torch

    tensor = torch.from_numpy(x)
    if framework == "torch":

        def forward() -> Any:
            with torch.no_grad():
                return model(tensor)

        def backward() -> Any:
            out = model(tensor)
            out[:, 0].sum().backward()
            model.zero_grad(set_to_none=True)

    else:

        def forward() -> Any:
            with torch.no_grad():
                return model(tensor, training=False)

        def backward() -> Any:
            out = model(tensor, training=False)
            out[:, 0].sum().backward()
            for variable in model.trainable_variables:
                variable.value.grad = None

    return forward, backward


def _loop(framework: str, model: Any, layer: str, shape: tuple[int, ...], steps: int) -> Any:
    """The hand-written peer of batched ascent: listing 7.9 once per filter."""
    import numpy as np
    import torch

    def run() -> Any:
        images = []
        for f in range(8):
            image = torch.from_numpy(0.5 + 0.1 * np.random.default_rng(f).random((1, *shape)))
            image = image.float()
            caught: list[Any] = []
            module = (
                dict(model.named_modules())[layer]
                if framework == "torch"
                else model.get_layer(layer)
            )
            handle = module.register_forward_hook(lambda _m, _i, o, c=caught: c.append(o))
            try:
                for _ in range(steps):
                    image.requires_grad_(True)
                    caught.clear()
                    model(image) if framework == "torch" else model(image, training=False)
                    out = caught[0]
                    value = out[0, f] if framework == "torch" else out[0, ..., f]
                    (grad,) = torch.autograd.grad(value.mean(), image)
                    with torch.no_grad():
                        norm = grad.pow(2).mean().sqrt() + 1e-5
                        image = (image + 0.02 * grad / norm).clamp(0, 1)
            finally:
                handle.remove()
            images.append(image.detach())
        return images

    return run


def task(framework: str, which: str, repeats: int) -> dict[str, Any]:
    """Worker: warm calls of tfvis and its peers, alternating."""
    os.environ.setdefault("KERAS_BACKEND", "torch")
    import torch

    from tfvis import internals

    # One intra-op thread: on a shared two-core machine a second torch thread waits for
    # a busy core and a 1 ms forward pass takes 100 ms, whichever side is measured.
    torch.set_num_threads(1)

    model, x = _setup(framework, which)
    layers = LAYERS[framework, which]
    layer, steps = ASCENT[framework, which]
    shape = tuple(x.shape[1:])
    forward, backward = _peers(framework, model, x)
    ascent_shape = {"input_shape": shape} if framework == "torch" else {}
    calls: dict[str, Callable[[], Any]] = {
        "activations": lambda: internals.activations(model, x, layers),
        "forward": forward,
        "cam": lambda: internals.cam(model, x),
        "forward_backward": backward,
    }
    ascent_calls: dict[str, Callable[[], Any]] = {
        "ascent_batched": lambda: internals.max_activation(
            model, layer, 8, steps=steps, step_size=0.02, **ascent_shape
        ),
        "ascent_loop": _loop(framework, model, layer, shape, steps),
    }
    for call in calls.values():  # warm-up: caches, sub-models, allocator
        call()
    times: dict[str, list[float]] = {name: [] for name in [*calls, *ascent_calls]}
    for _ in range(repeats):
        for name, call in calls.items():
            start = time.perf_counter()
            call()
            times[name].append(time.perf_counter() - start)
    for _ in range(1 if which == "vgg16" else 2):
        for name, call in ascent_calls.items():
            start = time.perf_counter()
            call()
            times[name].append(time.perf_counter() - start)
    return {"times": times, "layers": layers, "ascent": [layer, steps], "batch": list(x.shape)}


def run(settings: Settings) -> CaseResult:
    rows: list[Row] = []
    notes: list[str] = []
    data: dict[str, Any] = {}
    for which in MODELS:
        for framework in FRAMEWORKS:
            repeats = (
                settings.call_repeats if which == "digits" else max(3, settings.call_repeats // 3)
            )
            answer = run_worker(
                "case_internals.task",
                timeout=1800,
                framework=framework,
                which=which,
                repeats=repeats,
            )
            data[f"{framework}_{which}"] = answer
            t = {name: median(v) for name, v in answer["times"].items()}
            label = f"{framework} {which} {tuple(answer['batch'])}"
            act = t["activations"] / t["forward"]
            cam = t["cam"] / t["forward_backward"]
            asc = t["ascent_loop"] / t["ascent_batched"]
            rows += [
                Row(
                    f"internals.activations, 5 layers, {label}",
                    seconds(t["activations"]),
                    f"one forward {seconds(t['forward'])}",
                    f"{act:.2f}×",
                    "≤ 1.2×",
                    act <= 1.2,
                ),
                Row(
                    f"internals.cam, {label}",
                    seconds(t["cam"]),
                    f"forward + backward {seconds(t['forward_backward'])}",
                    f"{cam:.2f}×",
                    "≤ 1.5×",
                    cam <= 1.5,
                ),
                Row(
                    f"max_activation 8 filters × {answer['ascent'][1]} steps of "
                    f"{answer['ascent'][0]}, {framework} {which}",
                    seconds(t["ascent_batched"]),
                    f"loop by filter {seconds(t['ascent_loop'])}",
                    f"{asc:.2f}× faster",
                    "(info: one batch, one graph)",
                    None,
                ),
            ]
            notes.append(f"{label}: layers {answer['layers']}")
    return CaseResult("internals", rows, notes, data)
