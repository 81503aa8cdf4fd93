"""``tfvis.internals`` (the book's section 7.2) on PyTorch and Keras 3 (torch backend).

References are written here by hand: a forward hook, a Keras sub-model, a Grad-CAM
with ``torch.autograd`` and ``F.interpolate``; the digits convnet is trained (and
cached) on first use, a few seconds on a CPU.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np
import pytest

from conftest import REQUIRE_EXTERNALS

os.environ.setdefault("KERAS_BACKEND", "torch")

try:
    import keras
    import torch
except ImportError:  # pragma: no cover - torch and keras are installed in CI
    if REQUIRE_EXTERNALS:
        pytest.fail("TFVIS_REQUIRE_EXTERNALS=1 but torch or keras is not installed", pytrace=False)
    pytest.skip(
        "torch and keras are not installed (pip install torch keras)", allow_module_level=True
    )

import torch.nn.functional as F
from torch import nn

from tfvis import DataError, internals
from tfvis._demo import convnet


@pytest.fixture(scope="module")
def data() -> tuple[np.ndarray, np.ndarray]:
    images, labels = convnet.digits()
    return images[convnet.TRAIN :][:12], labels[convnet.TRAIN :][:12]


@pytest.fixture(scope="module")
def tmodel() -> nn.Module:
    return convnet.torch_model()


@pytest.fixture(scope="module")
def kmodel() -> keras.Model:
    return convnet.keras_model()


def tiny_torch() -> nn.Module:
    """Batch norm and dropout (which train mode would change), in train mode."""
    torch.manual_seed(1)
    return nn.Sequential(
        nn.Conv2d(3, 4, 3, padding=1),
        nn.BatchNorm2d(4),
        nn.ReLU(),
        nn.Conv2d(4, 6, 3),
        nn.ReLU(),
        nn.Dropout(0.5),
        nn.Flatten(),
        nn.Linear(6 * 6 * 6, 5),
    ).train()


# ------------------------------------------------------------------------ activations


def test_torch_activations_match_a_forward_hook(tmodel: nn.Module, data: tuple) -> None:
    images, _ = data
    x = torch.from_numpy(images[:4, None])
    caught: dict[str, torch.Tensor] = {}
    names = ["features.0", "features.2", "features.4", "features.5", "classifier.1"]
    modules = dict(tmodel.named_modules())
    handles = [
        modules[n].register_forward_hook(lambda _m, _i, o, n=n: caught.__setitem__(n, o))
        for n in names
    ]
    with torch.no_grad():
        tmodel(x)
    for h in handles:
        h.remove()
    got = internals.activations(tmodel, x, names)
    assert list(got) == names
    for name in names:
        np.testing.assert_allclose(got[name], caught[name].numpy(), rtol=1e-6, atol=1e-6)
    # numpy in, channels last in: the same activations
    last = internals.activations(tmodel, images[:4, ..., None], "features.2")
    np.testing.assert_allclose(last["features.2"], caught["features.2"].numpy(), atol=1e-6)
    one = internals.activations(tmodel, images[0], ["features.0"])["features.0"]
    assert one.shape == (1, 8, 16, 16)


def test_keras_activations_match_a_sub_model(kmodel: keras.Model, data: tuple) -> None:
    images, _ = data
    x = images[:4, ..., None]
    names = ["conv1", "pool1", "conv3", "dense"]
    reference = keras.Model(kmodel.inputs[0], [kmodel.get_layer(n).output for n in names])
    expected = reference.predict(x, verbose=0)
    got = internals.activations(kmodel, x, names)
    for name, value in zip(names, expected, strict=True):
        np.testing.assert_allclose(got[name], value, rtol=1e-5, atol=1e-6)
    # a channels-first batch is moved to the model's channels-last input
    moved = internals.activations(kmodel, images[:4, None], "conv1")["conv1"]
    np.testing.assert_allclose(moved, expected[0], atol=1e-6)


def test_keras_functional_model() -> None:
    inputs = keras.Input((8, 8, 3))
    a = keras.layers.Conv2D(4, 3, name="left")(inputs)
    b = keras.layers.Conv2D(4, 3, name="right")(inputs)
    joined = keras.layers.Add(name="add")([a, b])
    out = keras.layers.Dense(3, name="out")(keras.layers.GlobalAveragePooling2D(name="gap")(joined))
    model = keras.Model(inputs, out)
    x = np.random.default_rng(0).random((2, 8, 8, 3)).astype(np.float32)
    got = internals.activations(model, x, ["left", "right", "add"])
    np.testing.assert_allclose(got["add"], got["left"] + got["right"], rtol=1e-5, atol=1e-6)
    heat = internals.cam(model, x, layer="add")
    assert heat.shape == (2, 8, 8)


# ----------------------------------------------------------------------------- Grad-CAM


def reference_cam(model: nn.Module, x: torch.Tensor, layer: str, k: list[int]) -> np.ndarray:
    caught: list[torch.Tensor] = []
    handle = dict(model.named_modules())[layer].register_forward_hook(
        lambda _m, _i, o: caught.append(o)
    )
    model.eval()
    out = model(x)
    handle.remove()
    feature = caught[0]
    score = out[torch.arange(len(k)), torch.tensor(k)].sum()
    (grad,) = torch.autograd.grad(score, feature)
    weights = grad.mean(dim=(2, 3), keepdim=True)
    heat = F.relu((weights * feature).sum(dim=1, keepdim=True))
    heat = F.interpolate(heat, size=x.shape[2:], mode="bilinear", align_corners=False)[:, 0]
    top = heat.flatten(1).max(dim=1).values.clamp_min(1e-30)[:, None, None]
    return (heat / top).detach().numpy()


def test_torch_cam_matches_a_hand_written_grad_cam(tmodel: nn.Module, data: tuple) -> None:
    images, _ = data
    x = torch.from_numpy(images[:6, None])
    with torch.no_grad():
        predicted = tmodel(x).argmax(1).tolist()
    got = internals.cam(tmodel, x)
    np.testing.assert_allclose(got, reference_cam(tmodel, x, "features.5", predicted), atol=1e-5)
    other = [(p + 3) % 10 for p in predicted]
    np.testing.assert_allclose(
        internals.cam(tmodel, x, class_index=other, layer="features.2"),
        reference_cam(tmodel, x, "features.2", other),
        atol=1e-5,
    )
    assert got.shape == (6, 16, 16) and got.max() == pytest.approx(1.0)
    # one image of the batch gives the same map alone
    np.testing.assert_allclose(internals.cam(tmodel, images[2])[0], got[2], atol=1e-5)


def test_keras_cam_matches_a_layer_by_layer_grad_cam(kmodel: keras.Model, data: tuple) -> None:
    images, _ = data
    x = torch.from_numpy(images[:5, ..., None])
    # By hand: run the Sequential layer by layer, keep conv3's output, differentiate.
    h = x
    feature = None
    for layer in kmodel.layers:
        h = layer(h)
        if layer.name == "conv3":
            feature = h
    predicted = h.argmax(1)
    score = h[torch.arange(5), predicted].sum()
    (grad,) = torch.autograd.grad(score, feature)
    heat = F.relu((grad.mean(dim=(1, 2), keepdim=True) * feature).sum(dim=-1))[:, None]
    heat = F.interpolate(heat, size=(16, 16), mode="bilinear", align_corners=False)[:, 0]
    top = heat.flatten(1).max(dim=1).values[:, None, None]
    expected = torch.where(top > 0, heat / top.clamp_min(1e-30), 0).detach().numpy()
    np.testing.assert_allclose(internals.cam(kmodel, images[:5, ..., None]), expected, atol=1e-4)


@pytest.mark.parametrize("framework", ["torch", "keras"])
def test_a_losing_class_highlights_something_else(
    framework: str, tmodel: nn.Module, kmodel: keras.Model, data: tuple
) -> None:
    """The book's exercise 3: the map of an unlikely class is not the winner's map."""
    images, _ = data
    model, x = (tmodel, images[:, None]) if framework == "torch" else (kmodel, images[..., None])
    output, _ = internals.forward(
        model, x, [internals._backend(model, "cam").default_cam_layer(model)], "cam"
    )
    winner = internals.cam(model, x)
    loser = internals.cam(model, x, class_index=np.argsort(output, axis=1)[:, 0].tolist())
    correlations = [
        np.corrcoef(w.ravel(), lo.ravel())[0, 1]
        for w, lo in zip(winner, loser, strict=True)
        if w.std() > 0 and lo.std() > 0
    ]
    assert len(correlations) >= 8
    assert np.mean(correlations) < 0.2
    assert np.mean([np.abs(w - lo).mean() for w, lo in zip(winner, loser, strict=True)]) > 0.15


# ------------------------------------------------------------------ gradient ascent


@pytest.mark.parametrize("framework", ["torch", "keras"])
def test_max_activation_excites_each_chosen_filter(
    framework: str, tmodel: nn.Module, kmodel: keras.Model
) -> None:
    if framework == "torch":
        model, layer, shape = tmodel, "features.5", (1, 16, 16)
        images = internals.max_activation(model, layer, [0, 3, 5, 9], input_shape=shape, steps=30)
        batch = torch.from_numpy(np.moveaxis(images, -1, 1).astype(np.float32))
        grey = torch.full((1, *shape), 0.5)
        acts = internals.activations(model, batch, layer)[layer].mean(axis=(2, 3))
        base = internals.activations(model, grey, layer)[layer].mean(axis=(2, 3))[0]
    else:
        model, layer = kmodel, "conv3"
        images = internals.max_activation(model, layer, [0, 3, 5, 9], steps=30)
        acts = internals.activations(model, images, layer)[layer].mean(axis=(1, 2))
        base = internals.activations(model, np.full((1, 16, 16, 1), 0.5), layer)[layer]
        base = base.mean(axis=(1, 2))[0]
    assert images.shape == (4, 16, 16, 1)
    assert images.min() >= 0.0 and images.max() <= 1.0
    filters = [0, 3, 5, 9]
    for row, f in enumerate(filters):
        # Deprocessing rescales, so compare the filter on its own image with the grey start.
        assert acts[row, f] > base[f]


def test_max_activation_is_one_batch_equal_to_a_loop_by_filter(tmodel: nn.Module) -> None:
    """Batched ascent gives, for each filter, what ascent on that filter alone gives."""
    from tfvis._frameworks import _torch_internals as ti

    both = ti.max_activation(tmodel, "features.2", [1, 4], (1, 16, 16), 10, 0.02, (0.0, 1.0), 7)
    generator = torch.Generator().manual_seed(7)
    start = 0.5 + 0.1 * torch.rand((2, 1, 16, 16), generator=generator)
    for row, f in enumerate([1, 4]):
        image = start[row : row + 1].clone()
        feature = dict(tmodel.named_modules())["features.2"]
        for _ in range(10):
            image.requires_grad_(True)
            seen: list[torch.Tensor] = []
            handle = feature.register_forward_hook(lambda _m, _i, o, seen=seen: seen.append(o))
            tmodel(image)
            handle.remove()
            (grad,) = torch.autograd.grad(seen[0][0, f].mean(), image)
            with torch.no_grad():
                image = (image + 0.02 * grad / (grad.pow(2).mean().sqrt() + 1e-5)).clamp(0, 1)
        np.testing.assert_allclose(both[row], image[0].numpy(), atol=1e-5)


# ------------------------------------------------------------ the model is not changed


def snapshot(model: nn.Module) -> dict:
    return {
        "state": {k: v.clone() for k, v in model.state_dict().items()},
        "modes": [m.training for m in model.modules()],
        "requires_grad": [p.requires_grad for p in model.parameters()],
        "grads": [None if p.grad is None else p.grad.clone() for p in model.parameters()],
        "devices": [p.device for p in model.parameters()],
        "hooks": [
            (len(m._forward_hooks), len(m._forward_pre_hooks), len(m._backward_hooks))
            for m in model.modules()
        ],
    }


def assert_same(before: dict, after: dict) -> None:
    assert before["state"].keys() == after["state"].keys()
    for key, value in before["state"].items():
        assert torch.equal(value, after["state"][key]), key
    for key in ("modes", "requires_grad", "devices", "hooks"):
        assert before[key] == after[key], key
    for a, b in zip(before["grads"], after["grads"], strict=True):
        assert (a is None and b is None) or torch.equal(a, b)


def test_the_torch_model_is_left_as_it_was() -> None:
    model = tiny_torch()
    model[0].weight.grad = torch.ones_like(model[0].weight)
    model[3].bias.requires_grad_(False)
    model[1].eval()  # a mix of modes must come back as it was
    x = torch.rand(2, 3, 8, 8)
    before = snapshot(model)
    internals.activations(model, x, ["1", "3"])
    assert_same(before, snapshot(model))
    internals.cam(model, x)
    assert_same(before, snapshot(model))
    internals.max_activation(model, "3", 2, input_shape=(3, 8, 8), steps=3)
    assert_same(before, snapshot(model))
    # and when the forward pass raises
    for call in (
        lambda: internals.activations(model, torch.rand(2, 3, 5, 5), ["1"]),
        lambda: internals.cam(model, torch.rand(2, 3, 5, 5)),
        lambda: internals.max_activation(model, "3", 2, input_shape=(2, 8, 8), steps=2),
    ):
        with pytest.raises(DataError):
            call()
        assert_same(before, snapshot(model))


def test_the_keras_model_is_left_as_it_was(kmodel: keras.Model, data: tuple) -> None:
    images, _ = data
    weights = [w.copy() for w in kmodel.get_weights()]
    trainable = [layer.trainable for layer in kmodel.layers]
    grads = [v.value.grad for v in kmodel.trainable_variables]
    grads = [None if g is None else g.clone() for g in grads]
    internals.activations(kmodel, images[:2, ..., None], ["conv1", "conv3"])
    internals.cam(kmodel, images[:2, ..., None])
    internals.max_activation(kmodel, "conv2", 2, steps=2)
    for a, b in zip(weights, kmodel.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    assert trainable == [layer.trainable for layer in kmodel.layers]
    assert all(not layer._forward_hooks for layer in kmodel.layers)
    for before, variable in zip(grads, kmodel.trainable_variables, strict=True):
        after = variable.value.grad
        assert (before is None and after is None) or torch.equal(before, after)


# ---------------------------------------------------------------------------- errors


def test_an_unknown_layer_lists_the_names_and_guesses(tmodel: nn.Module, data: tuple) -> None:
    images, _ = data
    with pytest.raises(DataError) as caught:
        internals.activations(tmodel, images[:1, None], ["features.55"])
    message = str(caught.value)
    assert message.startswith("The model has no layer 'features.55' (activations). Did you mean")
    assert "Its layers: 'features', 'features.0', 'features.1'" in message
    unknown = (
        r"^The model has no layer 'Conv_1' \(cam\)\. Did you mean 'conv1'\? Its layers: 'conv1'"
    )
    with pytest.raises(DataError, match=unknown):
        internals.cam(convnet.keras_model(), images[:1, ..., None], layer="Conv_1")


def test_cam_refuses_a_layer_without_height_and_width(tmodel: nn.Module, data: tuple) -> None:
    images, _ = data
    with pytest.raises(
        DataError,
        match=re.escape(
            "layer 'classifier.1' of cam has output of shape (1, 10), with no height and width"
        ),
    ):
        internals.cam(tmodel, images[:1, None], layer="classifier.1")
    with pytest.raises(
        DataError,
        match=re.escape(
            "layer 'dense' of cam has output of shape (None, 10), with no height and width"
        ),
    ):
        internals.cam(convnet.keras_model(), images[:1, ..., None], layer="dense")


def test_a_rejected_input_says_the_expected_shape(tmodel: nn.Module, kmodel: keras.Model) -> None:
    with pytest.raises(
        DataError,
        match=(
            r"^x of activations has shape \(2, 3, 16, 16\), which the model rejects \(.*\); "
            r"it expects a batch of shape \(N, 1, H, W\)$"
        ),
    ):
        internals.activations(tmodel, np.zeros((2, 3, 16, 16)), ["features.0"])
    with pytest.raises(
        DataError,
        match=re.escape(
            "x of cam has shape (2, 9, 9, 1), which the model rejects: "
            "it expects a batch of shape (N, 16, 16, 1)"
        ),
    ):
        internals.cam(kmodel, np.zeros((2, 9, 9, 1)))


def test_other_bad_arguments(tmodel: nn.Module, data: tuple) -> None:
    images, _ = data
    with pytest.raises(DataError, match=r"^input_shape of max_activation is needed for this model"):
        internals.max_activation(tmodel, "features.0", 2)
    with pytest.raises(
        DataError,
        match=re.escape(
            "filters of max_activation must lie in 0..7 "
            "(layer 'features.0' has 8 channels), got [8]"
        ),
    ):
        internals.max_activation(tmodel, "features.0", [8], input_shape=(1, 16, 16), steps=1)
    with pytest.raises(
        DataError,
        match=re.escape("class_index of cam must lie in 0..9 (the model has 10 outputs), got 10"),
    ):
        internals.cam(tmodel, images[:1, None], class_index=10)
    with pytest.raises(
        DataError, match=r"^model of activations must be a Keras 3 model or a torch.nn.Module, got"
    ):
        internals.activations("model", images, ["x"])
    with pytest.raises(
        DataError, match=r"^layers of activations must be a layer name or a non-empty list"
    ):
        internals.activations(tmodel, images[:1, None], [])


# ------------------------------------------------------------------------------ show


def svg_parts(svg: str) -> tuple[list[str], int]:
    from conftest import svg_texts

    return svg_texts(svg), svg.count('xlink:href="data:image/png;base64,')


def test_show_activations_draws_the_input_top_classes_and_one_row_per_layer(
    tmodel: nn.Module, data: tuple
) -> None:
    from tfvis import show

    images, _ = data
    layers = ["features.0", "features.2", "features.5"]
    chart = show.activations(tmodel, images[:3, None], layers, filters=4, index=1)
    texts, pictures = svg_parts(chart.to_svg())
    assert pictures == 1 + 3 * 4
    for name in layers:
        assert name in texts
    assert texts.count("filter 3") == 3
    with torch.no_grad():
        probabilities = torch.softmax(tmodel(torch.from_numpy(images[1:2, None])), 1)[0]
    best = int(probabilities.argmax())
    svg = chart.to_svg()
    assert f"<tspan>class {best}: {float(probabilities[best]):.3f}</tspan>" in svg
    assert "input 1" in texts
    # every tile shows something (no blank picture): decode the PNG
    import io

    from PIL import Image

    png = np.asarray(Image.open(io.BytesIO(chart.to_png())).convert("L"))
    assert png.std() > 20
    chosen = show.activations(tmodel, images[0], ["features.0"], filters=[2, 5])
    assert svg_parts(chosen.to_svg())[0].count("filter 5") == 1
    with pytest.raises(
        DataError, match=r"lie in 0\.\.7 \(layer 'features\.0' has 8 channels\), got \[9\]"
    ):
        show.activations(tmodel, images[0], ["features.0"], filters=[1, 9])
    with pytest.raises(
        DataError, match=r"^index of show.activations must choose one of the 3 inputs"
    ):
        show.activations(tmodel, images[:3, None], ["features.0"], index=3)


def test_show_max_activation_and_cam(tmodel: nn.Module, kmodel: keras.Model, data: tuple) -> None:
    from tfvis import OptionError, show

    images, _ = data
    grid = show.max_activation(tmodel, "features.2", [0, 1, 2], input_shape=(1, 16, 16), steps=5)
    texts, pictures = svg_parts(grid.to_svg())
    assert pictures == 3 and [t for t in texts if t.startswith("filter")] == [
        "filter 0",
        "filter 1",
        "filter 2",
    ]
    maps = show.cam(kmodel, images[:2, ..., None], class_index=[3, 4])
    texts, pictures = svg_parts(maps.to_svg())
    assert pictures == 2
    assert any(t.startswith("class 3: ") for t in texts) and any(
        t.startswith("class 4: ") for t in texts
    )
    with pytest.raises(OptionError, match=r"alpha of show\.cam must be a number from 0 to 1"):
        show.cam(tmodel, images[:1, None], alpha=2)
    with pytest.raises(
        OptionError, match=r"Options of show\.cam are colorMap, tileSize, fontSize and title"
    ):
        show.cam(tmodel, images[:1, None], columns=3)


# -------------------------------------------------------------------------- examples


@pytest.mark.parametrize(
    ("script", "extra"),
    [
        ("listing_7_8", ["--framework", "keras", "--filters", "4"]),
        ("listing_7_9", ["--steps", "5", "--filters", "4"]),
        ("cam", []),
    ],
)
def test_the_section_7_2_examples_write_their_pictures(
    script: str, extra: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib
    import sys

    examples = Path(__file__).resolve().parent.parent / "examples"
    monkeypatch.syspath_prepend(str(examples))
    module = importlib.import_module(script)
    out = tmp_path / f"{script}.png"
    assert module.main(["--out", str(out), *extra]) == 0
    assert out.read_bytes().startswith(b"\x89PNG")
    sys.modules.pop(script, None)


def test_an_example_takes_a_users_model_and_image(
    tmodel: nn.Module, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib

    from PIL import Image

    path = tmp_path / "model.pt"
    torch.save(tmodel, path)
    picture = tmp_path / "digit.png"
    Image.fromarray((np.eye(20) * 255).astype(np.uint8)).save(picture)
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parent.parent / "examples"))
    module = importlib.import_module("cam")
    out = tmp_path / "cam.png"
    args = ["--model", str(path), "--image", str(picture), "--class-index", "2", "--out", str(out)]
    assert module.main(args) == 0
    assert out.stat().st_size > 1000


def test_reading_a_users_image_without_pillow_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    from tfvis._demo import convnet
    from tfvis.errors import DemoError

    monkeypatch.setitem(sys.modules, "PIL", None)  # as if Pillow were not installed
    with pytest.raises(DemoError, match=r"digit\.png.*needs Pillow.*pip install pillow"):
        convnet.load_image(str(tmp_path / "digit.png"), (16, 16, 1), channels_first=False)
