"""Listings 7.1-7.6 of *Deep Learning with JavaScript*, chapter 7, drawn by tfvis.

Each test runs the Python twin of a listing and checks what is drawn, read back
from the SVG vl-convert writes: the marks, their order and sizes, the axis and
legend texts, the histogram's statistics table, and the PNG's pixel size.
"""

from __future__ import annotations

import itertools
import struct

import pytest

from conftest import aria_labels
from test_tfjs_vis_port import (
    axis_title,
    cells,
    fields,
    legend_entries,
    line_runs,
    marks,
    rect,
    stats_cells,
    svg,
    svg_size,
    tick_labels,
)
from tfvis import render


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height from the PNG's IHDR chunk."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert png[12:16] == b"IHDR"
    return struct.unpack(">II", png[16:24])


def assert_linear(values: list[float], pixels: list[float]) -> None:
    """Pixels are a linear (non-constant) function of the values."""
    (v0, p0), (v1, p1) = (
        (values[0], pixels[0]),
        next((v, p) for v, p in zip(values, pixels, strict=True) if v != values[0]),
    )
    slope = (p1 - p0) / (v1 - v0)
    assert slope != 0
    for v, p in zip(values, pixels, strict=True):
        assert p == pytest.approx(p0 + slope * (v - v0), abs=0.01)


# ----------------------------------------------------------------------------- 7.1


def test_listing_7_1_linechart_single_series():
    values = [{"x": 1, "y": 20}, {"x": 2, "y": 30}, {"x": 3, "y": 5}, {"x": 4, "y": 12}]
    chart = render.linechart({"values": values}, {"width": 400})
    drawing = svg(chart)
    (line,) = marks(drawing, "line mark")
    (run,) = line_runs(line)
    assert len(run) == 4
    assert_linear([1, 2, 3, 4], [p[0] for p in run])  # tfjs-vis would plot 0..3
    ys = [p[1] for p in run]
    assert_linear([20, 30, 5, 12], ys)
    assert ys[1] < ys[0] < ys[3] < ys[2]  # 30 highest, 5 lowest on screen
    assert axis_title(drawing, "X") == ["x"]
    assert axis_title(drawing, "Y") == ["y"]
    assert "X-axis titled 'x' for a linear scale with values from 1.0 to 4.0" in aria_labels(
        drawing
    )
    assert legend_entries(drawing) == ["Series 1"]
    assert svg_size(drawing) == (400, 200)
    assert png_size(chart.to_png()) == (400, 200)
    assert png_size(chart.to_png(scale=2)) == (800, 400)


# ----------------------------------------------------------------------------- 7.2


def test_listing_7_2_linechart_two_series():
    values = [
        [{"x": 1, "y": 20}, {"x": 2, "y": 30}, {"x": 3, "y": 5}, {"x": 4, "y": 12}],
        [{"x": 1, "y": 40}, {"x": 2, "y": 0}, {"x": 3, "y": 50}, {"x": 4, "y": -5}],
    ]
    series = ["My series 1", "My series 2"]
    chart = render.linechart(
        {"values": values, "series": series},
        {"width": 400, "xLabel": "My x-axis label", "yLabel": "My y-axis label"},
    )
    drawing = svg(chart)
    lines = marks(drawing, "line mark")
    assert len(lines) == 2
    assert [el.get("aria-label").rsplit("s: ", 1)[1] for el in lines] == series
    assert lines[0].get("stroke") != lines[1].get("stroke")
    runs = [line_runs(el)[0] for el in lines]
    # both series share one y scale
    all_y = [p["y"] for s in values for p in s]
    assert_linear(all_y, [p[1] for run in runs for p in run])
    assert_linear([1, 2, 3, 4] * 2, [p[0] for run in runs for p in run])
    assert axis_title(drawing, "X") == ["My x-axis label"]
    assert axis_title(drawing, "Y") == ["My y-axis label"]
    assert legend_entries(drawing) == series
    assert svg_size(drawing) == (400, 200)
    assert png_size(chart.to_png(scale=2)) == (800, 400)


# ----------------------------------------------------------------------------- 7.3


