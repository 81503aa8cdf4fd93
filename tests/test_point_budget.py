"""Big data made ordinary: point budgets, heatmap block means, and how users learn of them."""

from __future__ import annotations

import base64
import json
import os
import re
import stat
import struct
import warnings
import zlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from conftest import aria_labels
from tfvis import DownsampleWarning, render
from tfvis._options import LineChartOptions


def drawn(chart: object, dataset: str = "tfvis_points") -> list[dict[str, object]]:
    rows: list[dict[str, object]] = chart.to_dict()["datasets"][dataset]  # type: ignore[attr-defined]
    return rows


def test_default_budget_follows_the_width() -> None:
    assert LineChartOptions(width=400).point_budget == 2000
    assert LineChartOptions(width=800).point_budget == 2000
    assert LineChartOptions(width=1600).point_budget == 3200
    assert LineChartOptions(width=100).point_budget == 2000
    assert LineChartOptions(width=800, max_points=10).point_budget == 10


def test_long_series_are_reduced_keeping_every_extreme() -> None:
    rng = np.random.default_rng(7)
    a = np.cumsum(rng.normal(size=50_000))
    b = np.sin(np.arange(50_000) / 500) * 3 + rng.normal(size=50_000)
    b[12_345] = 40.0  # a lone spike must survive
    with pytest.warns(DownsampleWarning) as caught:
        chart = render.linechart({"values": [a, b], "series": ["walk", "wave"]}, width=400)
    message = str(caught[0].message)
    assert message == (
        "tfvis drew a reduced copy of 2 series ('walk' 50,000 -> "
        f"{sum(r['s'] == 'walk' for r in drawn(chart)):,}, 'wave' 50,000 -> "
        f"{sum(r['s'] == 'wave' for r in drawn(chart)):,} points); pass maxPoints to change "
        "the budget or downsample=False to draw every point"
    )
    assert caught[0].filename == __file__  # the warning points at the caller's line
    meta = chart.to_dict()["usermeta"]["tfvis"]
    assert meta["max_points"] == 2000
    assert [(d["series"], d["method"], d["original"]) for d in meta["downsample"]] == [
        ("walk", "minmax_lttb", 50_000),
        ("wave", "minmax_lttb", 50_000),
    ]
    for name, series in (("walk", a), ("wave", b)):
        ys = [r["y"] for r in drawn(chart) if r["s"] == name]
        assert len(ys) <= 2000
        assert max(ys) == series.max() and min(ys) == series.min()
        xs = [r["x"] for r in drawn(chart) if r["s"] == name]
        assert xs[0] == 0 and xs[-1] == 49_999 and xs == sorted(xs)


