"""``render.heatmap``: a matrix as a grid of coloured cells."""

from __future__ import annotations

import functools
import json
import math
import warnings
from typing import Any

import numpy as np

from tfvis import _budget, _engine
from tfvis._aggregate import Blocks, block_mean
from tfvis._chart import Chart
from tfvis._data import normalize_heatmap
from tfvis._options import HeatmapOptions, VegaType, palette
from tfvis._raster import colorize, png_data_url
from tfvis._records import Records
from tfvis.errors import DownsampleWarning
from tfvis.render import _spec

__all__ = ["heatmap"]

CELLS = "tfvis_cells"


def heatmap(*args: Any, **options: Any) -> Chart:
    """Draw a matrix as a grid of coloured cells.

    ``values[i][j]`` is drawn at column ``i`` and row ``j`` (tfjs-vis order), so
    ``xTickLabels`` label the rows of ``values`` and ``yTickLabels`` its columns;
    ``rowMajor=True`` draws ``values[i][j]`` at row ``i``, column ``j`` instead.

    Parameters
    ----------
    data
        ``{"values": matrix, "xTickLabels": [...], "yTickLabels": [...]}`` or the
        matrix alone: a 2-D nested list, array, tensor or DataFrame.
    opts, **options
        ``width``, ``height``, ``xLabel``, ``yLabel``, ``fontSize`` (12),
        ``colorMap`` ('viridis', 'blues', 'greyscale' or any Vega scheme),
        ``domain`` ([min, max] of the colour scale), ``rowMajor`` (False).

    Returns
    -------
    Chart

    Example
    -------
    >>> from tfvis import render
    >>> chart = render.heatmap(
    ...     {"values": [[1, 0, 0], [0, 0.3, 0.7], [0, 0.7, 0.3]],
    ...      "xTickLabels": ["Apple", "Orange", "Tangerine"],
    ...      "yTickLabels": ["Apple", "Orange", "Tangerine"]},
    ...     {"width": 500, "height": 300, "xLabel": "Actual Fruit",
    ...      "yLabel": "Recognized Fruit", "colorMap": "blues"},
    ... )
    """
    return _spec.render("heatmap", HeatmapOptions, _build, args, options)


