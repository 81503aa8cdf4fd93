"""The one walker over Vega-Lite views.

A Vega-Lite spec nests views in six ways: ``layer``, ``concat``, ``hconcat``,
``vconcat``, ``facet`` (with ``spec``) and ``repeat`` (with ``spec``). Everything in
tfvis that looks inside a spec (the export guard's pricing, the datasets a view
draws, title protection, the mark names in ``repr``, the size of the picture,
renaming for composition) walks it with :func:`views`, so a chart nested in any of
them is seen by all of them.

Example
-------
>>> from tfvis import _walk
>>> spec = {"hconcat": [{"mark": "line", "data": {"name": "a"}},
...                     {"layer": [{"mark": "rule"}], "data": {"name": "b"}}]}
>>> [(v.path, v.data) for v in _walk.units(spec)]
[(('hconcat', 0), 'a'), (('hconcat', 1, 'layer', 0), 'b')]
>>> _walk.dataset_names(spec)
['a', 'b']
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "CHILD_LISTS",
    "View",
    "dataset_names",
    "mark_names",
    "mark_type",
    "picture_size",
    "units",
    "views",
]

#: Keys whose value is a list of child views.
CHILD_LISTS = ("layer", "concat", "hconcat", "vconcat")
#: Keys whose value is one child view, repeated or faceted by its parent.
_CHILD_SPEC = "spec"
#: Room Vega-Lite leaves between concatenated views, in pixels (its default spacing).
_SPACING = 20.0


@dataclass(frozen=True)
class View:
    """One view of a spec, with what it inherits from the views around it.

    Attributes
    ----------
    node
        The view's dict itself (edits to it change the spec).
    path
        Keys and indices from the top to this view: ``("hconcat", 1, "layer", 0)``.
    data
        Name of the dataset the view draws, its own or inherited; None for none
        (inline ``data.values`` are counted in :attr:`inline_rows`).
    inline_rows
        Rows of the view's inline ``data.values``, own or inherited; None if none.
    copies
        How many times the view is drawn: a ``repeat`` draws its spec once per
        repeated field.
    """

    node: dict[str, Any]
    path: tuple[str | int, ...]
    data: str | None
    inline_rows: int | None
    copies: int

    @property
    def is_unit(self) -> bool:
        """True for a view that draws a mark."""
        return "mark" in self.node


def views(spec: Mapping[str, Any]) -> Iterator[View]:
    """Every view of ``spec``, the top first, parents before their children."""
    yield from _walk(spec, (), None, None, 1)


def units(spec: Mapping[str, Any]) -> Iterator[View]:
    """The views of ``spec`` that draw a mark."""
    return (view for view in views(spec) if view.is_unit)


def _walk(
    node: Mapping[str, Any],
    path: tuple[str | int, ...],
    data: str | None,
    inline: int | None,
    copies: int,
) -> Iterator[View]:
    if not isinstance(node, dict):
        return
    own = node.get("data")
    if isinstance(own, Mapping):
        if isinstance(own.get("name"), str):
            data, inline = own["name"], None
        elif isinstance(own.get("values"), list):
            data, inline = None, len(own["values"])
    yield View(node, path, data, inline, copies)
    for key in CHILD_LISTS:
        children = node.get(key)
        if isinstance(children, list):
            for index, child in enumerate(children):
                yield from _walk(child, (*path, key, index), data, inline, copies)
    child = node.get(_CHILD_SPEC)
    if isinstance(child, dict):
        yield from _walk(child, (*path, _CHILD_SPEC), data, inline, copies * _repeats(node))


def _repeats(node: Mapping[str, Any]) -> int:
    """How many copies of its ``spec`` a repeat draws (a facet splits, not copies)."""
    repeat = node.get("repeat")
    if isinstance(repeat, list):
        return max(1, len(repeat))
    if isinstance(repeat, Mapping):
        return math.prod(max(1, len(v)) for v in repeat.values() if isinstance(v, list))
    return 1


def dataset_names(spec: Mapping[str, Any]) -> list[str]:
    """Names of the datasets ``spec`` reads, in the order they first appear.

    Views' ``data.name`` and the ``from.data.name`` of lookup transforms.
    """
    names: dict[str, None] = {}
    for view in views(spec):
        own = view.node.get("data")
        if isinstance(own, Mapping) and isinstance(own.get("name"), str):
            names[own["name"]] = None
        for transform in view.node.get("transform", []):
            source = transform.get("from", {}) if isinstance(transform, Mapping) else {}
            data = source.get("data", {}) if isinstance(source, Mapping) else {}
            if isinstance(data, Mapping) and isinstance(data.get("name"), str):
                names[data["name"]] = None
    return list(names)


def mark_type(view: View) -> str:
    """The mark a unit view draws (``"line"``, ``"rect"`` ...)."""
    mark = view.node.get("mark")
    return str(mark.get("type", "")) if isinstance(mark, Mapping) else str(mark)


def mark_names(spec: Mapping[str, Any]) -> list[str]:
    """The marks ``spec`` draws, each once, in order."""
    return list(dict.fromkeys(mark_type(view) for view in units(spec)))


def picture_size(spec: Mapping[str, Any]) -> tuple[float, float]:
    """The size of the whole picture in pixels, estimated from the declared sizes.

    A unit or layer is its ``width`` × ``height`` (with ``autosize: fit``, the
    whole picture; otherwise the plot, so axes add to it); ``hconcat`` adds widths,
    ``vconcat`` heights, ``concat`` wraps after ``columns``, each with Vega-Lite's
    spacing; a ``repeat`` multiplies. Views without a size count as 0.
    """
    return _size(spec)


def _number(value: Any) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def _size(node: Mapping[str, Any]) -> tuple[float, float]:
    width, height = _number(node.get("width")), _number(node.get("height"))
    if isinstance(node.get("layer"), list):
        sizes = [_size(child) for child in node["layer"] if isinstance(child, Mapping)]
        width = width or max((w for w, _ in sizes), default=0.0)
        height = height or max((h for _, h in sizes), default=0.0)
        return width, height
    for key, sideways in (("hconcat", True), ("vconcat", False)):
        if isinstance(node.get(key), list):
            sizes = [_size(child) for child in node[key] if isinstance(child, Mapping)]
            gaps = _SPACING * max(0, len(sizes) - 1)
            if sideways:
                return sum(w for w, _ in sizes) + gaps, max((h for _, h in sizes), default=0.0)
            return max((w for w, _ in sizes), default=0.0), sum(h for _, h in sizes) + gaps
    if isinstance(node.get("concat"), list):
        sizes = [_size(child) for child in node["concat"] if isinstance(child, Mapping)]
        columns = node.get("columns")
        per_row = int(columns) if isinstance(columns, int) and columns > 0 else len(sizes) or 1
        rows = [sizes[i : i + per_row] for i in range(0, len(sizes), per_row)]
        widths = [sum(w for w, _ in row) + _SPACING * (len(row) - 1) for row in rows]
        heights = [max(h for _, h in row) for row in rows]
        return max(widths, default=0.0), sum(heights) + _SPACING * max(0, len(rows) - 1)
    child = node.get(_CHILD_SPEC)
    if isinstance(child, Mapping):
        inner_w, inner_h = _size(child)
        repeat = node.get("repeat")
        if isinstance(repeat, list):
            columns = node.get("columns")
            per_row = int(columns) if isinstance(columns, int) and columns > 0 else len(repeat)
            across = min(per_row, len(repeat)) or 1
            down = math.ceil(len(repeat) / across) if repeat else 1
        elif isinstance(repeat, Mapping):
            across = max(1, len(repeat.get("column", []) or [None]))
            down = max(1, len(repeat.get("row", []) or [None]))
        else:  # a facet: the number of panels depends on the data; one is the floor
            across = down = 1
        return inner_w * across + _SPACING * (across - 1), inner_h * down + _SPACING * (down - 1)
    return width, height
