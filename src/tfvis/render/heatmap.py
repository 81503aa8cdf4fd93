"""``render.heatmap``: a matrix as a grid of coloured cells."""

from __future__ import annotations

import functools
from typing import Any, cast

import altair as alt
import numpy as np

from tfvis.chart import Chart
from tfvis.data import normalize_heatmap
from tfvis.errors import OptionError
from tfvis.options import HeatmapOptions
from tfvis.render import _spec

__all__ = ["heatmap"]

CELLS = "tfvis_cells"

# The tfjs-vis colour maps: 'blues' and 'greyscale' are its two-colour ranges;
# 'viridis' is real viridis (tfjs-vis documents it but draws yellow-green-blue).
_RANGES = {"blues": ["#f7fbff", "#4292c6"], "greyscale": ["#000000", "#ffffff"]}


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
    heat = normalize_heatmap(data)
    # Column-major (tfjs-vis): values[i][j] is at x=i, y=j.
    matrix = heat.values.T if options.row_major else heat.values
    x_labels = heat.y_tick_labels if options.row_major else heat.x_tick_labels
    y_labels = heat.x_tick_labels if options.row_major else heat.y_tick_labels
    n_x, n_y = matrix.shape
    xs, ys = np.meshgrid(np.arange(n_x), np.arange(n_y), indexing="ij")
    color_scale = _color_scale(options.color_map, options.domain)
    x_axis, x_params = _axis("tfvis_x_labels", x_labels, n_x)
    y_axis, y_params = _axis("tfvis_y_labels", y_labels, n_y)
    cells = (
        alt.Chart(alt.NamedData(name=CELLS))
        .mark_rect()
        .encode(
            x=alt.X(
                "x", type=options.x_type, title=options.x_label, axis=x_axis, scale=_band_scale(n_x)
            ),
            y=alt.Y(
                "y", type=options.y_type, title=options.y_label, axis=y_axis, scale=_band_scale(n_y)
            ),
            fill=alt.Fill("value", type="quantitative", title=None, scale=color_scale),
            tooltip=[
                alt.Tooltip("xl", type="nominal", title=options.x_label or "x"),
                alt.Tooltip("yl", type="nominal", title=options.y_label or "y"),
                alt.Tooltip("value", type="quantitative", title="value"),
            ],
        )
    )
    for param in x_params + y_params:
        cells = cells.add_params(param)
    x_text = np.array(x_labels if x_labels else [str(i) for i in range(n_x)], dtype=object)
    y_text = np.array(y_labels if y_labels else [str(j) for j in range(n_y)], dtype=object)
    return _spec.finish(
        cells,
        {
            CELLS: _spec.records(
                x=xs.ravel(),
                y=ys.ravel(),
                value=matrix.ravel(),
                xl=x_text[xs.ravel()],
                yl=y_text[ys.ravel()],
            )
        },
        width=options.width,
        height=options.height,
        font_size=options.font_size,
    )


def _axis(name: str, labels: tuple[str, ...] | None, count: int) -> tuple[alt.Axis, list[Any]]:
    """Cells sit at integer positions; given tick labels are shown through a lookup."""
    if labels is None:
        return alt.Axis(labelAngle=0), []
    param, expr = _spec.label_lookup(name, labels)
    return alt.Axis(labelExpr=expr, labelAngle=0 if count <= 12 else -45), [param]


def _band_scale(count: int) -> alt.Scale:
    """Cells at positions 0..count-1, in order, touching each other."""
    return alt.Scale(domain=list(range(count)), paddingInner=0, paddingOuter=0)


def _color_scale(color_map: str, domain: tuple[float, float] | None) -> alt.Scale:
    limits = list(domain) if domain else alt.Undefined
    if color_map in _RANGES:
        return alt.Scale(range=_RANGES[color_map], domain=limits)
    if color_map not in _vega_schemes():
        raise OptionError(
            "Option 'colorMap' must be 'viridis', 'blues', 'greyscale' or a Vega scheme "
            f"name, got {color_map!r}"
        )
    return alt.Scale(scheme=cast(Any, color_map), domain=limits)


@functools.cache
def _vega_schemes() -> frozenset[str]:
    """Every named Vega colour scheme, read from the Vega-Lite schema Altair ships."""
    definitions = alt.VegaLiteSchema._rootschema["definitions"]
    kinds = ("SequentialSingleHue", "SequentialMultiHue", "Diverging", "Cyclical", "Categorical")
    return frozenset(name for kind in kinds for name in definitions[kind].get("enum", []))