def test_downsample_false_draws_every_point_without_warning() -> None:
    y = np.arange(5000.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        chart = render.linechart({"values": y}, downsample=False)
    assert len(drawn(chart)) == 5000
    assert "usermeta" not in chart.to_dict()


def test_max_points_and_method_are_honoured() -> None:
    y = np.random.default_rng(0).normal(size=10_000)
    with pytest.warns(DownsampleWarning):
        chart = render.linechart({"values": y}, maxPoints=500, downsample="stride")
    rows = drawn(chart)
    assert len(rows) <= 500
    assert chart.to_dict()["usermeta"]["tfvis"]["downsample"][0]["method"] == "stride"
    assert [r["x"] for r in rows[:3]] == [0, 20, 40]


def test_unsorted_x_is_drawn_in_x_order() -> None:
    points = [{"x": 3, "y": 1}, {"x": 1, "y": 2}, {"x": 2, "y": 3}]
    chart = render.linechart({"values": points})
    assert [(r["x"], r["y"]) for r in drawn(chart)] == [(1, 2), (2, 3), (3, 1)]


def test_datetime_series_is_reduced_on_a_utc_time_axis() -> None:
    index = pd.date_range("2009-01-01 00:10", periods=30_000, freq="10min", tz="Europe/Berlin")
    frame = pd.DataFrame({"T (degC)": np.sin(np.arange(30_000) / 144)}, index=index)
    with pytest.warns(DownsampleWarning):
        chart = render.linechart(frame, width=400)
    rows = drawn(chart)
    assert rows[0]["x"] == int(index[0].tz_convert("UTC").timestamp() * 1000)
    x = chart.to_dict()["layer"][0]["encoding"]["x"]
    assert x["type"] == "temporal" and x["scale"] == {"type": "utc"}
    assert x["axis"] == {"formatType": "utc", "tickCount": 4}


def test_scatter_clouds_are_thinned_on_a_pixel_grid_keeping_outliers() -> None:
    rng = np.random.default_rng(3)
    xs, ys = rng.normal(size=40_000), rng.normal(size=40_000)
    xs[:2], ys[:2] = (25.0, -25.0), (30.0, -30.0)  # two far outliers
    points = [{"x": float(x), "y": float(y)} for x, y in zip(xs, ys, strict=True)]
    with pytest.warns(DownsampleWarning):
        chart = render.scatterplot({"values": points}, width=400, height=300)
    rows = drawn(chart)
    assert len(rows) <= 2000
    kept = {(r["x"], r["y"]) for r in rows}
    assert (25.0, 30.0) in kept and (-25.0, -30.0) in kept
    assert chart.to_dict()["usermeta"]["tfvis"]["downsample"][0]["method"] == "pixel_grid"


def test_big_heatmap_is_block_averaged_with_labels_on_the_right_cells() -> None:
    values = np.arange(600 * 400, dtype=float).reshape(600, 400)
    labels = [f"col{i}" for i in range(600)]
    with pytest.warns(DownsampleWarning, match=r"^tfvis drew a 600x400 heatmap as 120x67 "):
        chart = render.heatmap({"values": values, "xTickLabels": labels}, width=500, height=300)
    spec = chart.to_dict()
    assert spec["usermeta"]["tfvis"]["aggregate"] == {
        "method": "block_mean",
        "original": [600, 400],
        "drawn": [120, 67],
        "block": [5, 6],
    }
    cells = spec["datasets"]["tfvis_cells"]
    assert len(cells) == 120 * 67
    first = cells[0]
    assert first == {"x0": 0, "y0": 0, "value": round(values[:5, :6].mean())}  # 1e-5 of the range
    # Vega names each block's span from the label list; each cell's ARIA label says it.
    described = [label for label in aria_labels(chart.to_svg()) if label.startswith("x: ")]
    assert described[0] == f"x: col0 – col4; y: 0 – 5; value: {round(values[:5, :6].mean()):,}"
    assert described[-1].startswith("x: col595 – col599; y: 396 – 399; value: ")
    assert spec["params"][0]["value"] == labels  # label i sits at index i on the axis
    assert spec["encoding"]["x"]["axis"]["labelExpr"].startswith(
        "isValid(tfvis_x_labels[datum.value]) ? length(tfvis_x_labels[datum.value]) > 28 ? "
    )


def test_saved_files_get_ordinary_permissions(tmp_path: Path) -> None:
    chart = render.barchart([1, 2])
    target = chart.save(tmp_path / "bars.svg")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask
    os.chmod(target, 0o640)
    chart.save(target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o640  # a replaced file keeps its mode


def decode_rgba_png(png: bytes) -> tuple[int, int, bytes]:
    """Width, height and raw filtered rows of tfvis's own PNG (8-bit RGBA, one IDAT)."""
    width, height = struct.unpack(">II", png[16:24])
    start = png.index(b"IDAT")
    length = struct.unpack(">I", png[start - 4 : start])[0]
    return width, height, zlib.decompress(png[start + 4 : start + 4 + length])


def test_big_heatmap_png_is_one_image_in_the_vega_colours() -> None:
    values = np.add.outer(np.arange(300.0), np.arange(200.0))  # 300 x 200, smooth ramp
    with pytest.warns(DownsampleWarning):
        chart = render.heatmap(values, width=300, height=200, colorMap="blues")
    raster = json.loads(chart._text("raster"))
    image_layer, legend_layer = raster["layer"]
    assert image_layer["mark"]["type"] == "image"
    assert legend_layer["encoding"]["fill"]["scale"] == {
        "range": ["#f7fbff", "#4292c6"],
        "domain": [values[:4, :4].mean(), values[296:, 196:].mean()],
    }
    row = raster["datasets"][image_layer["data"]["name"]][0]
    assert (row["x"], row["x2"], row["y"], row["y2"]) == (-0.5, 299.5, -0.5, 199.5)
    width, height, raw = decode_rgba_png(base64.b64decode(row["url"].split(",", 1)[1]))
    assert (width, height) == (75, 50)  # one pixel a block mean, drawn without smoothing
    assert image_layer["mark"]["smooth"] is False
    # SVG (and PDF) draw one rect per block; the image's first pixel, block (0, 0),
    # must have the colour Vega gives that block's rect.
    svg = chart.to_svg()
    fills = re.findall(r'aria-roledescription="rect mark" [^>]*fill="rgb\(([^)]*)\)"', svg)
    assert len(fills) == 75 * 50
    vega_rgb = [int(v) for v in fills[0].split(",")]
    assert all(abs(a - b) <= 1 for a, b in zip(raw[1:4], vega_rgb, strict=True))
    assert chart.to_png()[:4] == b"\x89PNG"


def test_a_big_heatmap_png_never_builds_the_cell_records() -> None:
    """Each output carries only the data it draws: the PNG is one image, not 20k cells."""
    with pytest.warns(DownsampleWarning):
        chart = render.heatmap(np.ones((1000, 1000)), width=600, height=600)
    assert chart.to_png()[:4] == b"\x89PNG"
    raster = json.loads(chart._text("raster"))
    assert sorted(raster["datasets"]) == ["tfvis_image", "tfvis_legend"]
    cells = chart._datasets["tfvis_cells"]
    assert len(cells) == 143 * 143 and cells._rows is None  # priced, never materialised
    spec = chart.to_dict()  # the interactive spec has the cells and not the image
    assert sorted(spec["datasets"]) == ["tfvis_cells"]
    assert len(spec["datasets"]["tfvis_cells"]) == 143 * 143


def test_views_that_are_the_same_spec_share_one_json_text() -> None:
    chart = render.barchart([{"index": "a", "value": 1}])
    assert chart.to_json() is chart._text("static")
    # The PNG view reads the data column-wise and writes no ARIA descriptions.
    raster = json.loads(chart._text("raster"))
    assert raster["datasets"] == {
        "tfvis_bars_columns": [{"i": [0], "index": ["a"], "value": [1.0]}]
    }
    assert raster["transform"] == [{"flatten": ["i", "index", "value"]}]
    assert raster["mark"]["aria"] is False
    line = render.linechart({"values": [{"x": 1, "y": 2}, {"x": 2, "y": 3}]})
    assert '"rule"' in line.to_json() and '"rule"' not in line._text("static")
