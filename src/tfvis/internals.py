"""Look inside a trained convnet (the book's section 7.2): numpy in, numpy out.

* :func:`activations`: the outputs of named layers for an input (listing 7.8);
* :func:`max_activation`: inputs that excite chosen filters most, found by gradient
  ascent in input space (listing 7.9);
* :func:`cam`: Grad-CAM class activation maps (section 7.2.3).

They work on Keras 3 models (layers by their Keras names, ``"conv2d_1"``) and on
``torch.nn.Module``\\s (layers by their ``named_modules()`` paths, ``"features.3"``).
The model is never changed: its weights, train/eval mode, ``requires_grad`` flags,
gradients, device and hooks are as they were, also when a computation fails.
:mod:`tfvis.show` draws the same results (``show.activations``, ``show.max_activation``,
``show.cam``).

Example
-------
>>> from tfvis import internals
>>> maps = internals.activations(model, images, ["features.0", "features.3"])  # doctest: +SKIP
>>> heat = internals.cam(model, images[:1])  # doctest: +SKIP
>>> heat.shape, float(heat.max())  # doctest: +SKIP
((1, 32, 32), 1.0)
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from tfvis._frameworks import model_kind
from tfvis._text import closest, describe
from tfvis.errors import DataError

__all__ = ["Prediction", "activations", "cam", "max_activation"]


def _backend(model: Any, function: str) -> Any:
    kind = model_kind(model)
    if kind == "torch":
        from tfvis._frameworks import _torch_internals

        return _torch_internals
    if kind == "keras":
        from tfvis._frameworks import _keras_internals

        return _keras_internals
    raise DataError(
        f"model of {function} must be a Keras 3 model or a torch.nn.Module, got {describe(model)}"
    )


def _check_layers(backend: Any, model: Any, layers: Any, function: str) -> list[str]:
    names = [layers] if isinstance(layers, str) else layers
    if not isinstance(names, Sequence) or not names or not all(isinstance(n, str) for n in names):
        raise DataError(
            f"layers of {function} must be a layer name or a non-empty list of them, "
            f"got {describe(layers)}"
        )
    for name in names:
        if not backend.has_layer(model, name):
            raise DataError(_unknown_layer(name, backend.layer_names(model), function))
    return list(names)


def _unknown_layer(name: str, known: Sequence[str], function: str) -> str:
    hint = closest(name, known)
    shown = ", ".join(repr(k) for k in known[:40]) + (", ..." if len(known) > 40 else "")
    did_you_mean = f" Did you mean {hint!r}?" if hint else ""
    return f"The model has no layer {name!r} ({function}).{did_you_mean} Its layers: {shown}"


def _prepare(backend: Any, model: Any, x: Any, function: str) -> Any:
    if x is None:
        raise DataError(f"x of {function} must be an input batch (array or tensor), got None")
    return backend.as_input(model, x, f"x of {function}")


def activations(model: Any, x: Any, layers: str | Sequence[str]) -> dict[str, np.ndarray]:
    """The outputs of the named layers for input ``x``, from one forward pass.

    Parameters
    ----------
    model
        A Keras 3 model or a ``torch.nn.Module``.
    x
        An input batch (array or tensor), or one input without its batch axis.
        Channels-last images are moved to channels-first for a PyTorch convnet.
    layers
        A layer name or a list of them: Keras layer names, or PyTorch module paths
        from ``named_modules()`` such as ``"features.3"``.

    Returns
    -------
    dict
        ``{layer: numpy array}`` in the layer's own layout (PyTorch ``N×C×H×W``,
        Keras ``N×H×W×C``).

    Example
    -------
    >>> from tfvis import internals
    >>> maps = internals.activations(model, image, ["conv2d", "conv2d_1"])  # doctest: +SKIP
    >>> maps["conv2d"].shape  # doctest: +SKIP
    (1, 30, 30, 16)
    """
    return forward(model, x, layers, "activations")[1]


def forward(
    model: Any, x: Any, layers: str | Sequence[str], function: str
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The model's output and the layers' outputs (for ``show``: the top classes too)."""
    backend = _backend(model, function)
    names = _check_layers(backend, model, layers, function)
    batch = _prepare(backend, model, x, function)
    output, maps = backend.activations(model, batch, names, f"x of {function}")
    return output, maps


