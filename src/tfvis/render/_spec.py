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

from tfvis import _walk
from tfvis._chart import Chart
from tfvis._container import place, split_call
from tfvis._options import resolve
from tfvis._records import Columns, Records
from tfvis._text import protect_titles

__all__ = ["finish", "label_lookup", "render"]

Options = TypeVar("Options")

#: How tooltips show numbers: six significant digits, trimmed, thousands separated
#: (``-75.4916``, ``420,551``, ``0.00001235``), in exponent form only past a million.
TOOLTIP_NUMBER = ",.6~g"
#: Longest category label on an axis or legend, in characters; longer ones are cut
#: and end in an ellipsis (the tooltip has the whole text). Cut by character count in
#: an expression, not by Vega's pixel ``labelLimit``, which measures a long label again
#: and again to find where to cut it (500 bars with 206-character labels: 25 s).
LABEL_CHARS = 28


def short_label(expression: str) -> str:
    """The ``labelExpr`` that draws ``expression``'s text cut to :data:`LABEL_CHARS`.

    Cut in UTF-16 code units, as JavaScript counts, but never between the two halves
    of a character beyond U+FFFF (an emoji): a lone half is text vl-convert cannot draw.
    """
    keep = LABEL_CHARS - 1
    return (
        f"length({expression}) > {LABEL_CHARS} ? "
        f"replace(substring({expression}, 0, {keep}), /[\\ud800-\\udbff]$/, '') + '\u2026' : "
        f"{expression}"
    )


#: The axis and legend settings that go with :func:`short_label`.
NO_PIXEL_LIMIT = {"labelLimit": 0}


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


def title_block(
    title: str | None, subtitle: str | None, lines: Sequence[str] = ()
) -> dict[str, Any] | None:
    """The chart's ``title``/``subtitle`` options, then ``lines`` (a histogram's stats).

    Lines of text a chart draws under its title (or alone, as the title, when there
    is none) are set in the normal weight, as tfjs-vis draws its stats table.
    """
    below = [*([] if subtitle is None else subtitle.split("\n")), *lines]
    if title is None and not below:
        return None
    block: dict[str, Any] = {"anchor": "start", "offset": 8}
    if title is None:
        return {
            **block,
            "text": list(lines) if not subtitle else below,
            "fontWeight": "normal",
            "color": "#333333",
        }
    block["text"] = title.split("\n") if "\n" in title else title
    if below:
        block["subtitle"] = below
        block["subtitleColor"] = "#333333"
    return block


def without_aria(spec: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``spec`` whose marks write no ARIA descriptions (for PNG)."""
    copied = copy.deepcopy(spec)
    for unit in _walk.units(copied):
        mark = unit.node["mark"]
        unit.node["mark"] = {**(mark if isinstance(mark, dict) else {"type": mark}), "aria": False}
    return copied


def columnar(spec: dict[str, Any], datasets: Mapping[str, Any]) -> dict[str, Any]:
    """``spec`` reading its Records column-wise (:class:`tfvis._records.Columns`), for PNG.

    Each view that names a Records dataset reads ``<name>_columns`` instead and
    flattens it back into rows first; the columnar datasets travel in the spec.
    """
    columns: dict[str, Columns] = {}
    for view in _walk.views(spec):
        data = view.node.get("data")
        name = data.get("name") if isinstance(data, dict) else None
        records = datasets.get(name) if isinstance(name, str) else None
        if not isinstance(records, Records) or not records.names:
            continue
        packed = f"{name}_columns"
        columns[packed] = records.as_columns()
        view.node["data"] = {"name": packed}
        flatten = {"flatten": records.names}
        view.node["transform"] = [flatten, *view.node.get("transform", [])]
    if columns:
        spec["datasets"] = {**spec.get("datasets", {}), **columns}
    return spec


def label_lookup(name: str, labels: Sequence[str]) -> tuple[dict[str, Any], str]:
    """A parameter holding display labels, and the ``labelExpr`` that reads them.

    Charts position marks by integer index (so duplicate labels stay distinct and the
    order is the given one) and show the user's labels through this lookup. The
    labels travel as JSON data in the parameter; no user text is ever pasted into a
    Vega expression. The expression cuts long labels (:func:`short_label`).
    """
    return {"name": name, "value": list(labels)}, short_label(f"{name}[datum.value]")


def finish(
    spec: dict[str, Any],
    datasets: Mapping[str, Records],
    *,
    kind: str,
    width: float,
    height: float,
    font_size: float,
    report: dict[str, Any] | None = None,
    title: dict[str, Any] | None = None,
    reduction_hint: str | None = None,
    static_spec: dict[str, Any] | None = None,
    raster_spec: Callable[[], dict[str, Any]] | None = None,
    autosize: Mapping[str, Any] | None = None,
) -> Chart:
    """Size the whole picture, apply the tfjs-vis fonts and wrap it in a Chart.

    ``spec`` is the chart's unit or layer spec without sizing or config;
    ``static_spec`` the same chart without its interactive layers, drawn for SVG and
    PDF; ``raster_spec`` builds one drawn for PNG only, on first use (it may use image
    marks, which vl-convert draws in PNG only). The PNG view has no ARIA descriptions:
    a picture has no screen reader, and Vega formats one per line vertex (a third of
    the PNG time of a long line). ``report`` is what the
    chart says about itself (:attr:`tfvis.Chart.report`); its reductions are also
    written into the spec's ``usermeta``. ``autosize`` replaces the default ("fit":
    ``width`` and ``height`` are the whole picture's); pictures use ``{"type": "pad"}``,
    where they are the plot's and titles add to them.
    """
    report = report or {}
    usermeta = {k: v for k, v in report.items() if k != "stats"}

    def top_level(view: dict[str, Any]) -> dict[str, Any]:
        top = {**view, "width": width, "height": height, "autosize": dict(autosize or _AUTOSIZE)}
        if title is not None:
            top["title"] = title
        if usermeta:
            top["usermeta"] = {"tfvis": usermeta}
        top["config"] = _config(width, height, font_size)
        # A copy that shares nothing (layers and views share encoding dicts, and
        # protect_titles edits in place: a shared title would be escaped twice).
        # Vega-Lite pastes titles into tooltip and ARIA expressions escaping only quotes.
        return protect_titles(copy.deepcopy(top))

    full = top_level(spec)
    static = full if static_spec is None else top_level(static_spec)

    def raster() -> dict[str, Any]:
        if raster_spec is not None:
            return without_aria(top_level(raster_spec()))
        return columnar(without_aria(static), datasets)

    return Chart(
        full,
        datasets,
        static_spec=static,
        raster_spec=raster,
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
