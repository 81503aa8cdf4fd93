"""Chart-agnostic plumbing: the call forms, label lookups, sizing and the final config.

Charts write their Vega-Lite as plain dicts. The specs are small and fixed in shape;
building them from Altair objects cost more than the rest of tfvis together (200 ms
to import Altair, 50-80 ms a chart in schema validation), so the tests validate every
spec tfvis builds against the Vega-Lite schema instead. This module adds what every
chart shares; nothing here knows which chart it is building.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from tfvis._chart import Chart
from tfvis._container import place, split_call
from tfvis._options import resolve
from tfvis._records import Records
from tfvis._text import protect_titles

__all__ = ["finish", "label_lookup", "render"]

Options = TypeVar("Options")


def render(
    chart: str,
    options_type: type[Options],
    build: Callable[[Any, Options], Chart],
    args: tuple[Any, ...],
    keywords: Mapping[str, Any],
) -> Chart:
    """Resolve options, build the chart and place it in the container if one was given."""
    container, data, opts = split_call(chart, args)
    options = resolve(options_type, opts, keywords, chart=chart)  # type: ignore[type-var]
    result = build(data, options)
    place(result, container)
    return result


def label_lookup(name: str, labels: Sequence[str]) -> tuple[dict[str, Any], str]:
    """A parameter holding display labels, and the ``labelExpr`` that reads them.

    Charts position marks by integer index (so duplicate labels stay distinct and the
    order is the given one) and show the user's labels through this lookup. The
    labels travel as JSON data in the parameter; no user text is ever pasted into a
    Vega expression.
    """
    return {"name": name, "value": list(labels)}, f"{name}[datum.value]"


def finish(
    spec: dict[str, Any],
    datasets: Mapping[str, Records],
    *,
    kind: str,
    width: float,
    height: float,
    font_size: float,
    report: dict[str, Any] | None = None,
    reduction_hint: str | None = None,
    static_spec: dict[str, Any] | None = None,
    raster_spec: Callable[[], dict[str, Any]] | None = None,
) -> Chart:
    """Size the whole picture, apply the tfjs-vis fonts and wrap it in a Chart.

    ``spec`` is the chart's unit or layer spec without sizing or config;
    ``static_spec`` the same chart without its interactive layers, drawn for PNG,
    SVG and PDF; ``raster_spec`` builds one drawn for PNG only, on first use (it may
    use image marks, which vl-convert draws in PNG only). ``report`` is what the
    chart says about itself (:attr:`tfvis.Chart.report`); its reductions are also
    written into the spec's ``usermeta``.
    """
    report = report or {}
    usermeta = {k: v for k, v in report.items() if k != "stats"}

    def top_level(view: dict[str, Any]) -> dict[str, Any]:
        top = {**view, "width": width, "height": height, "autosize": _AUTOSIZE}
        if usermeta:
            top["usermeta"] = {"tfvis": usermeta}
        top["config"] = _config(width, height, font_size)
        # A copy that shares nothing (layers and views share encoding dicts, and
        # protect_titles edits in place: a shared title would be escaped twice).
        # Vega-Lite pastes titles into tooltip and ARIA expressions escaping only quotes.
        return protect_titles(copy.deepcopy(top))

    def raster() -> dict[str, Any]:
        assert raster_spec is not None
        return top_level(raster_spec())

    return Chart(
        top_level(spec),
        datasets,
        static_spec=None if static_spec is None else top_level(static_spec),
        raster_spec=None if raster_spec is None else raster,
        report=report,
        reduction_hint=reduction_hint,
        kind=kind,
    )


_AUTOSIZE = {"type": "fit", "contains": "padding"}


def _config(width: float, height: float, font_size: float) -> dict[str, Any]:
    """tfjs-vis's font size on every text the chart draws; the size of the plot."""
    both = {"labelFontSize": font_size, "titleFontSize": font_size}
    return {
        "view": {"continuousWidth": width, "continuousHeight": height},
        "axis": both,
        "legend": both,
        "title": {"fontSize": font_size, "subtitleFontSize": font_size},
        "text": {"fontSize": font_size},
    }