def _build(data: Any, options: HeatmapOptions) -> Chart:
    heat = normalize_heatmap(data, chart="heatmap", row_major=options.row_major)
    # Column-major (tfjs-vis): values[i][j] is at x=i, y=j.
    matrix, x_labels, y_labels = heat.values, heat.x_tick_labels, heat.y_tick_labels
    n_x, n_y = matrix.shape
    limit_x, limit_y = _cell_limits(options.width, options.height)
    blocks = block_mean(matrix, limit_x, limit_y) if options.aggregate and matrix.size else None
    x = _Axis("x", options.x_label, options.x_type, x_labels, n_x)
    y = _Axis("y", options.y_label, options.y_type, y_labels, n_y)
    report: dict[str, Any] = {}
    raster_spec = None
    if blocks is None or blocks.block == (1, 1):
        xs, ys = np.meshgrid(np.arange(n_x), np.arange(n_y), indexing="ij")
        columns = {"x": xs.ravel(), "y": ys.ravel(), "value": matrix.ravel()}
        encoding: dict[str, Any] = {"x": x.band(), "y": y.band()}
        transform = [x.name_formula("x", "x"), y.name_formula("y", "y")]
    else:
        report = _record_aggregation(blocks)
        # Built only when a PNG is asked for: colouring the image samples the Vega scale.
        raster_spec = functools.partial(_image_spec, blocks, x, y, options)
        b_x, b_y = blocks.block
        xs, ys = np.meshgrid(
            np.arange(blocks.values.shape[0]), np.arange(blocks.values.shape[1]), indexing="ij"
        )
        x_first, y_first = xs.ravel() * b_x, ys.ravel() * b_y
        # The data holds each block's first original index; its last, its edges and its
        # tooltip text are computed by Vega. Block k spans [first - 0.5, last + 0.5], so
        # a tick at an integer index sits on the centre of that row or column; each block
        # reaches a quarter block into the next one, which is drawn over it (no
        # anti-aliasing seams). The marks are clipped at the plot's edge.
        columns = {"x0": x_first, "y0": y_first, "value": _shown_precision(blocks.values.ravel())}
        transform = [
            {"calculate": f"min(datum.x0 + {b_x - 1}, {n_x - 1})", "as": "x1"},
            {"calculate": f"min(datum.y0 + {b_y - 1}, {n_y - 1})", "as": "y1"},
            {"calculate": "datum.x0 - 0.5", "as": "x"},
            {"calculate": f"datum.x1 + {0.5 + b_x / 4}", "as": "x2"},
            {"calculate": "datum.y0 - 0.5", "as": "y"},
            {"calculate": f"datum.y1 + {0.5 + b_y / 4}", "as": "y2"},
            x.name_formula("x0", "x1"),
            y.name_formula("y0", "y1"),
        ]
        encoding = {
            "x": x.continuous(),
            "x2": {"field": "x2"},
            "y": y.continuous(reverse=True),
            "y2": {"field": "y2"},
        }
    # Each cell's description (its ARIA label) names what the reader sees: the tick
    # labels and the value. The axis titles travel as data in a parameter.
    titles = {
        "name": "tfvis_heat_titles",
        "value": [options.x_label or "x", options.y_label or "y"],
    }
    transform.append(
        {
            "calculate": "tfvis_heat_titles[0] + ': ' + datum.xl + '; ' + tfvis_heat_titles[1]"
            f" + ': ' + datum.yl + '; value: ' + format(datum.value, '{_spec.TOOLTIP_NUMBER}')",
            "as": "tfvis_description",
        }
    )
    encoding["description"] = {"field": "tfvis_description"}
    encoding["fill"] = {
        "field": "value",
        "type": "quantitative",
        "title": None,
        "scale": {
            **palette(options.color_map),
            **({"domain": list(options.domain)} if options.domain else {}),
        },
    }
    encoding["tooltip"] = [
        {"field": "xl", "type": "nominal", "title": options.x_label or "x"},
        {"field": "yl", "type": "nominal", "title": options.y_label or "y"},
        {
            "field": "value",
            "type": "quantitative",
            "title": "value",
            "format": _spec.TOOLTIP_NUMBER,
        },
    ]
    cells: dict[str, Any] = {
        "data": {"name": CELLS},
        "params": [*x.params, *y.params, titles],
        "transform": transform,
        "mark": {"type": "rect", "clip": True},
        "encoding": encoding,
    }
    return _spec.finish(
        cells,
        {CELLS: Records(**columns)},
        kind="heatmap",
        width=options.width,
        height=options.height,
        font_size=options.font_size,
        title=_spec.title_block(options.title, options.subtitle),
        report=report,
        reduction_hint="Leave aggregate=True (the default) so tfvis draws block means",
        raster_spec=raster_spec,
    )


MIN_CELL_PIXELS = 4


