"""``render.histogram``: the distribution of values, binned in numpy."""

from __future__ import annotations

from typing import Any

from tfvis import _budget
from tfvis._chart import Chart
from tfvis._data import drawable, normalize_histogram
from tfvis._options import HistogramOptions
from tfvis._records import Records
from tfvis._stats import ArrayStats, array_stats, histogram_bins
from tfvis.render import _spec
from tfvis.render._stats_table import stats_lines, stats_values

__all__ = ["histogram"]

BINS = "tfvis_bins"


def histogram(*args: Any, **options: Any) -> Chart:
    """Draw a histogram of values with a table of summary statistics.

    The bins are exactly those of Vega-Lite's ``bin: {maxbins}`` over the finite
    values, but computed with numpy: the spec carries only the bins.

    Parameters
    ----------
    data
        Numbers: a list, a list of ``{"value": v}`` dicts, or an array or tensor of
        any shape (flattened).
    opts, **options
        ``width``, ``height``, ``maxBins`` (12), ``color`` ('#001B44'), ``fontSize``,
        ``stats`` (False hides the table, a dict replaces it), ``xLabel``, ``yLabel``.

    Returns
    -------
    Chart
        With ``chart.stats``: num_vals, min, max, num_zeros, num_nans, num_infs.

    Example
    -------
    >>> from tfvis import render
    >>> chart = render.histogram([1, 5, 5, 5, 5, 10, -3, -3], {"maxBins": 3, "width": 400})
    >>> chart.stats["num_vals"]
    8
    """
    return _spec.render("histogram", HistogramOptions, _build, args, options)


def _build(data: Any, options: HistogramOptions) -> Chart:
    values = normalize_histogram(data, chart="histogram")
    summary = array_stats(values)  # of the data as given: subnormal minima stay exact
    # maxBins beyond what the engine can draw is lowered: binning is the reduction.
    max_bins = min(options.max_bins, _budget.affordable_rows(_budget.MARK_WEIGHTS["bar"]))
    # Bins of subnormal width cannot be drawn or labelled (every tick reads 0): bin them as 0.
    binned = drawable(values, "the data", "histogram")
    bins = histogram_bins(binned, max_bins, summary if binned is values else array_stats(binned))
    edges = bins.edges
    x_title, y_title = options.x_label, options.y_label
    fmt = _spec.TOOLTIP_NUMBER
    bars: dict[str, Any] = {
        "data": {"name": BINS},
        "mark": {"type": "bar", "color": options.color, "clip": True},
        "encoding": {
            "x": {
                "field": "bin_start",
                "type": "quantitative",
                # Ticks on the bin edges, as tfjs-vis draws them, for up to 20 bins; past
                # that an axis of its own (one label per edge took 45 s for 10,000 bins).
                **({"bin": {"binned": True, "step": bins.step}} if len(bins.counts) <= 20 else {}),
                "title": x_title,
                # No finite values: no bars, but still a sensible empty axis.
                "scale": {"domain": [bins.start, bins.stop] if len(bins.counts) else [0, 1]},
            },
            "x2": {"field": "bin_end"},
            "y": {
                "field": "count",
                "type": "quantitative",
                "title": y_title,
                "axis": {"tickMinStep": 1},
            },
            "tooltip": [
                {"field": "bin_start", "type": "quantitative", "title": "from", "format": fmt},
                {"field": "bin_end", "type": "quantitative", "title": "to", "format": fmt},
                {"field": "count", "type": "quantitative", "title": y_title, "format": ",d"},
            ],
        },
    }
    title = _spec.title_block(options.title, options.subtitle, _table(options.stats, summary))
    return _spec.finish(
        bars,
        {BINS: Records(bin_start=edges[:-1], bin_end=edges[1:], count=bins.counts)},
        kind="histogram",
        width=options.width,
        height=options.height,
        font_size=options.font_size,
        report={"stats": _stats_dict(summary)},
        title=title,
    )


def _stats_dict(summary: ArrayStats) -> dict[str, Any]:
    return {
        "num_vals": summary.num_vals,
        "min": summary.min,
        "max": summary.max,
        "num_zeros": summary.num_zeros,
        "num_nans": summary.num_nans,
        "num_infs": summary.num_infs,
    }


def _table(option: bool | dict[str, float | None] | None, summary: ArrayStats) -> list[str]:
    if option is False:
        return []
    if isinstance(option, dict):
        return stats_lines(option)  # checked and keyed the Python way by the options
    return stats_lines(stats_values(summary))
