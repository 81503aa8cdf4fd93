"""Every ``it(...)`` case of tfjs-vis 1.5.1's render tests and ``math_test``, in Python.

Each test is named after the tfjs-vis case it ports. tfjs-vis tests count
``.vega-embed`` divs and ``canvas`` sizes; here the same intent is checked on the
Vega-Lite spec (``chart.to_dict()``), on ``chart.stats`` and on what vl-convert
draws (the ``aria-label`` of every mark, axis and legend in ``chart.to_svg()``).

Where tfvis deliberately differs from tfjs-vis (``shared/DESIGN.md``) the test
asserts tfvis's behaviour and a ``# tfjs-vis:`` comment names the difference.
"""

from __future__ import annotations

import functools
import json
import math
import re
import xml.etree.ElementTree as ET
from typing import Any

import numpy as np
import pytest
import vl_convert

import tfvis
from conftest import aria_labels, svg_texts
from tfvis import DataError, ExportError, OptionError, render
from tfvis._engine import vegalite_version

NAN = float("nan")
INF = float("inf")
EM_GAP = re.compile(r"[\s\u2003]{2,}")  # what separates two cells of the stats table


# ----------------------------------------------------------------------------- helpers


_DRAWN: dict[str, str] = {}


def svg(chart: tfvis.Chart) -> str:
    """The chart drawn as SVG (cached: identical specs are drawn once)."""
    key = chart.to_json()
    if key not in _DRAWN:
        _DRAWN[key] = chart.to_svg()
    return _DRAWN[key]


def interactive_svg(chart: tfvis.Chart) -> str:
    """The full interactive spec drawn as SVG, hover rules included (as in a browser).

    ``to_svg()`` draws a static spec without the hover layer; the tooltips the hover
    rules carry are checked here instead.
    """
    key = "interactive:" + chart.to_json()
    if key not in _DRAWN:
        _DRAWN[key] = vl_convert.vegalite_to_svg(chart.to_json(), vl_version=vegalite_version())
    return _DRAWN[key]


def marks(drawing: str, role: str) -> list[ET.Element]:
    """Drawn marks with this ``aria-roledescription`` ('bar', 'point', ...), in order."""
    return [
        el
        for el in ET.fromstring(drawing).iter()
        if el.get("role") == "graphics-symbol" and el.get("aria-roledescription") == role
    ]


def fields(el: ET.Element) -> dict[str, str]:
    """A mark's aria-label ``'i: 0; value: 1; index: foo'`` as a dict."""
    return dict(part.split(": ", 1) for part in el.get("aria-label", "").split("; "))


_RECT = re.compile(r"^M(-?[\d.e+-]+),(-?[\d.e+-]+)h(-?[\d.e+-]+)v(-?[\d.e+-]+)")


def rect(el: ET.Element) -> tuple[float, float, float, float]:
    """``(x, y, width, height)`` of a drawn bar or heatmap cell."""
    found = _RECT.match(el.get("d", ""))
    assert found, el.get("d")
    x, y, w, h = (float(v) for v in found.groups())
    return x, y, w, h


def line_runs(el: ET.Element) -> list[list[tuple[float, float]]]:
    """The connected runs of a drawn line: one list of (x, y) per ``M`` sub-path."""
    runs = []
    for part in el.get("d", "").split("M")[1:]:
        part = part.rstrip("Z")
        points = [tuple(float(v) for v in p.split(",")) for p in part.split("L") if p]
        if part:
            runs.append(points)
    return runs


def _group(drawing: str, aria_prefix: str) -> ET.Element:
    found = [
        el
        for el in ET.fromstring(drawing).iter()
        if (el.get("aria-label") or "").startswith(aria_prefix)
    ]
    assert len(found) == 1, [el.get("aria-label") for el in found]
    return found[0]


def _texts_in(group: ET.Element, role: str) -> list[str]:
    return [
        "".join(t.itertext())
        for g in group.iter()
        if role in (g.get("class") or "").split()
        for t in g
        if t.tag.endswith("text")
    ]


def tick_labels(drawing: str, axis: str) -> list[str]:
    """The tick label texts of the 'X' or 'Y' axis, in drawing order."""
    return _texts_in(_group(drawing, f"{axis}-axis"), "role-axis-label")


def axis_title(drawing: str, axis: str) -> list[str]:
    return _texts_in(_group(drawing, f"{axis}-axis"), "role-axis-title")


def legend_entries(drawing: str) -> list[str]:
    return _texts_in(_group(drawing, "Symbol legend"), "role-legend-label")


def stats_cells(drawing: str) -> list[str]:
    """The histogram statistics table as drawn: one ``'Name: value'`` string per cell."""
    titles = [
        el for el in ET.fromstring(drawing).iter() if el.get("aria-roledescription") == "title"
    ]
    assert len(titles) == 1
    lines = [t.text or "" for t in titles[0].iter() if t.tag.endswith("tspan")]
    if not lines:
        lines = ["".join(titles[0].itertext())]
    return [cell for line in lines for cell in EM_GAP.split(line.strip()) if cell]


def spec_cells(chart: tfvis.Chart) -> list[str]:
    """The statistics table cells from the spec (no drawing needed)."""
    title = chart.to_dict().get("title")
    if title is None:
        return []
    lines = title["text"] if isinstance(title["text"], list) else [title["text"]]
    return [cell for line in lines for cell in EM_GAP.split(line.strip()) if cell]


def rows_of(spec: dict[str, Any], layer: int | None = None) -> list[dict[str, Any]]:
    """The inline data rows a (layer of a) spec draws."""
    part = spec if layer is None else spec["layer"][layer]
    return spec["datasets"][part["data"]["name"]]


def same_drawing(drawing: str) -> str:
    """An SVG with its clip-path and gradient ids renumbered in order of appearance.

    vl-convert numbers them with a per-process counter, so two renders of one
    chart differ only there.
    """
    ids: dict[str, str] = {}

    def rename(found: re.Match[str]) -> str:
        return ids.setdefault(found.group(0), f"{found.group(1)}#{len(ids)}")

    return re.sub(r"\b(clip|gradient_)(\d+)\b", rename, drawing)