def max_cells(pixels: float) -> int:
    """Cells an axis of this many pixels can show: one per four pixels.

    Finer cells cost render time (about 0.1 ms each in vl-convert) without showing
    more: the plot area is smaller than the picture.
    """
    return max(1, int(pixels // MIN_CELL_PIXELS))


def _cell_limits(width: float, height: float) -> tuple[int, int]:
    """Cells per axis: one per few pixels, and never more than the export limit allows."""
    limit_x, limit_y = max_cells(width), max_cells(height)
    affordable = _budget.affordable_rows(_budget.MARK_WEIGHTS["rect"])
    if limit_x * limit_y > affordable:
        shrink = math.sqrt(affordable / (limit_x * limit_y))
        limit_x, limit_y = max(1, int(limit_x * shrink)), max(1, int(limit_y * shrink))
    return limit_x, limit_y


def _shown_precision(values: np.ndarray) -> np.ndarray:
    """Block means rounded to what a reader can tell apart: 1/100,000 of their range.

    The colour scale shows 256 shades; the tooltip shows the value, and five digits
    past the range's scale are more than either needs. Rounded to one decimal place
    for all, the JSON writes each mean in a few characters instead of seventeen.
    """
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return values
    half = float(finite.max()) / 2 - float(finite.min()) / 2  # halved: never overflows
    magnitude = (2 * half if half < 8e307 else half) if half > 0 else abs(float(finite.max()))
    if not magnitude > 0 or not math.isfinite(magnitude):
        return values
    decimals = int(np.clip(5 - math.floor(math.log10(magnitude)), -300, 300))
    with np.errstate(over="ignore", invalid="ignore"):
        rounded = np.round(values, decimals)
    return np.where(np.isfinite(rounded) | ~np.isfinite(values), rounded, values)


def _record_aggregation(blocks: Blocks) -> dict[str, Any]:
    rows, cols = blocks.shape
    drawn = blocks.values.shape
    warnings.warn(
        f"tfvis drew a {rows:,}x{cols:,} heatmap as {drawn[0]:,}x{drawn[1]:,} block means "
        f"({blocks.block[0]}x{blocks.block[1]} values a cell); pass aggregate=False to draw "
        "every cell",
        DownsampleWarning,
        stacklevel=5,
    )
    return {
        "aggregate": {
            "method": "block_mean",
            "original": [rows, cols],
            "drawn": list(drawn),
            "block": list(blocks.block),
        }
    }


class _Axis:
    """One heatmap axis: its title, type, optional tick labels and cell count."""

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

    def band(self) -> dict[str, Any]:
        """Cells at positions 0..count-1, in order, touching; labels by lookup."""
        # y labels stay horizontal however many rows there are; x labels turn to
        # vertical past 12 columns, so they never overlap their neighbours. Long labels
        # are cut with an ellipsis (the tooltip has the whole text), and labels that
        # still collide are thinned.
        angle = 0 if self.field == "y" or self.count <= 12 else -90
        axis: dict[str, Any] = {"labelAngle": angle, **_spec.NO_PIXEL_LIMIT}
        if self.count > 12:
            axis["labelOverlap"] = "greedy"
        if self.label_expr:
            axis["labelExpr"] = self.label_expr
        return {
            "field": self.field,
            "type": self.kind,
            "title": self.title,
            "axis": axis,
            "scale": {"domain": list(range(self.count)), "paddingInner": 0, "paddingOuter": 0},
        }

    def continuous(self, reverse: bool = False) -> dict[str, Any]:
        """Original indices on a linear axis, for block-mean cells; labels at integer ticks."""
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


def _image_spec(blocks: Blocks, x: _Axis, y: _Axis, options: HeatmapOptions) -> dict[str, Any]:
    """Block means as one image mark, for PNG, with the same axes and legend.

    Thousands of rect marks take seconds to draw; one image takes a fraction of that.
    The image is coloured in numpy with colours sampled from the very Vega scale the
    interactive chart uses, so both pictures match. The spec carries its two tiny
    datasets itself, so the cells' records are never built for a PNG.
    """
    values = blocks.values
    finite = values[np.isfinite(values)]
    if options.domain:
        lo, hi = options.domain
    else:
        lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    palette_scale = palette(options.color_map)
    colors = np.array(_engine.scale_colors(json.dumps(palette_scale, sort_keys=True)), np.uint8)
    rgba = colorize(values.T, lo, hi, colors)  # image rows are y, top row first
    b_x, b_y = blocks.block
    extent = {
        "url": png_data_url(rgba),
        "x": -0.5,
        "x2": values.shape[0] * b_x - 0.5,
        "y": -0.5,
        "y2": values.shape[1] * b_y - 0.5,
    }
    image = {
        "data": {"name": "tfvis_image"},
        # Nearest-neighbour sampling: each block mean is a crisp cell, as its rect is
        # in SVG, and the engine does not smooth (half the time of a smoothed image).
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
                "scale": {**palette_scale, "domain": [lo, hi]},
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
