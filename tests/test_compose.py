"""Composite charts: the one walker, composition, chart.altair, the display policy, pages."""

from __future__ import annotations

import base64
import json
import struct
from pathlib import Path
from typing import Any

import altair as alt
import numpy as np
import pytest

import tfvis
from conftest import aria_labels, page_specs
from tfvis import ExportError, OptionError, _budget, _walk, render
from tfvis._chart import VEGALITE_MIMETYPE


def png_size(data: bytes) -> tuple[int, int]:
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def line(n: int = 4, **options: Any) -> tfvis.Chart:
    return render.linechart(list(np.arange(n) % 5), **options)


def every_kind() -> dict[str, tfvis.Chart]:
    with pytest.warns(tfvis.DownsampleWarning):
        big_heatmap = render.heatmap(np.arange(300 * 300.0).reshape(300, 300))
    return {
        "linechart": line(),
        "scatterplot": render.scatterplot({"values": [{"x": 1, "y": 2}, {"x": 2, "y": 1}]}),
        "barchart": render.barchart([{"index": "a", "value": 1}, {"index": "b", "value": 3}]),
        "histogram": render.histogram([1, 2, 2, 3]),
        "heatmap": render.heatmap({"values": [[1, 2], [3, 4]], "xTickLabels": ["a", "b"]}),
        "big heatmap": big_heatmap,
    }


# ----------------------------------------------------------------------------- the walker


def _rows(n: int) -> list[dict[str, int]]:
    return [{"x": i} for i in range(n)]


@pytest.mark.parametrize(
    "nest",
    [
        lambda unit: {"layer": [unit]},
        lambda unit: {"hconcat": [unit, {"mark": "point"}]},
        lambda unit: {"vconcat": [{"layer": [unit]}]},
        lambda unit: {"concat": [unit], "columns": 2},
        lambda unit: {"facet": {"field": "x"}, "spec": unit},
    ],
    ids=["layer", "hconcat", "vconcat+layer", "concat", "facet"],
)
def test_the_export_guard_prices_a_unit_however_it_is_nested(nest: Any) -> None:
    unit = {"data": {"name": "big"}, "mark": "line"}
    spec = {**nest(unit), "datasets": {"big": _rows(2_000_000)}}
    cost = _budget.spec_cost(spec)
    assert ("line", 2_000_000, 50_000_000.0) in cost.parts
    with pytest.raises(ExportError, match="too large to render as PNG"):
        _budget.check(cost, "PNG", None)


def test_a_repeat_is_priced_once_per_copy() -> None:
    spec = {
        "repeat": ["a", "b", "c"],
        "spec": {"data": {"name": "d"}, "mark": "point"},
        "datasets": {"d": _rows(10)},
    }
    assert _budget.spec_cost(spec).parts == (("point", 30, 300.0),)


def test_views_inherit_data_from_their_parents() -> None:
    spec = {
        "data": {"name": "outer"},
        "hconcat": [{"mark": "bar"}, {"data": {"values": [{}, {}]}, "mark": "rule"}],
    }
    units = [(v.path, v.data, v.inline_rows) for v in _walk.units(spec)]
    assert units == [(("hconcat", 0), "outer", None), (("hconcat", 1), None, 2)]
    assert _walk.dataset_names(spec) == ["outer"]


def test_picture_size_adds_parts_up() -> None:
    a = {"mark": "point", "width": 300, "height": 100}
    b = {"mark": "point", "width": 200, "height": 150}
    assert _walk.picture_size({"hconcat": [a, b]}) == (520, 150)
    assert _walk.picture_size({"vconcat": [a, b]}) == (300, 270)
    assert _walk.picture_size({"concat": [a, b, a], "columns": 2}) == (520, 270)


# ----------------------------------------------------------------------------- composition


def test_side_by_side_and_stacked_give_one_chart_with_every_output(tmp_path: Path) -> None:
    a, b = line(), render.histogram([1, 2, 2, 3])
    side = a | b
    assert isinstance(side, tfvis.Chart) and side.kind == "hconcat"
    assert side.size == (820, 200)
    assert repr(side) == "<tfvis.Chart hconcat 820×200 px (line, rule, bar)>"
    stacked = tfvis.vconcat(a, b)
    assert stacked.kind == "vconcat" and stacked.size == (400, 420)
    assert (a & b).to_dict() == stacked.to_dict()
    assert tfvis.hconcat(a, b).to_dict() == side.to_dict()
    for suffix in (".png", ".svg", ".pdf", ".html", ".json"):
        assert side.save(tmp_path / f"both{suffix}").stat().st_size > 0
    width, height = png_size((tmp_path / "both.png").read_bytes())
    assert width > 800 and height > 200  # parts keep their plot size; axes add to it


