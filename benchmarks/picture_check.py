"""Does the downsampled Jena line look like the full one?

Writes to the output folder:

* ``picture_mpl_full.png``: matplotlib, all 420,551 × 2 points (Vega's colours);
* ``picture_tfvis.png``: the tfvis PNG (``chart.save``), from the reduced data;
* ``picture_kept_over_full.png``: the points tfvis kept (read back from
  ``chart.to_dict()["datasets"]``) drawn over the full data, whole span and a
  30-day zoom;
* ``picture_vega_full.png`` (not with ``--quick``): the same Vega-Lite spec as
  tfvis' with every point in its dataset, rendered by vl-convert: the picture
  tfvis would draw without reducing;
* ``picture_vega_diff.png``: where (b) and the all-points picture differ;
* ``picture_join_{miter,round}_{reduced,all_points}.png`` (not with ``--quick``):
  both again with round line joins (what tfvis draws) and with Vega's default
  miter joins: miter joins on a dense zigzag draw spikes past the data, and the
  spikes are what differed between reduced and full data before tfvis switched;
* ``picture_check.png``: all of them stacked.

and measures, in two renderers, how many pixels change between the full and the
reduced data. Some other reductions are compared too.
"""

from __future__ import annotations

import copy
import io
import json
import warnings
from pathlib import Path
from typing import Any

from _common import (
    JENA_COLUMNS,
    LINE_HEIGHT,
    LINE_WIDTH,
    CaseResult,
    Row,
    Settings,
    jena_frame,
    run_worker,
)

#: Vega's category10 / tableau10 colours of the first two series.
COLORS = ("#4c78a8", "#f58518")
POINTS = "tfvis_points"


def _kept_series(spec: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """The points tfvis kept, per series name, as (datetime64[ms] x, y) arrays."""
    import numpy as np

    rows = spec["datasets"][POINTS]
    out = {}
    for name in JENA_COLUMNS:
        mine = [row for row in rows if row["s"] == name]
        x = np.array([row["x"] for row in mine], dtype="int64").astype("datetime64[ms]")
        y = np.array([row["y"] for row in mine], dtype=float)
        out[name] = (x, y)
    return out


def _ink(series: list[tuple[Any, Any]], xlim: Any, ylim: Any) -> Any:
    """Boolean mask of the pixels a black 1-px matplotlib line covers (no axes)."""
    import matplotlib.pyplot as plt
    import numpy as np

    figure = plt.figure(figsize=(LINE_WIDTH / 100, LINE_HEIGHT / 100), dpi=100)
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_axis_off()
    for x, y in series:
        axes.plot(x, y, color="black", linewidth=1)
    axes.set_xlim(*xlim)
    axes.set_ylim(*ylim)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100)
    plt.close(figure)
    pixels = plt.imread(io.BytesIO(buffer.getvalue()))
    mask: Any = np.asarray(pixels[..., :3].mean(axis=-1) < 0.5)
    return mask


def _grow(mask: Any) -> Any:
    """The mask grown by one pixel in every direction (a one-pixel tolerance)."""
    import numpy as np

    grown = mask.copy()
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            grown |= np.roll(np.roll(mask, dy, axis=0), dx, axis=1)
    return grown


def _compare_ink(full: Any, kept: Any) -> dict[str, float]:
    both = (full & kept).sum()
    either = (full | kept).sum()
    return {
        "full_ink_pixels": int(full.sum()),
        "kept_ink_pixels": int(kept.sum()),
        "iou": float(both / either) if either else 1.0,
        "full_missed_1px": float((full & ~_grow(kept)).sum() / max(1, full.sum())),
        "kept_extra_1px": float((kept & ~_grow(full)).sum() / max(1, kept.sum())),
    }