def test_listing_7_3_scatterplot_two_series():
    values = [
        [{"x": 20, "y": 40}, {"x": 32, "y": 0}, {"x": 5, "y": 52}, {"x": 12, "y": -6}],
        [{"x": 15, "y": 35}, {"x": 0, "y": 9}, {"x": 7, "y": 28}, {"x": 16, "y": 8}],
    ]
    series = ["My scatter series 1", "My scatter series 2"]
    chart = render.scatterplot(
        {"values": values, "series": series},
        {"width": 400, "xLabel": "My x-values", "yLabel": "My y-values"},
    )
    drawing = svg(chart)
    points = marks(drawing, "point")
    assert len(points) == 8
    names = [el.get("aria-label").rsplit("series: ", 1)[1] for el in points]
    assert names == [series[0]] * 4 + [series[1]] * 4
    centres = [
        tuple(float(v) for v in el.get("transform")[len("translate(") : -1].split(","))
        for el in points
    ]
    flat = [p for s in values for p in s]
    assert_linear([p["x"] for p in flat], [c[0] for c in centres])
    assert_linear([p["y"] for p in flat], [c[1] for c in centres])
    # the two series differ in colour and in shape
    assert points[0].get("stroke") != points[4].get("stroke")
    assert points[0].get("d") != points[4].get("d")
    assert axis_title(drawing, "X") == ["My x-values"]
    assert axis_title(drawing, "Y") == ["My y-values"]
    assert legend_entries(drawing) == series
    assert svg_size(drawing) == (400, 200)
    assert png_size(chart.to_png(scale=2)) == (800, 400)


# ----------------------------------------------------------------------------- 7.4


def test_listing_7_4_barchart_string_and_number_indexes():
    data = [
        {"index": "foo", "value": 1},
        {"index": "bar", "value": 7},
        {"index": 3, "value": 3},
        {"index": 5, "value": 6},
    ]
    chart = render.barchart(data, {"yLabel": "My value", "width": 400})
    drawing = svg(chart)
    bars = marks(drawing, "bar")
    assert len(bars) == 4
    # "the order of the elements matters": bars left to right in the given order
    # (tfjs-vis sorts them)
    assert tick_labels(drawing, "X") == ["foo", "bar", "3", "5"]
    boxes = [rect(el) for el in bars]
    assert [b[0] for b in boxes] == sorted(b[0] for b in boxes)
    assert [fields(el)["index"] for el in bars] == ["foo", "bar", "3", "5"]
    heights = [b[3] for b in boxes]
    assert [h / heights[0] for h in heights] == pytest.approx([1, 7, 3, 6], rel=1e-3)
    bottoms = {round(b[1] + b[3], 3) for b in boxes}
    assert len(bottoms) == 1  # every bar starts at the zero line
    assert {el.get("fill") for el in bars} == {"#4C78A0"}
    assert axis_title(drawing, "Y") == ["My value"]
    assert axis_title(drawing, "X") == []
    assert svg_size(drawing) == (400, 200)
    assert png_size(chart.to_png(scale=2)) == (800, 400)


# ----------------------------------------------------------------------------- 7.5

LISTING_7_5 = [1, 5, 5, 5, 5, 10, -3, -3]
STATS_7_5 = ["Num Vals: 8", "Min: -3", "Max: 10", "# Zeros: 0", "# NaNs: 0", "# Infinity: 0"]


def drawn_histogram(drawing: str) -> list[tuple[str, int]]:
    """(bin label, count) of every drawn bar, left to right."""
    bars = sorted(marks(drawing, "bar"), key=lambda el: rect(el)[0])
    out = []
    for el in bars:
        parts = fields(el)
        out.append((parts["value"].replace("−", "-"), int(parts["Count"])))
    return out


def assert_bars_match_counts(drawing: str, counts: list[int]) -> None:
    boxes = sorted((rect(el) for el in marks(drawing, "bar")), key=lambda b: b[0])
    widths = [b[2] for b in boxes]
    assert widths == pytest.approx([widths[0]] * len(widths), abs=0.01)
    for left, right in itertools.pairwise(boxes):  # adjacent bins touch (1px gap)
        assert right[0] - (left[0] + left[2]) == pytest.approx(1, abs=0.01)
    unit = max(b[3] for b in boxes) / max(counts)
    assert [b[3] for b in boxes] == pytest.approx([c * unit for c in counts], abs=0.01)


