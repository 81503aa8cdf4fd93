"""Every accepted input form draws what the plain-list (tfjs-vis) form draws.

numpy arrays of several dtypes, pandas objects, dates, torch tensors and duck-typed
arrays; gaps for missing values; any string as a series name; the tfjs-vis
container-first call; and Python keyword options.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
import textwrap

import numpy as np
import pandas as pd
import pytest

from conftest import aria_labels, svg_texts
from test_tfjs_vis_port import (
    interactive_svg,
    legend_entries,
    line_runs,
    marks,
    rows_of,
    same_drawing,
    svg,
    tick_labels,
)
from tfvis import OptionError, render

try:
    import torch
except ImportError:  # torch is optional: only its cases skip
    torch = None

needs_torch = pytest.mark.skipif(torch is None, reason="torch is not installed")

Y = [1.0, 2.5, -3.0, 4.0, 0.0]  # exact in float32, bfloat16 and as integers below
Y_INT = [1, 2, -3, 4, 0]
Y_UINT = [1, 2, 3, 4, 0]
Y_BOOL = [True, False, True, True, False]


def points(ys, xs=None):
    xs = range(len(ys)) if xs is None else xs
    return [{"x": x, "y": y} for x, y in zip(xs, ys, strict=True)]


def assert_same_drawing(chart, reference):
    """Same spec (a stronger claim than the same picture), and it draws."""
    assert chart.to_dict() == reference.to_dict()
    assert same_drawing(svg(chart)) == same_drawing(svg(reference))


class ArrayDuck:
    """Anything with ``__array__`` (JAX, CuPy on the host, xarray ...)."""

    def __init__(self, values):
        self.values = values

    def __array__(self, dtype=None, copy=None):
        return np.asarray(self.values, dtype=dtype)


class NumpyDuck:
    """Anything with ``.numpy()`` (TensorFlow eager tensors ...)."""

    def __init__(self, values):
        self.values = values

    def numpy(self):
        return np.asarray(self.values)


def strict_json(text: str) -> object:
    def refuse(token):
        raise AssertionError(f"{token} in strict JSON output")

    return json.loads(text, parse_constant=refuse)


# ============================================================================ 1-D y values


@pytest.mark.parametrize(
    ("make", "plain"),
    [
        pytest.param(lambda: np.array(Y, dtype=np.float32), Y, id="float32"),
        pytest.param(lambda: np.array(Y, dtype=np.float64), Y, id="float64"),
        pytest.param(lambda: np.array(Y_INT, dtype=np.int8), Y_INT, id="int8"),
        pytest.param(lambda: np.array(Y_UINT, dtype=np.uint64), Y_UINT, id="uint64"),
        pytest.param(lambda: np.array(Y_BOOL), [1, 0, 1, 1, 0], id="bool"),
        pytest.param(lambda: pd.Series(Y), Y, id="pd.Series"),
        pytest.param(lambda: torch.tensor(Y), Y, id="torch", marks=needs_torch),
        pytest.param(
            lambda: torch.tensor(Y, requires_grad=True),
            Y,
            id="torch-requires-grad",
            marks=needs_torch,
        ),
        pytest.param(
            lambda: torch.tensor(Y, dtype=torch.bfloat16), Y, id="torch-bfloat16", marks=needs_torch
        ),
        pytest.param(
            lambda: torch.tensor(Y_INT, dtype=torch.int8), Y_INT, id="torch-int8", marks=needs_torch
        ),
        pytest.param(lambda: ArrayDuck(Y), Y, id="__array__"),
        pytest.param(lambda: NumpyDuck(Y), Y, id=".numpy()"),
    ],
)
@pytest.mark.parametrize("chart", ["linechart", "histogram", "barchart"])
def test_one_dimensional_forms_draw_like_lists(chart, make, plain):
    # (scatterplot reads its data with the linechart's code; see the pandas tests)
    draw = getattr(render, chart)
    if chart == "linechart":
        reference = draw({"values": points(plain)})
        assert_same_drawing(draw({"values": make()}), reference)
        assert draw(make()).to_dict() == reference.to_dict()  # without the wrapper dict
    elif chart == "histogram":
        reference = draw(plain)
        assert_same_drawing(draw(make()), reference)
        assert draw(make()).stats == reference.stats
    else:
        reference = draw([{"index": i, "value": v} for i, v in enumerate(plain)])
        assert_same_drawing(draw(make()), reference)


@needs_torch
def test_histogram_flattens_any_shape():
    matrix = [[1.0, 2.5], [-3.0, 4.0]]
    reference = render.histogram([1.0, 2.5, -3.0, 4.0])
    for form in (
        np.array(matrix, dtype=np.float32),
        torch.tensor(matrix, requires_grad=True),
        pd.DataFrame(matrix),
    ):
        assert_same_drawing(render.histogram(form), reference)


@needs_torch
def test_several_series_as_arrays_and_tensors():
    reference = render.linechart({"values": [points(Y), points(Y_INT)], "series": ["float", "int"]})
    forms = [
        [np.array(Y, dtype=np.float32), np.array(Y_INT, dtype=np.int8)],
        [torch.tensor(Y), torch.tensor(Y_INT)],
        [ArrayDuck(Y), NumpyDuck(Y_INT)],
    ]
    for values in forms:
        chart = render.linechart({"values": values, "series": ["float", "int"]})
        assert_same_drawing(chart, reference)


# ============================================================================ pandas


def test_pandas_series_index_is_x_and_name_is_the_series():
    index = [10, 20, 40, 50, 70]
    reference = render.linechart({"values": points(Y, index), "series": ["loss"]})
    chart = render.linechart(pd.Series(Y, index=index, name="loss"))
    assert_same_drawing(chart, reference)
    assert legend_entries(svg(chart)) == ["loss"]
    unnamed = render.linechart(pd.Series(Y, index=index))
    assert legend_entries(svg(unnamed)) == ["Series 1"]


def test_pandas_dataframe_one_series_per_column():
    index = [0.5, 1.5, 2.5, 3.5, 4.5]
    frame = pd.DataFrame({"train": Y, "val": Y_INT, 3: Y_UINT}, index=index)
    values = [points(Y, index), points(Y_INT, index), points(Y_UINT, index)]
    names = ["train", "val", "3"]
    for draw in (render.linechart, render.scatterplot):
        reference = draw({"values": values, "series": names})
        assert_same_drawing(draw(frame), reference)
        assert draw({"values": frame}).to_dict() == reference.to_dict()
        assert legend_entries(svg(reference)) == names


def test_pandas_series_as_bars():
    reference = render.barchart([{"index": "foo", "value": 1}, {"index": 3, "value": 7}])
    assert_same_drawing(render.barchart(pd.Series([1, 7], index=["foo", 3])), reference)
    assert_same_drawing(render.barchart({"foo": 1, 3: 7}), reference)
    assert tick_labels(svg(reference), "X") == ["foo", "3"]


# ============================================================================ heatmap matrices

MATRIX = [[1, 0, 0], [0, 3, 7], [2, 7, 3], [5, 0, 1]]  # 4 x 3, not symmetric


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: np.array(MATRIX, dtype=np.float32), id="float32"),
        pytest.param(lambda: np.array(MATRIX, dtype=np.int8), id="int8"),
        pytest.param(lambda: np.array(MATRIX, dtype=np.uint64), id="uint64"),
        pytest.param(lambda: pd.DataFrame(MATRIX).T, id="DataFrame, transposed"),
        pytest.param(lambda: torch.tensor(MATRIX), id="torch", marks=needs_torch),
        pytest.param(
            lambda: torch.tensor(MATRIX, dtype=torch.float32, requires_grad=True),
            id="torch-requires-grad",
            marks=needs_torch,
        ),
        pytest.param(
            lambda: torch.tensor(MATRIX, dtype=torch.bfloat16),
            id="torch-bfloat16",
            marks=needs_torch,
        ),
        pytest.param(lambda: ArrayDuck(MATRIX), id="__array__"),
        pytest.param(lambda: NumpyDuck(MATRIX), id=".numpy()"),
    ],
)
def test_heatmap_matrix_forms_draw_like_lists(make):
    reference = render.heatmap({"values": MATRIX, "xTickLabels": list("abcd")})
    assert_same_drawing(render.heatmap({"values": make(), "xTickLabels": list("abcd")}), reference)
    assert render.heatmap(make()).to_dict() == render.heatmap(MATRIX).to_dict()


def test_a_dataframe_heatmap_is_drawn_as_it_prints():
    """Rows down the y axis, columns along x: what pandas and seaborn users mean."""
    frame = pd.DataFrame(MATRIX, index=list("pqrs"), columns=list("xyz"))
    as_rows = render.heatmap(
        {"values": MATRIX, "xTickLabels": list("xyz"), "yTickLabels": list("pqrs")},
        rowMajor=True,
    )
    assert render.heatmap(frame).to_dict() == as_rows.to_dict()
    assert render.heatmap(frame, rowMajor=True).to_dict() == as_rows.to_dict()


def test_heatmap_bool_matrix():
    flags = [[True, False], [False, True]]
    assert_same_drawing(render.heatmap(np.array(flags)), render.heatmap([[1, 0], [0, 1]]))


def test_heatmap_tick_label_keys_in_snake_case():
    camel = render.heatmap(
        {"values": MATRIX, "xTickLabels": list("abcd"), "yTickLabels": list("xyz")}
    )
    snake = render.heatmap(
        {"values": MATRIX, "x_tick_labels": list("abcd"), "y_tick_labels": list("xyz")}
    )
    assert snake.to_dict() == camel.to_dict()


# ============================================================================ dates

DAYS_UTC = ["2024-03-09 00:00", "2024-03-10 00:00", "2024-03-11 00:00", "2024-03-12 00:00"]


def test_datetime_x_is_a_utc_time_scale():
    naive = pd.Series([1, 2, 3, 4], index=pd.DatetimeIndex(DAYS_UTC), name="t")
    chart = render.linechart(naive)
    x = chart.to_dict()["layer"][0]["encoding"]["x"]
    assert x["type"] == "temporal"
    assert x["scale"]["type"] == "utc"
    epoch_ms = [int(pd.Timestamp(d, tz="UTC").timestamp() * 1000) for d in DAYS_UTC]
    assert [r["x"] for r in rows_of(chart.to_dict(), 0)] == epoch_ms
    drawing = svg(chart)
    assert (
        "X-axis titled 'x' for a utc scale with values from Saturday, 09 March 2024, "
        "12:00:00 AM UTC to Tuesday, 12 March 2024, 12:00:00 AM UTC"
    ) in aria_labels(drawing)
    assert "Sat 09" in svg_texts(drawing)


@pytest.mark.parametrize(
    "x_values",
    [
        [np.datetime64(d.replace(" ", "T")) for d in DAYS_UTC],
        [dt.datetime.fromisoformat(d) for d in DAYS_UTC],
        [dt.datetime.fromisoformat(d).replace(tzinfo=dt.timezone.utc) for d in DAYS_UTC],
        [pd.Timestamp(d, tz="UTC").tz_convert("Asia/Tokyo") for d in DAYS_UTC],
        [pd.Timestamp(d, tz="UTC").tz_convert("America/New_York") for d in DAYS_UTC],
    ],
    ids=["datetime64", "naive-datetime", "utc-datetime", "Timestamp-Tokyo", "Timestamp-New-York"],
)
def test_date_forms_draw_the_same_instants(x_values):
    reference = render.linechart(pd.Series([1, 2, 3, 4], index=pd.DatetimeIndex(DAYS_UTC)))
    chart = render.linechart({"values": points([1, 2, 3, 4], x_values)})
    assert_same_drawing(chart, reference)


def test_tz_aware_index():
    tokyo = pd.DatetimeIndex(DAYS_UTC, tz="UTC").tz_convert("Asia/Tokyo")
    reference = render.scatterplot(pd.Series([1, 2, 3, 4], index=pd.DatetimeIndex(DAYS_UTC)))
    assert_same_drawing(render.scatterplot(pd.Series([1, 2, 3, 4], index=tokyo)), reference)


_TZ_SCRIPT = textwrap.dedent(
    """
    import hashlib, json, sys, time
    import pandas as pd
    from tfvis import render
    days = pd.DatetimeIndex(sys.argv[1:])
    tokyo = days.tz_localize("UTC").tz_convert("Asia/Tokyo")
    naive = render.linechart(pd.Series([1, 2, 3, 4], index=days, name="t"))
    aware = render.linechart(pd.Series([1, 2, 3, 4], index=tokyo, name="t"))
    print(json.dumps({
        "zone": time.strftime("%Z"),
        "svg": naive.to_svg(),
        "aware_svg": aware.to_svg(),
        "png": hashlib.sha256(naive.to_png()).hexdigest(),
    }))
    """
)


def test_pictures_do_not_depend_on_the_machine_time_zone():
    runs = {}
    procs = {
        zone: subprocess.Popen(
            [sys.executable, "-c", _TZ_SCRIPT, *DAYS_UTC],
            env={**os.environ, "TZ": zone},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for zone in ("America/New_York", "Asia/Tokyo")
    }
    for zone, proc in procs.items():
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        runs[zone] = json.loads(out)
    new_york, tokyo = runs["America/New_York"], runs["Asia/Tokyo"]
    assert new_york["zone"] != tokyo["zone"]  # the zones really differ
    assert same_drawing(new_york["svg"]) == same_drawing(tokyo["svg"])
    assert same_drawing(new_york["aware_svg"]) == same_drawing(new_york["svg"])
    assert new_york["png"] == tokyo["png"]
    # and the same as here, whatever this machine's zone is
    here = render.linechart(pd.Series([1, 2, 3, 4], index=pd.DatetimeIndex(DAYS_UTC), name="t"))
    assert same_drawing(svg(here)) == same_drawing(tokyo["svg"])


# ============================================================================ gaps and strict JSON


def test_none_and_nan_y_leave_a_gap():
    with_none = render.linechart({"values": points([1, 2, None, 4, 5])})
    with_nan = render.linechart(np.array([1, 2, np.nan, 4, 5]))
    with_inf = render.linechart({"values": points([1, 2, float("inf"), 4, 5])})
    for chart in (with_none, with_nan, with_inf):
        text = chart.to_json()
        strict_json(text)
        assert not re.search(r"\b(NaN|-?Infinity)\b", text)
        (line,) = marks(svg(chart), "line mark")
        assert [len(run) for run in line_runs(line)] == [2, 2]
    assert_same_drawing(with_nan, with_none)
    assert_same_drawing(with_inf, with_none)


@needs_torch
def test_nan_in_torch_and_pandas_leaves_a_gap():
    reference = render.linechart({"values": points([1, 2, None, 4, 5])})
    assert_same_drawing(render.linechart(torch.tensor([1, 2, float("nan"), 4, 5])), reference)
    assert_same_drawing(render.linechart(pd.Series([1, 2, None, 4, 5])), reference)


def test_missing_values_in_other_charts_are_not_drawn():
    scatter = render.scatterplot({"values": points([1, None, float("nan"), 4])})
    assert len(marks(svg(scatter), "point")) == 2
    bars = render.barchart([{"index": "a", "value": 1}, {"index": "b", "value": None}])
    assert len(marks(svg(bars), "bar")) == 1
    assert tick_labels(svg(bars), "X") == ["a", "b"]
    heat = render.heatmap(np.array([[1, np.nan], [np.inf, 4]]))
    assert len(marks(svg(heat), "rect mark")) == 2
    hist = render.histogram([1, np.nan, np.inf, -np.inf, 2])
    for chart in (scatter, bars, heat, hist):
        strict_json(chart.to_json())
    assert sum(r["count"] for r in rows_of(hist.to_dict())) == 2


# ============================================================================ series names

ODD_NAMES = ["a.b", "it's", "x[0]", 'q"d', "</script>"]


def test_any_string_is_a_series_name():
    values = [points([i, i + 1, i + 2]) for i in range(len(ODD_NAMES))]
    line = render.linechart({"values": values, "series": ODD_NAMES})
    drawing = svg(line)
    assert len(marks(drawing, "line mark")) == 5
    assert legend_entries(drawing) == ODD_NAMES
    assert f"Symbol legend for stroke color with 5 values: {', '.join(ODD_NAMES)}" in aria_labels(
        drawing
    )
    hover = aria_labels(interactive_svg(line))  # the hover tooltip names every series
    assert "x: 1; a.b: 1; it's: 2; x[0]: 3; q\"d: 4; </script>: 5" in hover
    scatter = render.scatterplot({"values": values, "series": ODD_NAMES})
    assert legend_entries(svg(scatter)) == ODD_NAMES
    assert len(marks(svg(scatter), "point")) == 15


def test_any_string_is_a_bar_or_tick_label():
    bars = render.barchart([{"index": name, "value": i + 1} for i, name in enumerate(ODD_NAMES)])
    assert tick_labels(svg(bars), "X") == ODD_NAMES
    heat = render.heatmap(
        {"values": np.eye(5), "xTickLabels": ODD_NAMES, "yTickLabels": ODD_NAMES[::-1]}
    )
    assert tick_labels(svg(heat), "X") == ODD_NAMES
    assert tick_labels(svg(heat), "Y") == ODD_NAMES[::-1]


# ============================================================================ container first


@pytest.mark.parametrize("suffix", [".png", ".svg", ".json", ".pdf"])
def test_container_first_saves_the_file(tmp_path, suffix):
    # (.html goes through the same save(); the HTML page itself is tested in test_chart.py)
    target = tmp_path / f"x{suffix}"
    chart = render.linechart(target, {"values": points(Y)}, {"width": 300})
    assert chart.to_dict()["width"] == 300
    content = target.read_bytes()
    if suffix == ".png":
        assert content[:8] == b"\x89PNG\r\n\x1a\n"
        assert int.from_bytes(content[16:20], "big") == 300
    elif suffix == ".svg":
        assert same_drawing(content.decode()) == same_drawing(svg(chart))
    elif suffix == ".json":
        assert strict_json(content.decode()) == chart.to_dict()
    else:
        assert content[:5] == b"%PDF-"
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]


def test_container_first_accepts_a_str_path_and_keywords(tmp_path):
    target = tmp_path / "bars.svg"
    chart = render.barchart(str(target), [{"index": "a", "value": 1}], y_label="Count")
    assert same_drawing(target.read_text()) == same_drawing(svg(chart))
    assert chart.to_dict()["encoding"]["y"]["axis"]["title"] == "Count"


# ============================================================================ option spellings

OPTION_CASES = {
    "linechart": (
        {"values": [points(Y), points(Y_INT)], "series": ["a", "b"]},
        {
            "xLabel": "Time",
            "yLabel": "Loss",
            "fontSize": 13,
            "zoomToFit": True,
            "seriesColors": ["#111111", "#222222"],
            "xAxisDomain": [0, 9],
            "width": 300,
            "height": 150,
        },
    ),
    "scatterplot": (
        {"values": [points(Y), points(Y_INT)]},
        {"xLabel": "a", "yLabel": "b", "yAxisDomain": [-5, 5], "seriesColors": ["red", "blue"]},
    ),
    "barchart": (
        [{"index": "a", "value": 1}, {"index": "b", "value": 2}],
        {"xLabel": "a", "yLabel": "b", "color": ["red", "blue"], "fontSize": 9},
    ),
    "histogram": (Y, {"maxBins": 3, "color": "#123456", "fontSize": 9, "stats": False}),
    "heatmap": (
        MATRIX,
        {"colorMap": "blues", "rowMajor": True, "xLabel": "a", "domain": [0, 9], "fontSize": 9},
    ),
}


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


@pytest.mark.parametrize("chart", list(OPTION_CASES))
def test_camel_case_snake_case_and_keywords_give_identical_specs(chart):
    draw = getattr(render, chart)
    data, opts = OPTION_CASES[chart]
    camel = draw(data, opts).to_dict()
    default = draw(data).to_dict()
    assert camel != default  # the options do something
    assert draw(data, {snake(k): v for k, v in opts.items()}).to_dict() == camel
    assert draw(data, **opts).to_dict() == camel
    assert draw(data, **{snake(k): v for k, v in opts.items()}).to_dict() == camel
    first, *rest = opts.items()
    assert draw(data, dict([first]), **dict(rest)).to_dict() == camel


def test_x_label_keyword_equals_x_label_option():
    data = {"values": points(Y)}
    chart = render.linechart(data, x_label="Epoch")
    assert chart.to_dict() == render.linechart(data, {"xLabel": "Epoch"}).to_dict()
    assert chart.to_dict()["layer"][0]["encoding"]["x"]["title"] == "Epoch"


def test_option_given_twice():
    with pytest.raises(
        OptionError,
        match=re.escape("Option 'x_label' of linechart was given twice (as 'xLabel' and 'x_label')")
        + "$",
    ):
        render.linechart({"values": points(Y)}, {"xLabel": "a"}, x_label="b")


def test_unknown_option_has_a_hint():
    with pytest.raises(
        OptionError,
        match=re.escape("Unknown option 'maxbins' for histogram. Did you mean 'maxBins'?") + "$",
    ):
        render.histogram(Y, maxbins=3)


# ============================================================================ snapshots

SNAPSHOT_CASES = {
    "barchart array": (render.barchart, lambda: np.array([1.0, 2.0, 3.0])),
    "barchart Series": (render.barchart, lambda: pd.Series([1.0, 2.0], index=["a", "b"])),
    "heatmap array": (render.heatmap, lambda: np.ones((3, 4))),
    "heatmap rowMajor": (lambda m: render.heatmap(m, rowMajor=True), lambda: np.ones((3, 4))),
    "linechart array": (render.linechart, lambda: np.array([1.0, 5.0, 2.0])),
    "scatterplot array": (render.scatterplot, lambda: np.array([1.0, 5.0, 2.0])),
    "histogram array": (render.histogram, lambda: np.array([1.0, 5.0, 2.0])),
}


@pytest.mark.parametrize("case", list(SNAPSHOT_CASES))
def test_a_chart_is_a_snapshot_of_its_data(case):
    """Changing the array after the call (reusing it across training steps) must not
    change a chart already made, whatever output is asked for first."""
    draw, make = SNAPSHOT_CASES[case]
    data = make()
    chart = draw(data)
    data[...] = 7  # every element, in place
    assert chart.to_dict() == draw(make()).to_dict()