def _full_spec(spec: dict[str, Any], frame: Any) -> dict[str, Any]:
    """tfvis' spec with every point in its dataset and no hover-rule layer.

    The rule layer is invisible in a static picture (opacity 0 until hovered) and
    would take minutes for 840k rows; it does not change a pixel (profile_line).
    """
    import numpy as np

    full = copy.deepcopy(spec)
    full["layer"] = [layer for layer in spec["layer"] if _mark(layer) != "rule"]
    x = frame.index.to_numpy(dtype="datetime64[ms]").astype(np.int64).tolist()
    rows = []
    for k, name in enumerate(JENA_COLUMNS):
        rows += [
            {"x": xi, "y": yi, "s": name, "k": k}
            for xi, yi in zip(x, frame[name].tolist(), strict=True)
        ]
    full["datasets"] = {POINTS: rows}
    full.pop("usermeta", None)
    return full


def _method_comparison(frame: Any, full: Any) -> dict[str, float]:
    """Share of pixels (> 25% off the all-points picture) for other methods and budgets.

    Rendered without the invisible hover-rule layer, which changes no pixel.
    """
    import matplotlib.pyplot as plt
    import numpy as np
    import vl_convert

    from tfvis import _engine, render

    shares = {}
    for method, budget in (("m4", None), ("lttb", None), ("minmax_lttb", 8000)):
        options: dict[str, Any] = {"downsample": method}
        if budget:
            options["max_points"] = budget
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            chart = render.linechart(
                frame[list(JENA_COLUMNS)], width=LINE_WIDTH, height=LINE_HEIGHT, **options
            )
        spec = chart.to_dict()
        spec["layer"] = [layer for layer in spec["layer"] if _mark(layer) != "rule"]
        png = vl_convert.vegalite_to_png(json.dumps(spec), vl_version=_engine.vegalite_version())
        pixels = plt.imread(io.BytesIO(png), format="png")[..., :3]
        kept = len(spec["datasets"][POINTS]) // len(JENA_COLUMNS)
        label = f"{method}, maxPoints {budget or 'default'} ({kept:,} points a series)"
        shares[label] = float((np.abs(pixels - full).max(axis=-1) > 0.25).mean())
    return shares


