"""Options: both spellings, defaults, and every error message in full."""

from __future__ import annotations

import re

import pytest

import tfvis
from tfvis import DataError, ExportError, OptionError, TfvisError, render

POINTS = [{"x": 1, "y": 20}, {"x": 2, "y": 30}]


def raises(kind: type[Exception], message: str) -> pytest.RaisesContext[Exception]:
    """Assert the whole message, not a fragment of it."""
    return pytest.raises(kind, match="^" + re.escape(message) + "$")


def test_public_surface_is_exactly_the_documented_one() -> None:
    assert sorted(tfvis.__all__) == sorted(
        [
            "Chart",
            "DataError",
            "DownsampleWarning",
            "ExportError",
            "MissingGlyphWarning",
            "OptionError",
            "SavedFile",
            "Surface",
            "TfvisError",
            "Visor",
            "downsample",
            "errors",
            "get_display",
            "hconcat",
            "register_font_directory",
            "render",
            "set_display",
            "vconcat",
            # issue #12
            "Table",
            "metrics",
            "show",
            "visor",
            # issue #13
            "internals",
        ]
    )
    assert sorted(render.__all__) == sorted(
        [
            "barchart",
            "heatmap",
            "histogram",
            "linechart",
            "scatterplot",
            # issue #12
            "confusionMatrix",
            "confusion_matrix",
            "table",
            # issue #13
            "image",
        ]
    )
    from tfvis import metrics, show

    assert sorted(metrics.__all__) == [
        "MAX_CLASSES",
        "accuracy",
        "confusionMatrix",
        "confusion_matrix",
        "perClassAccuracy",
        "per_class_accuracy",
    ]
    public_show = {name for name in vars(show) if not name.startswith("_")}
    assert {
        "layer",
        "modelSummary",
        "model_summary",
        "perClassAccuracy",
        "per_class_accuracy",
        "valuesDistribution",
        "values_distribution",
        # issue #13
        "activations",
        "cam",
        "maxActivation",
        "max_activation",
    } <= public_show


def test_error_tree() -> None:
    assert issubclass(DataError, TfvisError) and issubclass(DataError, ValueError)
    assert issubclass(OptionError, TfvisError) and issubclass(OptionError, ValueError)
    assert issubclass(ExportError, TfvisError) and issubclass(ExportError, RuntimeError)
    assert issubclass(tfvis.DownsampleWarning, UserWarning)


def test_camel_case_snake_case_and_keywords_build_the_same_spec() -> None:
    a = render.linechart({"values": POINTS}, {"xLabel": "Time", "fontSize": 14, "zoomToFit": True})
    b = render.linechart(
        {"values": POINTS}, {"x_label": "Time", "font_size": 14, "zoom_to_fit": True}
    )
    c = render.linechart({"values": POINTS}, x_label="Time", fontSize=14, zoom_to_fit=True)
    assert a.to_dict() == b.to_dict() == c.to_dict()
    assert a.to_dict()["config"]["axis"] == {"labelFontSize": 14, "titleFontSize": 14}


def test_defaults_follow_tfjs_vis() -> None:
    line = render.linechart({"values": POINTS}).to_dict()
    assert (line["width"], line["height"]) == (400, 200)
    assert line["config"]["axis"]["labelFontSize"] == 11
    assert line["layer"][0]["encoding"]["x"]["title"] == "x"
    bars = render.barchart([{"index": "a", "value": 1}]).to_dict()
    assert bars["mark"]["color"] == "#4C78A0"
    assert bars["encoding"]["x"]["axis"]["title"] == ""
    hist = render.histogram([1, 2, 3]).to_dict()
    assert hist["mark"]["color"] == "#001B44"
    heat = render.heatmap([[1, 2], [3, 4]]).to_dict()
    assert heat["config"]["axis"]["labelFontSize"] == 12
    assert heat["encoding"]["fill"]["scale"]["scheme"] == "viridis"


def test_unknown_option_suggests_the_closest_name() -> None:
    with raises(OptionError, "Unknown option 'xlabel' for linechart. Did you mean 'xLabel'?"):
        render.linechart({"values": POINTS}, {"xlabel": "t"})
    with raises(OptionError, "Unknown option 'max_bin' for histogram. Did you mean 'max_bins'?"):
        render.histogram([1, 2], max_bin=3)
    with raises(OptionError, "Unknown option 'colourmap' for heatmap. Did you mean 'colorMap'?"):
        render.heatmap([[1]], colourmap="blues")


