"""``show.per_class_accuracy``: a table of each class's accuracy and sample count."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tfvis._container import place
from tfvis._table import Table
from tfvis._text import describe
from tfvis._values import is_number
from tfvis.errors import DataError
from tfvis.show._call import split_container

__all__ = ["perClassAccuracy", "per_class_accuracy"]


def per_class_accuracy(*args: Any, class_labels: Sequence[Any] | None = None) -> Table:
    """Show per-class accuracy as a table: ``Class | Accuracy | # Samples``.

    Parameters
    ----------
    class_accuracy
        ``[{"accuracy": a, "count": n}, ...]``, one per class, as
        :func:`tfvis.metrics.per_class_accuracy` returns it.
    class_labels
        The class names (positional or keyword); by default ``0``, ``1``, ...

    Also callable in tfjs-vis order, ``per_class_accuracy(container, class_accuracy,
    class_labels)``, with a file path or a visor surface as the container.

    Returns
    -------
    Table

    Example
    -------
    >>> from tfvis import metrics, show
    >>> result = metrics.per_class_accuracy([0, 0, 1, 2, 2, 2], [0, 0, 0, 2, 1, 1])
    >>> show.per_class_accuracy(result, ["cat", "dog", "mouse"]).rows[0]
    ['cat', 1.0, 2]
    """
    container, rest = split_container("per_class_accuracy", args, 2)
    if len(rest) == 2:
        if class_labels is not None:
            raise TypeError("per_class_accuracy() got class_labels twice")
        class_labels = rest[1]
    accuracies = rest[0]
    if isinstance(accuracies, str | Mapping) or not isinstance(accuracies, Sequence):
        raise DataError(
            "class_accuracy must be a list of {accuracy, count} dicts (metrics."
            f"per_class_accuracy), got {describe(accuracies)}"
        )
    if class_labels is not None:
        if isinstance(class_labels, str) or not isinstance(class_labels, Sequence):
            raise DataError(f"class_labels must be a list of names, got {describe(class_labels)}")
        if len(class_labels) != len(accuracies):
            raise DataError(
                f"class_labels has {len(class_labels)} names but class_accuracy has "
                f"{len(accuracies)} classes"
            )
    rows = []
    for index, entry in enumerate(accuracies):
        if (
            not isinstance(entry, Mapping)
            or not is_number(entry.get("accuracy"))
            or not is_number(entry.get("count"))
        ):
            raise DataError(
                f"class_accuracy[{index}] must be a dict with numbers 'accuracy' and 'count', "
                f"got {describe(entry)}"
            )
        label = str(class_labels[index]) if class_labels is not None else str(index)
        rows.append([label, entry["accuracy"], entry["count"]])
    table = Table(["Class", "Accuracy", "# Samples"], rows, kind="per_class_accuracy")
    place(table, container)
    return table


#: tfjs-vis' name.
perClassAccuracy = per_class_accuracy
