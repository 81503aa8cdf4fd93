"""``show.model_summary`` and ``show.layer``: tables of a model's layers and a layer's weights."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tfvis._container import place
from tfvis._frameworks import _summary
from tfvis._stats import array_stats
from tfvis._table import Table
from tfvis.show._call import split_container

__all__ = ["layer", "modelSummary", "model_summary"]


def model_summary(*args: Any, input_shape: Sequence[int] | None = None) -> Table:
    """Show a model's layers: ``Layer Name | Type | Output Shape | # Of Params | Trainable``.

    Under the table: the total, trainable and non-trainable parameter counts
    (also in ``table.report``). The total equals Keras' ``model.count_params()`` or
    PyTorch's ``sum(p.numel() for p in model.parameters())``: it counts the model's
    weights and never the optimizer's variables, which Keras' own ``summary()``
    adds to its total after training (tfvis shows them on a line of their own).

    Parameters
    ----------
    model
        A built Keras 3 model (or layer), or a ``torch.nn.Module``.
    input_shape
        PyTorch only: the shape of one input sample without the batch, e.g.
        ``(1, 28, 28)``, to show output shapes. They are found on the meta device:
        nothing is computed and the model is not moved, changed or switched between
        train and eval mode. Without it the shapes show as ``?``.

    Also callable in tfjs-vis order, ``model_summary(container, model)``.

    Returns
    -------
    Table

    Example
    -------
    >>> import torch  # doctest: +SKIP
    >>> from tfvis import show
    >>> model = torch.nn.Sequential(torch.nn.Linear(784, 32), torch.nn.ReLU(),
    ...                             torch.nn.Linear(32, 10))  # doctest: +SKIP
    >>> show.model_summary(model, input_shape=(784,)).rows[0]  # doctest: +SKIP
    ['0', 'Linear', '[batch,32]', 25120, True]
    """
    container, rest = split_container("model_summary", args, 2)
    if len(rest) == 2:
        if input_shape is not None:
            raise TypeError("model_summary() got input_shape twice")
        input_shape = rest[1]
    summary = _summary.summarize(rest[0], input_shape)
    rows = [[r.name, r.type, r.output_shape, r.params, r.trainable] for r in summary.rows]
    caption = [
        f"Total params: {summary.total:,}",
        f"Trainable params: {summary.trainable:,}",
        f"Non-trainable params: {summary.non_trainable:,}",
    ]
    if summary.optimizer is not None:
        caption.append(
            f"Optimizer params: {summary.optimizer:,} (not in the total; Keras' summary() "
            "adds them to its own)"
        )
    report = {
        "framework": summary.framework,
        "total_params": summary.total,
        "trainable_params": summary.trainable,
        "non_trainable_params": summary.non_trainable,
        "optimizer_params": summary.optimizer,
    }
    table = Table(
        ["Layer Name", "Type", "Output Shape", "# Of Params", "Trainable"],
        rows,
        caption=[*caption, *summary.notes],
        report=report,
        kind="model_summary",
    )
    place(table, container)
    return table


def layer(*args: Any) -> Table:
    """Show a layer's weights: ``Weight Name | Shape | Min | Max | # Params | # Zeros | # NaNs
    | # Infinity``.

    For a histogram of one weight, pass it to :func:`tfvis.show.values_distribution`
    (``show.values_distribution(dense.kernel)``, ``show.values_distribution(conv.weight)``).

    Parameters
    ----------
    layer
        A Keras 3 layer (all its weights, trainable or not, named by their path) or a
        ``torch.nn.Module`` (its parameters, then its buffers such as BatchNorm's
        running statistics).

    Also callable in tfjs-vis order, ``layer(container, layer)``.

    Returns
    -------
    Table

    Example
    -------
    >>> import torch  # doctest: +SKIP
    >>> from tfvis import show
    >>> show.layer(torch.nn.Linear(4, 2)).rows[1][:2]  # doctest: +SKIP
    ['bias', '[2]']
    """
    container, (target,) = split_container("layer", args, 1)
    rows = []
    for name, values in _summary.weights(target):
        stats = array_stats(values)
        nan = float("nan")
        lowest = (stats.min if stats.min is not None else nan) if values.size else None
        highest = (stats.max if stats.max is not None else nan) if values.size else None
        rows.append(
            [
                name,
                _summary.format_shape(values.shape),
                lowest,
                highest,
                int(values.size),
                stats.num_zeros,
                stats.num_nans,
                stats.num_infs,
            ]
        )
    headers = ["Weight Name", "Shape", "Min", "Max", "# Params", "# Zeros", "# NaNs", "# Infinity"]
    table = Table(headers, rows, kind="layer")
    place(table, container)
    return table


#: tfjs-vis' name.
modelSummary = model_summary
