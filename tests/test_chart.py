"""The Chart object: strict JSON, every export format, atomic saves, Jupyter bundle."""

from __future__ import annotations

import base64
import json
import os
import re
import struct
from pathlib import Path

import altair as alt
import numpy as np
import pytest

import tfvis
from conftest import page_blocks, page_specs
from tfvis import ExportError, render
from tfvis._chart import VEGALITE_MIMETYPE
from tfvis._page import script_json

POINTS = [{"x": 1, "y": 20}, {"x": 2, "y": 30}, {"x": 3, "y": 5}, {"x": 4, "y": 12}]


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def reject_constants(token: str) -> None:
    raise AssertionError(f"non-strict JSON token {token}")


@pytest.fixture(scope="module")
def line() -> tfvis.Chart:
    return render.linechart({"values": POINTS}, {"width": 400, "height": 250})


def test_to_json_is_strict_even_with_nan_and_infinity() -> None:
    values = [{"x": 1, "y": float("nan")}, {"x": 2, "y": float("inf")}, {"x": 3, "y": 1.0}]
    chart = render.linechart({"values": values})
    text = chart.to_json()
    spec = json.loads(text, parse_constant=reject_constants)
    rows = spec["datasets"]["tfvis_points"]
    assert [r["y"] for r in rows] == [None, None, 1.0]
    assert json.loads(chart.to_json(indent=2)) == spec
    hist = render.histogram(np.array([np.nan, np.inf, -np.inf, 1.0]))
    json.loads(hist.to_json(), parse_constant=reject_constants)
    assert hist.stats == {
        "num_vals": 4,
        "min": -np.inf,
        "max": np.inf,
        "num_zeros": 0,
        "num_nans": 1,
        "num_infs": 2,
    }


def test_to_dict_is_vega_lite_v5_and_a_fresh_copy(line: tfvis.Chart) -> None:
    spec = line.to_dict()
    assert spec["$schema"] == "https://vega.github.io/schema/vega-lite/v5.json"
    spec["width"] = 1
    assert line.to_dict()["width"] == 400


def test_png_is_width_times_scale(line: tfvis.Chart) -> None:
    assert png_size(line.to_png()) == (400, 250)
    assert png_size(line.to_png(scale=2)) == (800, 500)


def test_png_rejects_a_bad_scale(line: tfvis.Chart) -> None:
    with pytest.raises(ExportError, match=r"^scale must be a positive number, got 0$"):
        line.to_png(scale=0)


def test_png_refuses_a_scale_that_would_exhaust_memory(line: tfvis.Chart) -> None:
    with pytest.raises(
        ExportError,
        match=r"^scale=100 would make a PNG 40,000 pixels on its longest side; the largest "
        r"tfvis draws is 20,000 pixels$",
    ):
        line.to_png(scale=100)
    with pytest.raises(ExportError, match=r"^scale=inf would make a PNG inf pixels"):
        line.to_png(scale=float("inf"))


def test_svg_and_pdf_signatures(line: tfvis.Chart) -> None:
    svg = line.to_svg()
    assert svg.startswith("<svg")
    assert 'width="400"' in svg and 'height="250"' in svg
    assert line.to_pdf().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("suffix", "magic"),
    [
        (".png", b"\x89PNG"),
        (".svg", b"<svg"),
        (".pdf", b"%PDF"),
        (".json", b"{"),
        (".html", b"<!DOCTYPE html>"),
    ],
)
def test_save_by_suffix(line: tfvis.Chart, tmp_path: Path, suffix: str, magic: bytes) -> None:
    target = line.save(tmp_path / f"chart{suffix}")
    assert target.read_bytes().startswith(magic)
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"chart{suffix}"]


def test_save_passes_keywords_and_rejects_unknown_ones(line: tfvis.Chart, tmp_path: Path) -> None:
    assert png_size(line.save(tmp_path / "big.png", scale=3).read_bytes()) == (1200, 750)
    with pytest.raises(ExportError, match=r"got a bad keyword"):
        line.save(tmp_path / "x.svg", scale=3)
    assert not (tmp_path / "x.svg").exists()


