"""How heavy a spec is for the rendering engine, and the limit no export may pass.

vl-convert runs Vega in an embedded JavaScript engine whose heap dies at about
1.4 GB and takes the Python process with it; a browser tab has the same problem.
tfvis therefore prices every spec before rendering it: each row of data a mark
draws costs that mark's weight (one unit is one point of a line), and an export
above :func:`export_limit` raises :class:`~tfvis.errors.ExportError` instead of
calling the engine. The weights and the limit were measured on vl-convert 1.9; see
``docs/output.md`` for the measurements.

Example
-------
>>> from tfvis._budget import spec_cost
>>> spec = {"mark": "line", "data": {"name": "d"}, "datasets": {"d": [{"x": 1}] * 10}}
>>> spec_cost(spec).total
10.0
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tfvis import _walk
from tfvis.errors import ExportError

__all__ = [
    "LIMIT_VARIABLE",
    "MARK_WEIGHTS",
    "Cost",
    "affordable_rows",
    "check",
    "export_limit",
    "spec_cost",
]

#: Cost of one data row drawn by each mark; one unit is about 12 µs of PNG export on
#: an idle core. Lines are priced for PNG's worst case (a jagged line crossing the
#: whole plot in every pixel column); SVG and PDF draw them ~10× cheaper.
MARK_WEIGHTS: dict[str, float] = {
    "line": 25.0,
    "area": 12.0,
    "trail": 25.0,
    "rule": 10.0,
    "tick": 10.0,
    "point": 10.0,
    "circle": 10.0,
    "square": 10.0,
    "bar": 12.0,
    "rect": 3.0,
    "text": 250.0,
    "image": 10.0,
}
#: Cost of each pixel an image mark embeds (its data rows say how many in a column
#: named :data:`IMAGE_PIXELS`): vl-convert decodes and draws 4 million pixels in about
#: half a second, and holds the base64 text of each in its heap.
IMAGE_PIXEL_WEIGHT = 0.05
IMAGE_PIXELS = "pixels"
IMAGE_PIXEL_PART = "image pixel"
#: Cost of one label on a discrete axis or legend: each is a text item measured one by
#: one (tfvis cuts them to a few dozen characters, so their length is bounded).
AXIS_LABEL_WEIGHT = 250.0
AXIS_LABELS = "axis label"

#: Measured on vl-convert 1.9 (2 cores): every chart under this limit exported in
#: under ~12 s and 1.5 GB; every input that crashed the engine costs at least 2.1×
#: the limit (rects; lines 37×, points 7×). See docs/output.md.
DEFAULT_LIMIT = 1_000_000.0
LIMIT_VARIABLE = "TFVIS_EXPORT_LIMIT"


@dataclass(frozen=True)
class Cost:
    """The price of a spec: the total and what each mark contributes."""

    total: float
    parts: tuple[tuple[str, int, float], ...]  # (mark, rows, cost)

    def describe(self) -> str:
        """``'4,000 line rows, 120 labels'``: what the cost is made of."""
        return ", ".join(
            f"{rows:,} label{'' if rows == 1 else 's'}"
            if mark == AXIS_LABELS
            else f"{rows:,} image pixel{'' if rows == 1 else 's'}"
            if mark == IMAGE_PIXEL_PART
            else f"{rows:,} {mark} row{'' if rows == 1 else 's'}"
            for mark, rows, _ in self.parts
        )


def export_limit() -> float:
    """The cost above which exports refuse to run.

    Set the environment variable ``TFVIS_EXPORT_LIMIT`` to a larger number to raise
    it, at the risk of the process being killed by the engine running out of memory.
    """
    raw = os.environ.get(LIMIT_VARIABLE)
    if raw is None or raw.strip() == "":
        return DEFAULT_LIMIT
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value <= 0:
        raise ExportError(
            f"Environment variable {LIMIT_VARIABLE} must be a positive number, got {raw!r}"
        )
    return value


def affordable_rows(weight_per_row: float, limit: float | None = None) -> int:
    """How many rows of data at this cost the limit allows (at least 1)."""
    limit = export_limit() if limit is None else limit
    return max(1, int(limit // weight_per_row))


def spec_cost(spec: Mapping[str, Any]) -> Cost:
    """Price a Vega-Lite spec whose data lives in top-level ``datasets``.

    Every unit view is priced, however it is nested (layer, concat, facet, repeat:
    :func:`tfvis._walk.units`), at its data's rows times its mark's weight, times the
    copies a ``repeat`` draws.
    """
    datasets = spec.get("datasets", {})
    parts: list[tuple[str, int, float]] = []
    for unit in _walk.units(spec):
        if unit.inline_rows is not None:
            rows = unit.inline_rows
        else:
            rows = len(datasets.get(unit.data, ())) if unit.data is not None else 0
        rows *= unit.copies
        kind = _walk.mark_type(unit)
        weight = MARK_WEIGHTS.get(kind, max(MARK_WEIGHTS.values()))
        parts.append((kind, rows, rows * weight))
        data = datasets.get(unit.data) if unit.data is not None else None
        if kind == "image":
            pixels = int(_total(data, IMAGE_PIXELS)) * unit.copies
            if pixels:
                parts.append((IMAGE_PIXEL_PART, pixels, pixels * IMAGE_PIXEL_WEIGHT))
        labels = _discrete_labels(unit.node.get("encoding", {}), data) * unit.copies
        if labels:
            parts.append((AXIS_LABELS, labels, labels * AXIS_LABEL_WEIGHT))
    return Cost(sum(cost for _, _, cost in parts), tuple(parts))


_GUIDED = ("x", "y", "color", "fill", "stroke", "shape", "size", "opacity")


def _discrete_labels(encoding: Mapping[str, Any], data: Any) -> int:
    """Labels the discrete axes and legends of one view draw.

    Each is a text the engine measures: counted from the scale's domain when the spec
    lists it, otherwise from the distinct values of the field in the view's data.
    """
    count = 0
    for channel in _GUIDED:
        definition = encoding.get(channel, {})
        if not isinstance(definition, Mapping) or definition.get("type") not in (
            "ordinal",
            "nominal",
        ):
            continue
        guide = "axis" if channel in ("x", "y") else "legend"
        if guide in definition and definition[guide] is None:
            continue
        scale = definition.get("scale") or {}
        domain = scale.get("domain") if isinstance(scale, Mapping) else None
        if isinstance(domain, list):
            count += len(domain)
        elif isinstance(definition.get("field"), str):
            count += _distinct(data, definition["field"])
    return count


def _total(data: Any, field: str) -> float:
    """The sum of a numeric field: from Records columns, or rows of dicts."""
    total = getattr(data, "total", None)
    if callable(total):
        return float(total(field))
    if isinstance(data, list):
        return float(
            sum(
                row[field]
                for row in data
                if isinstance(row, Mapping) and isinstance(row.get(field), int | float)
            )
        )
    return 0.0


def _distinct(data: Any, field: str) -> int:
    """Distinct values of a field: from Records columns, or rows of dicts."""
    distinct = getattr(data, "distinct", None)
    if callable(distinct):
        return int(distinct(field))
    if isinstance(data, list):
        return len({row.get(field) for row in data if isinstance(row, Mapping)})
    return 0


def check(cost: Cost, output: str, hint: str | None) -> None:
    """Raise :class:`ExportError` before rendering a spec above the limit."""
    limit = export_limit()
    if cost.total <= limit:
        return
    advice = f" {hint}." if hint else ""
    raise ExportError(
        f"This chart is too large to render as {output}: it costs {cost.total:,.0f} units "
        f"({cost.describe()}), above the limit of {limit:,.0f} that keeps the rendering "
        f"engine from running out of memory and killing Python.{advice} To raise the limit "
        f"at your own risk, set the environment variable {LIMIT_VARIABLE}."
    )
