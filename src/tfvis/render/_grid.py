"""What the matrix charts share: cell limits, axes of cells, and the PNG image of big grids.

``render.heatmap`` and ``render.confusion_matrix`` both draw a matrix as cells. Up to
a few pixels a cell each cell is a rect on a band axis (:meth:`Axis.band`); beyond
that the matrix is reduced to blocks (block means for a heatmap, class groups for a
confusion matrix) drawn as rects on a linear axis of the original indices
(:meth:`Axis.continuous`), and as one image mark in PNG (:func:`image_spec`), whose
colours are sampled from the very Vega scale the interactive chart uses.
"""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np

from tfvis import _budget, _engine
from tfvis._options import VegaType
from tfvis._raster import colorize, png_data_url
from tfvis.render import _spec

__all__ = ["MIN_CELL_PIXELS", "Axis", "cell_limits", "image_spec", "max_cells"]

MIN_CELL_PIXELS = 4


def max_cells(pixels: float) -> int:
    """Cells an axis of this many pixels can show: one per four pixels.

    Finer cells cost render time (about 0.1 ms each in vl-convert) without showing
    more: the plot area is smaller than the picture.
    """
    return max(1, int(pixels // MIN_CELL_PIXELS))


def cell_limits(width: float, height: float) -> tuple[int, int]:
    """Cells per axis: one per few pixels, and never more than the export limit allows."""
    limit_x, limit_y = max_cells(width), max_cells(height)
    affordable = _budget.affordable_rows(_budget.MARK_WEIGHTS["rect"])
    if limit_x * limit_y > affordable:
        shrink = math.sqrt(affordable / (limit_x * limit_y))
        limit_x, limit_y = max(1, int(limit_x * shrink)), max(1, int(limit_y * shrink))
    return limit_x, limit_y


class Axis:
    """One axis of a grid: its title, type, optional tick labels and cell count."""

    def __init__(
        self,
        field: str,
        title: str | None,
        kind: VegaType,
        labels: tuple[str, ...] | None,
        count: int,
    ) -> None:
        self.field, self.title, self.kind, self.labels, self.count = (
            field,
            title,
            kind,
            labels,
            count,
        )
        self.params: list[dict[str, Any]] = []
        self.label_expr: str | None = None
        self.label_param = f"tfvis_{field}_labels"
        if labels is not None:
            param, self.label_expr = _spec.label_lookup(self.label_param, labels)
            self.params.append(param)

    def band(self, **axis: Any) -> dict[str, Any]:
        """Cells at positions 0..count-1, in order, touching; labels by lookup.

        ``axis`` overrides the axis properties (``labelAngle``, ``labelOverlap``...).
        """
        # y labels stay horizontal however many rows there are; x labels turn to
        # vertical past 12 columns, so they never overlap their neighbours. Long labels
        # are cut with an ellipsis (the tooltip has the whole text), and labels that
        # still collide are thinned.
        angle = 0 if self.field == "y" or self.count <= 12 else -90
        properties: dict[str, Any] = {"labelAngle": angle, **_spec.NO_PIXEL_LIMIT}
        if self.count > 12:
            properties["labelOverlap"] = "greedy"
        if self.label_expr:
            properties["labelExpr"] = self.label_expr
        properties.update(axis)
        return {
            "field": self.field,
            "type": self.kind,
            "title": self.title,
            "axis": properties,
            "scale": {"domain": list(range(self.count)), "paddingInner": 0, "paddingOuter": 0},
        }

    def continuous(self, reverse: bool = False) -> dict[str, Any]:
        """Original indices on a linear axis, for block cells; labels at integer ticks."""
        axis: dict[str, Any] = {
            "tickMinStep": 1,
            "format": "d",
            "labelOverlap": True,
            **_spec.NO_PIXEL_LIMIT,
        }
        if self.label_expr:
            # Our own expression reading the label list by index: no user text is pasted.
            lookup = f"{self.label_param}[datum.value]"
            axis["labelExpr"] = f"isValid({lookup}) ? {_spec.short_label(lookup)} : ''"
        return {
            "field": self.field,
            "type": "quantitative",
            "title": self.title,
            "axis": axis,
            "scale": {
                "domain": [-0.5, self.count - 0.5],
                "nice": False,
                "zero": False,
                "reverse": reverse,
            },
        }

    def name_formula(self, first: str, last: str) -> dict[str, Any]:
        """A transform naming each cell's row or column span, as the tooltip shows it.

        ``first`` and ``last`` are fields holding original indices; the names are the
        tick labels (read from the label parameter by index) or the indices. Only tfvis's
        own field and parameter names appear in the expression.
        """

        def label(field: str) -> str:
            if self.labels is None:
                return f"'' + datum.{field}"
            return f"{self.label_param}[datum.{field}]"

        if first == last:
            expression = label(first)
        else:
            expression = (
                f"datum.{first} == datum.{last} ? {label(first)} : "
                f"{label(first)} + ' \u2013 ' + {label(last)}"
            )
        return {"calculate": expression, "as": f"{self.field}l"}

    def names(self, first: np.ndarray, last: np.ndarray) -> np.ndarray:
        """Tooltip text for cells covering original indices first..last."""
        text = np.array(
            self.labels if self.labels else [str(i) for i in range(self.count)], dtype=object
        )
        names: np.ndarray = np.where(first == last, text[first], text[first] + " – " + text[last])
        return names


def image_spec(
    values: np.ndarray,
    block: tuple[int, int],
    x: Axis,
    y: Axis,
    scale: dict[str, Any],
    domain: tuple[float, float],
) -> dict[str, Any]:
    """Block values as one image mark, for PNG, with the same axes and legend.

    ``values[i, j]`` is the block at x block ``i`` and y block ``j``; NaN blocks are
    transparent (the white background shows). Thousands of rect marks take seconds
    to draw; one image takes a fraction of that. The image is coloured in numpy with
    colours sampled from the Vega scale ``scale`` (without its domain), so both
    pictures match. The spec carries its two tiny datasets itself, so the cells'
    records are never built for a PNG.
    """
    lo, hi = domain
    colors = np.array(_engine.scale_colors(json.dumps(scale, sort_keys=True)), np.uint8)
    rgba = colorize(values.T, lo, hi, colors)  # image rows are y, top row first
    b_x, b_y = block
    extent = {
        "url": png_data_url(rgba),
        "x": -0.5,
        "x2": values.shape[0] * b_x - 0.5,
        "y": -0.5,
        "y2": values.shape[1] * b_y - 0.5,
    }
    image = {
        "data": {"name": "tfvis_image"},
        # Nearest-neighbour sampling: each block is a crisp cell, as its rect is in
        # SVG, and the engine does not smooth (half the time of a smoothed image).
        "mark": {"type": "image", "aspect": False, "smooth": False, "clip": True},
        "encoding": {
            "url": {"field": "url", "type": "nominal"},
            "x": x.continuous(),
            "x2": {"field": "x2"},
            "y": y.continuous(reverse=True),
            "y2": {"field": "y2"},
        },
    }
    legend = {
        "data": {"name": "tfvis_legend"},
        "mark": {"type": "point", "opacity": 0},
        "encoding": {
            "fill": {
                "field": "value",
                "type": "quantitative",
                "title": None,
                "scale": {**scale, "domain": [lo, hi]},
            }
        },
    }
    spec: dict[str, Any] = {
        "layer": [image, legend],
        "datasets": {"tfvis_image": [extent], "tfvis_legend": [{"value": lo}, {"value": hi}]},
    }
    if x.params + y.params:
        spec["params"] = x.params + y.params
    return spec
