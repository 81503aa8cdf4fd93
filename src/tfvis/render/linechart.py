"""``render.linechart``: one or more series as lines."""

from __future__ import annotations

from typing import Any

import altair as alt
import numpy as np

from tfvis.chart import Chart
from tfvis.data import XYData, normalize_xy
from tfvis.options import LineChartOptions
from tfvis.render import _spec
from tfvis.render._xy import POINTS, reduce_series, series_records, xy_encodings

__all__ = ["linechart"]

HOVER = "tfvis_hover"


def linechart(*args: Any, **options: Any) -> Chart:
    """Draw one or more series as lines on shared axes.

    Call as ``linechart(data, opts=None, **options)`` or, in tfjs-vis order,
    ``linechart(container, data, opts=None, **options)`` where ``container`` is a
    file path the chart is also saved to.

    Parameters
    ----------
    data
        ``{"values": points, "series": names}``: ``points`` is a list of ``{x, y}``
        dicts, or a list of such lists (one per series); arrays, tensors and pandas
        objects work too (a DataFrame is one series per column, its index is x).
    opts, **options
        ``width``, ``height`` (the whole picture), ``xLabel``, ``yLabel``,
        ``fontSize``, ``xType``, ``yType``, ``xAxisDomain``, ``yAxisDomain``,
        ``zoomToFit``, ``seriesColors``, ``maxPoints``, ``downsample``; camelCase or
        snake_case.

    Returns
    -------
    Chart

    Example
    -------
    >>> from tfvis import render
    >>> values = [{"x": 1, "y": 20}, {"x": 2, "y": 30}, {"x": 3, "y": 5}, {"x": 4, "y": 12}]
    >>> chart = render.linechart({"values": values}, {"width": 400})
    """
    return _spec.render("linechart", LineChartOptions, _build, args, options)


def _build(data: Any, options: LineChartOptions) -> Chart:
    xy, usermeta = reduce_series(normalize_xy(data, chart="linechart"), options, connected=True)
    enc = xy_encodings(xy, options, legend_title=None)
    lines = (
        alt.Chart(alt.NamedData(name=POINTS))
        .mark_line(clip=True)
        .encode(x=enc.x, y=enc.y, color=enc.color)
    )
    hover = alt.selection_point(
        name="tfvis_hover_x",
        fields=["x"],
        nearest=True,
        on="pointerover",
        clear="pointerout",
        empty=False,
    )
    wide, fields = _hover_table(xy)
    rule = (
        alt.Chart(alt.NamedData(name=HOVER))
        .mark_rule(color="#888888", clip=True)
        .encode(
            x=enc.x,
            opacity=alt.condition(hover, alt.value(0.6), alt.value(0.0)),
            tooltip=[enc.x_tooltip]
            + [
                alt.Tooltip(f, type="quantitative", title=s.name)
                for f, s in zip(fields, xy.series, strict=False)
            ],
        )
        .add_params(hover)
    )
    return _spec.finish(
        alt.layer(lines, rule),
        {POINTS: series_records(xy), HOVER: wide},
        width=options.width,
        height=options.height,
        font_size=options.font_size,
        usermeta=usermeta,
    )


def _hover_table(xy: XYData) -> tuple[list[dict[str, Any]], list[str]]:
    """One row per distinct x with every series' y there, for the hover tooltip.

    Columns are ``y0``, ``y1``, ... by series position, never by series name.
    """
    fields = [f"y{i}" for i in range(len(xy.series))]
    if not xy.series or not any(len(s.x) for s in xy.series):
        return [], fields
    xs = np.unique(np.concatenate([s.x for s in xy.series]))
    columns: dict[str, Any] = {"x": xs}
    for name, s in zip(fields, xy.series, strict=False):
        column = np.full(len(xs), np.nan)
        column[np.searchsorted(xs, s.x)] = s.y
        columns[name] = column
    return _spec.records(**columns), fields