def test_failed_save_leaves_no_file_and_keeps_the_old_one(
    line: tfvis.Chart, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "chart.png"
    target.write_bytes(b"old picture")

    def broken_replace(source: str, target: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(
        ExportError, match=r"^Cannot write '.*chart\.png': No space left on device$"
    ):
        line.save(target)
    assert target.read_bytes() == b"old picture"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chart.png"]


def test_unwritable_folder_is_an_export_error(line: tfvis.Chart, tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "folder" / "chart.png"
    with pytest.raises(
        ExportError, match=r"^Cannot write '.*chart\.png': No such file or directory$"
    ):
        line.save(missing)


def test_container_first_call_saves_the_chart(tmp_path: Path) -> None:
    target = tmp_path / "plot1.png"
    chart = render.linechart(target, {"values": POINTS}, {"width": 300})
    assert png_size(target.read_bytes()) == (300, 200)
    assert isinstance(chart, tfvis.Chart)
    render.barchart(str(tmp_path / "bars.svg"), [{"index": "a", "value": 1}])
    assert (tmp_path / "bars.svg").read_text().startswith("<svg")


def test_mimebundle_is_vega_lite_v5_with_png_fallback_and_no_html(line: tfvis.Chart) -> None:
    bundle = line._repr_mimebundle_()
    assert set(bundle) == {VEGALITE_MIMETYPE, "image/png", "text/plain"}
    assert bundle[VEGALITE_MIMETYPE] == line.to_dict()
    assert png_size(base64.b64decode(bundle["image/png"])) == (400, 250)
    assert bundle["text/plain"] == "<tfvis.Chart linechart 400×250 px (line, rule)>"
    only = line._repr_mimebundle_(include=[VEGALITE_MIMETYPE])
    assert set(only) == {VEGALITE_MIMETYPE}
    assert "image/png" not in line._repr_mimebundle_(exclude=["image/png"])


def test_altair_property_carries_the_data_and_is_independent(line: tfvis.Chart) -> None:
    chart = line.altair
    assert isinstance(chart, alt.TopLevelMixin)
    spec = chart.to_dict()
    # Altair gathers the inline data into datasets of its own naming.
    assert line.to_dict()["datasets"]["tfvis_points"] in list(spec["datasets"].values())
    chart.properties(title="changed").to_dict()
    assert "title" not in line.to_dict()


def test_html_is_standalone_deterministic_with_unique_ids(line: tfvis.Chart) -> None:
    first, second = line.to_html(), line.to_html()
    assert first == second
    ids = re.findall(r'\sid="([^"]+)"', first)
    assert len(ids) == len(set(ids)) and "tfvis-view-0" in ids
    assert "<script src=" not in first and "http:" not in first and "https:" not in first
    assert "Content-Security-Policy" in first  # the page may load nothing
    assert first.count("<script>") == 1
    assert "vegaEmbed" in page_blocks(first)["tfvis-runtime"]
    assert page_specs(first) == {"tfvis-view-0": line.to_dict()}
    assert len(first) < 450_000  # the 895 KB bundle travels gzipped


def test_html_keeps_user_strings_out_of_the_markup(tmp_path: Path) -> None:
    hostile = "</script><script>alert(1)</script><!--"
    chart = render.linechart(
        {"values": [POINTS], "series": [hostile]}, {"xLabel": hostile, "yLabel": "&amp;"}
    )
    page = chart.to_html(title=hostile)
    assert "alert(1)" not in page.replace(
        "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;!--", ""
    )
    assert "<title>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;!--</title>" in page
    assert page.count("</script>") == 3  # the runtime block, the specs block, the start
    spec = page_specs(page)["tfvis-view-0"]
    assert spec["layer"][0]["encoding"]["x"]["title"] == hostile


def test_script_json_round_trips_every_dangerous_character() -> None:
    value = {"s": "</script> <!-- & \u2028 \u2029 '\""}
    text = script_json(value)
    assert not re.search(r"[<>&\u2028\u2029]", text)
    assert json.loads(text) == value


def test_the_schema_check_catches_a_misspelt_property() -> None:
    """The conftest check on every spec can fail: a typo in a mark is caught."""
    from vegalite_schema import schema_errors

    spec = render.histogram([1, 2, 3]).to_dict()
    assert schema_errors(spec) == []
    spec["mark"]["colr"] = "red"
    assert schema_errors(spec)
    with pytest.raises(AssertionError, match="tfvis built an invalid Vega-Lite spec"):
        import tfvis.render._spec

        tfvis.render._spec.Chart(spec, {})


def test_the_reference_check_catches_an_undefined_parameter() -> None:
    from vegalite_schema import reference_errors

    spec = render.barchart([{"index": "a", "value": 1}]).to_dict()
    assert reference_errors(spec) == []
    spec["params"] = []  # the label lookup's parameter is gone; labelExpr still reads it
    assert reference_errors(spec) == ["uses 'tfvis_bar_labels', which the spec does not define"]
    line = render.linechart({"values": [{"x": 1, "y": 2}, {"x": 2, "y": 3}]}).to_dict()
    del line["layer"][1]["params"]
    assert reference_errors(line) == ["uses 'tfvis_hover_x', which the spec does not define"]


def test_a_view_that_draws_missing_data_is_refused() -> None:
    spec = {"data": {"name": "pts"}, "mark": "point", "encoding": {"x": {"field": "x"}}}
    with pytest.raises(tfvis.errors.TfvisBug) as caught:
        tfvis.Chart(spec, {"ptz": [{"x": 1}]})
    assert str(caught.value) == (
        "the full view of the chart draws data named 'pts', which is not among its datasets ['ptz']"
    )


def test_two_views_with_different_data_under_one_name_are_refused() -> None:
    spec = {"data": {"name": "d"}, "mark": "point", "datasets": {"d": [{"x": 1}]}}
    static = {**spec, "datasets": {"d": [{"x": 2}]}}
    with pytest.raises(tfvis.errors.TfvisBug) as caught:
        tfvis.Chart(spec, {}, static_spec=static)
    assert str(caught.value) == "two views of the chart give different data named 'd'"
    same = {**spec, "datasets": {"d": [{"x": 1}]}}  # equal data is one dataset
    assert tfvis.Chart(spec, {}, static_spec=same).to_dict()["datasets"] == {"d": [{"x": 1}]}


def test_the_colour_schemes_tfvis_knows_are_vega_lites() -> None:
    """tfvis keeps the Vega scheme names itself; they must be the schema's list."""
    import importlib.util

    from tfvis._options import VEGA_SCHEMES

    spec = importlib.util.find_spec("altair")
    assert spec is not None and spec.submodule_search_locations
    path = Path(spec.submodule_search_locations[0], "vegalite", "v6", "schema")
    definitions = json.loads((path / "vega-lite-schema.json").read_text())["definitions"]
    kinds = ("SequentialSingleHue", "SequentialMultiHue", "Diverging", "Cyclical", "Categorical")
    assert {name for kind in kinds for name in definitions[kind]["enum"]} == VEGA_SCHEMES