def test_unknown_option_without_a_close_match_lists_the_known_ones() -> None:
    with raises(
        OptionError,
        "Unknown option 'banana' for barchart. Known options: color, fontSize, height, subtitle, "
        "title, width, xLabel, xType, yLabel, yType",
    ):
        render.barchart([{"index": "a", "value": 1}], banana=1)


def test_an_option_given_twice_is_an_error() -> None:
    with raises(
        OptionError, "Option 'x_label' of linechart was given twice (as 'xLabel' and 'x_label')"
    ):
        render.linechart({"values": POINTS}, {"xLabel": "a", "x_label": "b"})
    with raises(
        OptionError, "Option 'width' of linechart was given twice (as 'width' and 'width')"
    ):
        render.linechart({"values": POINTS}, {"width": 300}, width=400)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"width": -1}, "Option 'width' must be a positive finite number, got -1 (int)"),
        ({"width": "400"}, "Option 'width' must be a positive finite number, got '400' (str)"),
        (
            {"height": float("nan")},
            "Option 'height' must be a positive finite number, got nan (float)",
        ),
        ({"xLabel": 5}, "Option 'xLabel' must be a string, got 5 (int)"),
        ({"zoomToFit": "yes"}, "Option 'zoomToFit' must be True or False, got 'yes' (str)"),
        (
            {"xType": "linear"},
            "Option 'xType' must be one of 'quantitative', 'ordinal', 'nominal', 'temporal', "
            "got 'linear' (str)",
        ),
        (
            {"yAxisDomain": [5, 1]},
            "Option 'yAxisDomain' must be a [min, max] pair of finite numbers with min < max, "
            "got [5, 1] (list)",
        ),
        (
            {"seriesColors": "red"},
            "Option 'seriesColors' must be a list of CSS colour strings, got 'red' (str)",
        ),
        ({"maxPoints": 2}, "Option 'maxPoints' must be an integer >= 3 or None, got 2 (int)"),
        (
            {"downsample": "fast"},
            "Option 'downsample' must be False, None or one of 'minmax_lttb', 'lttb', 'm4', "
            "'minmax', 'stride', got 'fast' (str)",
        ),
    ],
)
def test_linechart_option_type_errors(options: dict[str, object], message: str) -> None:
    with raises(OptionError, message):
        render.linechart({"values": POINTS}, options)


def test_other_chart_option_type_errors() -> None:
    with raises(OptionError, "Option 'maxBins' must be a positive integer, got 0 (int)"):
        render.histogram([1, 2], {"maxBins": 0})
    with raises(
        OptionError,
        "Option 'stats' must be False, None or a mapping of row names to values, got 'no' (str)",
    ):
        render.histogram([1, 2], stats="no")
    with raises(OptionError, "Option 'rowMajor' must be True or False, got 1 (int)"):
        render.heatmap([[1]], rowMajor=1)
    with raises(
        OptionError,
        "Option 'colorMap' must be 'viridis', 'blues', 'greyscale' or a Vega scheme name, "
        "got 'jet'",
    ):
        render.heatmap([[1]], colorMap="jet")
    with raises(
        OptionError, "Option 'color' must be a CSS colour string or a list of them, got 3 (int)"
    ):
        render.barchart([{"index": "a", "value": 1}], color=3)
    with raises(OptionError, "Option 'color' as a list must have one colour per bar (2), got 1"):
        render.barchart([{"index": "a", "value": 1}, {"index": "b", "value": 2}], color=["red"])
    with raises(
        OptionError,
        "Option 'xType' of barchart must be 'ordinal' or 'nominal' (one band per index), "
        "got 'quantitative'",
    ):
        render.barchart([{"index": 1, "value": 1}], xType="quantitative")
    with raises(
        OptionError,
        "Option 'yType' of heatmap must be 'ordinal' or 'nominal' (one band per row or "
        "column), got 'temporal'",
    ):
        render.heatmap([[1]], yType="temporal")


