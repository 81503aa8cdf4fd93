"""``render.confusion_matrix``: orientation, colours, readable text, normalising, big matrices.

What is drawn is read from vl-convert's SVG: every cell is a rect path with its fill,
every number a text element with its fill and position.
"""

from __future__ import annotations

import json
import re
import time
import warnings
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest

import tfvis
from tfvis import DataError, DownsampleWarning, OptionError, metrics, render

MATRIX = [[4, 2, 8], [1, 7, 2], [3, 3, 20]]
FRUIT = ["cheese", "pig", "font"]
_RECT = re.compile(r"^M(-?[\d.e+-]+),(-?[\d.e+-]+)h(-?[\d.e+-]+)v(-?[\d.e+-]+)")
_TRANSLATE = re.compile(r"translate\((-?[\d.e+-]+),(-?[\d.e+-]+)\)")


def _rgb(fill: str) -> tuple[int, int, int]:
    named = {"white": (255, 255, 255), "black": (0, 0, 0)}
    if fill in named:
        return named[fill]
    if fill.startswith("#"):
        return tuple(int(fill[k : k + 2], 16) for k in (1, 3, 5))  # type: ignore[return-value]
    found = re.match(r"rgb\((\d+), (\d+), (\d+)\)", fill)
    assert found, fill
    return tuple(int(v) for v in found.groups())  # type: ignore[return-value]


