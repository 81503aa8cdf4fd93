"""``render.scatterplot``: one or more series as points."""

from __future__ import annotations

from typing import Any

from tfvis import _budget
from tfvis._chart import Chart
from tfvis._data import normalize_xy
from tfvis._options import ScatterPlotOptions
from tfvis.render import _spec
from tfvis.render._xy import POINTS, REDUCTION_HINT, reduce_series, series_records, xy_encodings

__all__ = ["scatterplot"]


def scatterplot(*args: Any, **options: Any) -> Chart:
    """Draw one or more series as points on shared axes.

    Takes exactly what :func:`tfvis.render.linechart` takes. Clouds larger than the
    point budget are thinned on a pixel grid, which keeps every outlier.

    Parameters
    ----------
    data
        ``{"values": points, "series": names}`` as for linechart.
    opts, **options
        The linechart options: ``width``, ``height``, ``xLabel``, ``yLabel``,
        ``fontSize``, ``xType``, ``yType``, ``xAxisDomain``, ``yAxisDomain``,
        ``zoomToFit``, ``seriesColors``, ``maxPoints``, ``downsample``.

    Returns
    -------
    Chart

    Example
    -------
    >>> from tfvis import render
    >>> values = [[{"x": 20, "y": 40}, {"x": 32, "y": 0}], [{"x": 15, "y": 35}, {"x": 0, "y": 9}]]
    >>> chart = render.scatterplot(
    ...     {"values": values, "series": ["My scatter series 1", "My scatter series 2"]},
    ...     {"xLabel": "My x-values", "yLabel": "My y-values", "width": 400},
    ... )
    """
    return _spec.render("scatterplot", ScatterPlotOptions, _build, args, options)


def _build(data: Any, options: ScatterPlotOptions) -> Chart:
    xy, report = reduce_series(
        normalize_xy(data, chart="scatterplot"),
        options,
        connected=False,
        row_weight=_budget.MARK_WEIGHTS["point"],
    )
    enc = xy_encodings(xy, options, legend_title="series")
    points = {
        "data": {"name": POINTS},
        **({"params": enc.params} if enc.params else {}),
        "mark": {"type": "point", "clip": enc.clip},
        "encoding": {
            "x": enc.x,
            "y": enc.y,
            "color": enc.color,
            "shape": {
                "field": "s",
                "type": "nominal",
                "scale": {"domain": enc.names},
                "title": "series",
            },
            "tooltip": [
                enc.x_tooltip,
                enc.y_tooltip,
                {"field": "s", "type": "nominal", "title": "series"},
            ],
        },
    }
    return _spec.finish(
        points,
        {POINTS: series_records(xy, categories=enc.categories)},
        kind="scatterplot",
        width=options.width,
        height=options.height,
        font_size=options.font_size,
        title=_spec.title_block(options.title, options.subtitle),
        report=report,
        reduction_hint=REDUCTION_HINT,
    )
