"""``show.history``: training curves, one panel per metric group, as tfjs-vis draws them.

``val_loss`` (and ``val/loss``, ``loss_val``) shares a panel with ``loss``; each panel
is a line chart of its own (its own scales: an accuracy panel's 0..1 domain never
reaches the loss panel after it), composed into one :class:`tfvis.Chart`. Colours
are fixed across panels: by role (training, validation, test) for one run, by run
when runs are compared (then the role is the dash pattern).

Example
-------
>>> from tfvis import show
>>> chart = show.history({"loss": [0.9, 0.6, 0.4], "val_loss": [1.0, 0.8, 0.7],
...                       "acc": [0.5, 0.7, 0.8], "val_acc": [0.4, 0.6, 0.7]})
>>> chart.kind
'history'
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from tfvis._chart import Chart
from tfvis._compose import concat
from tfvis._container import place
from tfvis._logs import (
    ROLES,
    Metric,
    Run,
    canonical,
    choose,
    is_accuracy_like,
    read_runs,
    split_name,
    unknown_metric,
)
from tfvis._options import HistoryOptions, resolve
from tfvis._records import Records
from tfvis._text import describe
from tfvis.errors import DataError
from tfvis.render import _spec
from tfvis.show._call import split_container
from tfvis.show._label_place import (
    DX,
    DY_ABOVE,
    DY_BELOW,
    MARGIN,
    PLACES,
    Scale,
    label_place,
    mark_box,
    text_width,
)

__all__ = ["Panel", "Series", "build_panels", "compose", "history", "smooth"]

#: Tableau 10, as Vega's default scheme: series colours, the same in every panel.
PALETTE = (
    "#4c78a8",
    "#f58518",
    "#e45756",
    "#72b7b2",
    "#54a24b",
    "#eeca3b",
    "#b279a2",
    "#ff9da6",
    "#9d755d",
    "#bab0ac",
)
#: Colour of each role when one run is drawn.
ROLE_COLORS = {"train": PALETTE[0], "validation": PALETTE[1], "test": PALETTE[4]}
#: Dash pattern of each role when runs are compared (colour is the run).
ROLE_DASHES = {"train": [1, 0], "validation": [6, 3], "test": [2, 2]}
#: Opacity of the raw line under a smoothed one (TensorBoard draws it faint too).
RAW_OPACITY = 0.25
X_TITLES = {"epoch": "epoch", "step": "step", "time": "time (s)"}
_DATA, _RAW, _BEST = "tfvis_points", "tfvis_raw", "tfvis_best"


@dataclass
class Series:
    """One line of a panel: a metric of a run, with the x values it is drawn at."""

    label: str
    run: str | None
    role: str
    metric: str
    x: np.ndarray
    y: np.ndarray


@dataclass
class Panel:
    """One metric group: its title and its series."""

    group: str
    series: list[Series]


def history(*args: Any, **options: Any) -> Chart:
    """Draw training curves: one panel per metric, validation beside training.

    Call as ``history(history, metrics=None, opts=None, **options)`` or, in tfjs-vis
    order, ``history(container, history, metrics, opts)``.

    Parameters
    ----------
    history
        A Keras ``History`` (what ``model.fit`` returns), tfjs-vis's
        ``{"history": {...}}``, a dict of lists, a list of per-epoch log dicts, or a
        DataFrame (Keras ``CSVLogger``, Lightning ``metrics.csv``); or a mapping of
        run names to any of those, to compare runs (``{"baseline": h1, "wider": h2}``).
    metrics
        The metric names to draw (``['loss', 'val_loss']``); None draws every
        numeric metric. ``val_X``, ``val/X`` and ``X_val`` share ``X``'s panel;
        Lightning's ``X_step`` and ``X_epoch`` are one series, ``X``.
    opts, **options
        ``width``, ``height`` (each panel's plot), ``xLabel``, ``yLabel``,
        ``fontSize``, ``title``, ``subtitle``, ``zoomToFit``, ``zoomToFitAccuracy``
        (accuracy-like panels are 0..1 unless True), ``smoothing`` (TensorBoard's
        debiased moving average, 0..1; the raw line stays, faint), ``yScale``
        (``'linear'``, ``'log'``), ``bestMarkers`` (True: the best value of each
        series, the least for losses and the most for accuracies, marked with its
        epoch), ``x`` (``'epoch'``, ``'step'``, ``'time'``), ``columns`` (panels a
        row, 2), ``maxPoints``, ``downsample``; camelCase or snake_case.

    Returns
    -------
    Chart

    Raises
    ------
    DataError
        For a history tfvis cannot read, or a metric it does not have (the message
        lists the metrics there are).

    Example
    -------
    >>> from tfvis import show
    >>> logs = {"loss": [0.9, 0.6, 0.4], "val_loss": [1.0, 0.8, 0.7]}
    >>> chart = show.history(logs, ["loss", "val_loss"], {"width": 300})
    """
    container, rest = split_container("show.history", args, 3)
    logs, metrics, opts = _arguments(rest)
    settings = resolve(HistoryOptions, opts, options, chart="show.history")
    runs = read_runs(logs, function="show.history")
    panels = build_panels(runs, metrics, settings.x, function="show.history")
    # Every panel colours the runs alike, even one where a run logged nothing.
    names = [run.name for run in runs] if len(runs) > 1 else None
    chart = compose([chart_panel(p, settings, settings.x, runs=names) for p in panels], settings)
    place(chart, container)
    return chart


def _arguments(rest: tuple[Any, ...]) -> tuple[Any, Any, Mapping[str, Any] | None]:
    """(history, metrics, opts) of ``history(h)``, ``(h, metrics)``, ``(h, opts)`` or all three."""
    logs = rest[0]
    metrics = rest[1] if len(rest) > 1 else None
    opts = rest[2] if len(rest) > 2 else None
    if len(rest) == 2 and isinstance(metrics, Mapping):
        metrics, opts = None, metrics
    return logs, metrics, opts


def metric_names(metrics: Any, function: str) -> list[str] | None:
    """The ``metrics`` argument as a list of names (None: every metric)."""
    if metrics is None:
        return None
    names = [metrics] if isinstance(metrics, str) else metrics
    if not isinstance(names, Sequence) or not all(isinstance(n, str) for n in names) or not names:
        raise DataError(
            f"{function}: metrics must be None, a metric name or a list of names such as "
            f"['loss', 'val_loss'], got {describe(metrics)}"
        )
    return list(names)


def build_panels(runs: Sequence[Run], metrics: Any, axis: str, *, function: str) -> list[Panel]:
    """The panels of ``runs``: one per metric group, in the order first logged."""
    wanted = metric_names(metrics, function)
    chosen = [(run, choose(run, axis)) for run in runs]
    available = list(dict.fromkeys(name for _, series in chosen for name in series))
    if wanted is not None:
        spellings = {name: name for name in available}
        for run in runs:
            spellings.update({logged: canonical(logged)[0] for logged in run.metrics})
        for name in wanted:
            if name not in spellings:
                raise unknown_metric(function, name, available)
        selected = list(dict.fromkeys(spellings[name] for name in wanted))
    else:
        selected = available
    groups: dict[str, list[Series]] = {}
    several = len(runs) > 1
    for name in selected:
        group, role = split_name(name)
        for run, series in chosen:
            metric = series.get(name)
            if metric is None or not np.isfinite(metric.values).any():
                continue  # not logged by this run, or nothing but NaN so far
            x = _x_values(metric, axis)
            if x is None:
                raise DataError(
                    f"{function}: x={axis!r} needs the {axis} of each value, and "
                    f"{metric.name!r}{_of_run(run)} was logged without one"
                )
            label = f"{run.name} {name}" if several else name
            groups.setdefault(group, []).append(
                Series(label, run.name, role, name, x, metric.values)
            )
    return [Panel(group, series) for group, series in groups.items()]


def _of_run(run: Run) -> str:
    return "" if run.name is None else f" of run {run.name!r}"


def _x_values(metric: Metric, axis: str) -> np.ndarray | None:
    x = metric.axis(axis)
    if x is None:
        return None
    if axis == "time" and len(x):
        finite = x[np.isfinite(x)]
        x = x - (finite.min() if len(finite) else 0.0)
    return x


# ----------------------------------------------------------------------------- numbers


def smooth(values: np.ndarray, weight: float) -> np.ndarray:
    """TensorBoard's smoothing: an exponential moving average, debiased at the start.

    Non-finite values pass through unchanged and do not enter the average.

    >>> smooth(np.array([1.0, 1.0, 1.0]), 0.9).tolist()
    [1.0, 1.0, 1.0]
    """
    if weight == 0 or len(values) == 0:
        return values
    out = values.astype(np.float64, copy=True)
    last, count = 0.0, 0
    for index, value in enumerate(values.tolist()):
        if not math.isfinite(value):
            continue
        last = last * weight + (1 - weight) * value
        count += 1
        out[index] = last / (1 - weight**count)
    return out


def _drawable(series: Series, log: bool, axis: str) -> tuple[np.ndarray, np.ndarray, str | None]:
    """The series' points a line can draw, ordered by x (NaN, ±inf and, on a log scale,
    values <= 0 left out), and a sentence saying what was left out, if anything."""
    x, y = series.x, series.y
    ok = np.isfinite(x) & np.isfinite(y)
    if log:
        ok &= y > 0
    left_out = None
    if not ok.all():
        left_out = _left_out(series, x, y, log, axis)
        x, y = x[ok], y[ok]
    if len(x) > 1 and not np.all(x[1:] >= x[:-1]):
        order = np.argsort(x, kind="stable")
        x, y = x[order], y[order]
    return x, y, left_out


def _left_out(series: Series, x: np.ndarray, y: np.ndarray, log: bool, axis: str) -> str | None:
    """What a line leaves out, as "loss: not drawn: 2 NaN (first at epoch 4), 1 inf
    (epoch 3)": a diverged run, or a loss of 0 on a log scale, must not look like a
    line that simply skips those points."""
    placed = np.isfinite(x)
    finite = np.isfinite(y)
    kinds = (
        ("NaN", np.isnan(y)),
        ("inf", np.isposinf(y)),
        ("-inf", np.isneginf(y)),
        ("≤ 0 on the log scale", finite & (y <= 0) if log else np.zeros(len(y), dtype=bool)),
    )
    parts = []
    for name, where in kinds:
        where = where & placed
        count = int(np.count_nonzero(where))
        if count:
            at = _x_text(float(np.min(x[where])), axis)
            parts.append(f"{count:,} {name} ({'first at ' if count > 1 else ''}{at})")
    unplaced = int(np.count_nonzero(~placed))
    if unplaced:
        parts.append(f"{unplaced:,} with no {axis}")
    return f"{series.label}: not drawn: {', '.join(parts)}" if parts else None


def _x_text(value: float, axis: str) -> str:
    """An x as a label names it: "epoch 17", "step 1,234,568", "12.5 s"."""
    if axis == "time":
        return f"{value:g} s"
    return f"{axis} {value:,.0f}" if value.is_integer() else f"{axis} {value:,g}"


def _reduce(
    x: np.ndarray, y: np.ndarray, options: HistoryOptions
) -> tuple[np.ndarray, np.ndarray, int]:
    budget = options.point_budget
    if options.downsample is None or len(y) <= budget:
        return x, y, len(y)
    from tfvis import downsample

    keep = downsample.reduce_indices(y, budget, options.downsample, x=x)
    return x[keep], y[keep], len(y)


# ----------------------------------------------------------------------------- spec


def _colors(panel: Panel, runs: Sequence[str | None]) -> tuple[list[str], list[str]]:
    """The colour domain and range: by run when several, by role (then spare colours)."""
    if len(runs) > 1:
        return [str(r) for r in runs], [PALETTE[i % len(PALETTE)] for i in range(len(runs))]
    labels = [s.label for s in panel.series]
    used: set[str] = set()
    colors = []
    spare = [c for c in PALETTE if c not in ROLE_COLORS.values()]
    for series in panel.series:
        color = ROLE_COLORS.get(series.role, PALETTE[0])
        if color in used:
            color = spare.pop(0) if spare else PALETTE[len(used) % len(PALETTE)]
        used.add(color)
        colors.append(color)
    return labels, colors


def chart_panel(
    panel: Panel,
    options: HistoryOptions,
    axis: str,
    *,
    runs: Sequence[str | None] | None = None,
    title: str | None = None,
    note: str | None = None,
) -> Chart:
    """One panel as a chart: lines (smoothed over faint raw ones), best marks, hover rule."""
    if runs is None:
        runs = list(dict.fromkeys(s.run for s in panel.series))
    log = options.y_scale == "log"
    accuracy = is_accuracy_like(panel.group)
    several = len(runs) > 1
    # One run: colour by series name. Runs compared: colour by run ("c"), dash by role ("d").
    keys = ("x", "y", "s", "c", "d") if several else ("x", "y", "s")
    columns: dict[str, list[np.ndarray]] = {k: [] for k in (*keys, "k")}
    raw: dict[str, list[np.ndarray]] = {k: [] for k in keys}
    best: list[dict[str, Any]] = []
    notes = []
    low, high = math.inf, -math.inf
    left_out: list[str] = []
    for index, series in enumerate(panel.series):
        x, y, skipped = _drawable(series, log, axis)
        if skipped:
            left_out.append(skipped)
        if not len(y):
            continue
        low, high = min(low, float(y.min())), max(high, float(y.max()))
        color_key = str(series.run) if several else series.label
        smoothed = smooth(y, options.smoothing)
        if options.smoothing:
            rx, ry, _ = _reduce(x, y, options)
            for key, values in (("x", rx), ("y", ry)):
                raw[key].append(values)
            raw["s"].append(np.full(len(ry), series.label, dtype=object))
            if several:
                raw["c"].append(np.full(len(ry), color_key, dtype=object))
                raw["d"].append(np.full(len(ry), series.role, dtype=object))
        dx, dy, original = _reduce(x, smoothed, options)
        if len(dy) < original:
            notes.append({"series": series.label, "original": original, "kept": len(dy)})
        columns["x"].append(dx)
        columns["y"].append(dy)
        columns["s"].append(np.full(len(dy), series.label, dtype=object))
        if several:
            columns["c"].append(np.full(len(dy), color_key, dtype=object))
            columns["d"].append(np.full(len(dy), series.role, dtype=object))
        columns["k"].append(np.full(len(dy), index))
        if options.best_markers:
            at = int(np.argmax(y) if accuracy else np.argmin(y))
            where = _x_text(float(x[at]), axis)
            best.append(
                {
                    "x": float(x[at]),
                    "y": float(y[at]),
                    "v": float(y[at]),
                    "s": series.label,
                    "c": color_key,
                    "d": series.role,
                    "label": f"{'max' if accuracy else 'min'} {y[at]:.4g} ({where})",
                }
            )
    joined = {k: _joined(v) for k, v in columns.items()}
    records = Records(**joined)
    # Best values are written beside their marks for validation series (those a
    # reader compares), or for every series when the panel has none.
    labelled = {"validation"} if any(b["d"] == "validation" for b in best) else set(ROLES)
    for mark in best:
        mark["label"] = mark["label"] if mark["d"] in labelled else ""
    x_title = options.x_label if options.x_label is not None else X_TITLES[axis]
    y_title = options.y_label if options.y_label is not None else panel.group
    y_scale: dict[str, Any] = {}
    if log:
        y_scale["type"] = "log"
    elif accuracy and not options.zoom_to_fit_accuracy and low >= 0 and high <= 1:
        y_scale["domain"] = [0, 1]
    elif (accuracy and options.zoom_to_fit_accuracy) or options.zoom_to_fit:
        y_scale["zero"] = False
    if best:
        _place_labels(best, columns, raw, y_scale, options)
    x_enc: dict[str, Any] = {"field": "x", "type": "quantitative", "title": x_title}
    if axis != "time":
        x_enc["axis"] = _integer_ticks(columns["x"], options.width, options.font_size)
    y_enc = {"field": "y", "type": "quantitative", "title": y_title, "scale": y_scale}
    domain, colors = _colors(panel, runs)
    # Vega's own label limit cuts long names: an expression cutting them (as charts
    # with category labels do) would make every update clean the whole JSON again.
    legend = {
        "title": None,
        "symbolType": "stroke",
        "symbolStrokeWidth": 2,
        "symbolOpacity": 1,
    }
    color = {
        "field": "c" if several else "s",
        "type": "nominal",
        "scale": {"domain": domain, "range": colors},
        "legend": legend,
    }
    encoding: dict[str, Any] = {"x": x_enc, "y": y_enc, "color": color, "detail": {"field": "s"}}
    if several:
        roles = [r for r in ROLES if any(s.role == r for s in panel.series)]
        encoding["strokeDash"] = {
            "field": "d",
            "type": "nominal",
            "scale": {"domain": roles, "range": [ROLE_DASHES[r] for r in roles]},
            "legend": legend,
        }
    lines = {
        "data": {"name": _DATA},
        "mark": {"type": "line", "strokeJoin": "round", "strokeWidth": 1.8},
        "encoding": encoding,
    }
    layers: list[dict[str, Any]] = []
    datasets: dict[str, Records] = {_DATA: records}
    if options.smoothing:
        datasets[_RAW] = Records(**{k: _joined(v) for k, v in raw.items()})
        layers.append(
            {
                "data": {"name": _RAW},
                "mark": {"type": "line", "opacity": RAW_OPACITY, "strokeWidth": 1},
                "encoding": encoding,
            }
        )
    layers.append(lines)
    if best:
        datasets[_BEST] = Records(
            **{
                k: np.array(
                    [b[k] for b in best], dtype=object if k in ("s", "c", "d", "label") else None
                )
                for k in best[0]
            }
        )
        point_encoding = {
            "x": x_enc,
            "y": y_enc,
            "color": color,
            "tooltip": [
                {"field": "s", "type": "nominal", "title": "series"},
                {"field": "label", "type": "nominal", "title": "best"},
            ],
        }
        layers.append(
            {
                "data": {"name": _BEST},
                "mark": {"type": "point", "filled": True, "size": 45, "opacity": 1},
                "encoding": point_encoding,
            }
        )
        # One layer per place a label can take (chosen by _place_labels, so that it
        # crosses no line); compared runs keep the marks (and tooltips) only.
        for code, (beside, right, below) in enumerate(PLACES if not several else ()):
            text_mark: dict[str, Any] = {
                "type": "text",
                "align": "right" if right else "left",
                "fontSize": _label_size(options),
            }
            if beside:
                text_mark.update(dx=-DX if right else DX, dy=DY_BELOW if below else DY_ABOVE)
                where_drawn = {"x": x_enc, "y": y_enc}
            else:
                text_mark["baseline"] = "bottom" if below else "top"
                where_drawn = {
                    "x": {"value": options.width - MARGIN if right else MARGIN},
                    "y": {"value": options.height - MARGIN if below else MARGIN},
                }
            layers.append(
                {
                    "data": {"name": _BEST},
                    "transform": [{"filter": f"datum.p == {code}"}],
                    "mark": text_mark,
                    "encoding": {
                        **where_drawn,
                        "color": color,
                        "text": {"field": "label"},
                    },
                }
            )
    rule = _hover_rule(panel, x_enc, x_title)
    static = {"layer": layers}
    # What was left out is said on the panel itself, where a reader of a saved picture
    # or a live notebook output sees it (a warning would repeat at every redraw).
    subtitle = "\n".join([*([] if note is None else [note]), *left_out]) or None
    report: dict[str, Any] = {}
    if notes:
        report["downsample"] = notes
    if left_out:
        report["left_out"] = left_out
    return _spec.finish(
        {"layer": [*layers, rule]},
        datasets,
        kind="history",
        static_spec=static,
        width=options.width,
        height=options.height,
        font_size=options.font_size,
        title=_spec.title_block(title if title is not None else panel.group, subtitle),
        report=report or None,
        reduction_hint=_spec_hint(),
        # width and height are the plot's, as in a grid of panels (where Vega-Lite
        # cannot fit), so one panel alone looks like each panel of a grid.
        autosize={"type": "pad"},
    )


def _label_size(options: HistoryOptions) -> float:
    return max(options.font_size - 1, 1)


def _place_labels(
    best: list[dict[str, Any]],
    columns: Mapping[str, list[np.ndarray]],
    raw: Mapping[str, list[np.ndarray]],
    y_scale: Mapping[str, Any],
    options: HistoryOptions,
) -> None:
    """Give each best mark ``p``, the index in PLACES of the place of its label: beside
    the mark where the label crosses no line (smoothed or raw) and no other label."""
    parts = list(zip(columns["x"], columns["y"], strict=True))
    if options.smoothing:
        parts += list(zip(raw["x"], raw["y"], strict=True))
    every_x = np.concatenate([x for x, _ in parts]) if parts else np.zeros(1)
    every_y = np.concatenate([y for _, y in parts]) if parts else np.zeros(1)
    width, height = options.width, options.height
    x_map = Scale.linear(every_x, width, zero=True, nice=True)
    if y_scale.get("type") == "log":
        y_map = Scale.logarithmic(every_y, height)
    elif "domain" in y_scale:
        low, high = y_scale["domain"]
        y_map = Scale(float(low), float(high), height)
    else:
        y_map = Scale.linear(every_y, height, zero=y_scale.get("zero", True), nice=True)
    lines = []
    for x, y in parts:
        order = np.argsort(x, kind="stable")
        lines.append((x_map.to_pixels(x[order]), height - y_map.to_pixels(y[order])))
    pixels = [
        (
            float(x_map.to_pixels(np.array([mark["x"]]))[0]),
            float(height - y_map.to_pixels(np.array([mark["y"]]))[0]),
        )
        for mark in best
    ]
    taken = [mark_box(at) for at in pixels]
    for mark, at in zip(best, pixels, strict=True):
        mark["p"] = 0
        if mark["label"]:
            mark["p"] = label_place(
                at,
                mark["label"],
                _label_size(options),
                lines,
                taken,
                (width, height),
                prefer_right=at[0] > width / 2,
            )


def _integer_ticks(xs: list[np.ndarray], width: float, font_size: float) -> dict[str, Any]:
    """Whole-number ticks for epochs and steps, as many as their labels have room for
    (Vega puts ticks at 0.5 on short runs, and on long ones lets the last label, pushed
    inside the plot, run into the one before: "180,000200,000")."""
    finite = [x[np.isfinite(x)] for x in xs if len(x)]
    finite = [x for x in finite if len(x)]
    if not finite:
        return {"format": ",d"}
    low = math.floor(min(float(x.min()) for x in finite))
    high = math.ceil(max(float(x.max()) for x in finite))
    widest = max(text_width(f"{value:,d}", font_size) for value in (low, high))
    # The last label is pushed inside the plot by half its width (Vega's labelFlush).
    most = max(2, int(width // max(45.0, 1.5 * widest + 14)))
    raw_step = max(1, math.ceil((high - low) / most))
    magnitude = 10 ** int(math.log10(raw_step))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw_step)
    start = math.ceil(low / step) * step
    # Vega's "nice" domain may end past the data (at 200,000 for 199,999 steps).
    end = max(
        high, math.floor(Scale.linear(np.array([low, high]), width, zero=True, nice=True).high)
    )
    return {"format": ",d", "values": list(range(start, end + 1, step))}


def _spec_hint() -> str:
    return "Leave downsampling on (downsample='minmax_lttb') or pass a smaller maxPoints"


def _joined(parts: list[np.ndarray]) -> np.ndarray:
    if not parts:
        return np.zeros(0)
    return np.concatenate(parts)


def _hover_rule(panel: Panel, x_enc: Mapping[str, Any], x_title: str) -> dict[str, Any]:
    """A rule at the hovered x with every series' value there (not in pictures)."""
    return {
        "data": {"name": _DATA},
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
        "transform": [{"pivot": "k", "value": "y", "groupby": ["x"], "op": "mean"}],
        "mark": {"type": "rule", "color": "#888888"},
        "encoding": {
            "x": dict(x_enc),
            "opacity": {
                "condition": {"param": "tfvis_hover_x", "empty": False, "value": 0.6},
                "value": 0.0,
            },
            "tooltip": [
                {
                    "field": "x",
                    "type": "quantitative",
                    "title": x_title,
                    "format": _spec.TOOLTIP_NUMBER,
                },
                *(
                    {
                        "field": str(i),
                        "type": "quantitative",
                        "title": s.label,
                        "format": _spec.TOOLTIP_NUMBER,
                    }
                    for i, s in enumerate(panel.series)
                ),
            ],
        },
    }


def compose(panels: Sequence[Chart], options: HistoryOptions) -> Chart:
    """The panels in rows of ``columns``, under the title, as one chart."""
    title = _spec.title_block(options.title, options.subtitle)
    if not panels:
        raise DataError("show.history: there is no metric to draw")
    return concat(list(panels), "concat", columns=options.columns, kind="history", title=title)
