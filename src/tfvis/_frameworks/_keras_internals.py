"""The book's section 7.2 for Keras 3 models: activations, gradient ascent, Grad-CAM.

On the torch backend Keras layers are torch modules, so a layer's output is caught by
a forward hook during one pass of the model itself (``training=False``), and the hooks
are removed in ``finally``; gradients come from ``torch.autograd.grad`` with respect
to the input or that output, never touching a weight's ``.grad``. On other backends,
as listing 7.8 does, a sub-model from the model's inputs to the layers' outputs is
built with ``keras.Model`` (kept per model and layer list) and differentiated with
TensorFlow's ``GradientTape``; JAX is refused with a message. Gradient ascent uses a
sub-model to the layer on every backend (its input gradient is sound). Nothing here
changes the model's weights or layers.

Example
-------
>>> import keras  # doctest: +SKIP
>>> from tfvis._frameworks import _keras_internals as ki
>>> ki.layer_names(model)  # doctest: +SKIP
['conv2d', 'max_pooling2d', 'flatten', 'dense']
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from typing import Any

import keras
import numpy as np

from tfvis._frameworks import to_numpy
from tfvis.errors import DataError

__all__ = [
    "activations",
    "cam_gradients",
    "channel_axis",
    "default_cam_layer",
    "has_layer",
    "input_shape",
    "layer_names",
    "max_activation",
]

_SUBMODELS: weakref.WeakKeyDictionary[Any, dict[tuple[str, ...], Any]] = weakref.WeakKeyDictionary()


def layer_names(model: Any) -> list[str]:
    return [layer.name for layer in model.layers]


def has_layer(model: Any, name: str) -> bool:
    return any(layer.name == name for layer in model.layers)


def input_shape(model: Any) -> tuple[int | None, ...] | None:
    """The model's input shape without the batch axis, if it knows it."""
    try:
        shape = model.inputs[0].shape
    except (AttributeError, IndexError, ValueError, TypeError):
        return None
    return tuple(shape[1:])


def channel_axis(model: Any, name: str) -> int:
    """Where a layer's channels are: last, unless the layer says ``channels_first``."""
    layer = model.get_layer(name)
    return 1 if getattr(layer, "data_format", "channels_last") == "channels_first" else -1


def default_cam_layer(model: Any) -> str | None:
    """The last convolution of the model (Keras lists layers in topological order)."""
    found = None
    for layer in model.layers:
        if isinstance(layer, keras.layers.Conv1D | keras.layers.Conv2D | keras.layers.Conv3D):
            found = layer.name
    return found


def _submodel(model: Any, names: tuple[str, ...], with_output: bool = True) -> Any:
    """A model from ``model``'s inputs to the layers' outputs (and its own output)."""
    cache = _SUBMODELS.setdefault(model, {})
    key = (*names, "\0output" if with_output else "")
    sub = cache.get(key)
    if sub is None:
        try:
            inputs = model.inputs[0] if len(model.inputs) == 1 else model.inputs
            outputs = [model.get_layer(n).output for n in names]
        except (AttributeError, ValueError) as error:
            raise DataError(
                f"the Keras model has no defined inputs ({error}); build it with "
                "keras.Input(shape=...) or call it once on data first"
            ) from error
        final = [model.outputs[0]] if with_output else []
        sub = keras.Model(inputs=inputs, outputs=[*outputs, *final])
        cache[key] = sub
    return sub


def as_input(model: Any, x: Any, where: str) -> np.ndarray:
    """``x`` as float32 numpy with a batch axis, channels moved to where the model wants."""
    array = to_numpy(x)
    if array is None:
        array = np.asarray(x)
    array = np.asarray(array, dtype=np.float32)
    expected = input_shape(model)
    if expected is None:
        return array
    if array.ndim == len(expected) - 1 and expected[-1] == 1:
        array = array[..., None]  # one greyscale image
    if array.ndim == len(expected):
        array = array[None]
    if array.ndim == len(expected) + 1 and not _fits(array.shape[1:], expected):
        for moved in (np.moveaxis(array, 1, -1), np.moveaxis(array, -1, 1)):
            if _fits(moved.shape[1:], expected):
                return np.ascontiguousarray(moved)
    if array.ndim != len(expected) + 1 or not _fits(array.shape[1:], expected):
        shown = ", ".join("N" if d is None else str(d) for d in (None, *expected))
        raise DataError(
            f"{where} has shape {array.shape}, which the model rejects: it expects a batch "
            f"of shape ({shown})"
        )
    return array