def prepared_input(model: Any, x: Any, function: str) -> np.ndarray:
    """``x`` as the batch the model is given (batch axis added, channels moved), numpy."""
    return _to_numpy(_prepare(_backend(model, function), model, x, function))


def channel_axis(model: Any, layer: str) -> int:
    """The channel axis of a layer's output: 1 for PyTorch, -1 for Keras channels-last."""
    if model_kind(model) == "keras":
        from tfvis._frameworks import _keras_internals

        return int(_keras_internals.channel_axis(model, layer))
    return 1


def max_activation(
    model: Any,
    layer: str,
    filters: int | Sequence[int],
    *,
    input_shape: Sequence[int] | None = None,
    steps: int = 80,
    step_size: float | None = None,
    value_range: tuple[float, float] = (0.0, 1.0),
    seed: int | None = 0,
) -> np.ndarray:
    """Inputs that excite chosen filters most: gradient ascent in input space.

    As the book's listing 7.9: start from grey plus a little noise, take ``steps``
    steps along the gradient of the filter's mean output (normalised to unit RMS),
    keep the input in ``value_range``, then deprocess for display (centre, scale to a
    standard deviation of 0.25 around 0.5, clip to 0..1). Every filter is optimised
    in one batch: image ``i`` of the batch serves ``filters[i]``.

    Parameters
    ----------
    model, layer
        A Keras 3 model or ``torch.nn.Module``, and the name of one of its layers.
    filters
        How many filters (the first N) or a list of filter indices.
    input_shape
        One input's shape without the batch axis, e.g. ``(1, 16, 16)``. Needed for
        PyTorch models, which do not know theirs; Keras models do.
    steps
        Gradient-ascent steps (80, as in the book).
    step_size
        Size of one step in input units; default 1/50 of ``value_range``.
    value_range
        The range of the model's inputs ((0, 1); the book's VGG16 takes (0, 255)).
    seed
        Seed of the starting noise.

    Returns
    -------
    numpy.ndarray
        ``F×H×W×C`` floats in 0..1 (channels last whatever the model's layout), one
        image per filter.

    Example
    -------
    >>> from tfvis import internals
    >>> images = internals.max_activation(  # doctest: +SKIP
    ...     model, "features.3", 8, input_shape=(1, 16, 16))
    >>> images.shape  # doctest: +SKIP
    (8, 16, 16, 1)
    """
    function = "max_activation"
    backend = _backend(model, function)
    (name,) = _check_layers(backend, model, [layer] if isinstance(layer, str) else layer, function)
    chosen = filter_indices(filters, function)
    if isinstance(steps, bool) or not isinstance(steps, numbers.Integral) or steps < 1:
        raise DataError(f"steps of {function} must be a positive integer, got {describe(steps)}")
    lo, hi = _value_range(value_range, function)
    size = (hi - lo) / 50 if step_size is None else float(step_size)
    if not size > 0:
        raise DataError(f"step_size of {function} must be a positive number, got {step_size!r}")
    shape = _input_shape(backend, model, input_shape, function)
    raw = backend.max_activation(model, name, chosen, shape, int(steps), size, (lo, hi), seed)
    if model_kind(model) == "torch":
        raw = np.moveaxis(raw, 1, -1) if raw.ndim >= 3 else raw
    elif len(shape) >= 3 and _keras_channels_first(model):
        raw = np.moveaxis(raw, 1, -1)
    return deprocess(raw)


def _keras_channels_first(model: Any) -> bool:
    from tfvis._frameworks import _keras_internals

    name = _keras_internals.default_cam_layer(model)
    return name is not None and _keras_internals.channel_axis(model, name) == 1


def filter_indices(filters: Any, function: str) -> list[int]:
    """``filters`` as a list of indices: a count N means the first N."""
    if isinstance(filters, numbers.Integral) and not isinstance(filters, bool):
        if filters < 1:
            raise DataError(f"filters of {function} must be at least 1, got {filters}")
        return list(range(int(filters)))
    if (
        isinstance(filters, Sequence)
        and filters
        and all(isinstance(f, numbers.Integral) and not isinstance(f, bool) for f in filters)
        and all(int(f) >= 0 for f in filters)
    ):
        return [int(f) for f in filters]
    raise DataError(
        f"filters of {function} must be a count or a non-empty list of filter indices "
        f"(integers from 0), got {describe(filters)}"
    )