def test_listing_7_5_histogram_default_bins():
    chart = render.histogram(LISTING_7_5, {"width": 400})
    drawing = svg(chart)
    assert drawn_histogram(drawing) == [
        ("-4 – -2", 2),
        ("-2 – 0", 0),
        ("0 – 2", 1),
        ("2 – 4", 0),
        ("4 – 6", 4),
        ("6 – 8", 0),
        ("8 – 10", 1),
    ]
    assert_bars_match_counts(drawing, [2, 0, 1, 0, 4, 0, 1])
    assert "X-axis titled 'value' for a linear scale with values from −4 to 10" in aria_labels(
        drawing
    )
    assert stats_cells(drawing) == STATS_7_5
    assert svg_size(drawing) == (400, 200)
    assert png_size(chart.to_png(scale=2)) == (800, 400)


def test_listing_7_5_histogram_max_bins_3():
    chart = render.histogram(LISTING_7_5, {"maxBins": 3, "width": 400})
    drawing = svg(chart)
    assert drawn_histogram(drawing) == [("-5 – 0", 2), ("0 – 5", 1), ("5 – 10", 5)]
    assert_bars_match_counts(drawing, [2, 1, 5])
    assert "X-axis titled 'value' for a linear scale with values from −5 to 10" in aria_labels(
        drawing
    )
    assert stats_cells(drawing) == STATS_7_5
    assert chart.stats == {
        "num_vals": 8,
        "min": -3,
        "max": 10,
        "num_zeros": 0,
        "num_nans": 0,
        "num_infs": 0,
    }
    assert png_size(chart.to_png(scale=2)) == (800, 400)


# ----------------------------------------------------------------------------- 7.6

FRUIT = ["Apple", "Orange", "Tangerine"]
BLUES_LOW, BLUES_HIGH = "rgb(247, 251, 255)", "rgb(66, 146, 198)"  # '#f7fbff', '#4292c6'
OPTS_7_6 = {
    "width": 500,
    "height": 300,
    "xLabel": "Actual Fruit",
    "yLabel": "Recognized Fruit",
    "colorMap": "blues",
}


def test_listing_7_6_heatmap():
    values = [[1, 0, 0], [0, 0.3, 0.7], [0, 0.7, 0.3]]
    chart = render.heatmap({"values": values, "xTickLabels": FRUIT, "yTickLabels": FRUIT}, OPTS_7_6)
    drawing = svg(chart)
    grid = cells(drawing)
    assert len(grid) == 9
    for i, column in enumerate(values):
        for j, value in enumerate(column):
            assert grid[i, j][0] == value
    assert grid[0, 0][1] == BLUES_HIGH
    assert grid[1, 0][1] == BLUES_LOW
    assert tick_labels(drawing, "X") == FRUIT
    assert tick_labels(drawing, "Y") == FRUIT
    assert axis_title(drawing, "X") == ["Actual Fruit"]
    assert axis_title(drawing, "Y") == ["Recognized Fruit"]
    assert "Gradient legend for fill color with values from 0.0 to 1.0" in aria_labels(drawing)
    assert svg_size(drawing) == (500, 300)
    assert png_size(chart.to_png()) == (500, 300)
    assert png_size(chart.to_png(scale=2)) == (1000, 600)


def test_listing_7_6_heatmap_orientation_non_symmetric():
    # values[i][j] is drawn at x=i (column i, left to right), y=j (row j, top down)
    values = [[1, 0.1, 0.2], [0.3, 0.4, 0.5], [0.6, 0.7, 0.8], [0.9, 0.05, 0]]
    x_labels = ["Apple", "Orange", "Tangerine", "Lime"]
    chart = render.heatmap(
        {"values": values, "xTickLabels": x_labels, "yTickLabels": FRUIT}, OPTS_7_6
    )
    drawing = svg(chart)
    grid = cells(drawing)
    assert len(grid) == 12
    for i, column in enumerate(values):
        for j, value in enumerate(column):
            assert grid[i, j][0] == value
    assert tick_labels(drawing, "X") == x_labels
    assert tick_labels(drawing, "Y") == FRUIT
    assert grid[0, 0][1] == BLUES_HIGH
    assert grid[3, 2][1] == BLUES_LOW
    # rowMajor draws values[i][j] at row i, column j instead
    transposed = render.heatmap({"values": values}, {**OPTS_7_6, "rowMajor": True})
    grid = cells(svg(transposed))
    for i, row in enumerate(values):
        for j, value in enumerate(row):
            assert grid[j, i][0] == value
