"""The book's section 7.2 for ``torch.nn.Module``: activations, gradient ascent, Grad-CAM.

Layers are ``named_modules()`` paths (``"features.3"``). Every computation runs the
model as at inference (eval mode: dropout off, batch norm on its running statistics,
which a train-mode pass would update) and leaves it as it was: each module's
``training`` flag is restored, forward hooks are removed in ``finally`` (also when
the forward pass raises), no parameter's ``requires_grad`` or ``.grad`` is touched
(gradients are taken with :func:`torch.autograd.grad` with respect to the input or
a layer's output only), and nothing is moved: inputs go to the model's device.

Example
-------
>>> import torch  # doctest: +SKIP
>>> from tfvis._frameworks import _torch_internals as ti
>>> model = torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3), torch.nn.ReLU())  # doctest: +SKIP
>>> out, acts = ti.activations(model, torch.zeros(1, 1, 5, 5), ["0"])  # doctest: +SKIP
>>> acts["0"].shape  # doctest: +SKIP
(1, 2, 3, 3)
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
import torch

from tfvis._frameworks import to_numpy
from tfvis.errors import DataError

__all__ = [
    "activations",
    "cam_gradients",
    "default_cam_layer",
    "has_layer",
    "input_layout",
    "layer_names",
    "max_activation",
]


class _Stop(Exception):
    """Raised by a hook to end a forward pass once the wanted layer has run."""


def layer_names(model: torch.nn.Module) -> list[str]:
    """Every submodule's path, in registration order (the model itself excluded)."""
    return [name for name, _ in model.named_modules() if name]


def has_layer(model: torch.nn.Module, name: str) -> bool:
    """Whether ``name`` is a submodule path (looked up along the path, not by a walk)."""
    try:
        model.get_submodule(name)
    except AttributeError:
        return False
    return bool(name)


def _modules(model: torch.nn.Module, names: Sequence[str]) -> list[torch.nn.Module]:
    return [model.get_submodule(name) for name in names]


def _device(model: torch.nn.Module) -> torch.device:
    for parameter in model.parameters():
        return parameter.device
    for buffer in model.buffers():
        return buffer.device
    return torch.device("cpu")


def _dtype(model: torch.nn.Module) -> torch.dtype:
    for tensor in model.parameters():
        if tensor.is_floating_point():
            return tensor.dtype
    return torch.float32


def _first_conv(model: torch.nn.Module) -> torch.nn.Module | None:
    for module in model.modules():
        if isinstance(module, torch.nn.modules.conv._ConvNd):
            return module
    return None


def input_layout(model: torch.nn.Module) -> tuple[int | None, int | None]:
    """(channels, spatial rank) the first convolution expects, or Nones."""
    conv = _first_conv(model)
    if conv is None:
        return None, None
    return int(conv.in_channels), len(conv.kernel_size)  # type: ignore[arg-type]


def default_cam_layer(model: torch.nn.Module) -> str | None:
    """The last convolution registered in the model (its deepest, in a feed-forward net)."""
    found = None
    for name, module in model.named_modules():
        if name and isinstance(module, torch.nn.modules.conv._ConvNd):
            found = name
    return found


def as_input(model: torch.nn.Module, x: Any, where: str) -> torch.Tensor:
    """``x`` as a float tensor on the model's device, with a batch axis and channels first."""
    tensor = x if isinstance(x, torch.Tensor) else torch.as_tensor(np.asarray(x))
    tensor = tensor.detach().to(device=_device(model), dtype=_dtype(model))
    channels, rank = input_layout(model)
    if rank is not None:
        if tensor.ndim == rank and channels == 1:
            tensor = tensor[None, None]  # one greyscale image
        if tensor.ndim == rank + 1:
            tensor = tensor.unsqueeze(0)
        if (
            channels is not None
            and tensor.ndim == rank + 2
            and tensor.shape[1] != channels
            and tensor.shape[-1] == channels
        ):
            tensor = tensor.movedim(-1, 1)  # channels-last input for a channels-first model
    return tensor


@contextlib.contextmanager
def _inference(model: torch.nn.Module) -> Iterator[None]:
    """Eval mode for the duration, each module's own flag restored afterwards."""
    modes = [(m, m.training) for m in model.modules()]
    if not any(mode for _, mode in modes):  # already in eval mode: nothing to switch
        yield
        return
    try:
        model.eval()
        yield
    finally:
        for module, mode in modes:
            module.training = mode


@contextlib.contextmanager
def _capture(
    modules: Sequence[torch.nn.Module], store: list[Any], stop_after: bool
) -> Iterator[None]:
    """Forward hooks writing each module's output into ``store``; always removed."""
    handles = []
    try:
        for i, module in enumerate(modules):

            def hook(_m: Any, _i: Any, output: Any, i: int = i) -> None:
                store[i] = output
                if stop_after and all(s is not None for s in store):
                    raise _Stop

            handles.append(module.register_forward_hook(hook))
        yield
    finally:
        for handle in handles:
            handle.remove()


def _forward(model: torch.nn.Module, x: torch.Tensor, where: str) -> Any:
    try:
        return model(x)
    except _Stop:
        raise
    except (RuntimeError, ValueError, TypeError, IndexError) as error:
        channels, rank = input_layout(model)
        expected = (
            f"(N, {channels}, {', '.join(['H', 'W', 'D'][: rank or 0])})"
            if channels is not None
            else "the shape its first layer takes"
        )
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise DataError(
            f"{where} has shape {tuple(x.shape)}, which the model rejects ({first}); "
            f"it expects a batch of shape {expected}"
        ) from error