def _luminance(rgb: tuple[int, int, int]) -> float:
    channels = [c / 255 for c in rgb]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    """The WCAG contrast ratio of two colours (1 to 21)."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def drawn(svg: str) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """The rect cells (x, y, w, h, fill, aria) and the texts (x, y, fill, text) drawn,
    in picture coordinates (group translations added up)."""
    cells: list[dict[str, object]] = []
    texts: list[dict[str, object]] = []

    def walk(el: ET.Element, dx: float, dy: float) -> None:
        found = _TRANSLATE.search(el.get("transform", ""))
        ox, oy = (float(v) for v in found.groups()) if found else (0.0, 0.0)
        role = el.get("aria-roledescription")
        if role == "rect mark":
            shape = _RECT.match(el.get("d", ""))
            assert shape
            x, y, w, h = (float(v) for v in shape.groups())
            cells.append(
                {
                    "x": dx + x,
                    "y": dy + y,
                    "w": w,
                    "h": h,
                    "fill": el.get("fill"),
                    "aria": el.get("aria-label"),
                }
            )
        elif role == "text mark":
            texts.append(
                {"x": dx + ox, "y": dy + oy, "fill": el.get("fill"), "text": "".join(el.itertext())}
            )
        for child in el:
            walk(child, dx + ox, dy + oy)

    walk(ET.fromstring(svg), 0.0, 0.0)
    return cells, texts


def cell_under(cells: list[dict[str, object]], text: dict[str, object]) -> dict[str, object]:
    for cell in cells:
        if (
            cell["x"] <= text["x"] <= cell["x"] + cell["w"]
            and cell["y"] <= text["y"] <= cell["y"] + cell["h"]
        ):  # type: ignore[operator]
            return cell
    raise AssertionError(f"no cell under {text}")


def grid(cells: list[dict[str, object]]) -> dict[tuple[int, int], dict[str, object]]:
    """(row from the top, column from the left) -> cell."""
    xs = sorted({round(c["x"], 2) for c in cells})  # type: ignore[call-overload]
    ys = sorted({round(c["y"], 2) for c in cells})  # type: ignore[call-overload]
    return {(ys.index(round(c["y"], 2)), xs.index(round(c["x"], 2))): c for c in cells}  # type: ignore[call-overload]


def test_rows_are_true_labels_and_columns_predictions() -> None:
    chart = render.confusion_matrix({"values": MATRIX, "tickLabels": FRUIT})
    cells, texts = drawn(chart.to_svg())
    by_position = grid(cells)
    assert len(by_position) == 9
    for i, row in enumerate(MATRIX):
        for j, count in enumerate(row):
            # values[i][j]: true class i (row i from the top), predicted j (column j)
            assert f"count: {count};" in by_position[i, j]["aria"]  # type: ignore[operator]
    assert sorted(t["text"] for t in texts) == sorted(str(v) for row in MATRIX for v in row)
    rows = chart.to_dict()["datasets"]["tfvis_cells"]
    font_pig = next(r for r in rows if (r["y"], r["x"]) == (2, 1))
    assert (font_pig["yl"], font_pig["xl"], font_pig["count"]) == ("font", "pig", 3)
    assert font_pig["share"] == pytest.approx(3 / 26, abs=1e-6)  # six decimals
    spec = chart.to_dict()
    assert spec["height"] == 400
    assert spec["layer"][0]["encoding"]["fill"]["scale"] == {
        "range": ["#f7fbff", "#4292c6"],
        "domain": [0.0, 20.0],
    }


@pytest.mark.parametrize(
    "color_map", ["blues", "viridis", "greyscale", "magma", ("#ffffff", "#000000")]
)
def test_every_number_is_readable_on_its_cell(color_map: object) -> None:
    values = np.array([[50, 3, 0, 1], [2, 41, 9, 0], [0, 12, 30, 5], [1, 0, 6, 44]])
    cells, texts = drawn(render.confusion_matrix(values, colorMap=color_map).to_svg())
    assert len(texts) == 16
    fills = {t["fill"] for t in texts}
    for text in texts:
        background = _rgb(cell_under(cells, text)["fill"])  # type: ignore[arg-type]
        ink = _rgb(text["fill"])  # type: ignore[arg-type]
        other = (255, 255, 255) if ink == (0, 0, 0) else (0, 0, 0)
        # the ink chosen is the better of black and white on this very cell
        assert contrast(ink, background) >= contrast(other, background), (text, background)
        assert contrast(ink, background) >= 4.5
    if color_map in ("viridis", "greyscale", "magma"):
        assert fills == {"black", "white"}  # dark and light cells both occur


def test_text_colours_survive_composition_with_independent_colour_scales() -> None:
    dark = render.confusion_matrix(np.array([[9, 0], [0, 9]]), colorMap="greyscale")
    light = render.confusion_matrix(np.array([[9, 0], [0, 9]]), colorMap=("#ffffff", "#000000"))
    cells, texts = drawn((dark | light).to_svg())
    for text in texts:
        background = _rgb(cell_under(cells, text)["fill"])  # type: ignore[arg-type]
        assert contrast(_rgb(text["fill"]), background) >= 4.5  # type: ignore[arg-type]


def test_unshaded_diagonal_is_white_and_out_of_the_colour_domain() -> None:
    chart = render.confusion_matrix({"values": MATRIX}, shadeDiagonal=False)
    by_position = grid(drawn(chart.to_svg())[0])
    for k in range(3):
        assert by_position[k, k]["fill"] == "white"
    assert by_position[0, 2]["fill"] == "rgb(66, 146, 198)"  # 8, the largest off the diagonal
    assert chart.to_dict()["layer"][0]["encoding"]["fill"]["scale"]["domain"] == [0.0, 8.0]
    # nothing off the diagonal: the diagonal is shaded after all (tfjs-vis)
    perfect = render.confusion_matrix(np.diag([5, 6, 7]), shadeDiagonal=False)
    by_position = grid(drawn(perfect.to_svg())[0])
    assert by_position[2, 2]["fill"] == "rgb(66, 146, 198)"
    assert by_position[0, 1]["fill"] == "rgb(247, 251, 255)"


def test_normalize_uses_scikit_learn_names_and_never_nan() -> None:
    sklearn_metrics = pytest.importorskip("sklearn.metrics")
    labels = [0, 0, 1, 1, 1, 2, 0]
    predictions = [0, 1, 1, 1, 0, 2, 0]
    counts = metrics.confusion_matrix(labels, predictions, num_classes=4)  # class 3: no samples
    for mode in ("true", "pred", "all"):
        chart = render.confusion_matrix(counts, normalize=mode)
        rows = chart.to_dict()["datasets"]["tfvis_cells"]
        shown = np.zeros((4, 4))
        for r in rows:
            shown[r["y"], r["x"]] = r["shade"]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # scikit-learn warns about the empty class
            expected = sklearn_metrics.confusion_matrix(
                labels, predictions, labels=[0, 1, 2, 3], normalize=mode
            )
        np.testing.assert_allclose(shown, np.nan_to_num(expected), atol=1e-6)  # six decimals
        fill = chart.to_dict()["layer"][0]["encoding"]["fill"]
        assert fill["scale"]["domain"] == [0.0, 1.0]
        assert [t["title"] for t in chart.to_dict()["layer"][0]["encoding"]["tooltip"]] == [
            "label",
            "prediction",
            "count",
            {"true": "% of label", "pred": "% of prediction", "all": "% of all"}[mode],
        ]
    texts = drawn(render.confusion_matrix(counts, normalize="true").to_svg())[1]
    assert "0.67" in {t["text"] for t in texts}


def test_a_dataframe_gives_its_labels() -> None:
    frame = pd.DataFrame(MATRIX, index=["a", "b", "c"], columns=["A", "B", "C"])
    rows = render.confusion_matrix(frame).to_dict()["datasets"]["tfvis_cells"]
    row = next(r for r in rows if (r["y"], r["x"]) == (0, 2))
    assert (row["yl"], row["xl"], row["count"]) == ("a", "C", 8)
    plain = render.confusion_matrix(pd.DataFrame(MATRIX)).to_dict()["datasets"]["tfvis_cells"]
    assert plain[0]["yl"] == "Class 0"


def test_tensors_and_the_usual_two_lines() -> None:
    torch = pytest.importorskip("torch")
    chart = render.confusion_matrix(torch.tensor(MATRIX))
    assert chart.to_dict() == render.confusion_matrix(MATRIX).to_dict()
    labels, predictions = [0, 1, 2, 2], [0, 2, 2, 2]
    chart = render.confusion_matrix(metrics.confusion_matrix(labels, predictions))
    assert sorted(t["text"] for t in drawn(chart.to_svg())[1]) == sorted("100001002")


def test_thirty_classes_drop_the_text_and_stand_the_labels_up() -> None:
    counts = np.diag(np.arange(1, 31)) + 1
    spec = render.confusion_matrix(counts).to_dict()
    assert len(spec["layer"]) == 1  # no text layer; the tooltip keeps the numbers
    assert spec["encoding"]["x"]["axis"]["labelAngle"] == -90
    assert spec["encoding"]["y"]["axis"]["labelAngle"] == 0
    # 29 classes keep their numbers where the cells have room for them
    small = render.confusion_matrix(counts[:29, :29], width=900, height=900).to_dict()
    assert small["layer"][1]["mark"]["type"] == "text"
    assert small["encoding"]["y"]["axis"]["labelAngle"] == 0


def test_a_thousand_classes_draw_small_and_fast() -> None:
    rng = np.random.default_rng(3)
    labels = rng.integers(0, 1000, 200_000)
    predictions = np.where(rng.random(200_000) < 0.8, labels, rng.integers(0, 1000, 200_000))
    counts = metrics.confusion_matrix(labels, predictions, num_classes=1000)
    with pytest.warns(DownsampleWarning, match="1,000-class confusion matrix as 100x100 groups"):
        chart = render.confusion_matrix(counts)
    assert chart.report["aggregate"] == {
        "method": "class_groups",
        "original": [1000, 1000],
        "drawn": [100, 100],
        "block": [10, 10],
    }
    assert len(chart.to_json()) < 5_000_000
    assert chart.cost.total < tfvis._budget.export_limit() / 10
    rows = chart.to_dict()["datasets"]["tfvis_cells"]
    assert sum(r["count"] for r in rows) == 200_000  # groups are sums: nothing is lost
    first = next(r for r in rows if r["x"] == -0.5 and r["y"] == -0.5)
    assert first["yl"] == "Class 0 – Class 9"
    start = time.perf_counter()
    png = chart.to_png()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert time.perf_counter() - start < 30  # seconds, not minutes (timed in benchmarks/)
    # groups without samples are not rects: the view's fill is the colour of 0
    assert len(rows) < 100 * 100
    assert chart.to_dict()["view"] == {"fill": "rgb(247, 251, 255)"}
    # however large the picture, at most 150 x 150 cells
    with pytest.warns(DownsampleWarning, match="as 143x143 groups of 7"):
        wide = render.confusion_matrix(counts, width=3000, height=3000)
    assert len(wide.to_json()) < 5_000_000
    # the PNG draws one image, not the cells
    raster = json.loads(chart._text("raster"))
    assert "tfvis_cells" not in raster["datasets"]


def test_bad_input_is_refused_clearly() -> None:
    with pytest.raises(
        DataError,
        match=re.escape(
            "Input to renderConfusionMatrix must be a 2d array or Tensor2d with one row and "
            "one column per class, got shape (2, 3), which is not square"
        ),
    ):
        render.confusion_matrix([[1, 2, 3], [4, 5, 6]])
    with pytest.raises(
        DataError, match=re.escape("Length of tickLabels (2) must match number of classes (3)")
    ):
        render.confusion_matrix({"values": MATRIX, "tickLabels": ["a", "b"]})
    with pytest.raises(
        DataError,
        match=re.escape(
            "values of confusion_matrix must be finite counts >= 0, got -1.0 at values[0][1]"
        ),
    ):
        render.confusion_matrix([[1, -1], [0, 1]])
    with pytest.raises(
        DataError,
        match=re.escape(
            "Input to renderConfusionMatrix must be a 2d array or Tensor2d with at least one "
            "class, got shape (0, 0)"
        ),
    ):
        render.confusion_matrix(np.zeros((0, 0)))
    with pytest.raises(OptionError, match=r"^Option 'colorMap' must be 'blues', 'greyscale'"):
        render.confusion_matrix(MATRIX, colorMap="nope")
    with pytest.raises(
        OptionError, match=re.escape("Option 'normalize' must be None, 'true', 'pred', 'all'")
    ):
        render.confusion_matrix(MATRIX, normalize="rows")
    with pytest.raises(OptionError, match="Did you mean 'shadeDiagonal'"):
        render.confusion_matrix(MATRIX, {"shadeDiagonals": False})
