"""``render.confusion_matrix``: true classes (rows, y) against predictions (columns, x)."""

from __future__ import annotations

import functools
import json
import math
import warnings
from typing import Any

import numpy as np

from tfvis import _engine
from tfvis._chart import Chart
from tfvis._data import normalize_confusion_matrix
from tfvis._options import ConfusionMatrixOptions, palette
from tfvis._records import Records
from tfvis.errors import DownsampleWarning
from tfvis.render import _spec
from tfvis.render._grid import Axis, cell_limits, image_spec
from tfvis.render._stats_table import format_number

__all__ = ["TEXT_OVERLAY_LIMIT", "confusionMatrix", "confusion_matrix"]

CELLS = "tfvis_cells"
#: From this many classes on, cells carry no text (the tooltip keeps the numbers)
#: and the x labels stand upright.
TEXT_OVERLAY_LIMIT = 30
#: Average glyph width in em of a sans-serif face, for fitting text to cells.
_GLYPH_EM = 0.6
#: Text smaller than this is not drawn in cells.
_MIN_TEXT_PIXELS = 7.0
#: WCAG: white text has the higher contrast on colours darker than this luminance.
_WHITE_TEXT_BELOW = 0.179
#: Cells per axis at most, however large the picture: 150 x 150 cells keep the spec
#: under 3 MB (a 1,000-class matrix is then drawn as groups of 7 classes).
MAX_CELLS_PER_AXIS = 150
_SHARE_TITLES = {None: "% of label", "true": "% of label", "pred": "% of prediction"}


def confusion_matrix(*args: Any, **options: Any) -> Chart:
    """Draw a confusion matrix: how often each true class was predicted as each class.

    Rows are the true label (y), columns the prediction (x), as in tfjs-vis and
    scikit-learn, so ``metrics.confusion_matrix(labels, predictions)`` draws as is.
    Every cell shows its number (up to 29 classes), in black or white, whichever
    reads better on the cell's colour; the tooltip shows the count and its share.
    A matrix with more classes than the picture has room for (a few pixels a class)
    is drawn as groups of neighbouring classes, with a
    :class:`tfvis.DownsampleWarning`.

    Parameters
    ----------
    data
        ``{"values": n × n counts, "tickLabels": class names}``, or the matrix
        alone: a nested list, array, tensor, or a DataFrame (index: true classes,
        columns: predictions, both used as labels).
    opts, **options
        ``width`` (400), ``height`` (400), ``xLabel`` ('prediction'), ``yLabel``
        ('label'), ``fontSize`` (12), ``shadeDiagonal`` (True), ``showTextOverlay``
        (True), ``colorMap`` ('blues', 'greyscale', 'viridis', any Vega scheme or a
        ``[low, high]`` pair of colours), ``normalize`` (None, 'true', 'pred', 'all').

    Returns
    -------
    Chart

    Example
    -------
    >>> from tfvis import render
    >>> chart = render.confusion_matrix(
    ...     {"values": [[4, 2, 8], [1, 7, 2], [3, 3, 20]],
    ...      "tickLabels": ["cheese", "pig", "font"]},
    ...     {"shadeDiagonal": False},
    ... )
    """
    return _spec.render("confusion_matrix", ConfusionMatrixOptions, _build, args, options)


#: tfjs-vis' name.
confusionMatrix = confusion_matrix