def _tensor_of(output: Any, name: str) -> torch.Tensor:
    if isinstance(output, torch.Tensor):
        return output
    if isinstance(output, list | tuple) and output and isinstance(output[0], torch.Tensor):
        return output[0]
    raise DataError(f"layer {name!r} returns {type(output).__name__}, not a tensor")


def activations(
    model: torch.nn.Module, x: torch.Tensor, names: Sequence[str], where: str = "x"
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """One forward pass: the model's output and each named layer's output (numpy)."""
    store: list[Any] = [None] * len(names)
    with torch.no_grad(), _inference(model), _capture(_modules(model, names), store, False):
        output = _forward(model, x, where)
    result = {name: to_numpy(_tensor_of(out, name)) for name, out in zip(names, store, strict=True)}
    for name, value in zip(names, store, strict=True):
        if value is None:
            raise DataError(f"layer {name!r} did not run in the model's forward pass")
    return _array(_tensor_of(output, "output")), result  # type: ignore[return-value]


def _array(tensor: torch.Tensor) -> np.ndarray:
    array = to_numpy(tensor)
    assert array is not None
    return array


def cam_gradients(
    model: torch.nn.Module,
    x: torch.Tensor,
    name: str,
    class_index: int | Sequence[int] | None,
    where: str = "x",
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(output, layer output, gradient of the class score w.r.t. it, classes), channels first.

    One forward and one backward pass to the layer; the score of image ``i`` is its
    output at its class (``class_index``, or its highest output).
    """
    store: list[Any] = [None]
    (module,) = _modules(model, [name])
    with torch.enable_grad(), _inference(model), _capture([module], store, False):
        inputs = x.detach().requires_grad_(True)  # a graph even if every weight is frozen
        output = _tensor_of(_forward(model, inputs, where), "output")
        if store[0] is None:
            raise DataError(f"layer {name!r} did not run in the model's forward pass")
        feature = _tensor_of(store[0], name)
        if feature.ndim < 4:
            raise _no_spatial(name, tuple(feature.shape))
        flat = output.reshape(output.shape[0], -1)
        classes = _classes(flat, class_index)
        score = flat.gather(1, classes[:, None]).sum()
        (grad,) = torch.autograd.grad(score, feature)
    return _array(output), _array(feature), _array(grad), classes.cpu().numpy()


def _no_spatial(name: str, shape: tuple[int, ...]) -> DataError:
    return DataError(
        f"layer {name!r} of cam has output of shape {shape}, with no height and width; "
        "name a convolutional layer (Grad-CAM weighs the maps of one)"
    )


def _classes(flat: torch.Tensor, class_index: int | Sequence[int] | None) -> torch.Tensor:
    n, classes = flat.shape
    if class_index is None:
        return flat.detach().argmax(dim=1)
    wanted = [class_index] * n if isinstance(class_index, int) else list(class_index)
    for k in wanted:
        if not 0 <= k < classes:
            raise DataError(
                f"class_index of cam must lie in 0..{classes - 1} (the model has {classes} "
                f"outputs), got {k}"
            )
    return torch.tensor(wanted, device=flat.device, dtype=torch.long)


def max_activation(
    model: torch.nn.Module,
    name: str,
    filters: Sequence[int],
    input_shape: tuple[int, ...],
    steps: int,
    step_size: float,
    value_range: tuple[float, float],
    seed: int | None,
) -> np.ndarray:
    """Gradient ascent in input space for every filter at once (one batch, one graph).

    Image ``i`` of the batch maximises the spatial mean of filter ``filters[i]``; the
    forward pass stops at the layer. Returns the raw images, channels first.
    """
    (module,) = _modules(model, [name])
    lo, hi = value_range
    generator = torch.Generator().manual_seed(0 if seed is None else seed)
    noise = torch.rand((len(filters), *input_shape), generator=generator)
    start = lo + (hi - lo) * (0.5 + 0.1 * noise)
    image = start.to(device=_device(model), dtype=_dtype(model))
    index = torch.tensor(list(filters), device=image.device)
    rows = torch.arange(len(filters), device=image.device)
    store: list[Any] = [None]
    with torch.enable_grad(), _inference(model), _capture([module], store, True):
        for _ in range(steps):
            image.requires_grad_(True)
            store[0] = None
            with contextlib.suppress(_Stop):
                _forward(model, image, "input_shape of max_activation: a batch made with it")
            if store[0] is None:
                raise DataError(f"layer {name!r} did not run in the model's forward pass")
            feature = _tensor_of(store[0], name)
            if feature.ndim < 2 or int(index.max()) >= feature.shape[1]:
                raise DataError(
                    f"filters of max_activation must lie in 0..{feature.shape[1] - 1} (layer "
                    f"{name!r} has {feature.shape[1]} channels), got {list(filters)}"
                )
            chosen = feature[rows, index]
            loss = chosen.reshape(len(filters), -1).mean(dim=1).sum()
            (grad,) = torch.autograd.grad(loss, image)
            norm = grad.pow(2).reshape(len(filters), -1).mean(dim=1).sqrt() + 1e-5
            shape = (-1,) + (1,) * (grad.ndim - 1)
            with torch.no_grad():
                image = (image + step_size * grad / norm.reshape(shape)).clamp(lo, hi)
    return _array(image)