def test_a_composition_draws_every_part() -> None:
    bars = render.barchart([{"index": "a", "value": 1}, {"index": "b", "value": 3}])
    hist = render.histogram([1, 2, 2, 3], maxBins=3)
    labels = aria_labels((bars | hist).to_svg())
    assert [label for label in labels if label.startswith("i: ")] == [
        "i: 0; value: 1; index: a",
        "i: 1; value: 3; index: b",
    ]
    assert [label for label in labels if label.startswith("value: ")] == [
        "value: 1 – 2; Count: 1; from: 1; to: 2",
        "value: 2 – 3; Count: 3; from: 2; to: 3",
    ]


def test_shared_names_are_renamed_and_each_part_keeps_its_data() -> None:
    a = line(3)
    b = render.linechart([10, 20, 30, 40])
    spec = (a | b).to_dict()
    assert sorted(spec["datasets"]) == ["tfvis_points", "tfvis_points_1"]
    assert len(spec["datasets"]["tfvis_points"]) == 3
    assert len(spec["datasets"]["tfvis_points_1"]) == 4
    first, second = spec["hconcat"]
    assert {layer["data"]["name"] for layer in second["layer"]} == {"tfvis_points_1"}
    hover = [p["name"] for layer in second["layer"] for p in layer.get("params", [])]
    assert hover == ["tfvis_hover_x_1"]
    condition = second["layer"][1]["encoding"]["opacity"]["condition"]
    assert condition["param"] == "tfvis_hover_x_1"
    assert first["layer"][1]["encoding"]["opacity"]["condition"]["param"] == "tfvis_hover_x"


def test_label_lists_are_lifted_to_the_top_and_renamed() -> None:
    a = render.barchart([{"index": "foo", "value": 1}])
    b = render.barchart([{"index": "bar", "value": 2}])
    spec = (a | b).to_dict()
    assert spec["params"] == [
        {"name": "tfvis_bar_labels", "value": ["foo"]},
        {"name": "tfvis_bar_labels_1", "value": ["bar"]},
    ]
    expressions = [part["encoding"]["x"]["axis"]["labelExpr"] for part in spec["hconcat"]]
    assert "tfvis_bar_labels[datum.value]" in expressions[0]
    assert "tfvis_bar_labels_1[datum.value]" in expressions[1]
    assert "tfvis_bar_labels[" not in expressions[1]


def test_each_part_keeps_its_fonts_and_legends() -> None:
    a = line(fontSize=20)
    b = render.heatmap([[1, 2], [3, 4]])
    spec = (a | b).to_dict()
    assert spec["hconcat"][0]["layer"][0]["encoding"]["x"]["axis"]["labelFontSize"] == 20
    assert spec["hconcat"][1]["encoding"]["x"]["axis"]["labelFontSize"] == 12
    assert spec["resolve"]["scale"]["color"] == "independent"
    assert "fontSize" not in json.dumps(spec.get("config", {}))


def test_compositions_nest_and_big_parts_are_priced() -> None:
    rows = 1_500_000
    big = render.linechart(np.zeros(rows), downsample=False)
    assert big.cost.total > _budget.export_limit()
    nested = (line() | line()) & (line() | big)
    assert nested.cost.total >= big.cost.total
    with pytest.raises(ExportError, match="too large to render as PNG"):
        nested.to_png()
    spec_names = sorted(nested.to_dict()["datasets"])
    assert len(spec_names) == 4 and len(set(spec_names)) == 4


def test_a_big_heatmap_in_a_composition_still_draws_one_image_in_png() -> None:
    with pytest.warns(tfvis.DownsampleWarning):
        heat = render.heatmap(np.random.default_rng(0).random((1000, 1000)))
    both = line() | heat
    raster = json.loads(both._text("raster"))
    assert "tfvis_image" in raster["datasets"] and "tfvis_cells" not in raster["datasets"]
    assert png_size(both.to_png())[0] > 800


def test_the_png_side_check_reads_the_whole_composition() -> None:
    wide = tfvis.hconcat(*[line(width=1000) for _ in range(5)])
    assert wide.size[0] == 5 * 1000 + 4 * 20
    with pytest.raises(ExportError, match="would make a PNG 20,320 pixels on its longest side"):
        wide.to_png(scale=4)


def test_composing_anything_else_is_an_error() -> None:
    with pytest.raises(TypeError):
        line() | 3  # type: ignore[operator]
    with pytest.raises(OptionError, match=r"^tfvis.hconcat\(\) takes tfvis charts, got 3 \(int\)"):
        tfvis.hconcat(line(), 3)  # type: ignore[arg-type]
    with pytest.raises(OptionError, match=r"^tfvis.vconcat\(\) needs at least one chart"):
        tfvis.vconcat()
    single = line()
    assert tfvis.hconcat(single) is single