def _fits(shape: tuple[int, ...], expected: tuple[int | None, ...]) -> bool:
    return len(shape) == len(expected) and all(
        e is None or e == s for s, e in zip(shape, expected, strict=True)
    )


def activations(
    model: Any, x: np.ndarray, names: Sequence[str], where: str = "x"
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    if keras.backend.backend() == "torch":
        # Keras layers are torch modules here: forward hooks catch their outputs in one
        # pass of the model itself. (A sub-model of a Sequential model reruns the
        # nested graph once per output: five layers cost five forward passes.)
        import torch

        caught: dict[str, Any] = {}
        handles = [
            model.get_layer(name).register_forward_hook(
                lambda _m, _i, out, name=name: caught.__setitem__(name, out)
            )
            for name in names
        ]
        try:
            with torch.no_grad():
                output = model(keras.ops.convert_to_tensor(x), training=False)
        finally:
            for handle in handles:
                handle.remove()
        missing = [name for name in names if name not in caught]
        if missing:
            raise DataError(f"layer {missing[0]!r} did not run in the model's forward pass")
        return _numpy(output), {name: _numpy(caught[name]) for name in names}
    sub = _submodel(model, tuple(names))
    outputs = sub(x, training=False)
    arrays = [_numpy(o) for o in outputs]
    return arrays[-1], dict(zip(names, arrays[:-1], strict=True))


def _numpy(value: Any) -> np.ndarray:
    array = to_numpy(value)
    if array is None:
        array = np.asarray(keras.ops.convert_to_numpy(value))
    return array


def _gradient(sub: Any, x: np.ndarray, score_fn: Any, wrt_input: bool) -> tuple[Any, Any, Any]:
    """Run ``sub`` on ``x``; return (outputs, the tensor differentiated, its gradient)."""
    backend = keras.backend.backend()
    if backend == "torch":
        import torch

        with torch.enable_grad():
            inputs = torch.as_tensor(x).to(keras.ops.convert_to_tensor(x).device)
            inputs.requires_grad_(True)
            outputs = sub(inputs, training=False)
            target = inputs if wrt_input else outputs[0]
            (grad,) = torch.autograd.grad(score_fn(outputs), target)
        return outputs, target, grad
    if backend == "tensorflow":
        import tensorflow as tf

        inputs = tf.convert_to_tensor(x)
        with tf.GradientTape() as tape:
            tape.watch(inputs)
            outputs = sub(inputs, training=False)
            score = score_fn(outputs)
        target = inputs if wrt_input else outputs[0]
        return outputs, target, tape.gradient(score, target)
    raise DataError(
        f"tfvis computes gradients of Keras models on the torch and tensorflow backends; "
        f"this Keras runs on {backend!r}"
    )


def cam_gradients(
    model: Any,
    x: np.ndarray,
    name: str,
    class_index: int | Sequence[int] | None,
    where: str = "x",
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(output, layer output, gradient of the class score w.r.t. it, classes), channels last."""
    layer = model.get_layer(name)
    rank = len(layer.output.shape)
    if rank < 4:
        raise DataError(
            f"layer {name!r} of cam has output of shape {tuple(layer.output.shape)}, with no "
            "height and width; name a convolutional layer (Grad-CAM weighs the maps of one)"
        )
    chosen: list[Any] = []

    def score(output: Any) -> Any:
        out = keras.ops.reshape(output, (keras.ops.shape(output)[0], -1))
        classes = _classes(out, class_index)
        chosen.append(classes)
        one_hot = keras.ops.one_hot(classes, keras.ops.shape(out)[1], dtype=out.dtype)
        return keras.ops.sum(out * one_hot)

    if keras.backend.backend() == "torch":
        output, feature, grad = _torch_layer_gradient(model, layer, x, score)
    else:
        sub = _submodel(model, (name,))
        outputs, feature, grad = _gradient(sub, x, lambda o: score(o[-1]), wrt_input=False)
        output = outputs[-1]
    if channel_axis(model, name) == 1:
        feature, grad = keras.ops.moveaxis(feature, 1, -1), keras.ops.moveaxis(grad, 1, -1)
    return (
        _numpy(output),
        _numpy(feature),
        _numpy(grad),
        np.asarray(_numpy(chosen[0]), dtype=np.int64),
    )


def _torch_layer_gradient(
    model: Any, layer: Any, x: np.ndarray, score: Any
) -> tuple[Any, Any, Any]:
    """On the torch backend: the layer's output caught by a forward hook (Keras layers
    are torch modules there) in one pass of the model itself, and the gradient of the
    score with respect to it. (A sub-model's intermediate output is not the tensor its
    later layers read on this backend, so no gradient flows through it.) The hook is
    removed in ``finally``."""
    import torch

    caught: list[Any] = []
    handle = layer.register_forward_hook(lambda _m, _i, out: caught.append(out))
    try:
        with torch.enable_grad():
            inputs = keras.ops.convert_to_tensor(x)
            inputs.requires_grad_(True)  # a graph even if every weight is frozen
            output = model(inputs, training=False)
            if not caught:
                raise DataError(f"layer {layer.name!r} did not run in the model's forward pass")
            feature = caught[-1]
            (grad,) = torch.autograd.grad(score(output), feature)
    finally:
        handle.remove()
    return output, feature, grad


def _classes(out: Any, class_index: int | Sequence[int] | None) -> Any:
    n, count = int(out.shape[0]), int(out.shape[1])
    if class_index is None:
        return keras.ops.argmax(keras.ops.stop_gradient(out), axis=1)
    wanted = [class_index] * n if isinstance(class_index, int) else list(class_index)
    for k in wanted:
        if not 0 <= k < count:
            raise DataError(
                f"class_index of cam must lie in 0..{count - 1} (the model has {count} "
                f"outputs), got {k}"
            )
    return keras.ops.convert_to_tensor(np.asarray(wanted, dtype=np.int32))


def max_activation(
    model: Any,
    name: str,
    filters: Sequence[int],
    shape: tuple[int, ...],
    steps: int,
    step_size: float,
    value_range: tuple[float, float],
    seed: int | None,
) -> np.ndarray:
    """Gradient ascent in input space for every filter at once; raw images, channels last."""
    layer = model.get_layer(name)
    axis = channel_axis(model, name)
    channels = int(layer.output.shape[axis])
    if max(filters) >= channels:
        raise DataError(
            f"filters of max_activation must lie in 0..{channels - 1} (layer {name!r} has "
            f"{channels} channels), got {list(filters)}"
        )
    sub = _submodel(model, (name,), with_output=False)
    lo, hi = value_range
    rng = np.random.default_rng(0 if seed is None else seed)
    image = (lo + (hi - lo) * (0.5 + 0.1 * rng.random((len(filters), *shape)))).astype(np.float32)
    one_hot = np.zeros((len(filters), channels), np.float32)
    one_hot[np.arange(len(filters)), list(filters)] = 1.0

    def score(outputs: Any) -> Any:
        feature = outputs[0] if isinstance(outputs, list | tuple) else outputs
        if axis == 1:
            feature = keras.ops.moveaxis(feature, 1, -1)
        spatial = tuple(range(1, len(feature.shape) - 1))
        means = keras.ops.mean(feature, axis=spatial)  # (F, channels)
        return keras.ops.sum(means * keras.ops.convert_to_tensor(one_hot))

    for _ in range(steps):
        _, _, grad = _gradient(sub, image, score, wrt_input=True)
        g = _numpy(grad)
        norm = np.sqrt(np.mean(g.reshape(len(filters), -1) ** 2, axis=1)) + 1e-5
        image = np.clip(image + step_size * g / norm.reshape((-1,) + (1,) * (g.ndim - 1)), lo, hi)
        image = image.astype(np.float32)
    return image