def _build(data: Any, options: ConfusionMatrixOptions) -> Chart:
    matrix = normalize_confusion_matrix(data, chart="confusion_matrix")
    n = len(matrix.counts)
    limit = min(*cell_limits(options.width, options.height), MAX_CELLS_PER_AXIS)
    group = max(1, math.ceil(n / limit))
    counts = _group_sums(matrix.counts, group)
    shown = _normalized(counts, options.normalize)
    shade = shown.copy()
    off_diagonal = ~np.eye(len(shade), dtype=bool)
    if not options.shade_diagonal and shade[off_diagonal].any():
        # tfjs-vis: the diagonal is white and out of the colour domain, unless nothing
        # off the diagonal is non-zero (then only the diagonal can carry colour).
        np.fill_diagonal(shade, np.nan)
    top = float(np.nanmax(shade)) if np.isfinite(shade).any() else 0.0
    domain = (0.0, 1.0) if options.normalize or top <= 0 else (0.0, top)
    scale = palette(options.color_map)
    x = Axis("x", options.x_label, "ordinal", matrix.predicted, n)
    y = Axis("y", options.y_label, "ordinal", matrix.labels, n)
    first = np.arange(len(counts)) * group
    last = np.minimum(first + group, n) - 1
    # Cell rows: x is the prediction (column j), y the true class (row i).
    rows, cols = np.meshgrid(np.arange(len(counts)), np.arange(len(counts)), indexing="ij")
    i, j = rows.ravel(), cols.ravel()
    share = shown if options.normalize else _normalized(counts, "true")
    columns: dict[str, Any] = {
        "xl": x.names(first[j], last[j]),
        "yl": y.names(first[i], last[i]),
        "count": counts.ravel(),
        # Six decimals are more than a tooltip or a colour shows, and half the JSON.
        "share": np.round(share.ravel(), 6),
        "shade": shade.ravel() if options.normalize is None else np.round(shade.ravel(), 6),
    }
    share_title = _SHARE_TITLES.get(options.normalize, "% of all")
    fill: dict[str, Any] = {
        "field": "shade",
        "type": "quantitative",
        # The title names the colour in each cell's ARIA description (as the tooltip
        # does, so it is said once); the legend shows none, as in tfjs-vis.
        "title": share_title if options.normalize else "count",
        "scale": {**scale, "domain": list(domain)},
        "legend": {"title": None},
    }
    if options.normalize:
        fill["legend"]["format"] = ".0%"
    elif np.array_equal(counts, np.round(counts)):
        fill["legend"]["tickMinStep"] = 1  # whole counts: no 0.5 ticks
    tooltip = [
        {"field": "yl", "type": "nominal", "title": options.y_label},
        {"field": "xl", "type": "nominal", "title": options.x_label},
        {"field": "count", "type": "quantitative", "title": "count", "format": ",.4~f"},
        {
            "field": "share",
            "type": "quantitative",
            "title": share_title,
            "format": ".1%",
        },
    ]
    layers: list[dict[str, Any]]
    report: dict[str, Any] = {}
    raster_spec = None
    if group == 1:
        columns |= {"x": j, "y": i}
        x_angle, text_size = _layout(matrix.labels, matrix.predicted, shown, options)
        encoding: dict[str, Any] = {
            "x": x.band(labelAngle=x_angle, labelOverlap="greedy"),
            "y": y.band(labelAngle=0, labelOverlap="greedy"),
        }
        layers = _rects({"type": "rect"}, fill, tooltip, np.isnan(shade).any())
        if options.show_text_overlay and text_size is not None:
            columns["text"] = _cell_texts(counts, shown, options.normalize)
            columns["ink"] = _ink(shade.ravel(), scale, domain)
            layers.append(
                {
                    "mark": {"type": "text", "baseline": "middle", "fontSize": text_size},
                    "encoding": {
                        "text": {"field": "text", "type": "nominal"},
                        "color": {"field": "ink", "type": "nominal", "scale": None, "legend": None},
                        "tooltip": tooltip,
                    },
                }
            )
    else:
        report = _record_groups(n, len(counts), group)
        columns |= {"x": first[j] - 0.5, "x2": last[j] + 0.5, "y": first[i] - 0.5}
        columns["y2"] = last[i] + 0.5
        # Only groups with samples (or the white diagonal) are rects; empty groups show
        # the view's fill, the colour of 0, so most of a big matrix costs nothing.
        kept = (counts.ravel() > 0) | np.isnan(shade.ravel())
        columns = {key: np.asarray(column)[kept] for key, column in columns.items()}
        encoding = {
            "x": x.continuous(),
            "x2": {"field": "x2"},
            "y": y.continuous(reverse=True),
            "y2": {"field": "y2"},
        }
        for channel in ("x", "y"):  # no grid lines across the empty groups
            encoding[channel]["axis"]["grid"] = False
        layers = _rects({"type": "rect", "clip": True}, fill, tooltip, np.isnan(shade).any())
        # PNG: one image of the groups (NaN, the unshaded diagonal, stays white).
        raster_spec = functools.partial(image_spec, shade.T, (group, group), x, y, scale, domain)
    cells: dict[str, Any] = {"data": {"name": CELLS}, "encoding": encoding, "layer": layers}
    if group > 1:
        cells["view"] = {"fill": _zero_color(scale, domain)}
    params = x.params + y.params
    if params:
        cells["params"] = params
    return _spec.finish(
        cells,
        {CELLS: Records(**columns)},
        kind="confusion_matrix",
        width=options.width,
        height=options.height,
        font_size=options.font_size,
        title=_spec.title_block(options.title, options.subtitle),
        report=report,
        raster_spec=raster_spec,
    )


def _rects(
    mark: dict[str, Any], fill: dict[str, Any], tooltip: list[dict[str, Any]], unshaded: bool
) -> list[dict[str, Any]]:
    """The coloured cells, and the unshaded (NaN) ones in white on a layer of their own.

    Vega-Lite leaves cells without a value out of the coloured layer. (A fill
    condition would paint them in one layer, but makes Vega lay out the legend
    without room for its labels.)
    """
    layers: list[dict[str, Any]] = [{"mark": mark, "encoding": {"fill": fill, "tooltip": tooltip}}]
    if unshaded:
        layers.append(
            {
                "transform": [{"filter": "!isValid(datum.shade)"}],
                "mark": {**mark, "fill": "white"},
                "encoding": {"tooltip": tooltip},
            }
        )
    return layers