def test_a_composition_reports_its_parts() -> None:
    hist = render.histogram([0, 1, 1])
    both = line() | hist
    assert both.report == {"parts": [{}, {"stats": hist.stats}]}
    assert both.stats is None


# ----------------------------------------------------------------------------- altair


@pytest.mark.filterwarnings("ignore:Automatically deduplicated selection parameter")
@pytest.mark.parametrize("kind", list(every_kind()))
def test_chart_altair_renders_takes_a_title_and_composes(kind: str) -> None:
    chart = every_kind()[kind]
    altair_chart = chart.altair
    assert isinstance(altair_chart, alt.TopLevelMixin)
    for made in (
        altair_chart,
        altair_chart.properties(title="My title"),
        altair_chart | chart.altair,
        altair_chart & chart.altair,
        altair_chart.interactive(),
    ):
        png = made.to_dict()  # Altair's own validation
        assert png
        svg = tfvis._engine.convert("svg", json.dumps(made.to_dict()))
        assert aria_labels(svg), kind
    titled = altair_chart.properties(title="My title").to_dict()
    assert titled["title"] == "My title"


def test_chart_altair_keeps_the_drawn_data() -> None:
    bars = render.barchart([{"index": "a", "value": 1}, {"index": "b", "value": 3}])
    spec = bars.altair.to_dict()
    rows = [rows for rows in spec["datasets"].values()]
    assert rows == [bars.to_dict()["datasets"]["tfvis_bars"]]
    assert spec["params"][0]["value"] == ["a", "b"]


# ----------------------------------------------------------------------------- display


def test_the_default_display_is_vega_lite_with_a_png_fallback() -> None:
    assert tfvis.get_display() == "vegalite+png"
    bundle = line()._repr_mimebundle_()
    assert list(bundle) == [VEGALITE_MIMETYPE, "image/png", "text/plain"]


@pytest.mark.parametrize(
    ("mode", "parts"),
    [
        ("vegalite", [VEGALITE_MIMETYPE, "text/plain"]),
        ("vegalite+svg", [VEGALITE_MIMETYPE, "image/svg+xml", "text/plain"]),
        ("png", ["image/png", "text/plain"]),
        ("svg", ["image/svg+xml", "text/plain"]),
    ],
)
def test_the_display_mode_chooses_the_bundle(
    mode: str, parts: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    rendered: list[str] = []
    monkeypatch.setattr(
        tfvis.Chart, "to_png", lambda self, scale=1.0: rendered.append("png") or b"\x89PNG"
    )
    previous = tfvis.set_display(mode)
    try:
        bundle = line()._repr_mimebundle_()
    finally:
        tfvis.set_display(previous)
    assert list(bundle) == parts
    assert rendered == (["png"] if "image/png" in parts else [])  # no picture unless asked


def test_include_asks_for_a_part_the_mode_leaves_out() -> None:
    previous = tfvis.set_display("vegalite")
    try:
        bundle = line()._repr_mimebundle_(include=["image/png"])
    finally:
        tfvis.set_display(previous)
    assert list(bundle) == ["image/png"]
    assert png_size(base64.b64decode(bundle["image/png"])) == (400, 200)


def test_a_bad_display_mode_is_an_option_error() -> None:
    with pytest.raises(
        OptionError,
        match=r"^tfvis.set_display\(mode\) must be one of 'vegalite\+png', 'vegalite', "
        r"'vegalite\+svg', 'png', 'svg', got 'html' \(str\)$",
    ):
        tfvis.set_display("html")


def test_the_display_mode_can_come_from_the_environment(tmp_path: Path) -> None:
    import subprocess
    import sys

    code = "import tfvis; print(tfvis.get_display())"
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "TFVIS_DISPLAY": "png"},
        timeout=60,
    )
    assert done.stdout.strip() == "png", done.stderr


# ----------------------------------------------------------------------------- pages


def test_one_page_builder_for_charts_and_compositions(tmp_path: Path) -> None:
    both = line() | line(5)
    page = both.to_html(title="two lines")
    assert page_specs(page) == {"tfvis-view-0": both.to_dict()}
    assert "<title>two lines</title>" in page
    with pytest.raises(
        ExportError, match=r"^to_html\(title=...\) must be a string, got 5 \(int\)$"
    ):
        both.to_html(title=5)  # type: ignore[arg-type]


def test_save_returns_a_path_that_reads_well(tmp_path: Path) -> None:
    saved = line().save(tmp_path / "plot1.svg")
    assert isinstance(saved, Path) and saved == tmp_path / "plot1.svg"
    assert repr(saved).startswith(f"SavedFile({str(tmp_path / 'plot1.svg')!r}, ")
    assert repr(saved).endswith(" KiB)")