def _value_range(value: Any, function: str) -> tuple[float, float]:
    try:
        lo, hi = (float(v) for v in value)
    except (TypeError, ValueError):
        lo, hi = np.nan, np.nan
    if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
        raise DataError(
            f"value_range of {function} must be a (low, high) pair of numbers with "
            f"low < high, got {describe(value)}"
        )
    return lo, hi


def _input_shape(backend: Any, model: Any, given: Any, function: str) -> tuple[int, ...]:
    if given is None:
        known = backend.input_shape(model) if hasattr(backend, "input_shape") else None
        if known is None or any(d is None for d in known):
            raise DataError(
                f"input_shape of {function} is needed for this model, which does not say "
                f"which input it takes: pass one input's shape without the batch axis, "
                f"e.g. input_shape=(1, 16, 16)"
            )
        return tuple(int(d) for d in known)
    if (
        not isinstance(given, Sequence)
        or not given
        or not all(isinstance(d, numbers.Integral) and int(d) > 0 for d in given)
    ):
        raise DataError(
            f"input_shape of {function} must be one input's shape without the batch axis, "
            f"such as (1, 16, 16), got {describe(given)}"
        )
    return tuple(int(d) for d in given)


def deprocess(images: np.ndarray) -> np.ndarray:
    """Each image centred, scaled to a standard deviation of 0.25 around 0.5, in 0..1."""
    flat = images.reshape(images.shape[0], -1).astype(np.float64)
    mean = flat.mean(axis=1, keepdims=True)
    std = flat.std(axis=1, keepdims=True)
    shown = (flat - mean) / (std + 1e-5) * 0.25 + 0.5
    clipped: np.ndarray = np.clip(shown, 0.0, 1.0).reshape(images.shape)
    return clipped


@dataclass(frozen=True)
class Prediction:
    """What a model predicted for one input: class indices and probabilities, best first."""

    classes: tuple[int, ...]
    probabilities: tuple[float, ...]


def probabilities(output: np.ndarray) -> np.ndarray:
    """A model's output as probabilities, one row per input.

    Outputs that are not probabilities already (negative values, or rows not summing
    to 1) are taken as logits and passed through a softmax.
    """
    flat = np.asarray(output, dtype=np.float64).reshape(len(output), -1)
    sums = flat.sum(axis=1)
    if (flat < 0).any() or not np.allclose(sums, 1.0, atol=1e-3):
        shifted = np.exp(flat - flat.max(axis=1, keepdims=True))
        flat = shifted / shifted.sum(axis=1, keepdims=True)
    return flat


def top_classes(output: np.ndarray, k: int = 3) -> list[Prediction]:
    """The ``k`` best classes of each row of a model's output (see :func:`probabilities`)."""
    flat = probabilities(output)
    order = np.argsort(-flat, axis=1, kind="stable")[:, :k]
    return [
        Prediction(tuple(int(c) for c in row), tuple(float(p[c]) for c in row))
        for row, p in zip(order, flat, strict=True)
    ]


def cam(
    model: Any,
    x: Any,
    class_index: int | Sequence[int] | None = None,
    layer: str | None = None,
) -> np.ndarray:
    """Grad-CAM: which parts of the input make the model choose a class.

    The gradient of the class's output with respect to a convolutional layer's output
    is averaged over height and width, giving one weight per channel; the channels
    weighted by it are summed, negative values set to 0 (ReLU), the map upsampled to
    the input's size (bilinear) and scaled to 0..1 (its maximum is 1; a map with
    nothing positive is all 0).

    Parameters
    ----------
    model
        A Keras 3 model or ``torch.nn.Module`` (a classifier: one output per class).
    x
        An input batch, or one input without its batch axis.
    class_index
        The class whose map to draw: None for each input's predicted class, an index,
        or one index per input. Any class works: a class the model did not choose
        highlights what speaks for that class (the book's exercise 3).
    layer
        The convolutional layer: None for the model's last convolution.

    Returns
    -------
    numpy.ndarray
        ``N×H×W`` floats in 0..1, one map per input, at the input's height and width.

    Example
    -------
    >>> from tfvis import internals
    >>> heat = internals.cam(model, image)  # doctest: +SKIP
    >>> heat.shape  # doctest: +SKIP
    (1, 224, 224)
    """
    return cam_details(model, x, class_index, layer)[0]


