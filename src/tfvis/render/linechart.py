"""``render.linechart``: one or more series as lines."""

from __future__ import annotations

from typing import Any

from tfvis import _budget
from tfvis._chart import Chart
from tfvis._data import normalize_xy
from tfvis._options import LineChartOptions
from tfvis.render import _spec
from tfvis.render._xy import POINTS, REDUCTION_HINT, reduce_series, series_records, xy_encodings

__all__ = ["linechart"]


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
    # Each point costs a line vertex and, at worst, a hover rule.
    row_weight = _budget.MARK_WEIGHTS["line"] + _budget.MARK_WEIGHTS["rule"]
    xy, report = reduce_series(
        normalize_xy(data, chart="linechart"), options, connected=True, row_weight=row_weight
    )
    enc = xy_encodings(xy, options, legend_title=None)
    params = {"params": enc.params} if enc.params else {}
    data = {"name": POINTS}
    lines = {
        "data": data,
        # Round joins: Vega's default miter joins draw spikes past the data on dense
        # zigzags (a band 23 px tall where the data spans 9).
        "mark": {"type": "line", "clip": enc.clip, "strokeJoin": "round"},
        "encoding": {"x": enc.x, "y": enc.y, "color": enc.color},
    }
    # One rule per distinct x showing every series there. The pivot makes fields named
    # by series *position* ("0", "1", ...); series names only ever appear as titles.
    rule = {
        "data": data,
        "params": [
            {
                "name": "tfvis_hover_x",
                "select": {
                    "type": "point",
                    "fields": ["x"],
                    "nearest": True,
                    "on": "pointerover",
                    "clear": "pointerout",
                },
            }
        ],
        "transform": [{"pivot": "k", "value": "y", "groupby": enc.x_fields, "op": "mean"}],
        "mark": {"type": "rule", "color": "#888888", "clip": enc.clip},
        "encoding": {
            "x": enc.x,
            "opacity": {
                "condition": {"param": "tfvis_hover_x", "empty": False, "value": 0.6},
                "value": 0.0,
            },
            "tooltip": [
                enc.x_tooltip,
                *(
                    {
                        "field": str(i),
                        "type": "quantitative",
                        "title": s.name,
                        "format": _spec.TOOLTIP_NUMBER,
                    }
                    for i, s in enumerate(xy.series)
                ),
            ],
        },
    }
    return _spec.finish(
        {"layer": [lines, rule], **params},
        {POINTS: series_records(xy, with_index=True, categories=enc.categories)},
        kind="linechart",
        static_spec={"layer": [lines], **params},
        width=options.width,
        height=options.height,
        font_size=options.font_size,
        title=_spec.title_block(options.title, options.subtitle),
        report=report,
        reduction_hint=REDUCTION_HINT,
    )
