"""``render.barchart``: one bar per ``{index, value}``, in the order given."""

from __future__ import annotations

from typing import Any

import numpy as np

from tfvis._chart import Chart
from tfvis._data import normalize_bars
from tfvis._options import BarChartOptions
from tfvis._records import Records
from tfvis.errors import OptionError
from tfvis.render import _spec

__all__ = ["barchart"]

BARS = "tfvis_bars"


def barchart(*args: Any, **options: Any) -> Chart:
    """Draw one bar per ``{index, value}`` pair, in the order given.

    Parameters
    ----------
    data
        A list of ``{"index": str | number, "value": number}`` dicts (tfjs-vis), a
        dict of index to value, a pandas Series or a 1-D array.
    opts, **options
        ``width``, ``height``, ``xLabel``, ``yLabel`` (default ''), ``fontSize``,
        ``xType`` ('ordinal'), ``yType``, ``color`` (one colour, or one per bar).

    Returns
    -------
    Chart

    Example
    -------
    >>> from tfvis import render
    >>> data = [{"index": "foo", "value": 1}, {"index": "bar", "value": 7},
    ...         {"index": 3, "value": 3}, {"index": 5, "value": 6}]
    >>> chart = render.barchart(data, {"yLabel": "My value", "width": 400})
    """
    return _spec.render("barchart", BarChartOptions, _build, args, options)


def _build(data: Any, options: BarChartOptions) -> Chart:
    bars = normalize_bars(data, chart="barchart")
    count = len(bars.labels)
    labels, label_expr = _spec.label_lookup("tfvis_bar_labels", bars.labels)
    columns: dict[str, Any] = {
        "i": np.arange(count),
        "index": np.array(bars.labels, dtype=object),
        "value": bars.values,
    }
    mark: dict[str, Any] = {"type": "bar", "clip": True}
    encoding: dict[str, Any] = {}
    if isinstance(options.color, str):
        mark["color"] = options.color
    else:
        if len(options.color) != count:
            raise OptionError(
                f"Option 'color' as a list must have one colour per bar ({count}), "
                f"got {len(options.color)}"
            )
        columns["color"] = np.array(options.color, dtype=object)
        encoding["color"] = {"field": "color", "type": "nominal", "scale": None, "legend": None}
    # Bars sit at their position (0, 1, ...) so input order and duplicate indices
    # survive; the axis shows the user's labels through a lookup.
    encoding["x"] = {
        "field": "i",
        "type": options.x_type,
        # tfjs-vis: xLabel=None removes the axis; the default '' keeps it untitled.
        "axis": None
        if options.x_label is None
        else {
            "title": options.x_label,
            "labelExpr": label_expr,
            "labelAngle": 0 if count <= 12 else -45,
            **_spec.NO_PIXEL_LIMIT,
        },
        "scale": {"domain": list(range(count))},
    }
    encoding["y"] = {
        "field": "value",
        "type": options.y_type,
        "axis": None if options.y_label is None else {"title": options.y_label},
    }
    encoding["tooltip"] = [
        {"field": "index", "type": "nominal", "title": options.x_label or "index"},
        {
            "field": "value",
            "type": "quantitative",
            "title": options.y_label or "value",
            "format": _spec.TOOLTIP_NUMBER,
        },
    ]
    return _spec.finish(
        {"data": {"name": BARS}, "params": [labels], "mark": mark, "encoding": encoding},
        {BARS: Records(**columns)},
        kind="barchart",
        width=options.width,
        height=options.height,
        font_size=options.font_size,
        title=_spec.title_block(options.title, options.subtitle),
        reduction_hint="A bar chart draws every bar: aggregate the data into fewer bars first",
    )
