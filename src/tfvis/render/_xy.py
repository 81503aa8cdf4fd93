"""What linechart and scatterplot share: series records, x/y encodings, colours."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from tfvis import _budget
from tfvis._data import XYData, XYSeries
from tfvis._options import VegaType, XYOptions
from tfvis._records import Records
from tfvis.errors import DownsampleWarning, OptionError
from tfvis.render._spec import NO_PIXEL_LIMIT, TOOLTIP_NUMBER, label_lookup, short_label

__all__ = ["XYEncodings", "reduce_series", "series_records", "text_categories", "xy_encodings"]

POINTS = "tfvis_points"
X_LABELS = "tfvis_x_labels"
_DEFAULT_TYPE: dict[str, VegaType] = {
    "quantitative": "quantitative",
    "temporal": "temporal",
    "nominal": "ordinal",
}


@dataclass(frozen=True)
class XYEncodings:
    """The encodings every XY layer shares, as Vega-Lite channel definitions."""

    x: dict[str, Any]
    y: dict[str, Any]
    color: dict[str, Any]
    x_tooltip: dict[str, Any]
    y_tooltip: dict[str, Any]
    names: list[str]
    clip: bool
    #: Top-level parameters the encodings read (the text x labels), often none.
    params: list[dict[str, Any]]
    #: The fields that identify an x position (a text x adds its label field).
    x_fields: list[str]
    #: The text x values in axis order (:func:`text_categories`); None for numeric x.
    categories: list[str] | None


def text_categories(xy: XYData) -> list[str] | None:
    """The distinct text x values in the order the axis shows them; None for numeric x.

    Text x values are drawn at integer positions with their labels looked up, as the
    barchart does: Vega keys a point scale by the value itself, so a category named
    ``__proto__`` broke every pointer event of the chart in the browser.
    """
    if xy.x_kind != "nominal" or not xy.series:
        return None
    values = np.concatenate([s.x for s in xy.series]).astype(str)
    return [str(v) for v in np.unique(values)]


def series_records(
    xy: XYData, *, with_index: bool = False, categories: list[str] | None = None
) -> Records:
    """All series in long form: one row per point with fields ``x``, ``y`` and ``s``.

    ``s`` holds the series name as a data value; names never become field names,
    so any string works as a series name. ``with_index`` adds ``k``, the series'
    position, for transforms that turn series into fields. With ``categories`` (text
    x values, :func:`text_categories`) ``x`` is each value's position among them and
    ``xl`` the text itself, for tooltips.
    """
    if not xy.series:
        return Records()
    x = np.concatenate([s.x for s in xy.series])
    y = np.concatenate([s.y for s in xy.series])
    lengths = [len(s.y) for s in xy.series]
    names = np.repeat(np.array([s.name for s in xy.series], dtype=object), lengths)
    columns: dict[str, np.ndarray] = {"x": x, "y": y, "s": names}
    if categories is not None:
        labels = x.astype(str)
        columns["x"] = np.searchsorted(np.array(categories), labels)
        columns["xl"] = labels.astype(object)
    if with_index:
        columns["k"] = np.repeat(np.arange(len(lengths)), lengths)
    return Records(**columns)


def _scale(zoom: bool, domain: tuple[float, float] | None, temporal: bool) -> dict[str, Any]:
    scale: dict[str, Any] = {}
    if temporal:
        scale["type"] = "utc"  # the picture must not depend on the machine's zone
    if zoom:
        scale["zero"] = False  # zoomToFit beats the domains, as in tfjs-vis
    elif domain is not None:
        scale["domain"] = list(domain)
    return scale


def xy_encodings(xy: XYData, options: XYOptions, *, legend_title: str | None) -> XYEncodings:
    """Build the x, y and colour encodings from the options.

    ``seriesColors[i]`` colours ``series[i]`` (tfjs-vis pairs colours with the series
    in alphabetical order instead); the legend lists series in the given order.
    """
    names = [s.name for s in xy.series]
    colors = options.series_colors
    if colors is not None and len(colors) != len(names):
        raise OptionError("Must have an equal number of series colors as there are data series")
    x_type: VegaType = options.x_type or _DEFAULT_TYPE[xy.x_kind]
    y_type: VegaType = options.y_type or "quantitative"
    temporal = x_type == "temporal"
    x_title = options.x_label if options.x_label is not None else (xy.x_name or "x")
    y_title = options.y_label
    continuous_x = x_type in ("quantitative", "temporal")
    x_scale = _scale(options.zoom_to_fit, options.x_axis_domain, temporal) if continuous_x else {}
    x = {"field": "x", "type": x_type, "title": x_title, "scale": x_scale}
    if temporal:
        # About one tick per 100 px: Vega's default (one per 40 px) makes it drop every
        # other label on long time spans, and the days are the labels it drops.
        x["axis"] = {"formatType": "utc", "tickCount": max(2, int(options.width // 100))}
    categories = None if continuous_x else text_categories(xy)
    params: list[dict[str, Any]] = []
    if categories is not None:
        # As the bar chart: positions 0, 1, ... on the axis, the labels looked up.
        param, label_expr = label_lookup(X_LABELS, categories)
        params.append(param)
        x["scale"] = {"domain": list(range(len(categories)))}
        x["axis"] = {
            "labelAngle": 0 if len(categories) <= 12 else -45,
            "labelExpr": label_expr,
            **NO_PIXEL_LIMIT,
        }
    elif not continuous_x:
        # As the bar chart: horizontal labels for a few categories, slanted for many.
        distinct = len({value for s in xy.series for value in s.x.tolist()})
        x["axis"] = {
            "labelAngle": 0 if distinct <= 12 else -45,
            "labelExpr": short_label("datum.label"),
            **NO_PIXEL_LIMIT,
        }
    color_scale: dict[str, Any] = {"domain": names}
    if colors:
        color_scale["range"] = list(colors)
    x_tooltip = {"field": "x", "type": x_type, "title": x_title}
    if categories is not None:
        x_tooltip = {"field": "xl", "type": "nominal", "title": x_title}
    elif temporal:
        x_tooltip |= {"format": "%Y-%m-%d %H:%M:%S", "formatType": "utc"}
    elif x_type == "quantitative":
        x_tooltip["format"] = TOOLTIP_NUMBER
    return XYEncodings(
        x=x,
        y={
            "field": "y",
            "type": y_type,
            "title": y_title,
            "scale": _scale(options.zoom_to_fit, options.y_axis_domain, False),
        },
        color={
            "field": "s",
            "type": "nominal",
            "scale": color_scale,
            "legend": {
                "title": legend_title,
                "labelExpr": short_label("datum.label"),
                **NO_PIXEL_LIMIT,
            },
        },
        x_tooltip=x_tooltip,
        # Marks are clipped at a domain the user asked for; without one the scale holds
        # every mark, and clipping would only cut the points on its edge in half.
        clip=not options.zoom_to_fit
        and (options.x_axis_domain is not None or options.y_axis_domain is not None),
        y_tooltip={"field": "y", "type": y_type, "title": y_title, "format": TOOLTIP_NUMBER},
        names=names,
        params=params,
        x_fields=["x", "xl"] if categories is not None else ["x"],
        categories=categories,
    )


def sort_by_x(series: XYSeries) -> XYSeries:
    """A series ordered by x (stable), as a line draws it and downsampling needs it."""
    if series.x.dtype.kind == "O" or len(series.x) < 2:
        return series
    if np.all(series.x[1:] >= series.x[:-1]):
        return series
    order = np.argsort(series.x, kind="stable")
    return XYSeries(series.name, series.x[order], series.y[order])


REDUCTION_HINT = (
    "Leave downsampling on (the default, downsample='minmax_lttb') or pass a smaller "
    "maxPoints so tfvis draws a reduced copy of each series"
)


def reduce_series(
    xy: XYData, options: XYOptions, *, connected: bool, row_weight: float
) -> tuple[XYData, dict[str, Any] | None]:
    """Apply the point budget to every series, before any spec is built.

    Lines (``connected``) are sorted by x and reduced with the chosen downsampling
    method, which keeps every bucket's extremes; scatter clouds are thinned on a
    pixel grid (see :func:`thin_cloud`). Returns the data to draw and the
    report of what was reduced (None when nothing was). Whatever
    ``maxPoints`` says, the budget keeps the chart under the export limit, where
    each row costs ``row_weight``.
    """
    if connected:
        xy = replace(xy, series=tuple(sort_by_x(s) for s in xy.series))
    method = options.downsample
    requested = options.point_budget
    affordable = _budget.affordable_rows(row_weight) // max(1, len(xy.series))
    # Four, not three: the min/max-based methods always keep both extremes and the ends.
    limit = max(4, min(requested, affordable))
    if method is None or all(len(s.y) <= limit for s in xy.series):
        return xy, None
    from tfvis import downsample

    reduced, notes = [], []
    for s in xy.series:
        if len(s.y) <= limit:
            reduced.append(s)
            continue
        if connected:
            x = None if s.x.dtype.kind == "O" else s.x
            keep = downsample.reduce_indices(s.y, limit, method, x=x)
            used = method
        else:
            keep = thin_cloud(s, limit, options)
            used = "pixel_grid"
        reduced.append(XYSeries(s.name, s.x[keep], s.y[keep]))
        notes.append({"series": s.name, "method": used, "original": len(s.y), "kept": len(keep)})
    summary = ", ".join(f"{n['series']!r} {n['original']:,} -> {n['kept']:,}" for n in notes)
    lowered = (
        f" (maxPoints {requested:,} lowered to {limit:,} to stay within the export limit)"
        if limit < requested
        else ""
    )
    warnings.warn(
        f"tfvis drew a reduced copy of {len(notes)} series ({summary} points){lowered}; pass "
        "maxPoints to change the budget or downsample=False to draw every point",
        DownsampleWarning,
        stacklevel=5,  # reduce_series < _build < _spec.render < linechart < the caller
    )
    return replace(xy, series=tuple(reduced)), {"downsample": notes, "max_points": limit}


#: Points a pass of the pixel-grid thinning works on at once (bounded scratch memory:
#: a default 10^8-point cloud needs a few chunks' worth, never copies of the cloud).
CLOUD_CHUNK = 1 << 21


def thin_cloud(series: XYSeries, keep: int, options: XYOptions) -> np.ndarray:
    """Keep one point per occupied cell of a pixel grid, coarsening until within budget.

    A point alone in its cell is always kept, so outliers and the outline of the
    cloud survive; dense regions lose only points that would overplot. The first
    point of each cell is kept. Works through the cloud in chunks: memory is the
    grid plus a chunk, whatever the cloud's size. Returns sorted indices.
    """
    if series.x.dtype.kind == "O":  # categories: their codes, over the whole series
        series = XYSeries(series.name, _as_float(series.x), series.y)
    extent = _extent(series)
    if extent is None:
        return np.zeros(0, dtype=np.int64)
    # One pass over the cloud finds the first point of every one-pixel cell; coarser
    # grids are made from those cells, not from the points again.
    fine_cols, fine_rows = max(1, int(options.width)), max(1, int(options.height))
    first = _first_in_cells(series, extent, fine_cols, fine_rows)
    occupied = np.flatnonzero(first >= 0)
    fine_x, fine_y = occupied // fine_rows, occupied % fine_rows
    cell = 1.0
    while True:
        cols = max(1, int(options.width / cell))
        rows = max(1, int(options.height / cell))
        coarse = ((fine_x + 0.5) * cols // fine_cols) * rows + (fine_y + 0.5) * rows // fine_rows
        keys = coarse.astype(np.int64)
        best = np.full(cols * rows, np.iinfo(np.int64).max, dtype=np.int64)
        np.minimum.at(best, keys, first[occupied])
        kept = best[best < np.iinfo(np.int64).max]
        if len(kept) <= keep or (cols == 1 and rows == 1):
            return np.sort(kept)
        cell *= 1.5


def _extent(series: XYSeries) -> tuple[float, float, float, float] | None:
    """(x min, x max, y min, y max) of the points with finite x and y, in chunks."""
    lo_x = lo_y = np.inf
    hi_x = hi_y = -np.inf
    for start in range(0, len(series.y), CLOUD_CHUNK):
        x, y = _chunk(series, start)
        ok = np.isfinite(x) & np.isfinite(y)
        if ok.any():
            lo_x, hi_x = min(lo_x, float(x[ok].min())), max(hi_x, float(x[ok].max()))
            lo_y, hi_y = min(lo_y, float(y[ok].min())), max(hi_y, float(y[ok].max()))
    return None if lo_x == np.inf else (lo_x, hi_x, lo_y, hi_y)


def _chunk(series: XYSeries, start: int) -> tuple[np.ndarray, np.ndarray]:
    stop = start + CLOUD_CHUNK
    return _as_float(series.x[start:stop]), series.y[start:stop]


def _first_in_cells(
    series: XYSeries, extent: tuple[float, float, float, float], cols: int, rows: int
) -> np.ndarray:
    """For each cell of a cols × rows grid, the index of its first point (or -1)."""
    first = np.full(cols * rows, -1, dtype=np.int64)
    lo_x, hi_x, lo_y, hi_y = extent
    for start in range(0, len(series.y), CLOUD_CHUNK):
        x, y = _chunk(series, start)
        ok = np.flatnonzero(np.isfinite(x) & np.isfinite(y))
        cells = _grid_position(x[ok], lo_x, hi_x, cols) * rows + _grid_position(
            y[ok], lo_y, hi_y, rows
        )
        # Written backwards, so each cell ends up holding its first point of the chunk.
        in_chunk = np.full(cols * rows, -1, dtype=np.int64)
        in_chunk[cells[::-1]] = ok[::-1] + start
        new = (first < 0) & (in_chunk >= 0)
        first[new] = in_chunk[new]
    return first


def _finite_x(x: np.ndarray) -> np.ndarray:
    mask: np.ndarray = np.isfinite(x) if x.dtype.kind == "f" else np.ones(len(x), dtype=bool)
    return mask


def _as_float(x: np.ndarray) -> np.ndarray:
    if x.dtype.kind == "M":
        return x.astype("datetime64[ns]").astype(np.int64).astype(np.float64)
    if x.dtype.kind == "O":
        _, codes = np.unique(x, return_inverse=True)
        return codes.astype(np.float64)
    return x.astype(np.float64, copy=False)


def _grid_position(values: np.ndarray, lo: float, hi: float, cells: int) -> np.ndarray:
    # Halved so that a cloud spanning more than the float range cannot overflow.
    span = hi / 2 - lo / 2 or 1.0
    position: np.ndarray = ((values / 2 - lo / 2) / span * cells).astype(np.int64)
    clipped: np.ndarray = np.clip(position, 0, cells - 1)
    return clipped
