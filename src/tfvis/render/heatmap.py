"""``render.heatmap``: a matrix as a grid of coloured cells."""

from __future__ import annotations

import functools
import math
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


def _image_spec(blocks: Blocks, x: Axis, y: Axis, options: HeatmapOptions) -> dict[str, Any]:
    """Block means as one image mark, for PNG (:func:`tfvis.render._grid.image_spec`)."""
    values = blocks.values
    finite = values[np.isfinite(values)]
    if options.domain:
        lo, hi = options.domain
    else:
        lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    return image_spec(values, blocks.block, x, y, palette(options.color_map), (lo, hi))
