"""Chart-agnostic plumbing: JSON records from numpy columns, label lookups, sizing.

Nothing here knows which chart it is building.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

import altair as alt
import numpy as np

from tfvis import fonts
from tfvis.chart import Chart
from tfvis.options import resolve

__all__ = ["finish", "json_column", "label_lookup", "records", "split_call"]

Options = TypeVar("Options")


def split_call(
    chart: str, args: tuple[Any, ...]
) -> tuple[str | os.PathLike[str] | None, Any, Mapping[str, Any] | None]:
    """Accept ``(data, opts)`` and the tfjs-vis order ``(container, data, opts)``.

    A container is a path (``str`` or ``os.PathLike``): the chart is saved there too.
    """
    container = None
    # A lone argument is always the data; a path only counts as a container first.
    if len(args) >= 2 and isinstance(args[0], str | os.PathLike):
        container, args = args[0], args[1:]
    if not 1 <= len(args) <= 2:
        raise TypeError(
            f"{chart}() takes data and an optional options mapping, optionally preceded "
            f"by a file path; got {len(args) + (container is not None)} positional arguments"
        )
    return container, args[0], args[1] if len(args) == 2 else None


def render(
    chart: str,
    options_type: type[Options],
    build: Callable[[Any, Options], Chart],
    args: tuple[Any, ...],
    keywords: Mapping[str, Any],
) -> Chart:
    """Resolve options, build the chart and save it to the container if one was given."""
    container, data, opts = split_call(chart, args)
    options = resolve(options_type, opts, keywords, chart=chart)  # type: ignore[type-var]
    result = build(data, options)
    if container is not None:
        result.save(container)
    return result


def json_column(values: np.ndarray | Sequence[Any]) -> list[Any]:
    """One column as JSON-ready Python values.

    NaN and ±inf become None (a gap, never a bare ``NaN`` token); datetime64 becomes
    epoch milliseconds, which Vega reads as UTC instants.
    """
    array = np.asarray(values)
    if array.dtype.kind == "M":
        missing = np.isnat(array)
        column: list[Any] = array.astype("datetime64[ms]").astype(np.int64).tolist()
    elif array.dtype.kind == "f":
        missing = ~np.isfinite(array)
        column = array.tolist()
    else:
        return array.tolist()  # type: ignore[no-any-return]
    for i in np.flatnonzero(missing):
        column[i] = None
    return column


def records(**columns: np.ndarray | Sequence[Any]) -> list[dict[str, Any]]:
    """Columns of equal length to a list of row dicts for an inline dataset."""
    names = list(columns)
    converted = [json_column(c) for c in columns.values()]
    return [dict(zip(names, row, strict=True)) for row in zip(*converted, strict=True)]


def label_lookup(name: str) -> tuple[alt.Parameter, str]:
    """A parameter to hold display labels, and the ``labelExpr`` that reads them.

    Charts position marks by integer index (so duplicate labels stay distinct and the
    order is the given one) and show the user's labels through this lookup. The
    labels travel as JSON data in the parameter (pass them to :func:`finish` as
    ``labels={name: [...]}``); no user text is ever pasted into a Vega expression.
    """
    # The value is filled in after Altair validated the spec: validating a long
    # label list item by item would take minutes.
    param = alt.param(name=name, value=[])
    return param, f"{name}[datum.value]"


def finish(
    chart: alt.TopLevelMixin,
    datasets: Mapping[str, list[dict[str, Any]]],
    *,
    width: float,
    height: float,
    font_size: float,
    stats: dict[str, Any] | None = None,
    usermeta: dict[str, Any] | None = None,
    reduction_hint: str | None = None,
    labels: Mapping[str, Sequence[str]] | None = None,
    static_chart: alt.TopLevelMixin | None = None,
    raster_chart: alt.TopLevelMixin | None = None,
) -> Chart:
    """Size the whole picture, apply the tfjs-vis fonts and wrap it in a Chart.

    ``static_chart`` is the same chart without its interactive layers, drawn for
    PNG, SVG and PDF; ``raster_chart`` one drawn for PNG only (it may use image
    marks, which vl-convert draws in PNG only); ``labels`` fills the
    :func:`label_lookup` parameters.
    """
    compile_ = functools.partial(
        _compile,
        labels=labels or {},
        width=width,
        height=height,
        font_size=font_size,
        usermeta=usermeta,
    )
    spec = compile_(chart)
    static = None if static_chart is None else compile_(static_chart)
    raster = None if raster_chart is None else compile_(raster_chart)
    return Chart(
        spec,
        datasets,
        static_spec=static,
        raster_spec=raster,
        stats=stats,
        reduction_hint=reduction_hint,
    )


def _compile(
    chart: alt.TopLevelMixin,
    *,
    labels: Mapping[str, Sequence[str]],
    width: float,
    height: float,
    font_size: float,
    usermeta: dict[str, Any] | None,
) -> dict[str, Any]:
    if usermeta is not None:
        chart = chart.properties(usermeta=usermeta)
    chart = chart.properties(
        width=width,
        height=height,
        autosize=alt.AutoSizeParams(type="fit", contains="padding"),
    ).configure(
        axis=alt.AxisConfig(labelFontSize=font_size, titleFontSize=font_size),
        legend=alt.LegendConfig(labelFontSize=font_size, titleFontSize=font_size),
        title=alt.TitleConfig(fontSize=font_size, subtitleFontSize=font_size),
        text=alt.MarkConfig(fontSize=font_size),
        view=alt.ViewConfig(continuousWidth=width, continuousHeight=height),
    )
    try:
        spec: dict[str, Any] = chart.to_dict(validate=True)
    except Exception as error:
        raise AssertionError(f"tfvis built an invalid Vega-Lite spec: {error}") from error
    _fill_params(spec, labels)
    # Vega-Lite pastes titles into tooltip and ARIA expressions escaping only quotes.
    return fonts.protect_titles(spec)


def _fill_params(unit: dict[str, Any], values: Mapping[str, Sequence[str]]) -> None:
    for param in unit.get("params", []):
        if param.get("name") in values:
            param["value"] = list(values[param["name"]])
    for layer in unit.get("layer", []):
        _fill_params(layer, values)