def xys(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The x, y and series of each point row (other bookkeeping fields dropped)."""
    return [{k: r[k] for k in ("x", "y", "s")} for r in rows]


def svg_size(drawing: str) -> tuple[float, float]:
    root = ET.fromstring(drawing)
    return float(root.get("width")), float(root.get("height"))


def font_sizes(drawing: str) -> set[str]:
    return {el.get("font-size") for el in ET.fromstring(drawing).iter() if el.tag.endswith("text")}


@functools.cache
def _vega_bins(values: tuple[float, ...], max_bins: int) -> list[tuple[float, float, int]]:
    """The non-empty bins Vega-Lite itself draws for tfjs-vis's own histogram spec."""
    spec = {
        "data": {"values": [{"value": v} for v in values]},
        "mark": "bar",
        "encoding": {
            "x": {"bin": {"maxbins": max_bins}, "field": "value", "type": "quantitative"},
            "y": {"aggregate": "count", "type": "quantitative"},
        },
    }
    fives = [v for v in vl_convert.get_vegalite_versions() if v.startswith("5.")]
    version = max(fives, key=lambda v: tuple(int(p) for p in v.split(".")))
    drawing = vl_convert.vegalite_to_svg(json.dumps(spec), vl_version=version)
    bins = []
    for label in aria_labels(drawing):
        found = re.match(r"value \(binned\): (\S+) – (\S+); Count of Records: (\d+)$", label)
        if found:
            lo, hi, count = found.groups()
            bins.append((_number(lo), _number(hi), int(count)))
    return sorted(bins)


def _number(text: str) -> float:
    """A number as Vega writes it in a label: U+2212 minus, thousands commas."""
    return float(text.replace("−", "-").replace(",", ""))


def drawn_bins(chart: tfvis.Chart) -> list[tuple[float, float, int]]:
    return [(r["bin_start"], r["bin_end"], r["count"]) for r in rows_of(chart.to_dict())]


SERIES_A = [{"x": 0, "y": 50}, {"x": 1, "y": 100}, {"x": 2, "y": 230}]
SERIES_B = [{"x": 0, "y": 20}, {"x": 1, "y": 300}, {"x": 2, "y": 630}]
AUTOSIZE = {"type": "fit", "contains": "padding"}


def assert_fonts(spec: dict[str, Any], size: float) -> None:
    for key in ("axis", "legend"):
        assert spec["config"][key]["labelFontSize"] == size
        assert spec["config"][key]["titleFontSize"] == size
    assert spec["config"]["text"]["fontSize"] == size


# ============================================================================ linechart


def test_linechart_renders_a_line_chart():
    chart = render.linechart({"values": SERIES_A})
    assert isinstance(chart, tfvis.Chart)
    spec = chart.to_dict()
    line, rule = spec["layer"]  # one line layer for all series, plus the hover rule
    # tfvis adds round joins: miter joins draw spikes past the data on dense lines.
    assert line["mark"] == {
        "type": "line",
        "clip": False,
        "strokeJoin": "round",
    }  # clipped only at a domain the user gives
    assert line["encoding"]["x"]["field"] == "x"
    assert line["encoding"]["x"]["type"] == "quantitative"
    assert line["encoding"]["x"]["title"] == "x"
    assert line["encoding"]["y"]["type"] == "quantitative"
    assert line["encoding"]["y"]["title"] == "y"
    assert rule["mark"]["type"] == "rule"
    assert_fonts(spec, 11)
    # tfjs-vis pivots to one wide row per index ({x, 'Series 1', 'Series 1-name'});
    # tfvis keeps long rows and never uses a series name as a field name.
    assert xys(rows_of(spec, 0)) == [
        {"x": 0.0, "y": 50.0, "s": "Series 1"},
        {"x": 1.0, "y": 100.0, "s": "Series 1"},
        {"x": 2.0, "y": 230.0, "s": "Series 1"},
    ]
    drawing = svg(chart)
    (path,) = marks(drawing, "line mark")
    (run,) = line_runs(path)
    assert len(run) == 3
    ys = [p[1] for p in run]
    assert ys[0] > ys[1] > ys[2]  # 50 < 100 < 230, and SVG y grows downwards
    assert len(marks(interactive_svg(chart), "rule mark")) == 3
    assert marks(drawing, "rule mark") == []  # pictures carry no hover layer
    assert legend_entries(drawing) == ["Series 1"]
    assert axis_title(drawing, "X") == ["x"]
    assert axis_title(drawing, "Y") == ["y"]
    assert font_sizes(drawing) == {"11px"}


def test_linechart_renders_a_line_chart_with_multiple_series():
    chart = render.linechart({"values": [SERIES_A, SERIES_B]})
    spec = chart.to_dict()
    # tfjs-vis: one line layer per series (3 layers); tfvis: one line layer coloured by series.
    assert len(spec["layer"]) == 2
    color = spec["layer"][0]["encoding"]["color"]
    assert color["field"] == "s"
    assert color["scale"]["domain"] == ["Series 1", "Series 2"]
    assert color["legend"]["title"] is None  # tfjs-vis: legend {values: series, title: null}
    assert [r["s"] for r in rows_of(spec, 0)] == ["Series 1"] * 3 + ["Series 2"] * 3
    drawing = svg(chart)
    lines = marks(drawing, "line mark")
    assert len(lines) == 2
    assert lines[0].get("stroke") != lines[1].get("stroke")
    assert legend_entries(drawing) == ["Series 1", "Series 2"]
    assert "Symbol legend for stroke color with 2 values: Series 1, Series 2" in aria_labels(
        drawing
    )


def test_linechart_renders_a_line_chart_with_multiple_series_custom_names():
    chart = render.linechart({"values": [SERIES_A, SERIES_B], "series": ["First", "Second"]})
    spec = chart.to_dict()
    assert spec["layer"][0]["encoding"]["color"]["scale"]["domain"] == ["First", "Second"]
    assert {r["s"] for r in rows_of(spec, 0)} == {"First", "Second"}
    tooltip = spec["layer"][1]["encoding"]["tooltip"]
    assert [t.get("title") for t in tooltip] == ["x", "First", "Second"]
    drawing = svg(chart)
    assert legend_entries(drawing) == ["First", "Second"]
    assert [el.get("aria-label") for el in marks(drawing, "line mark")] == [
        "x: 0; y: 50; s: First",
        "x: 0; y: 20; s: Second",
    ]
    # Hovering an x shows every series' value there.
    assert "x: 1; First: 100; Second: 300" in aria_labels(interactive_svg(chart))


def test_linechart_updates_a_line_chart():
    first = render.linechart({"values": [SERIES_A, SERIES_B], "series": ["First", "Second"]})
    longer = [*SERIES_B, {"x": 3, "y": 530}, {"x": 4, "y": 230}]
    second = render.linechart({"values": [SERIES_A, longer], "series": ["First", "Second"]})
    # tfjs-vis re-renders into the same div and keeps only the first series' length
    # (3 rows); tfvis returns a new, independent Chart and draws every point of
    # series of different lengths.
    assert len(rows_of(first.to_dict(), 0)) == 6
    assert len(rows_of(second.to_dict(), 0)) == 8
    lines = marks(svg(second), "line mark")
    assert [len(line_runs(el)[0]) for el in lines] == [3, 5]
    rules = [el.get("aria-label") for el in marks(interactive_svg(second), "rule mark")]
    assert len(rules) == 5  # one hover rule per distinct x
    assert rules[2] == "x: 2; First: 230; Second: 630"
    assert rules[4].startswith("x: 4; ")
    assert rules[4].endswith("; Second: 230")
    assert len(marks(interactive_svg(first), "rule mark")) == 3  # the first chart is unchanged


@pytest.mark.parametrize("width", [400, 321])
def test_linechart_sets_width_of_chart(width):
    chart = render.linechart({"values": SERIES_A}, {"width": width})
    spec = chart.to_dict()
    assert spec["width"] == width
    assert spec["autosize"] == AUTOSIZE
    # width is the size of the whole picture, axes and legend included
    assert svg_size(svg(chart)) == (width, 200)


@pytest.mark.parametrize("height", [200, 321])
def test_linechart_sets_height_of_chart(height):
    chart = render.linechart({"values": SERIES_A}, {"height": height})
    assert chart.to_dict()["height"] == height
    assert svg_size(svg(chart))[1] == height


def test_linechart_series_label_count_must_match():
    with pytest.raises(
        DataError,
        match=re.escape("Must have an equal number of series labels as there are data series")
        + "$",
    ):
        render.linechart({"values": [SERIES_A, SERIES_B], "series": ["only one"]})


def test_linechart_series_color_count_must_match():
    with pytest.raises(
        OptionError,
        match=re.escape("Must have an equal number of series colors as there are data series")
        + "$",
    ):
        render.linechart({"values": [SERIES_A, SERIES_B]}, {"seriesColors": ["#ff0000"]})


def test_linechart_uses_the_x_values():
    # tfjs-vis ignores each point's x and plots the index 0..n-1.
    chart = render.linechart({"values": [{"x": 10, "y": 1}, {"x": 20, "y": 2}, {"x": 40, "y": 3}]})
    (run,) = line_runs(marks(svg(chart), "line mark")[0])
    xs = [p[0] for p in run]
    assert xs[2] - xs[1] == pytest.approx(2 * (xs[1] - xs[0]), abs=0.01)
    assert [r["x"] for r in rows_of(chart.to_dict(), 0)] == [10.0, 20.0, 40.0]


def test_linechart_series_colors_follow_the_series_order():
    # tfjs-vis gives seriesColors[i] to the i-th series in alphabetical order.
    chart = render.linechart(
        {"values": [SERIES_A, SERIES_B], "series": ["b_series", "a_series"]},
        {"seriesColors": ["#ff0000", "#0000ff"]},
    )
    lines = marks(svg(chart), "line mark")
    strokes = {el.get("aria-label").rsplit("s: ", 1)[1]: el.get("stroke") for el in lines}
    assert strokes == {"b_series": "#ff0000", "a_series": "#0000ff"}
    assert legend_entries(svg(chart)) == ["b_series", "a_series"]


def test_linechart_zoom_to_fit_turns_off_zero_and_beats_y_axis_domain():
    chart = render.linechart({"values": SERIES_A}, {"zoomToFit": True, "yAxisDomain": [0, 1000]})
    y = chart.to_dict()["layer"][0]["encoding"]["y"]
    assert y["scale"] == {"zero": False}
    assert "Y-axis titled 'y' for a linear scale with values from 40 to 240" in aria_labels(
        svg(chart)
    )


def test_linechart_y_axis_domain_clips_rather_than_filters():
    chart = render.linechart({"values": SERIES_A}, {"yAxisDomain": [0, 150]})
    spec = chart.to_dict()
    assert spec["layer"][0]["encoding"]["y"]["scale"] == {"domain": [0.0, 150.0]}
    assert spec["layer"][0]["mark"]["clip"] is True
    assert len(rows_of(spec, 0)) == 3  # the point at 230 is still drawn, clipped
    assert "Y-axis titled 'y' for a linear scale with values from 0 to 150" in aria_labels(
        svg(chart)
    )


def test_linechart_x_axis_domain():
    # tfjs-vis's linechart ignores xAxisDomain (it has no x scale); tfvis honours it.
    chart = render.linechart({"values": SERIES_A}, {"xAxisDomain": [-1, 5]})
    assert chart.to_dict()["layer"][0]["encoding"]["x"]["scale"] == {"domain": [-1.0, 5.0]}


# ============================================================================ scatterplot


def test_scatterplot_renders_a_scatterplot():
    chart = render.scatterplot({"values": SERIES_A})
    assert isinstance(chart, tfvis.Chart)
    spec = chart.to_dict()
    assert spec["mark"] == {"type": "point", "clip": False}
    # tfjs-vis: mark tooltip {content: 'data'}; tfvis: an explicit x, y, series tooltip.
    assert [t["field"] for t in spec["encoding"]["tooltip"]] == ["x", "y", "s"]
    assert spec["encoding"]["x"]["title"] == "x"
    assert spec["encoding"]["y"]["title"] == "y"
    assert spec["encoding"]["shape"]["field"] == "s"
    assert_fonts(spec, 11)
    assert [r["s"] for r in rows_of(spec)] == ["Series 1"] * 3
    drawing = svg(chart)
    assert [el.get("aria-label") for el in marks(drawing, "point")] == [
        "x: 0; y: 50; s: Series 1; series: Series 1",
        "x: 1; y: 100; s: Series 1; series: Series 1",
        "x: 2; y: 230; s: Series 1; series: Series 1",
    ]


def test_scatterplot_renders_the_chart_with_multiple_series():
    data = {"values": [SERIES_A, SERIES_B]}
    first = render.scatterplot(data)
    again = render.scatterplot(data)
    # tfjs-vis renders twice into one div and expects 1 embed; tfvis gives two
    # independent, identical charts.
    assert first is not again
    assert first.to_dict() == again.to_dict()
    rows = rows_of(first.to_dict())
    assert len(rows) == 6
    assert {r["s"] for r in rows} == {"Series 1", "Series 2"}
    drawing = svg(first)
    assert len(marks(drawing, "point")) == 6
    assert legend_entries(drawing) == ["Series 1", "Series 2"]


def test_scatterplot_renders_a_line_chart_with_multiple_series_custom_names():
    chart = render.scatterplot({"values": [SERIES_A, SERIES_B], "series": ["First", "Second"]})
    assert {r["s"] for r in rows_of(chart.to_dict())} == {"First", "Second"}
    drawing = svg(chart)
    assert legend_entries(drawing) == ["First", "Second"]
    assert (
        "Symbol legend titled 'series' for shape and stroke color with 2 values: First, Second"
        in aria_labels(drawing)
    )


def test_scatterplot_updates_the_chart():
    first = render.scatterplot({"values": [SERIES_A, SERIES_B]})
    longer = [*SERIES_B, {"x": 3, "y": 530}, {"x": 4, "y": 230}]
    second = render.scatterplot({"values": [SERIES_A, longer]})
    assert len(rows_of(first.to_dict())) == 6
    assert len(rows_of(second.to_dict())) == 8  # long format: nothing dropped
    assert len(marks(svg(second), "point")) == 8


@pytest.mark.parametrize("width", [400, 321])
def test_scatterplot_sets_width_of_chart(width):
    chart = render.scatterplot({"values": SERIES_A}, {"width": width})
    assert chart.to_dict()["width"] == width
    assert chart.to_dict()["autosize"] == AUTOSIZE
    assert svg_size(svg(chart))[0] == width


@pytest.mark.parametrize("height", [200, 321])
def test_scatterplot_sets_height_of_chart(height):
    chart = render.scatterplot({"values": SERIES_A}, {"height": height})
    assert chart.to_dict()["height"] == height
    assert svg_size(svg(chart))[1] == height


def test_scatterplot_series_color_count_must_match():
    with pytest.raises(
        OptionError,
        match=re.escape("Must have an equal number of series colors as there are data series")
        + "$",
    ):
        render.scatterplot({"values": [SERIES_A, SERIES_B]}, {"seriesColors": ["red"] * 3})


def test_scatterplot_zoom_to_fit_and_axis_domains():
    zoomed = render.scatterplot(
        {"values": SERIES_A}, {"zoomToFit": True, "xAxisDomain": [0, 9], "yAxisDomain": [0, 9]}
    )
    assert zoomed.to_dict()["encoding"]["x"]["scale"] == {"zero": False}
    assert zoomed.to_dict()["encoding"]["y"]["scale"] == {"zero": False}
    fixed = render.scatterplot(
        {"values": SERIES_A}, {"xAxisDomain": [-5, 5], "yAxisDomain": [0, 9]}
    )
    assert fixed.to_dict()["encoding"]["x"]["scale"] == {"domain": [-5.0, 5.0]}
    assert fixed.to_dict()["encoding"]["y"]["scale"] == {"domain": [0.0, 9.0]}
    labels = aria_labels(svg(fixed))
    assert "X-axis titled 'x' for a linear scale with values from −5 to 5" in labels


def test_scatterplot_series_colors_follow_the_series_order():
    # tfjs-vis gives seriesColors[i] to the i-th series in alphabetical order.
    chart = render.scatterplot(
        {"values": [SERIES_A, SERIES_B], "series": ["zeta", "alpha"]},
        {"seriesColors": ["#ff0000", "#0000ff"]},
    )
    strokes = [
        (el.get("aria-label").rsplit(": ", 1)[1], el.get("stroke"))
        for el in marks(svg(chart), "point")
    ]
    assert strokes == [("zeta", "#ff0000")] * 3 + [("alpha", "#0000ff")] * 3


# ============================================================================ barchart

BARS = [{"index": 0, "value": 50}, {"index": 1, "value": 100}, {"index": 2, "value": 230}]


def test_barchart_renders_a_bar_chart():
    chart = render.barchart(BARS)
    assert isinstance(chart, tfvis.Chart)
    spec = chart.to_dict()
    # tfjs-vis: mark {type: 'bar', tooltip: true}, x field 'index' and colour
    # encoding {value: '#4C78A0'}; tfvis places bars by position 'i' (input order)
    # and shows the index through a label lookup.
    assert spec["mark"]["type"] == "bar"
    assert spec["mark"]["color"] == "#4C78A0"
    assert spec["encoding"]["x"]["type"] == "ordinal"
    assert spec["encoding"]["x"]["axis"]["title"] == ""
    assert spec["encoding"]["y"]["type"] == "quantitative"
    assert spec["encoding"]["y"]["axis"]["title"] == ""
    assert_fonts(spec, 11)
    drawing = svg(chart)
    bars = marks(drawing, "bar")
    assert len(bars) == 3
    assert {el.get("fill") for el in bars} == {"#4C78A0"}
    heights = [rect(el)[3] for el in bars]
    assert heights[1] / heights[0] == pytest.approx(2, rel=1e-3)
    assert heights[2] / heights[0] == pytest.approx(4.6, rel=1e-3)
    assert tick_labels(drawing, "X") == ["0", "1", "2"]
    assert axis_title(drawing, "X") == []  # the default '' title draws no title


def test_barchart_re_renders_a_bar_chart():
    first = render.barchart(BARS)
    second = render.barchart(BARS)
    assert first is not second
    assert first.to_dict() == second.to_dict()
    assert same_drawing(first.to_svg()) == same_drawing(second.to_svg())


def test_barchart_updates_a_bar_chart():
    first = render.barchart(BARS)
    second = render.barchart([{"index": 0, "value": 10}, {"index": 1, "value": 5}])
    assert [rect(el)[3] for el in marks(svg(first), "bar")] != []
    heights = [rect(el)[3] for el in marks(svg(second), "bar")]
    assert len(heights) == 2
    assert heights[0] == pytest.approx(2 * heights[1], rel=1e-3)
    # the first chart is unchanged
    assert [r["value"] for r in rows_of(first.to_dict())] == [50.0, 100.0, 230.0]


@pytest.mark.parametrize("width", [400, 321])
def test_barchart_sets_width_of_chart(width):
    chart = render.barchart(BARS, {"width": width})
    assert chart.to_dict()["width"] == width
    assert chart.to_dict()["autosize"] == AUTOSIZE
    assert svg_size(svg(chart))[0] == width


@pytest.mark.parametrize("height", [200, 321])
def test_barchart_sets_height_of_chart(height):
    chart = render.barchart(BARS, {"height": height})
    assert chart.to_dict()["height"] == height
    assert svg_size(svg(chart))[1] == height


def test_barchart_bars_in_the_given_order():
    # tfjs-vis sorts the bars by index; tfvis keeps the input order.
    chart = render.barchart(
        [{"index": "b", "value": 1}, {"index": 10, "value": 2}, {"index": "a", "value": 3}]
    )
    drawing = svg(chart)
    assert tick_labels(drawing, "X") == ["b", "10", "a"]
    xs = [rect(el)[0] for el in marks(drawing, "bar")]
    assert xs == sorted(xs)
    assert [fields(el)["value"] for el in marks(drawing, "bar")] == ["1", "2", "3"]


def test_barchart_colors():
    one = render.barchart(BARS, {"color": "#ff0000"})
    assert {el.get("fill") for el in marks(svg(one), "bar")} == {"#ff0000"}
    # tfjs-vis colours by sorted index with a legend; tfvis gives color[i] to bar i.
    many = render.barchart(BARS, {"color": ["#ff0000", "#00ff00", "#0000ff"]})
    assert [el.get("fill") for el in marks(svg(many), "bar")] == ["#ff0000", "#00ff00", "#0000ff"]


def test_barchart_x_label_none_removes_the_axis():
    # tfjs-vis quirk kept: an explicit xLabel null gives axis: null.
    chart = render.barchart(BARS, {"xLabel": None})
    assert chart.to_dict()["encoding"]["x"]["axis"] is None
    assert not [label for label in aria_labels(svg(chart)) if label.startswith("X-axis")]


# ============================================================================ histogram

HEADERS = ["Num Vals", "Min", "Max", "# Zeros", "# NaNs", "# Infinity"]


def table(headers: list[str], cells: list[str]) -> list[str]:
    """tfjs-vis's table as tfvis draws it: 'Header: cell' (tfjs's '0 ' is drawn as '0')."""
    return [f"{h}: {c.strip()}" for h, c in zip(headers, cells, strict=True)]


def test_histogram_renders_a_histogram():
    data = [{"value": 50}, {"value": 100}, {"value": 100}]
    chart = render.histogram(data)
    assert isinstance(chart, tfvis.Chart)
    drawing = svg(chart)
    assert stats_cells(drawing) == table(HEADERS, ["3", "50", "100", "0 ", "0 ", "0 "])
    assert chart.stats == {
        "num_vals": 3,
        "min": 50,
        "max": 100,
        "num_zeros": 0,
        "num_nans": 0,
        "num_infs": 0,
    }
    spec = chart.to_dict()
    assert spec["mark"]["type"] == "bar"
    assert spec["mark"]["color"] == "#001B44"
    assert_fonts(spec, 11)
    # tfjs-vis hands Vega `bin: {maxbins: 12}`; tfvis bins in numpy: the same bins.
    bins = drawn_bins(chart)
    assert [b for b in bins if b[2]] == _vega_bins((50, 100, 100), 12)
    bars = marks(drawing, "bar")
    assert len(bars) == len(bins)
    assert {el.get("fill") for el in bars} == {"#001B44"}


def test_histogram_renders_a_histogram_with_number_array():
    records = render.histogram([{"value": 50}, {"value": 100}, {"value": 100}])
    numbers = render.histogram([50, 100, 100])
    assert numbers.to_dict() == records.to_dict()
    assert numbers.stats == records.stats
    assert stats_cells(svg(numbers)) == table(HEADERS, ["3", "50", "100", "0 ", "0 ", "0 "])


def test_histogram_renders_a_histogram_with_typed_array():
    typed = render.histogram(np.array([50, 100, 100], dtype=np.int32))
    plain = render.histogram([50, 100, 100])
    assert typed.to_dict() == plain.to_dict()
    assert typed.stats == plain.stats
    assert stats_cells(svg(typed)) == table(HEADERS, ["3", "50", "100", "0 ", "0 ", "0 "])


def test_histogram_re_renders_a_histogram():
    first = render.histogram([50, 100, 100])
    second = render.histogram([50, 100, 100])
    assert first is not second
    assert first.to_dict() == second.to_dict()
    assert len(stats_cells(svg(second))) == 6  # one table, not two


def test_histogram_updates_a_histogram_chart():
    first = render.histogram([{"value": 50}, {"value": 100}, {"value": 100}])
    second = render.histogram([{"value": 150}, {"value": 100}, {"value": 150}])
    assert second.stats["min"] == 100
    assert second.stats["max"] == 150
    assert stats_cells(svg(second))[:3] == ["Num Vals: 3", "Min: 100", "Max: 150"]
    assert first.stats["min"] == 50  # the first chart is unchanged
    assert [b for b in drawn_bins(second) if b[2]] == _vega_bins((150, 100, 150), 12)


def test_histogram_renders_correct_stats():
    data = [{"value": v} for v in [50, -100, 200, 0, 0, NAN, NAN, NAN]]
    chart = render.histogram(data)
    assert chart.stats == {
        "num_vals": 8,
        "min": -100,
        "max": 200,
        "num_zeros": 2,
        "num_nans": 3,
        "num_infs": 0,
    }
    assert stats_cells(svg(chart)) == table(
        HEADERS, ["8", "-100", "200", "2 (25%)", "3 (37.5%)", "0 "]
    )
    # the chart bins the 5 finite values only
    assert sum(b[2] for b in drawn_bins(chart)) == 5
    assert [b for b in drawn_bins(chart) if b[2]] == _vega_bins((50, -100, 200, 0, 0), 12)


def test_histogram_does_not_throw_on_empty_data():
    chart = render.histogram([])
    # tfjs-vis draws the 3-column table and no chart; tfvis always returns a Chart,
    # with no bars.
    assert spec_cells(chart) == table(["Num Vals", "# Zeros", "# NaNs"], ["0", "0 ", "0 "])
    assert chart.stats == {
        "num_vals": 0,
        "min": None,
        "max": None,
        "num_zeros": 0,
        "num_nans": 0,
        "num_infs": 0,
    }
    drawing = svg(chart)
    assert marks(drawing, "bar") == []
    assert stats_cells(drawing) == ["Num Vals: 0", "# Zeros: 0", "# NaNs: 0"]


def test_histogram_renders_custom_stats():
    stats = {"numVals": 200, "min": -30, "max": 140, "numZeros": 2, "numNans": 5}
    chart = render.histogram([{"value": 50}], {"stats": stats})
    # tfjs-vis shows a user's HistogramStats with the usual headers and percentages,
    # and only the keys given (no '# Infinity' here).
    assert stats_cells(svg(chart)) == table(
        ["Num Vals", "Min", "Max", "# Zeros", "# NaNs"],
        ["200", "-30", "140", "2 (1%)", "5 (2.5%)"],
    )


@pytest.mark.parametrize("width", [400, 321])
def test_histogram_sets_width_of_chart(width):
    chart = render.histogram([50, 100, 230], {"width": width})
    assert chart.to_dict()["width"] == width
    assert chart.to_dict()["autosize"] == AUTOSIZE
    # the stats table is part of the picture; the picture is still `width` wide
    assert svg_size(svg(chart))[0] == width


@pytest.mark.parametrize("height", [200, 321])
def test_histogram_sets_height_of_chart(height):
    chart = render.histogram([50, 100, 230], {"height": height})
    assert chart.to_dict()["height"] == height
    assert svg_size(svg(chart))[1] == height


@pytest.mark.parametrize(
    ("data", "received"),
    [("string", "'string' (str)"), (5, "5 (int)"), ({"value": 3}, "{'value': 3} (dict)")],
)
def test_histogram_input_data_must_be_an_array(data, received):
    message = (
        "input data must be an array: a list of numbers, a list of {value} dicts, an array "
        f"or a tensor, got {received}"
    )
    with pytest.raises(DataError, match=re.escape(message) + "$"):
        render.histogram(data)


def test_histogram_input_data_must_have_a_value_field():
    with pytest.raises(
        DataError,
        match=re.escape("input data must have a value field: data[1] is {'v': 3} (dict)") + "$",
    ):
        render.histogram([{"value": 1}, {"v": 3}])


@pytest.mark.parametrize(
    "values",
    [
        [1, 5, 5, 5, 5, 10, -3, -3],
        [0.001, 0.002, 0.0035, 0.01],
        [-1234.5, 17, 99999, 3, 3, 3],
        [7, 7, 7],
        [0.1, 0.2, 0.30000000000000004, 0.7],
    ],
)
@pytest.mark.parametrize("max_bins", [3, 12])
def test_histogram_bins_match_vega(values, max_bins):
    # tfjs-vis leaves binning to Vega-Lite; tfvis must find the bins Vega would.
    chart = render.histogram(values, {"maxBins": max_bins})
    bins = drawn_bins(chart)
    assert sum(b[2] for b in bins) == len(values)
    expected = _vega_bins(tuple(values), max_bins)
    got = [b for b in bins if b[2]]
    assert len(got) == len(expected)
    for (lo, hi, count), (vega_lo, vega_hi, vega_count) in zip(got, expected, strict=True):
        assert count == vega_count
        assert lo == pytest.approx(vega_lo, rel=1e-9, abs=1e-12)
        assert hi == pytest.approx(vega_hi, rel=1e-9, abs=1e-12)


# ============================================================================ heatmap

MATRIX = [[4, 2, 8], [1, 7, 2], [3, 3, 20]]
TALL = [[4, 2, 8], [1, 7, 2], [3, 3, 20], [8, 2, 8]]  # 4 x 3
VIRIDIS_LOW, VIRIDIS_HIGH = "rgb(68, 1, 84)", "rgb(253, 231, 37)"


def cells(drawing: str) -> dict[tuple[int, int], tuple[float, str]]:
    """(column, row) on screen -> (value, fill) of every drawn heatmap cell.

    Columns count from the left and rows from the top, from the cell geometry.
    """
    rects = marks(drawing, "rect mark")
    xs = sorted({round(rect(el)[0], 3) for el in rects})
    ys = sorted({round(rect(el)[1], 3) for el in rects})
    out = {}
    for el in rects:
        x, y, _, _ = rect(el)
        value = _number(fields(el)["value"])
        out[xs.index(round(x, 3)), ys.index(round(y, 3))] = (value, el.get("fill"))
    return out


def test_heatmap_renders_a_chart():
    chart = render.heatmap({"values": MATRIX})
    assert isinstance(chart, tfvis.Chart)
    spec = chart.to_dict()
    rows = rows_of(spec)
    assert len(rows) == 9
    assert next(r["value"] for r in rows if (r["x"], r["y"]) == (0, 2)) == 8  # values[0][2]
    assert spec["mark"]["type"] == "rect"
    assert spec["encoding"]["fill"]["field"] == "value"
    # tfjs-vis sets no fill scale for 'viridis' and so draws yellow-green-blue;
    # tfvis draws real viridis.
    assert spec["encoding"]["fill"]["scale"] == {"scheme": "viridis"}
    assert_fonts(spec, 12)
    drawing = svg(chart)
    grid = cells(drawing)
    assert len(grid) == 9
    # values[i][j] at x=i (left to right), y=j (top to bottom)
    for i, column in enumerate(MATRIX):
        for j, value in enumerate(column):
            assert grid[i, j][0] == value
    assert grid[1, 0][1] == VIRIDIS_LOW  # 1, the smallest value
    assert grid[2, 2][1] == VIRIDIS_HIGH  # 20, the largest
    assert font_sizes(drawing) == {"12px"}


def test_heatmap_renders_a_chart_with_rowmajor_true():
    values = [list(r) for r in TALL]
    chart = render.heatmap({"values": values}, {"rowMajor": True})
    assert values == TALL  # the input is not touched (tfjs-vis: no tensor leaked)
    rows = rows_of(chart.to_dict())
    assert len(rows) == 12
    assert {"x": 0, "y": 3, "value": 8} in [{k: r[k] for k in ("x", "y", "value")} for r in rows]
    assert len({r["x"] for r in rows}) == 3
    assert len({r["y"] for r in rows}) == 4
    grid = cells(svg(chart))
    for r, row in enumerate(TALL):
        for c, value in enumerate(row):
            assert grid[c, r][0] == value  # values[r][c] at column c, row r


def test_heatmap_renders_a_chart_with_rowmajor_true_and_custom_labels():
    data = {
        "values": TALL,
        "xTickLabels": ["alpha", "beta", "gamma"],
        "yTickLabels": ["first", "second", "third", "fourth"],
    }
    chart = render.heatmap(data, {"rowMajor": True})
    drawing = svg(chart)
    assert tick_labels(drawing, "X") == ["alpha", "beta", "gamma"]
    assert tick_labels(drawing, "Y") == ["first", "second", "third", "fourth"]
    grid = cells(drawing)
    assert grid[0, 3][0] == 8  # values[3][0]: column 'alpha', row 'fourth'
    assert grid[2, 2][0] == 20  # values[2][2]
    described = [fields(el) for el in marks(drawing, "rect mark")]
    assert {"x": "alpha", "y": "fourth", "value": "8"} in described  # the labels shown


def test_heatmap_renders_a_chart_with_a_tensor():
    torch = pytest.importorskip("torch")
    plain = render.heatmap({"values": MATRIX})
    assert render.heatmap({"values": torch.tensor(MATRIX)}).to_dict() == plain.to_dict()
    assert render.heatmap({"values": np.array(MATRIX)}).to_dict() == plain.to_dict()


def test_heatmap_throws_an_exception_with_a_non_2d_tensor():
    torch = pytest.importorskip("torch")
    # tfjs-vis's test passes its arguments swapped and so throws 'Not a drawable';
    # the intent is the rank check.
    message = "Input to renderHeatmap must be a 2d array or Tensor2d, got shape (9,)"
    with pytest.raises(DataError, match=re.escape(message) + "$"):
        render.heatmap({"values": torch.arange(9)})
    with pytest.raises(DataError, match=re.escape(message) + "$"):
        render.heatmap(np.arange(9))
    with pytest.raises(
        DataError, match=re.escape("Input to renderHeatmap must be a 2d array or Tensor2d") + "$"
    ):
        render.heatmap({"values": [1, 2, 3, 4, 5, 6, 7, 8, 9]})


def test_heatmap_renders_a_chart_with_custom_colormap():
    chart = render.heatmap({"values": MATRIX}, {"colorMap": "greyscale"})
    assert chart.to_dict()["encoding"]["fill"]["scale"] == {"range": ["#000000", "#ffffff"]}
    grid = cells(svg(chart))
    assert grid[1, 0][1] == "rgb(0, 0, 0)"  # lowest value black
    assert grid[2, 2][1] == "rgb(255, 255, 255)"  # highest white


def test_heatmap_renders_a_chart_with_custom_domain():
    chart = render.heatmap({"values": MATRIX}, {"domain": [0, 30]})
    # tfjs-vis: {domain: [0, 30]} (and yellow-green-blue); tfvis: viridis with the domain.
    assert chart.to_dict()["encoding"]["fill"]["scale"] == {
        "domain": [0.0, 30.0],
        "scheme": "viridis",
    }
    drawing = svg(chart)
    assert "Gradient legend for fill color with values from 0 to 30" in aria_labels(drawing)
    assert cells(drawing)[2, 2][1] != VIRIDIS_HIGH  # 20 is not the top of [0, 30]


def test_heatmap_renders_a_chart_with_custom_labels():
    data = {
        "values": MATRIX,
        "xTickLabels": ["cheese", "pig", "font"],
        "yTickLabels": ["speed", "dexterity", "roundness"],
    }
    chart = render.heatmap(data)
    drawing = svg(chart)
    assert tick_labels(drawing, "X") == ["cheese", "pig", "font"]
    assert tick_labels(drawing, "Y") == ["speed", "dexterity", "roundness"]
    # tfjs-vis appends '@tfidx@<i>' and strips it in the tooltip; tfvis keeps the
    # labels in their own fields and shows those in the tooltip.
    spec = chart.to_dict()
    assert [t["field"] for t in spec["encoding"]["tooltip"]] == ["xl", "yl", "value"]
    row = next(r for r in rows_of(spec) if r["x"] == 1 and r["y"] == 2)
    assert row["value"] == 2
    described = [fields(el) for el in marks(drawing, "rect mark")]
    assert {"x": "pig", "y": "roundness", "value": "2"} in described  # Vega names the cell
    assert "@tfidx@" not in chart.to_json()


def test_heatmap_updates_the_chart():
    first = render.heatmap({"values": MATRIX})
    second = render.heatmap({"values": [[43, 2, 8], [1, 7, 2], [3, 3, 20]]})
    assert cells(svg(second))[0, 0] == (43, VIRIDIS_HIGH)
    assert cells(svg(first))[0, 0][0] == 4


@pytest.mark.parametrize("width", [400, 321])
def test_heatmap_sets_width_of_chart(width):
    chart = render.heatmap({"values": MATRIX}, {"width": width})
    assert chart.to_dict()["width"] == width
    assert chart.to_dict()["autosize"] == AUTOSIZE
    assert svg_size(svg(chart))[0] == width


@pytest.mark.parametrize("height", [200, 321])
def test_heatmap_sets_height_of_chart(height):
    chart = render.heatmap({"values": MATRIX}, {"height": height})
    assert chart.to_dict()["height"] == height
    assert svg_size(svg(chart))[1] == height


def test_heatmap_throws_on_wrong_number_of_xticklabels():
    data = {
        "values": TALL,
        "xTickLabels": ["alpha"],
        "yTickLabels": ["first", "second", "third", "fourth"],
    }
    with pytest.raises(
        DataError,
        match=re.escape("Length of xTickLabels (1) must match number of rows (4)") + "$",
    ):
        render.heatmap(data, {"height": 200})


def test_heatmap_throws_on_wrong_number_of_yticklabels():
    # The tfjs-vis case: its x labels are wrong too, and the x check comes first.
    data = {"values": TALL, "xTickLabels": ["alpha", "beta", "gamma"], "yTickLabels": ["first"]}
    with pytest.raises(
        DataError,
        match=re.escape("Length of xTickLabels (3) must match number of rows (4)") + "$",
    ):
        render.heatmap(data, {"height": 200})
    # A clean y case.
    data = {"values": TALL, "xTickLabels": ["a", "b", "c", "d"], "yTickLabels": ["first"]}
    with pytest.raises(
        DataError,
        match=re.escape("Length of yTickLabels (1) must match number of columns (3)") + "$",
    ):
        render.heatmap(data, {"height": 200})


def test_heatmap_rowmajor_checks_labels_against_the_transposed_matrix():
    # tfjs-vis transposes first, then checks: with rowMajor, xTickLabels count columns.
    data = {"values": TALL, "xTickLabels": ["alpha"], "yTickLabels": ["a", "b", "c", "d"]}
    with pytest.raises(
        DataError,
        match=re.escape("Length of xTickLabels (1) must match number of rows (3)") + "$",
    ):
        render.heatmap(data, {"rowMajor": True})


# ============================================================================ confusionMatrix


def test_confusion_matrix_renders_a_chart():
    chart = render.confusion_matrix({"values": MATRIX, "tickLabels": ["cheese", "pig", "font"]})
    drawing = svg(chart)
    assert tick_labels(drawing, "X") == ["cheese", "pig", "font"]
    assert tick_labels(drawing, "Y") == ["cheese", "pig", "font"]
    assert axis_title(drawing, "X") == ["prediction"]
    assert axis_title(drawing, "Y") == ["label"]
    # the text overlay shows every count
    assert {"1", "2", "3", "4", "7", "8", "20"} <= set(svg_texts(drawing))


def test_confusion_matrix_renders_a_chart_with_shaded_diagonal():
    chart = render.confusion_matrix({"values": MATRIX}, {"shadeDiagonal": True})
    drawing = svg(chart)
    # every cell, diagonal included, is shaded: 9 cells, no white ones
    fills = [el.get("fill") for el in marks(drawing, "rect mark")]
    assert len(fills) == 9
    assert "white" not in fills and "#ffffff" not in fills


def test_confusion_matrix_renders_the_chart_with_generated_labels():
    drawing = svg(render.confusion_matrix({"values": MATRIX}))
    assert tick_labels(drawing, "X") == ["Class 0", "Class 1", "Class 2"]
    assert tick_labels(drawing, "Y") == ["Class 0", "Class 1", "Class 2"]


def test_confusion_matrix_updates_the_chart():
    first = render.confusion_matrix({"values": MATRIX})
    second = render.confusion_matrix({"values": [[43, 2, 8], [1, 7, 2], [3, 3, 20]]})
    assert "43" in svg_texts(svg(second))
    assert "43" not in svg_texts(svg(first))


def test_confusion_matrix_sets_width_of_chart():
    chart = render.confusion_matrix({"values": MATRIX}, {"width": 400})
    assert svg_size(svg(chart))[0] == 400


def test_confusion_matrix_sets_height_of_chart():
    assert svg_size(svg(render.confusion_matrix({"values": MATRIX}, {"height": 200})))[1] == 200
    # the confusion matrix alone defaults to a height of 400
    assert svg_size(svg(render.confusion_matrix({"values": MATRIX})))[1] == 400


# ============================================================================ render_utils
# shallowEquals ('returns true for similar objects', 'returns false for different
# objects', 'returns true for similar objects (array ref)') decides whether tfjs-vis
# may update a chart in place; tfvis has no chart cache, so there is nothing to port.
# getDrawArea 'works with a surface' needs the visor, which tfvis does not have.


def test_getdrawarea_works_with_htmlelement(tmp_path):
    # The Python container is a file path: the chart is drawn and saved there.
    target = tmp_path / "chart.svg"
    chart = render.barchart(target, BARS)
    assert isinstance(chart, tfvis.Chart)
    assert same_drawing(target.read_text()) == same_drawing(svg(chart))


def test_getdrawarea_fails_with_other_stuff(tmp_path):
    target = tmp_path / "not-a-surface"
    message = (
        f"Cannot save chart to {str(target)!r}: unknown suffix '(none)'; "
        "expected one of .html, .json, .pdf, .png, .svg"
    )
    with pytest.raises(ExportError, match=re.escape(message) + "$"):
        render.barchart(str(target), BARS)
    assert list(tmp_path.iterdir()) == []


# ============================================================================ math_test: arrayStats


def test_arraystats_throws_on_non_array_input():
    message = (
        "input data must be an array: a list of numbers, a list of {value} dicts, an array "
        "or a tensor, got 'string' (str)"
    )
    with pytest.raises(DataError, match=re.escape(message) + "$"):
        render.histogram("string")


def test_arraystats_handles_empty_arrays():
    stats = render.histogram([]).stats
    # tfjs-vis: max/min undefined and no numInfs key; tfvis: None, and num_infs 0.
    assert stats == {
        "num_vals": 0,
        "num_nans": 0,
        "num_zeros": 0,
        "max": None,
        "min": None,
        "num_infs": 0,
    }


STATS_CASES = {
    "computes_correct_stats": (
        [2, 3, -400, 500, NAN, -800, 0, 0, 0],
        {"max": 500, "min": -800, "num_vals": 9, "num_nans": 1, "num_zeros": 3, "num_infs": 0},
    ),
    "all_negative": (
        [-2, -3, -400, -500, NAN, -800],
        {"max": -2, "min": -800, "num_vals": 6, "num_nans": 1, "num_zeros": 0, "num_infs": 0},
    ),
    "all_zeros": (
        [0, 0, 0, 0],
        {"max": 0, "min": 0, "num_vals": 4, "num_nans": 0, "num_zeros": 4, "num_infs": 0},
    ),
    "some_infs": (
        [10, 4, INF, -INF, NAN],
        {"max": INF, "min": -INF, "num_vals": 5, "num_nans": 1, "num_zeros": 0, "num_infs": 2},
    ),
    "negative_zero_is_a_zero": (
        [-0.0, 0.0, 1.0],
        {"max": 1, "min": 0, "num_vals": 3, "num_nans": 0, "num_zeros": 2, "num_infs": 0},
    ),
}


@pytest.mark.parametrize("case", list(STATS_CASES))
def test_arraystats_computes_correct_stats(case):
    values, expected = STATS_CASES[case]
    assert render.histogram(values).stats == expected
    assert render.histogram(np.array(values, dtype=np.float64)).stats == expected


@pytest.mark.parametrize("case", list(STATS_CASES))
def test_tensorstats_computes_correct_stats(case):
    torch = pytest.importorskip("torch")
    values, expected = STATS_CASES[case]
    stats = render.histogram(torch.tensor(values, dtype=torch.float32)).stats
    assert stats == pytest.approx(expected)


def test_arraystats_computes_correct_stats_all_nans():
    chart = render.histogram([NAN, NAN, NAN, NAN])
    # tfjs-vis: min and max NaN; tfvis: None (chart.stats stays JSON-friendly).
    assert chart.stats == {
        "num_vals": 4,
        "num_nans": 4,
        "num_zeros": 0,
        "max": None,
        "min": None,
        "num_infs": 0,
    }
    # The table is tfjs-vis's: arrayStats gives NaN for min and max, shown as 'NaN'.
    assert spec_cells(chart) == table(HEADERS, ["4", "NaN", "NaN", "0 ", "4 (100%)", "0 "])
    assert render.histogram(np.full(4, np.nan)).stats == chart.stats


def test_arraystats_table_formatting():
    # d3-format ',.4~f' and '.4~p' as the tfjs-vis stats table uses them.
    chart = render.histogram([1234.56789, 0, 0, NAN, 2, 3])
    assert spec_cells(chart) == table(
        HEADERS, ["6", "0", "1,234.5679", "2 (33.33%)", "1 (16.67%)", "0 "]
    )
    assert math.isclose(chart.stats["max"], 1234.56789)


# ============================================================================ table


def _cells(markup: str, tag: str) -> list[str]:
    return re.findall(rf"<{tag}\b[^>]*>(.*?)</{tag}>", markup)


def test_table_renders_a_table():
    headers = ["Col1", "Col 2", "<em>Column 3</em>"]
    values = [[1, 2, 3], ["4", "5", "6"], ["<strong>7</strong>", True, False]]
    # tfjs-vis inserts headers and cells as HTML; tfvis does so only with allowHtml.
    table = render.table({"headers": headers, "values": values}, {"allowHtml": True})
    assert isinstance(table, tfvis.Table)
    markup = table._markup()
    assert markup.count("<table") == 1 and markup.count("<thead><tr>") == 1
    assert _cells(markup, "th") == headers
    rows = re.findall(r"<tr>(.*?)</tr>", markup.split("<tbody>")[1])
    assert [_cells(row, "td") for row in rows] == [
        ["1", "2", "3"],
        ["4", "5", "6"],
        ["<strong>7</strong>", "true", "false"],
    ]
    # textContent: what the picture draws
    assert svg_texts(table.to_svg())[:3] == ["Col1", "Col 2", "Column 3"]
    assert "7" in svg_texts(table.to_svg())
    # tfvis's default escapes every header and cell
    escaped = render.table({"headers": headers, "values": values})._markup()
    assert "&lt;strong&gt;7&lt;/strong&gt;" in escaped and "<strong>" not in escaped


def test_table_requires_necessary_param():
    with pytest.raises(DataError, match=re.escape('Data to render must have a "values" property')):
        render.table({"headers": []})
    with pytest.raises(DataError, match=re.escape('Data to render must have a "headers" property')):
        render.table({"values": [[]]})
    with pytest.raises(DataError, match=re.escape('Data to render must have a "headers" property')):
        render.table({})


def test_table_should_not_throw_on_empty_table():
    table = render.table({"headers": [], "values": []})
    markup = table._markup()
    assert markup.count("<table") == 1 and markup.count("<thead><tr>") == 1
    assert "<tbody></tbody>" in markup
    assert table.to_png()[:8] == b"\x89PNG\r\n\x1a\n"


# ============================================================================ math_test: metrics
# tfjs-vis takes 1-D tensors; tfvis also takes lists and numpy arrays, and reduces 2-D
# inputs (one-hot or probability rows) by argmax, so its 2-D cases differ (noted).


def _tensor(values):
    torch = pytest.importorskip("torch")
    return torch.tensor(values)


def test_confusionmatrix_computes_a_confusion_matrix():
    result = tfvis.metrics.confusion_matrix(_tensor([1, 2, 4]), _tensor([2, 2, 4]))
    assert result.tolist() == [
        [0, 0, 0, 0, 0],
        [0, 0, 1, 0, 0],
        [0, 0, 1, 0, 0],
        [0, 0, 0, 0, 0],
        [0, 0, 0, 0, 1],
    ]


def test_confusionmatrix_computes_a_confusion_matrix_with_explicit_numclasses():
    result = tfvis.metrics.confusionMatrix(_tensor([1, 2, 4]), _tensor([2, 2, 4]), 6)
    assert result.shape == (6, 6)
    assert result.sum() == 3 and result[1, 2] == result[2, 2] == result[4, 4] == 1


def test_confusionmatrix_computes_a_confusion_matrix_with_custom_weights():
    ramp = [0, 1, 2, 3, 4]
    result = tfvis.metrics.confusion_matrix(ramp, ramp, None, _tensor(ramp))
    assert result.tolist() == np.diag([0.0, 1, 2, 3, 4]).tolist()


def test_confusionmatrix_where_preds_and_labels_do_not_intersect():
    labels = [1, 1, 2, 3, 5, 1, 3, 6, 3, 1]
    predictions = [1, 1, 2, 3, 5, 6, 1, 2, 3, 4]
    assert tfvis.metrics.confusion_matrix(labels, predictions).tolist() == [
        [0, 0, 0, 0, 0, 0, 0],
        [0, 2, 0, 0, 1, 0, 1],
        [0, 0, 1, 0, 0, 0, 0],
        [0, 1, 0, 2, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 1, 0],
        [0, 0, 1, 0, 0, 0, 0],
    ]


def test_confusionmatrix_computes_a_confusion_matrix_with_multiple_matches():
    result = tfvis.metrics.confusion_matrix([4, 5, 6], [1, 2, 3])
    assert result.shape == (7, 7)
    assert result[4, 1] == result[5, 2] == result[6, 3] == 1 and result.sum() == 3


def test_confusionmatrix_errors_on_non_1d_label_tensor():
    # tfjs-vis: a 2x2 label tensor is 'labels must be a 1D tensor'; tfvis reads it as
    # two one-hot rows (argmax), which leaves 2 labels for 4 predictions.
    with pytest.raises(
        DataError,
        match=re.escape(
            "labels and predictions must be the same length, got 2 labels and 4 predictions"
        ),
    ):
        tfvis.metrics.confusion_matrix(_tensor([[1, 2], [4, 4]]), _tensor([2, 2, 4, 3]))
    with pytest.raises(DataError, match=re.escape("labels must be a 1D tensor")):
        tfvis.metrics.confusion_matrix(np.zeros((2, 2, 2)), [2, 2, 4, 3])


def test_confusionmatrix_errors_on_non_1d_prediction_tensor():
    with pytest.raises(DataError, match=re.escape("predictions must be a 1D tensor")):
        tfvis.metrics.confusion_matrix([1, 2, 4, 4], np.zeros((1, 2, 2)))


def test_confusionmatrix_errors_on_tensors_of_different_lengths():
    with pytest.raises(
        DataError, match=re.escape("labels and predictions must be the same length")
    ):
        tfvis.metrics.confusion_matrix(_tensor([1, 2, 4]), _tensor([2, 2, 4, 3, 6]))


def test_accuracy_computes_accuracy():
    assert tfvis.metrics.accuracy(_tensor([1, 2, 4]), _tensor([2, 2, 4])) == pytest.approx(2 / 3)
    assert tfvis.metrics.accuracy([1, 2, 4], [5, 6, 8]) == 0
    assert tfvis.metrics.accuracy([1, 2, 3], [1, 2, 3]) == 1


def test_accuracy_computes_accuracy_tensor_2d():
    labels = [[1, 2], [3, 4], [5, 6]]
    predictions = [[1, 9], [3, 4], [5, 6]]
    # tfjs-vis compares element by element (5/6); tfvis reads rows as scores and
    # compares their argmax: every row's larger value is its second.
    assert tfvis.metrics.accuracy(_tensor(labels), _tensor(predictions)) == 1.0
    assert tfvis.metrics.accuracy(np.eye(3), np.eye(3)[[0, 1, 1]]) == pytest.approx(2 / 3)


def test_accuracy_errors_on_tensors_of_different_shapes():
    with pytest.raises(
        DataError, match=re.escape("Error computing accuracy. Shapes 4 and 2 must match") + "$"
    ):
        tfvis.metrics.accuracy(_tensor([1, 2, 4, 4]), _tensor([[2, 2], [4, 3]]))


def test_per_class_accuracy_computes_per_class_accuracy():
    cases = [
        ([0, 0, 1, 2, 2, 2], [0, 0, 0, 2, 1, 1], None, [1, 0, 1 / 3], [2, 1, 3]),
        ([1, 1, 1, 1, 1], [0, 0, 0, 0, 0], None, [0, 0], [0, 5]),
        ([0, 1, 2, 3, 3, 3], [0, 1, 2, 3, 3, 3], None, [1, 1, 1, 1], [1, 1, 1, 3]),
        ([0, 1, 2, 2], [0, 1, 2, 1], 5, [1, 1, 0.5, 0, 0], [1, 1, 2, 0, 0]),
    ]
    for labels, predictions, n, accuracy, count in cases:
        result = tfvis.metrics.perClassAccuracy(_tensor(labels), _tensor(predictions), n)
        assert [d["accuracy"] for d in result] == pytest.approx(accuracy)
        assert [d["count"] for d in result] == count


def test_per_class_accuracy_errors():
    with pytest.raises(DataError, match=re.escape("predictions must be a 1D tensor")):
        tfvis.metrics.per_class_accuracy([1, 2, 4, 4], np.zeros((2, 2, 1)))
    with pytest.raises(
        DataError, match=re.escape("labels and predictions must be the same length")
    ):
        tfvis.metrics.per_class_accuracy([1, 2, 4], [2, 2, 4, 3, 6])


# ============================================================================ show


# tfjs-vis renders into {name: 'Test'} (a visor surface); here the container is a file.


def test_show_renders_perclassaccuracy(tmp_path):
    acc = [{"accuracy": 0.5, "count": 10}, {"accuracy": 0.8, "count": 10}]
    with_labels = tfvis.show.perClassAccuracy(tmp_path / "a.html", acc, ["cat", "dog"])
    assert (tmp_path / "a.html").read_text(encoding="utf-8").count("<table") == 1
    assert with_labels.rows == [["cat", 0.5, 10], ["dog", 0.8, 10]]
    without = tfvis.show.perClassAccuracy(tmp_path / "b.html", acc)
    assert [row[0] for row in without.rows] == ["0", "1"]


def test_show_renders_a_model_summary(tmp_path):
    keras = pytest.importorskip("keras")
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    table = tfvis.show.modelSummary(tmp_path / "m.html", model)
    page = (tmp_path / "m.html").read_text(encoding="utf-8")
    assert page.count("<tr>") == 2  # the header and one layer
    assert table.rows[0][3] == model.count_params() == 2


def test_show_renders_a_layer_summary(tmp_path):
    keras = pytest.importorskip("keras")
    dense = keras.layers.Dense(1)
    model = keras.Sequential([keras.Input((1,)), dense])
    model.compile(optimizer="sgd", loss="mean_squared_error")
    table = tfvis.show.layer(tmp_path / "l.html", dense)
    page = (tmp_path / "l.html").read_text(encoding="utf-8")
    assert page.count("<tr>") == 3  # the header, the kernel and the bias
    assert [row[0].rsplit("/", 1)[1] for row in table.rows] == ["kernel", "bias"]


def test_show_values_distribution_renders_histogram(tmp_path):
    chart = tfvis.show.valuesDistribution(tmp_path / "v.png", _tensor([0, 0, 0, 0, 2, 3, 4]))
    assert (tmp_path / "v.png").exists()
    assert isinstance(chart, tfvis.Chart)
    assert chart.stats["num_zeros"] == 4  # the stats table is there
    assert chart.to_dict()["height"] == 150
