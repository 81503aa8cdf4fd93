"""Model summaries and layer weights, for Keras 3 models and ``torch.nn.Module``.

Looking never changes the model. Keras layers are read through their public
attributes (``layers``, ``output``, ``count_params``, ``trainable_weights``...).
PyTorch modules are counted from their parameters; with ``input_shape`` their output
shapes come from forward hooks during one forward pass on the **meta device**:
``torch.func.functional_call`` runs the model with meta copies of its parameters
and buffers (tensors with a shape and no data), so nothing is computed, no weight
is copied or moved, the train/eval mode is left as it is (a BatchNorm in train mode
updates only the meta copies of its statistics) and the hooks are removed even when
the forward pass fails. During that pass ``functional_call`` swaps the module's
tensors for the meta copies and puts them back afterwards: do not train the same
model in another thread meanwhile.

Example
-------
>>> import torch  # doctest: +SKIP
>>> from tfvis._frameworks._summary import summarize
>>> summary = summarize(torch.nn.Sequential(torch.nn.Linear(4, 2)), (4,))  # doctest: +SKIP
>>> summary.rows[0].output_shape, summary.total  # doctest: +SKIP
('[batch,2]', 10)
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from tfvis._frameworks import model_kind, to_numpy
from tfvis._text import describe
from tfvis.errors import DataError

__all__ = ["LayerRow", "Summary", "format_shape", "summarize", "weights"]

#: The batch size of the meta-device pass: a prime no layer is likely to have as a
#: size, so a dimension of this size is shown as ``batch``. Meta tensors hold no
#: data, so its size costs nothing (and BatchNorm in train mode needs more than 1).
META_BATCH = 4099
UNKNOWN = "?"


@dataclass(frozen=True)
class LayerRow:
    """One row of a model summary."""

    name: str
    type: str
    output_shape: str
    params: int
    trainable: bool | str


@dataclass(frozen=True)
class Summary:
    """A model's layers and parameter counts.

    ``total`` equals Keras' ``model.count_params()`` or PyTorch's
    ``sum(p.numel() for p in model.parameters())``; it never includes optimizer
    variables, counted apart in ``optimizer`` (Keras, once the optimizer is built;
    None otherwise).
    """

    framework: str
    rows: tuple[LayerRow, ...]
    total: int
    trainable: int
    non_trainable: int
    optimizer: int | None
    notes: tuple[str, ...] = ()


def format_shape(shape: Sequence[Any] | None, batch: int | None = None) -> str:
    """A shape as tfjs-vis writes one: ``[batch,28,28,1]``, ``Scalar`` for 0-d.

    A leading None (Keras' unknown batch) and, for PyTorch, dimensions of the
    meta batch size are written ``batch``.

    >>> format_shape((None, 10)), format_shape(()), format_shape((3, 4))
    ('[batch,10]', 'Scalar', '[3,4]')
    """
    if shape is None:
        return UNKNOWN
    sides = list(shape)
    if not sides:
        return "Scalar"
    shown = [
        "batch" if (side is None and k == 0) or (batch is not None and side == batch) else side
        for k, side in enumerate(sides)
    ]
    return "[" + ",".join("?" if side is None else str(side) for side in shown) + "]"


def summarize(model: Any, input_shape: Sequence[int] | None = None) -> Summary:
    """The summary of a Keras 3 model (or layer) or a ``torch.nn.Module``."""
    kind = model_kind(model)
    if kind == "keras":
        return _keras_summary(model, input_shape)
    if kind == "torch":
        return _torch_summary(model, input_shape)
    raise DataError(
        f"model_summary needs a Keras 3 model or a torch.nn.Module, got {describe(model)}"
    )


def weights(layer: Any) -> list[tuple[str, np.ndarray]]:
    """Every weight of a Keras layer or torch module, by name, as numpy arrays.

    Keras: ``layer.weights`` (trainable and not, as tfjs-vis' ``getWeights``), named
    by their ``path``. PyTorch: the parameters and then the buffers (BatchNorm's
    running statistics), named as ``named_parameters`` names them. Values are
    copied to the CPU; the layer is not touched.
    """
    kind = model_kind(layer)
    if kind == "keras":
        found = []
        for variable in layer.weights:
            name = getattr(variable, "path", None) or getattr(variable, "name", "?")
            found.append((str(name), _array(variable)))
        return found
    if kind == "torch":
        tensors = [*layer.named_parameters(), *layer.named_buffers()]
        return [(name, _array(tensor)) for name, tensor in tensors]
    raise DataError(f"layer needs a Keras 3 layer or a torch.nn.Module, got {describe(layer)}")


def _array(value: Any) -> np.ndarray:
    array = to_numpy(value)
    if array is None:  # pragma: no cover - every framework tensor converts
        raise DataError(f"could not read the weight {describe(value)}")
    return array


def _size(shape: Sequence[Any]) -> int:
    return math.prod(int(side) for side in shape)


# ----------------------------------------------------------------------------- Keras


def _keras_summary(model: Any, input_shape: Sequence[int] | None) -> Summary:
    if not getattr(model, "built", False):
        raise DataError(
            f"model_summary needs a built Keras model, got an unbuilt {type(model).__name__}: "
            "give it a keras.Input, call model.build((None, *input_shape)) or call it on "
            "data once (tfvis does not build it: that would create its weights)"
        )
    layers = list(getattr(model, "layers", None) or [model])
    rows = []
    for layer in layers:
        rows.append(
            LayerRow(
                name=str(layer.name),
                type=type(layer).__name__,
                output_shape=_keras_output_shape(layer),
                params=int(layer.count_params()) if getattr(layer, "built", False) else 0,
                trainable=bool(layer.trainable),
            )
        )
    trainable = sum(_size(w.shape) for w in model.trainable_weights)
    non_trainable = sum(_size(w.shape) for w in model.non_trainable_weights)
    optimizer = None
    compiled = getattr(model, "compiled", False)
    built_optimizer = getattr(model, "optimizer", None) if compiled else None
    if built_optimizer is not None and getattr(built_optimizer, "built", False):
        optimizer = sum(_size(v.shape) for v in built_optimizer.variables)
    notes: tuple[str, ...] = ()
    if input_shape is not None:
        notes = ("input_shape is not used for Keras models: their layers know their shapes",)
    return Summary(
        "keras",
        tuple(rows),
        total=int(model.count_params()),
        trainable=trainable,
        non_trainable=non_trainable,
        optimizer=optimizer,
        notes=notes,
    )


def _keras_output_shape(layer: Any) -> str:
    try:
        output = layer.output
    except (AttributeError, ValueError, RuntimeError):
        return UNKNOWN  # a layer of a subclassed model, never called symbolically
    if isinstance(output, list | tuple):
        return "[" + ", ".join(format_shape(tuple(t.shape)) for t in output) + "]"
    return format_shape(tuple(output.shape))


# ----------------------------------------------------------------------------- PyTorch


def _torch_rows(model: Any) -> Iterator[tuple[str, Any]]:
    """The modules shown as rows: the model's children, containers opened up.

    ``nn.Sequential``, ``nn.ModuleList`` and ``nn.ModuleDict`` only hold layers, so
    their children are shown instead (``features.0``, ``features.1``...), the names
    ``named_modules`` gives them.
    """
    import torch

    containers = (torch.nn.Sequential, torch.nn.ModuleList, torch.nn.ModuleDict)

    def walk(prefix: str, module: Any) -> Iterator[tuple[str, Any]]:
        for name, child in module.named_children():
            path = f"{prefix}{name}"
            if isinstance(child, containers) and len(child):
                yield from walk(f"{path}.", child)
            else:
                yield path, child

    yielded = False
    for row in walk("", model):
        yielded = True
        yield row
    if not yielded:
        yield type(model).__name__, model  # a single layer


def _torch_summary(model: Any, input_shape: Sequence[int] | None) -> Summary:
    modules = list(_torch_rows(model))
    own = [p for _, p in model.named_parameters(recurse=False)]
    shapes: dict[int, str] = {}
    notes: list[str] = []
    if input_shape is not None:
        shapes, notes = _meta_shapes(model, modules, _checked_shape(input_shape))
    rows = []
    for name, module in modules:
        parameters = list(module.parameters())
        flags = {p.requires_grad for p in parameters}
        trainable: bool | str = "partly" if len(flags) > 1 else flags.pop() if flags else True
        rows.append(
            LayerRow(
                name=name,
                type=type(module).__name__,
                output_shape=shapes.get(id(module), UNKNOWN),
                params=sum(p.numel() for p in parameters),
                trainable=trainable,
            )
        )
    if own and modules[0][1] is not model:
        count = sum(p.numel() for p in own)
        flags = {p.requires_grad for p in own}
        rows.append(
            LayerRow(
                "(own parameters)",
                type(model).__name__,
                "",
                count,
                "partly" if len(flags) > 1 else flags.pop(),
            )
        )
    parameters = list(model.parameters())
    trainable_count = sum(p.numel() for p in parameters if p.requires_grad)
    total = sum(p.numel() for p in parameters)
    return Summary(
        "torch",
        tuple(rows),
        total=total,
        trainable=trainable_count,
        non_trainable=total - trainable_count,
        optimizer=None,
        notes=tuple(notes),
    )


def _checked_shape(input_shape: Any) -> tuple[int, ...]:
    if isinstance(input_shape, int) and not isinstance(input_shape, bool):
        input_shape = (input_shape,)
    if (
        isinstance(input_shape, str)
        or not isinstance(input_shape, Sequence)
        or not input_shape
        or not all(
            isinstance(side, int | np.integer) and not isinstance(side, bool) and side > 0
            for side in input_shape
        )
    ):
        raise DataError(
            "input_shape must be the shape of one sample without the batch, a tuple of "
            f"positive integers such as (1, 28, 28), got {describe(input_shape)}"
        )
    return tuple(int(side) for side in input_shape)


def _meta_shapes(
    model: Any, modules: list[tuple[str, Any]], input_shape: tuple[int, ...]
) -> tuple[dict[int, str], list[str]]:
    """Output shapes of the row modules from one forward pass on the meta device."""
    import torch

    tensors = {
        name: torch.empty_like(tensor, device="meta")
        for name, tensor in [
            *model.named_parameters(remove_duplicate=False),
            *model.named_buffers(remove_duplicate=False),
        ]
    }
    first = next(iter(tensors.values()), None)
    dtype = first.dtype if first is not None and first.is_floating_point() else torch.float32
    sample = torch.empty((META_BATCH, *input_shape), device="meta", dtype=dtype)
    shapes: dict[int, str] = {}

    def record(module: Any, _inputs: Any, output: Any) -> None:
        shape = _output_shape(output)
        known = shapes.get(id(module))
        shapes[id(module)] = shape if known in (None, shape) else "multiple"

    handles = [module.register_forward_hook(record) for _, module in modules]
    notes: list[str] = []
    try:
        with torch.no_grad():
            torch.func.functional_call(model, tensors, (sample,), strict=False)
    except Exception as error:
        notes.append(
            "Some output shapes are unknown (?): the model could not run on the meta device "
            f"(which computes nothing) with input_shape {input_shape}: "
            f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"
        )
    finally:
        for handle in handles:
            handle.remove()
    return shapes, notes


def _output_shape(output: Any) -> str:
    shape = getattr(output, "shape", None)
    if shape is not None and hasattr(output, "device"):
        return format_shape(tuple(shape), batch=META_BATCH)
    if isinstance(output, list | tuple):
        return "[" + ", ".join(_output_shape(item) for item in output) + "]"
    if isinstance(output, dict):
        return "{" + ", ".join(f"{k}: {_output_shape(v)}" for k, v in output.items()) + "}"
    return UNKNOWN
