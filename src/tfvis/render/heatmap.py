"""``render.heatmap``: a matrix as a grid of coloured cells."""

from __future__ import annotations

import functools
import warnings
from typing import Any

import numpy as np

from tfvis._aggregate import Blocks, block_mean
from tfvis._chart import Chart
from tfvis._data import normalize_heatmap
from tfvis._options import HeatmapOptions, palette
from tfvis._records import Records
from tfvis.errors import DownsampleWarning
from tfvis.render import _spec
from tfvis.render._grid import Axis, cell_limits, image_spec

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
    limit_x, limit_y = cell_limits(options.width, options.height)
    blocks = block_mean(matrix, limit_x, limit_y) if options.aggregate and matrix.size else None
    x = Axis("x", options.x_label, options.x_type, x_labels, n_x)
    y = Axis("y", options.y_label, options.y_type, y_labels, n_y)
    report: dict[str, Any] = {}
    raster_spec = None
    if blocks is None or blocks.block == (1, 1):
        xs, ys = np.meshgrid(np.arange(n_x), np.arange(n_y), indexing="ij")
        columns = {"x": xs.ravel(), "y": ys.ravel(), "value": matrix.ravel()}
        encoding: dict[str, Any] = {"x": x.band(), "y": y.band()}
        names = {"xl": x.names(xs.ravel(), xs.ravel()), "yl": y.names(ys.ravel(), ys.ravel())}
    else:
        report = _record_aggregation(blocks)
        # Built only when a PNG is asked for: colouring the image samples the Vega scale.
        raster_spec = functools.partial(_image_spec, blocks, x, y, options)
        b_x, b_y = blocks.block
        xs, ys = np.meshgrid(
            np.arange(blocks.values.shape[0]), np.arange(blocks.values.shape[1]), indexing="ij"
        )
        x_first, y_first = xs.ravel() * b_x, ys.ravel() * b_y
        x_last, y_last = np.minimum(x_first + b_x, n_x) - 1, np.minimum(y_first + b_y, n_y) - 1
        # Block k spans original indices [first - 0.5, last + 0.5], so a tick at an
        # integer index sits on the centre of that row or column. Each block reaches a
        # quarter block into the next one, which is drawn over it: no anti-aliasing
        # seams between cells. The marks are clipped at the plot's edge.
        columns = {
            "x": x_first - 0.5,
            "x2": x_last + 0.5 + b_x / 4,
            "y": y_first - 0.5,
            "y2": y_last + 0.5 + b_y / 4,
            "value": blocks.values.ravel(),
        }
        encoding = {
            "x": x.continuous(),
            "x2": {"field": "x2"},
            "y": y.continuous(reverse=True),
            "y2": {"field": "y2"},
        }
        names = {"xl": x.names(x_first, x_last), "yl": y.names(y_first, y_last)}
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
        {"field": "value", "type": "quantitative", "title": "value"},
    ]
    cells: dict[str, Any] = {
        "data": {"name": CELLS},
        "mark": {"type": "rect", "clip": True},
        "encoding": encoding,
    }
    params = x.params + y.params
    if params:
        cells["params"] = params
    return _spec.finish(
        cells,
        {CELLS: Records(**columns, **names)},
        kind="heatmap",
        width=options.width,
        height=options.height,
        font_size=options.font_size,
        report=report,
        reduction_hint="Leave aggregate=True (the default) so tfvis draws block means",
        raster_spec=raster_spec,
    )


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


def _image_spec(blocks: Blocks, x: Axis, y: Axis, options: HeatmapOptions) -> dict[str, Any]:
    """Block means as one image mark, for PNG (:func:`tfvis.render._grid.image_spec`)."""
    values = blocks.values
    finite = values[np.isfinite(values)]
    if options.domain:
        lo, hi = options.domain
    else:
        lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    return image_spec(values, blocks.block, x, y, palette(options.color_map), (lo, hi))