def test_options_must_be_a_mapping() -> None:
    with raises(
        OptionError, "Options of linechart must be a mapping such as {'width': 400}, got 400 (int)"
    ):
        render.linechart({"values": POINTS}, 400)


def test_series_colors_must_match_the_series() -> None:
    with raises(OptionError, "Must have an equal number of series colors as there are data series"):
        render.linechart({"values": [POINTS, POINTS], "series": ["a", "b"]}, seriesColors=["red"])
    with raises(OptionError, "Must have an equal number of series colors as there are data series"):
        render.scatterplot({"values": POINTS}, seriesColors=["red", "blue"])


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: render.linechart({"values": [POINTS, POINTS], "series": ["only one"]}),
            "Must have an equal number of series labels as there are data series",
        ),
        (
            lambda: render.heatmap({"values": [[1, 2, 3]] * 4, "xTickLabels": ["a"]}),
            "Length of xTickLabels (1) must match number of rows (4)",
        ),
        (
            lambda: render.heatmap({"values": [[1, 2, 3]] * 4, "yTickLabels": ["a"]}),
            "Length of yTickLabels (1) must match number of columns (3)",
        ),
        (
            lambda: render.heatmap({"values": [1, 2, 3]}),
            "Input to renderHeatmap must be a 2d array or Tensor2d",
        ),
        (
            lambda: render.heatmap({"values": [[1, 2], [3]]}),
            "Input to renderHeatmap must be a 2d array or Tensor2d; rows have different "
            "lengths [1, 2]",
        ),
        (
            lambda: render.heatmap({"values": __import__("numpy").zeros((2, 2, 2))}),
            "Input to renderHeatmap must be a 2d array or Tensor2d, got shape (2, 2, 2)",
        ),
        (
            lambda: render.heatmap({"values": [[1, "a"]]}),
            "values[0][1] must be a number, got 'a' (str)",
        ),
        (
            lambda: render.histogram("12345"),
            "input data must be an array: a list of numbers, a list of {value} dicts, an array "
            "or a tensor, got '12345' (str)",
        ),
        (
            lambda: render.histogram([{"value": 1}, {"x": 2}]),
            "input data must have a value field: data[1] is {'x': 2} (dict)",
        ),
        (
            lambda: render.histogram([1, 2, "three"]),
            "data[2] must be a number, got 'three' (str)",
        ),
        (
            lambda: render.linechart({"values": [{"x": 1, "y": 2}, {"x": 2, "y": "high"}]}),
            "values[1].y must be a number, got 'high' (str)",
        ),
        (
            lambda: render.linechart({"values": [{"x": 1, "y": 2}, {"x": 2}]}),
            "values[1] must be a dict with 'x' and 'y', got {'x': 2} (dict)",
        ),
        (
            lambda: render.linechart({"values": [POINTS, [{"x": 1, "y": [1]}]]}),
            "values[1][0].y must be a number, got [1] (list)",
        ),
        (
            lambda: render.linechart({"valuse": POINTS}),
            "data of linechart must be a dict with a 'values' key and optionally a 'series' "
            "key, got keys ['valuse']",
        ),
        (
            lambda: render.scatterplot({"values": [POINTS, POINTS], "series": ["a", "a"]}),
            "series names must be unique, 'a' appears more than once",
        ),
        (
            lambda: render.barchart([{"index": "a", "value": 1}, {"value": 2}]),
            "data[1] must be a dict with 'index' and 'value', got {'value': 2} (dict)",
        ),
        (
            lambda: render.barchart([{"index": "a", "value": "x"}]),
            "data[0].value must be a number, got 'x' (str)",
        ),
    ],
)
def test_data_errors_name_the_argument_and_the_value(call: object, message: str) -> None:
    with raises(DataError, message):
        call()  # type: ignore[operator]


def test_unknown_output_suffix_is_an_export_error(tmp_path: object) -> None:
    chart = render.barchart([{"index": "a", "value": 1}])
    target = tmp_path / "chart.gif"  # type: ignore[operator]
    with raises(
        ExportError,
        f"Cannot save chart to {str(target)!r}: unknown suffix '.gif'; expected one of "
        ".html, .json, .pdf, .png, .svg",
    ):
        chart.save(target)
    assert not target.exists()