def _rows_drawn(pixels: Any, color: str) -> list[int]:
    """First and last pixel row where ``color`` appears inside the plot area."""
    import numpy as np

    rgb = np.array([int(color[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    plot = pixels[:, 60 : LINE_WIDTH - 100]
    rows = np.flatnonzero((np.abs(plot - rgb).max(axis=-1) < 0.2).any(axis=1))
    return [int(rows.min()), int(rows.max())] if rows.size else []


def _join_experiment(
    spec: dict[str, Any], full: dict[str, Any], folder: Path, png: Any
) -> dict[str, Any]:
    """Reduced vs all points with Vega's default miter joins and with round joins.

    tfvis draws round joins; the miter pictures show why (the spikes they draw).
    Returns the pixel share that differs by > 25% and the rows each series covers.
    """
    import matplotlib.pyplot as plt
    import numpy as np

    answer: dict[str, Any] = {}
    for join in ("miter", "round"):
        pictures = []
        for which, source in (("reduced", spec), ("all_points", full)):
            styled = copy.deepcopy(source)
            styled["layer"] = [layer for layer in source["layer"] if _mark(layer) != "rule"]
            for layer in styled["layer"]:
                if _mark(layer) == "line":
                    layer["mark"] = {**layer["mark"], "strokeJoin": join}
            path = folder / f"picture_join_{join}_{which}.png"
            path.write_bytes(png(json.dumps(styled)))
            pictures.append(plt.imread(path)[..., :3])
        share = float((np.abs(pictures[0] - pictures[1]).max(axis=-1) > 0.25).mean())
        series = tuple(zip(JENA_COLUMNS, COLORS, strict=True))
        answer[join] = {
            "differ_by_more_than_25pct": share,
            "rows_reduced": {n: _rows_drawn(pictures[0], c) for n, c in series},
            "rows_all_points": {n: _rows_drawn(pictures[1], c) for n, c in series},
        }
    return answer


def _mark(layer: dict[str, Any]) -> str:
    mark = layer.get("mark", "")
    return str(mark.get("type", "")) if isinstance(mark, dict) else str(mark)


def task_picture(out: str, vega_full: bool) -> dict[str, Any]:
    """Worker: draw every picture, compare pixels, stack them into picture_check.png."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    from tfvis import _engine, render

    folder = Path(out)
    frame = jena_frame()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        chart = render.linechart(frame[list(JENA_COLUMNS)], width=LINE_WIDTH, height=LINE_HEIGHT)
    chart.save(folder / "picture_tfvis.png")
    spec = chart.to_dict()
    kept = _kept_series(spec)
    x_full = frame.index.to_numpy()
    result: dict[str, Any] = {"kept": {name: len(kept[name][0]) for name in JENA_COLUMNS}}

    # (a) matplotlib, every point.
    figure, axes = plt.subplots(figsize=(LINE_WIDTH / 100, LINE_HEIGHT / 100), dpi=100)
    for name, color in zip(JENA_COLUMNS, COLORS, strict=True):
        axes.plot(x_full, frame[name].to_numpy(), color=color, linewidth=1, label=name)
    axes.legend(loc="center right", fontsize=8)
    figure.tight_layout()
    figure.savefig(folder / "picture_mpl_full.png", dpi=100)
    plt.close(figure)

    # (c) kept points over the full data: whole span, and a 30-day zoom.
    figure, (whole, zoom) = plt.subplots(2, 1, figsize=(8, 6), dpi=100)
    start = np.datetime64("2012-01-01")
    stop = start + np.timedelta64(30, "D")
    for axes, title in ((whole, "whole span"), (zoom, "30-day zoom (2012-01)")):
        for name, color in zip(JENA_COLUMNS, COLORS, strict=True):
            axes.plot(x_full, frame[name].to_numpy(), color="#bbbbbb", linewidth=1)
            x, y = kept[name]
            axes.plot(x, y, color=color, linewidth=0.8, marker=".", markersize=2, label=name)
        axes.set_title(f"grey: all points; colour: the {len(x):,} per series tfvis kept — {title}")
    zoom.set_xlim(start, stop)
    inside = (x_full >= start) & (x_full <= stop)
    zoom.set_ylim(frame[JENA_COLUMNS[0]].to_numpy()[inside].min() - 2, 12)
    zoom.set_title(f"{zoom.get_title()}; T (degC) only", fontsize=9)
    whole.set_title(whole.get_title(), fontsize=9)
    whole.legend(loc="center right", fontsize=8)
    figure.tight_layout()
    figure.savefig(folder / "picture_kept_over_full.png", dpi=100)
    plt.close(figure)

    # Renderer 1, matplotlib: ink of full vs kept, each series alone, same limits.
    result["matplotlib_ink"] = {}
    for name in JENA_COLUMNS:
        y_full = frame[name].to_numpy()
        xlim = (x_full[0], x_full[-1])
        pad = 0.02 * (y_full.max() - y_full.min())
        ylim = (y_full.min() - pad, y_full.max() + pad)
        full_ink = _ink([(x_full, y_full)], xlim, ylim)
        kept_ink = _ink([kept[name]], xlim, ylim)
        result["matplotlib_ink"][name] = _compare_ink(full_ink, kept_ink)

    # Renderer 2, Vega (vl-convert): the tfvis spec with all points vs as drawn.
    panels = [
        ("(a) matplotlib, all 420,551 × 2 points", folder / "picture_mpl_full.png"),
        ("(b) tfvis PNG (chart.save), reduced data", folder / "picture_tfvis.png"),
        ("(c) kept points over all points", folder / "picture_kept_over_full.png"),
    ]
    if vega_full:
        import vl_convert

        def png(spec_json: str) -> bytes:
            out: bytes = vl_convert.vegalite_to_png(
                spec_json, vl_version=_engine.vegalite_version()
            )
            return out

        full_spec = _full_spec(spec, frame)
        (folder / "picture_vega_full.png").write_bytes(png(json.dumps(full_spec)))
        ours = plt.imread(folder / "picture_tfvis.png")[..., :3]
        theirs = plt.imread(folder / "picture_vega_full.png")[..., :3]
        difference = np.abs(ours - theirs).max(axis=-1)
        result["vega_pixels"] = {
            "total": int(difference.size),
            "differ_at_all": int((difference > 0).sum()),
            "differ_by_more_than_25pct": int((difference > 0.25).sum()),
            "differ_by_more_than_50pct": int((difference > 0.5).sum()),
        }
        diff_image = np.ones((*difference.shape, 3))
        diff_image[difference > 0.25] = (0.85, 0.1, 0.1)
        plt.imsave(folder / "picture_vega_diff.png", diff_image)
        result["vega_methods"] = _method_comparison(frame, theirs)
        result["vega_joins"] = _join_experiment(spec, full_spec, folder, png)
        result["data_range"] = {
            name: [float(frame[name].min()), float(frame[name].max())] for name in JENA_COLUMNS
        }
        panels.append(
            ("(d) the same spec with all points, vl-convert", folder / "picture_vega_full.png")
        )
        panels.append(
            ("(e) pixels where (b) and (d) differ by > 25%", folder / "picture_vega_diff.png")
        )
    if vega_full:
        panels.append(
            (
                "(f) as (b) but with Vega's default strokeJoin 'miter', reduced data",
                folder / "picture_join_miter_reduced.png",
            )
        )
        panels.append(
            (
                "(g) as (d) but with strokeJoin 'miter', all points",
                folder / "picture_join_miter_all_points.png",
            )
        )

    images = [plt.imread(path) for _, path in panels]
    heights = [image.shape[0] for image in images]
    figure, axes_list = plt.subplots(
        len(images),
        1,
        figsize=(8.2, sum(heights) / 100 + 0.35 * len(images)),
        dpi=100,
        gridspec_kw={"height_ratios": heights},
    )
    for axes, (title, _), image in zip(axes_list, panels, images, strict=True):
        axes.imshow(image)
        axes.set_title(title, fontsize=9, loc="left")
        axes.set_axis_off()
    figure.tight_layout()
    figure.savefig(folder / "picture_check.png", dpi=100)
    plt.close(figure)
    return result


def run(settings: Settings) -> CaseResult:
    """Run the picture check in a fresh process; report the pixel comparisons."""
    result = run_worker(
        "picture_check.task_picture", out=str(settings.out), vega_full=not settings.quick
    )
    notes = [f"picture check: written to {settings.out / 'picture_check.png'} (look at it)"]
    for name, ink in result["matplotlib_ink"].items():
        notes.append(
            f"    matplotlib 1-px line, {name}: ink IoU full vs kept {ink['iou']:.3f}; "
            f"{ink['full_missed_1px']:.2%} of the full line's pixels are > 1 px from the "
            f"kept line's, {ink['kept_extra_1px']:.2%} the other way"
        )
    vega = result.get("vega_pixels")
    if vega:
        notes.append(
            f"    Vega, tfvis PNG vs all points: {vega['differ_at_all']:,} of {vega['total']:,} "
            f"pixels differ at all, {vega['differ_by_more_than_25pct']:,} by > 25%, "
            f"{vega['differ_by_more_than_50pct']:,} by > 50%"
        )
    for join, found in result.get("vega_joins", {}).items():
        notes.append(
            f"    Vega with strokeJoin {join!r}: reduced vs all points differ by > 25% in "
            f"{found['differ_by_more_than_25pct']:.2%} of pixels; pixel rows drawn, reduced "
            f"{found['rows_reduced']}, all points {found['rows_all_points']}"
        )
    for label, share in result.get("vega_methods", {}).items():
        notes.append(f"      other reductions, Vega pixels > 25% off: {label}: {share:.2%}")
    rows = []
    if vega:
        share = vega["differ_by_more_than_25pct"] / vega["total"]
        joins = result.get("vega_joins", {})
        miter = joins.get("miter", {}).get("differ_by_more_than_25pct")
        rows.append(
            Row(
                "picture check: pixels > 25% off when drawn from the reduced data",
                f"{share:.2%} as drawn (round joins)"
                + (f"; {miter:.2%} with Vega's default miter joins" if miter is not None else ""),
                "all 840k points, same spec, vl-convert",
                "—",
                "looks the same",
                None,
            )
        )
    return CaseResult("picture", rows, notes, result)