def _group_sums(counts: np.ndarray, group: int) -> np.ndarray:
    """The confusion matrix of groups of ``group`` neighbouring classes (sums of counts)."""
    if group == 1:
        return counts
    n = len(counts)
    size = math.ceil(n / group)
    padded = np.zeros((size * group, size * group))
    padded[:n, :n] = counts
    sums: np.ndarray = padded.reshape(size, group, size, group).sum(axis=(1, 3))
    return sums


def _normalized(counts: np.ndarray, mode: str | None) -> np.ndarray:
    """Counts divided by their row ('true'), column ('pred') or total ('all') sums.

    A class with no samples (an all-zero row or column) gives 0s, never NaN.
    """
    if mode is None:
        return counts
    if mode == "true":
        totals = counts.sum(axis=1, keepdims=True)
    elif mode == "pred":
        totals = counts.sum(axis=0, keepdims=True)
    else:
        totals = np.array(counts.sum())
    result: np.ndarray = np.divide(
        counts, totals, out=np.zeros_like(counts), where=np.broadcast_to(totals, counts.shape) > 0
    )
    return result


def _cell_texts(counts: np.ndarray, shown: np.ndarray, mode: str | None) -> np.ndarray:
    values = shown.ravel() if mode else counts.ravel()
    if mode:
        return np.array([f"{v:.2f}" for v in values], dtype=object)
    return np.array([format_number(float(v)) for v in values], dtype=object)


@functools.cache
def _sampled(scale_json: str) -> np.ndarray:
    return np.array(_engine.scale_colors(scale_json), dtype=np.float64)


def _ink(shade: np.ndarray, scale: dict[str, Any], domain: tuple[float, float]) -> np.ndarray:
    """Black or white text for each cell, whichever contrasts more with its colour.

    The colour is read from the very Vega scale that fills the cell (sampled once
    per colour map); an unshaded (white) cell gets black. Computed here rather than
    with a Vega ``luminance(scale('fill', ...))`` expression, which silently finds no
    scale once the chart is composed with independent colour scales (``a | b``).
    """
    colors = _sampled(json.dumps(scale, sort_keys=True))
    lo, hi = domain
    finite = np.isfinite(shade)
    position = np.clip((np.where(finite, shade, lo) - lo) / ((hi - lo) or 1.0), 0.0, 1.0)
    rgb = colors[np.rint(position * (len(colors) - 1)).astype(np.intp)] / 255.0
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    luminance = linear @ np.array([0.2126, 0.7152, 0.0722])
    dark = finite & (luminance < _WHITE_TEXT_BELOW)
    return np.where(dark, "white", "black").astype(object)


def _zero_color(scale: dict[str, Any], domain: tuple[float, float]) -> str:
    """The colour the scale gives a count of 0 (the low end: domains start at 0)."""
    red, green, blue = (int(c) for c in _sampled(json.dumps(scale, sort_keys=True))[0])
    return f"rgb({red}, {green}, {blue})"


def _layout(
    labels: tuple[str, ...],
    predicted: tuple[str, ...],
    shown: np.ndarray,
    options: ConfusionMatrixOptions,
) -> tuple[float, float | None]:
    """The x labels' angle and the in-cell text size (None: no text), from estimates.

    The plot is the picture less the y labels and title, the legend and the x
    labels; glyphs are about 0.6 em wide. Labels stand upright from 30 classes on,
    or when they are too wide for a column even leaning at 45°.
    """
    n = len(labels)
    font = options.font_size
    label_width = _GLYPH_EM * font * max((len(s) for s in labels), default=1)
    plot_width = max(1.0, options.width - min(label_width, 180) - 2 * font - 60)
    column = plot_width / n
    x_width = _GLYPH_EM * font * max((len(s) for s in predicted), default=1)
    # A label leaning at 45° takes about 0.71 × (its width + its height) of the row.
    if n >= TEXT_OVERLAY_LIMIT or 0.71 * (x_width + font) > column:
        angle = -90.0
    else:
        angle = 0.0 if x_width <= column * 0.9 else -45.0
    x_height = font if angle == 0 else min(x_width, 180) * (1.0 if angle == -90 else 0.71)
    plot_height = max(1.0, options.height - x_height - 2 * font - 20)
    if n >= TEXT_OVERLAY_LIMIT:
        return angle, None
    texts = _cell_texts(shown, shown, options.normalize) if options.normalize else None
    widest = max(len(t) for t in texts) if texts is not None else len(format_number(shown.max()))
    size = min(font, 0.9 * column / (_GLYPH_EM * max(widest, 1)), 0.8 * plot_height / n)
    return angle, (round(size, 1) if size >= _MIN_TEXT_PIXELS else None)


def _record_groups(n: int, drawn: int, group: int) -> dict[str, Any]:
    warnings.warn(
        f"tfvis drew a {n:,}-class confusion matrix as {drawn:,}x{drawn:,} groups of "
        f"{group} neighbouring classes (sums of their counts); make the chart larger to "
        "draw more classes",
        DownsampleWarning,
        stacklevel=5,
    )
    return {
        "aggregate": {
            "method": "class_groups",
            "original": [n, n],
            "drawn": [drawn, drawn],
            "block": [group, group],
        }
    }