def cam_details(
    model: Any, x: Any, class_index: Any, layer: str | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(maps, the model's output, the classes drawn, the input batch as numpy)."""
    function = "cam"
    backend = _backend(model, function)
    if layer is None:
        layer = backend.default_cam_layer(model)
        if layer is None:
            raise DataError(
                "The model has no convolutional layer for cam to find; pass layer=... "
                "naming a layer whose output has height and width"
            )
    (name,) = _check_layers(backend, model, [layer], function)
    if class_index is not None and not (
        (isinstance(class_index, numbers.Integral) and not isinstance(class_index, bool))
        or (
            isinstance(class_index, Sequence)
            and all(isinstance(k, numbers.Integral) for k in class_index)
        )
    ):
        raise DataError(
            f"class_index of cam must be None, a class index or one index per input, "
            f"got {describe(class_index)}"
        )
    wanted = (
        class_index
        if class_index is None or isinstance(class_index, Sequence)
        else int(class_index)
    )
    batch = _prepare(backend, model, x, function)
    if isinstance(wanted, Sequence) and len(wanted) != int(batch.shape[0]):
        raise DataError(
            f"class_index of cam has {len(wanted)} indices for a batch of {batch.shape[0]} inputs"
        )
    output, feature, grad, classes = backend.cam_gradients(
        model, batch, name, wanted, f"x of {function}"
    )
    # Channels last from here: the torch backend gives N×C×H×W.
    if model_kind(model) == "torch":
        feature, grad = np.moveaxis(feature, 1, -1), np.moveaxis(grad, 1, -1)
    spatial = tuple(range(1, feature.ndim - 1))
    weights = grad.mean(axis=spatial, keepdims=True)
    heat = np.maximum((weights * feature).sum(axis=-1), 0.0)
    if heat.ndim != 3:
        raise DataError(
            f"layer {name!r} of cam must have a 2-D spatial output, got {feature.shape}"
        )
    images = np.asarray(_to_numpy(batch))
    if model_kind(model) == "torch":
        height, width = images.shape[2], images.shape[3]
    else:
        height, width = _keras_hw(model, images)
    maps = np.stack([_normalise(resize(h, height, width)) for h in heat])
    return maps, output, classes, images


def _to_numpy(batch: Any) -> np.ndarray:
    from tfvis._frameworks import to_numpy

    array = to_numpy(batch)
    return np.asarray(batch) if array is None else array


def _keras_hw(model: Any, images: np.ndarray) -> tuple[int, int]:
    if _keras_channels_first(model):
        return int(images.shape[2]), int(images.shape[3])
    return int(images.shape[1]), int(images.shape[2])


def _normalise(heat: np.ndarray) -> np.ndarray:
    top = float(heat.max()) if heat.size else 0.0
    return heat / top if top > 0 else np.zeros_like(heat)


def resize(values: np.ndarray, height: int, width: int) -> np.ndarray:
    """Bilinear resize of a 2-D array (pixel centres aligned, as ``align_corners=False``)."""
    h, w = values.shape

    def axis(n_in: int, n_out: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        position = np.clip((np.arange(n_out) + 0.5) * n_in / n_out - 0.5, 0, n_in - 1)
        low = np.floor(position).astype(np.intp)
        high = np.minimum(low + 1, n_in - 1)
        return low, high, position - low

    r0, r1, fr = axis(h, height)
    c0, c1, fc = axis(w, width)
    top = values[r0][:, c0] * (1 - fc) + values[r0][:, c1] * fc
    bottom = values[r1][:, c0] * (1 - fc) + values[r1][:, c1] * fc
    out: np.ndarray = top * (1 - fr[:, None]) + bottom * fr[:, None]
    return out
