"""``show.history`` over every history form of issue #11, checked by what is drawn.

The forms: a real Keras ``History`` and a real ``CSVLogger`` file (Keras 3, torch
backend), tfjs-vis's ``{"history": ...}``, a dict of lists, a list of log dicts, a
DataFrame, Lightning's ``metrics.csv`` (written by a real Lightning ``CSVLogger``) and
a mapping of runs.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import tfvis
from conftest import aria_labels, require, svg_texts
from tfvis import DataError, OptionError, show

LOGS = {
    "loss": [2.0, 1.2, 0.9, 0.8, 0.85],
    "val_loss": [2.2, 1.5, 1.1, 1.15, 1.3],
    "acc": [0.2, 0.5, 0.7, 0.8, 0.82],
    "val_acc": [0.1, 0.4, 0.6, 0.65, 0.62],
}


# ----------------------------------------------------------------------------- helpers


def panels(chart: tfvis.Chart) -> list[dict[str, Any]]:
    """What each panel draws: title, lines by series, colours, y scale, best marks."""
    spec = chart.to_dict()
    views = spec.get("concat", [spec])
    found = []
    for view in views:
        layers = view["layer"]
        lines = [
            layer
            for layer in layers
            if isinstance(layer["mark"], dict)
            and layer["mark"]["type"] == "line"
            and layer["mark"].get("strokeWidth") == 1.8
        ]
        [line] = lines
        rows = spec["datasets"][line["data"]["name"]]
        series: dict[str, list[tuple[float, float]]] = {}
        for row in rows:
            series.setdefault(row["s"], []).append((row["x"], row["y"]))
        color = line["encoding"]["color"]["scale"]
        colors = dict(zip(color["domain"], color["range"], strict=True))
        by_series = {row["s"]: colors[row.get("c", row["s"])] for row in rows}
        best_layers = [
            layer
            for layer in layers
            if isinstance(layer["mark"], dict) and layer["mark"]["type"] == "point"
        ]
        best = spec["datasets"][best_layers[0]["data"]["name"]] if best_layers else []
        raw = [
            layer
            for layer in layers
            if isinstance(layer["mark"], dict) and layer["mark"].get("opacity") == 0.25
        ]
        title = view["title"]["text"]
        found.append(
            {
                "title": title,
                "series": series,
                "colors": by_series,
                "y_scale": line["encoding"]["y"]["scale"],
                "best": best,
                "raw": [spec["datasets"][layer["data"]["name"]] for layer in raw],
                "dash": line["encoding"].get("strokeDash"),
            }
        )
    return found


def ys(panel: dict[str, Any], name: str) -> list[float]:
    return [y for _, y in panel["series"][name]]


def xs(panel: dict[str, Any], name: str) -> list[float]:
    return [x for x, _ in panel["series"][name]]


# ----------------------------------------------------------------------------- forms


def test_dict_of_lists_one_panel_per_group_with_validation_beside_training() -> None:
    drawn = panels(show.history(LOGS))
    assert [p["title"] for p in drawn] == ["loss", "acc"]
    assert list(drawn[0]["series"]) == ["loss", "val_loss"]
    assert ys(drawn[0], "val_loss") == LOGS["val_loss"]
    assert xs(drawn[1], "acc") == [0, 1, 2, 3, 4]  # the epoch, as Keras counts them


@pytest.mark.parametrize(
    "form",
    [
        {"history": LOGS},
        {"history": LOGS, "epoch": [0, 1, 2, 3, 4], "params": {}},
        [dict(zip(LOGS, values, strict=True)) for values in zip(*LOGS.values(), strict=True)],
        pd.DataFrame(LOGS),
        pd.DataFrame({"epoch": range(5), **LOGS}),
    ],
    ids=["tfjs", "tfjs-full", "log-dicts", "frame", "frame-epoch"],
)
def test_every_form_draws_the_same(form: Any) -> None:
    assert panels(show.history(form)) == panels(show.history(LOGS))


def test_val_slash_and_suffix_names_share_the_panel() -> None:
    drawn = panels(
        show.history({"loss": [1.0, 0.5], "val/loss": [1.1, 0.7], "loss_val": [1.2, 0.9]})
    )
    assert len(drawn) == 1
    assert set(drawn[0]["series"]) == {"loss", "val/loss", "loss_val"}


def test_series_colours_are_the_same_in_every_panel() -> None:
    loss, acc = panels(show.history(LOGS))
    assert loss["colors"]["loss"] == acc["colors"]["acc"]
    assert loss["colors"]["val_loss"] == acc["colors"]["val_acc"]
    assert loss["colors"]["loss"] != loss["colors"]["val_loss"]


def test_runs_compared_one_colour_per_run_in_every_panel() -> None:
    wider = {k: [v * 0.9 for v in values] for k, values in LOGS.items()}
    drawn = panels(show.history({"baseline": LOGS, "wider": wider}))
    assert [p["title"] for p in drawn] == ["loss", "acc"]
    for panel in drawn:
        colors = panel["colors"]
        name = panel["title"]
        assert colors[f"baseline {name}"] == colors[f"baseline val_{name}"]
        assert colors[f"wider {name}"] == colors[f"wider val_{name}"]
        assert colors[f"baseline {name}"] != colors[f"wider {name}"]
        assert panel["dash"]["field"] == "d"  # the role is the dash pattern
    assert drawn[0]["colors"]["wider loss"] == drawn[1]["colors"]["wider acc"]
    assert ys(drawn[0], "wider val_loss") == pytest.approx(wider["val_loss"])


def test_a_run_without_a_metric_does_not_shift_the_colours_of_the_others() -> None:
    only_loss = {"loss": [1.0, 0.5], "val_loss": [1.2, 0.8]}
    loss, acc = panels(show.history({"first": only_loss, "second": LOGS}))
    assert loss["colors"]["second loss"] == acc["colors"]["second acc"]
    assert "first acc" not in acc["colors"]


# ----------------------------------------------------------------------------- domains


def test_accuracy_is_0_to_1_and_the_domain_does_not_leak_into_the_next_panel() -> None:
    chart = show.history({"acc": [0.2, 0.5], "loss": [3.5, 2.5]})
    acc, loss = panels(chart)
    assert acc["y_scale"] == {"domain": [0, 1]}
    assert "domain" not in loss["y_scale"]
    # What is drawn: the loss panel's axis reaches past its largest value, 3.5.
    texts = svg_texts(chart.to_svg())
    loss_ticks = [float(t) for t in texts[texts.index("acc") + 1 :] if _number(t)]
    assert max(loss_ticks) >= 3.5


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_zoom_to_fit_accuracy_both_spellings() -> None:
    for options in ({"zoomToFitAccuracy": True}, {"zoom_to_fit_accuracy": True}):
        [acc] = panels(show.history({"acc": [0.2, 0.5]}, options))
        assert acc["y_scale"] == {"zero": False}


@pytest.mark.parametrize("values", [[-1e308, 1e308], [5e-324, 1e-323], [1e300, 1e300]])
def test_label_places_survive_ranges_floats_barely_hold(values: list[float]) -> None:
    chart = show.history({"loss": values})
    assert "loss" in svg_texts(chart.to_svg())


def test_log_scale() -> None:
    [loss] = panels(show.history({"loss": [10.0, 1.0, 0.0, 0.1]}, yScale="log"))
    assert loss["y_scale"] == {"type": "log"}
    assert ys(loss, "loss") == [10.0, 1.0, 0.1]  # 0 has no place on a log scale


def test_values_not_drawn_are_said_on_the_panel_itself() -> None:
    # A diverged run (inf, NaN) or a loss of 0 on a log scale must not look like a
    # line that just skips a point: the panel says what it left out, in every output.
    logs = {"loss": [1.0, math.inf, 0.5, math.nan, 0.3, math.nan], "val_loss": [1.1, 0.8, 0.6]}
    chart = show.history(logs)
    said = "loss: not drawn: 2 NaN (first at epoch 3), 1 inf (epoch 1)"
    assert chart.report["left_out"] == [said]
    assert said in svg_texts(chart.to_svg())
    assert ys(panels(chart)[0], "loss") == [1.0, 0.5, 0.3]

    log = show.history({"loss": [-1.0, -2.0], "acc": [0.1, 0.5]}, yScale="log")
    assert log.report["parts"][0]["left_out"] == [
        "loss: not drawn: 2 ≤ 0 on the log scale (first at epoch 0)"
    ]
    assert log.report["parts"][1] == {}
    assert "left_out" not in show.history(LOGS).report

    # -inf is named as itself, once (not also as "≤ 0"); an x that is missing too.
    assert show.history({"loss": [1.0, -math.inf, 0.5]}, yScale="log").report["left_out"] == [
        "loss: not drawn: 1 -inf (epoch 1)"
    ]
    no_x = show.history({"loss": [1.0, 0.5, 0.3], "epoch": [0, math.nan, 2]})
    assert no_x.report["left_out"] == ["loss: not drawn: 1 with no epoch"]
    steps = {"loss": [1.0, math.nan, 0.5, 0.4], "step": [1234567, 1234568, 1234569, 1234570]}
    assert show.history(steps, x="step").report["left_out"] == [
        "loss: not drawn: 1 NaN (step 1,234,568)"  # not "step 1.23457e+06"
    ]

    cb = show.fit_callbacks(verbose=False)  # live: said at every redraw, no warning
    for epoch, loss in enumerate([1.0, 0.5, math.nan]):
        cb.on_epoch_end(epoch, {"loss": loss})
    assert cb.chart().report["left_out"] == ["loss: not drawn: 1 NaN (epoch 2)"]


# ----------------------------------------------------------------------------- options


def tensorboard_smoothing(values: list[float], weight: float) -> list[float]:
    """TensorBoard's debiased EMA, written out as its documentation describes it."""
    out, last = [], 0.0
    for i, value in enumerate(values):
        last = last * weight + (1 - weight) * value
        out.append(last / (1 - weight ** (i + 1)))
    return out


def test_smoothing_is_tensorboards_with_the_raw_line_faint() -> None:
    values = [3.0, 1.0, 2.0, 0.5, 0.7, 0.2]
    [loss] = panels(show.history({"loss": values}, smoothing=0.6))
    assert ys(loss, "loss") == pytest.approx(tensorboard_smoothing(values, 0.6))
    [raw] = loss["raw"]
    assert [row["y"] for row in raw] == values


def test_best_markers_min_for_loss_max_for_accuracy_with_the_epoch() -> None:
    loss, acc = panels(show.history(LOGS))
    best = {row["s"]: row for row in loss["best"]}
    assert best["val_loss"]["v"] == 1.1 and best["val_loss"]["x"] == 2
    assert best["val_loss"]["label"] == "min 1.1 (epoch 2)"
    best_acc = {row["s"]: row for row in acc["best"]}
    assert best_acc["val_acc"]["label"] == "max 0.65 (epoch 3)"
    assert best_acc["acc"]["v"] == 0.82
    svg = show.history(LOGS).to_svg()
    assert "min 1.1 (epoch 2)" in svg_texts(svg)
    assert not panels(show.history(LOGS, bestMarkers=False))[0]["best"]


def test_x_step_and_time_from_a_frame() -> None:
    frame = pd.DataFrame(
        {"step": [10, 20, 30], "time": [100.0, 101.5, 103.0], "loss": [1.0, 0.8, 0.5]}
    )
    [by_step] = panels(show.history(frame, x="step"))
    assert xs(by_step, "loss") == [10, 20, 30]
    [by_time] = panels(show.history(frame, x="time"))
    assert xs(by_time, "loss") == [0.0, 1.5, 3.0]
    with pytest.raises(DataError, match="x='step' needs the step"):
        show.history(LOGS, x="step")


def test_options_are_checked() -> None:
    with pytest.raises(OptionError, match="Did you mean 'zoomToFitAccuracy'"):
        show.history(LOGS, zoomToFitAcuracy=True)
    with pytest.raises(OptionError, match="Option 'smoothing' must be a number from 0"):
        show.history(LOGS, smoothing=1.0)
    with pytest.raises(OptionError, match="Option 'yScale' must be one of 'linear', 'log'"):
        show.history(LOGS, yScale="symlog")


def test_unknown_metric_names_it_and_lists_the_available_ones() -> None:
    with pytest.raises(DataError) as error:
        show.history(LOGS, ["val_los"])
    assert str(error.value) == (
        "show.history: metric 'val_los' is not in the history. Did you mean 'val_loss'? "
        "Available metrics: 'loss', 'val_loss', 'acc', 'val_acc'"
    )


def test_metrics_selects_and_tfjs_call_order_saves(tmp_path: Path) -> None:
    target = tmp_path / "curves.svg"
    chart = show.history(target, LOGS, ["loss", "val_loss"], {"width": 300})
    [loss] = panels(chart)
    assert list(loss["series"]) == ["loss", "val_loss"]
    assert target.read_text(encoding="utf-8").startswith("<svg")


def test_bad_history_is_a_data_error() -> None:
    with pytest.raises(DataError, match="takes a Keras History"):
        show.history(42)
    with pytest.raises(DataError, match="the history is empty"):
        show.history({"history": {}})


# ----------------------------------------------------------------------------- outputs


def test_png_svg_html_render_and_the_guard_prices_every_panel(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    chart = show.history(LOGS, smoothing=0.5)
    assert chart.to_png()[:4] == b"\x89PNG"
    labels = aria_labels(chart.to_svg())
    assert any("loss" in label for label in labels)
    page = chart.to_html()
    assert "<html" in page.lower()
    single = show.history({"loss": LOGS["loss"]}).cost
    assert chart.cost.total > 2 * single.total  # two panels, raw and smoothed lines
    monkeypatch.setenv("TFVIS_EXPORT_LIMIT", str(single.total * 1.5))
    with pytest.raises(tfvis.ExportError):
        show.history(LOGS, smoothing=0.5).to_png()
    show.history({"loss": LOGS["loss"]}).to_png()  # under the limit: drawn


def test_200000_steps_stay_under_a_megabyte_and_keep_the_global_minimum() -> None:
    rng = np.random.default_rng(0)
    steps = 200_000
    loss = 2.0 * np.exp(-np.arange(steps) / 40_000) + rng.normal(0, 0.05, steps)
    lowest = int(np.argmin(loss))
    frame = pd.DataFrame({"step": np.arange(steps), "loss": loss})
    chart = show.history(frame, x="step")
    text = chart.to_json()
    assert len(text.encode()) <= 1_000_000
    [panel] = panels(chart)
    assert (float(lowest), float(loss[lowest])) in panel["series"]["loss"]
    assert panel["best"][0]["v"] == float(loss[lowest])
    assert chart.report["parts"] if "parts" in chart.report else chart.report["downsample"]


# ----------------------------------------------------------------------------- frameworks


@pytest.fixture(scope="module")
def keras_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Path]:
    try:
        import keras
    except ImportError:
        keras = None
    require(keras is not None, "keras is not installed (pip install keras)")
    from sklearn.datasets import load_digits

    x, y = load_digits(return_X_y=True)
    x = (x / 16).astype("float32")
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [keras.Input((64,)), keras.layers.Dense(16, activation="relu"), keras.layers.Dense(10)]
    )
    model.compile(
        "adam",
        keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    log = tmp_path_factory.mktemp("keras") / "log.csv"
    history = model.fit(
        x,
        y,
        epochs=3,
        batch_size=128,
        validation_split=0.2,
        verbose=0,
        callbacks=[keras.callbacks.CSVLogger(str(log))],
    )
    return history, log


def test_a_real_keras_history_and_its_csv_logger(keras_run: tuple[Any, Path]) -> None:
    history, log = keras_run
    drawn = panels(show.history(history))
    titles = [p["title"] for p in drawn]
    assert set(titles) == {"accuracy", "loss"}
    loss = drawn[titles.index("loss")]
    assert ys(loss, "val_loss") == pytest.approx(history.history["val_loss"])
    assert xs(loss, "val_loss") == history.epoch
    from_csv = panels(show.history(pd.read_csv(log)))
    csv_loss = from_csv[[p["title"] for p in from_csv].index("loss")]
    assert ys(csv_loss, "loss") == pytest.approx(history.history["loss"], rel=1e-6)
    assert xs(csv_loss, "loss") == [0, 1, 2]


def test_keras_validation_freq_draws_val_at_the_epochs_it_was_measured() -> None:
    try:
        import keras
    except ImportError:
        keras = None
    require(keras is not None, "keras is not installed (pip install keras)")
    x = np.random.default_rng(0).normal(size=(64, 4)).astype("float32")
    y = x.sum(1, keepdims=True)
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    seen: dict[int, float] = {}  # what Keras validated, and after which epoch

    class Record(keras.callbacks.Callback):  # type: ignore[misc]
        def on_epoch_end(self, epoch: int, logs: Any = None) -> None:
            if "val_loss" in (logs or {}):
                seen[epoch] = float(logs["val_loss"])

    history = model.fit(
        x,
        y,
        epochs=7,
        validation_split=0.25,
        validation_freq=3,
        verbose=0,
        callbacks=[Record()],
    )
    assert len(history.history["val_loss"]) == 2 < len(history.epoch)
    with pytest.warns(
        UserWarning, match=r"'val_loss' has 2 values for 7 epochs; drawn at epochs 2, 5"
    ):
        [loss] = panels(show.history(history))
    assert xs(loss, "val_loss") == list(seen) == [2, 5]
    assert ys(loss, "val_loss") == pytest.approx(list(seen.values()))
    assert xs(loss, "loss") == list(range(7))
    # the same lists from a saved history.history (no epoch list)
    with pytest.warns(UserWarning, match="validation_freq=3"):
        [again] = panels(show.history(dict(history.history)))
    assert xs(again, "val_loss") == [2, 5]


def test_a_shorter_list_no_validation_freq_explains_is_refused() -> None:
    with pytest.raises(
        DataError, match=r"'test_acc' has 1 value for 10 epochs, and tfvis cannot tell which"
    ):
        show.history({"loss": list(range(10, 0, -1)), "test_acc": [0.9]})


def test_a_real_lightning_metrics_csv_with_its_nan_padded_rows(tmp_path: Path) -> None:
    try:
        import lightning.pytorch as pl
        import torch
    except ImportError:
        pl = None
    require(pl is not None, "lightning is not installed (pip install lightning)")
    from lightning.pytorch.loggers import CSVLogger

    class Tiny(pl.LightningModule):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            self.layer = torch.nn.Linear(4, 2)

        def training_step(self, batch: Any, index: int) -> Any:
            x, y = batch
            loss = torch.nn.functional.cross_entropy(self.layer(x), y)
            self.log("train_loss", loss, on_step=True, on_epoch=True)
            return loss

        def validation_step(self, batch: Any, index: int) -> None:
            x, y = batch
            self.log("val_loss", torch.nn.functional.cross_entropy(self.layer(x), y))

        def configure_optimizers(self) -> Any:
            return torch.optim.SGD(self.parameters(), lr=0.1)

    torch.manual_seed(0)
    data = torch.utils.data.TensorDataset(torch.randn(64, 4), torch.randint(0, 2, (64,)))
    loader = torch.utils.data.DataLoader(data, batch_size=8)
    trainer = pl.Trainer(
        max_epochs=2,
        limit_train_batches=4,
        limit_val_batches=2,
        log_every_n_steps=1,
        enable_progress_bar=False,
        enable_checkpointing=False,
        enable_model_summary=False,
        logger=CSVLogger(str(tmp_path)),
    )
    trainer.fit(Tiny(), loader, loader)
    [metrics_csv] = tmp_path.rglob("metrics.csv")
    frame = pd.read_csv(metrics_csv)
    assert frame["val_loss"].isna().any()  # the NaN-padded rows this test is about
    [by_epoch] = panels(show.history(frame))
    assert set(by_epoch["series"]) == {"train_loss", "val_loss"}  # x_step / x_epoch: one
    expected = frame["train_loss_epoch"].dropna().tolist()
    assert ys(by_epoch, "train_loss") == pytest.approx(expected)
    assert ys(by_epoch, "val_loss") == pytest.approx(frame["val_loss"].dropna().tolist())
    assert xs(by_epoch, "val_loss") == [0, 1]
    [by_step] = panels(show.history(frame, x="step"))
    steps = frame.dropna(subset=["train_loss_step"])
    assert xs(by_step, "train_loss") == steps["step"].tolist()
    assert ys(by_step, "train_loss") == pytest.approx(steps["train_loss_step"].tolist())
    rows = json.loads(show.history(frame).to_json())["datasets"]["tfvis_points"]
    assert all(math.isfinite(row["y"]) for row in rows)


def test_text_and_nan_only_columns_are_no_panel() -> None:
    drawn = panels(show.history({"loss": [1.0, 0.5], "note": ["a", "b"], "gone": [math.nan] * 2}))
    assert [p["title"] for p in drawn] == ["loss"]


# ----------------------------------------------------------------------------- label places


def _lines_and_labels(svg: str) -> tuple[list[np.ndarray], list[tuple[str, str, float, float]]]:
    """Every drawn line (pixel vertices) and best label (text, anchor, x, y) of one panel."""
    import re

    lines = [
        np.array([[float(v) for v in pair.split(",")] for pair in re.split("[ML]", d)[1:]])
        for d in re.findall(r'aria-roledescription="line mark" d="([^"]+)"', svg)
    ]
    labels = [
        (text, anchor, float(x), float(y))
        for anchor, x, y, text in re.findall(
            r'aria-roledescription="text mark" text-anchor="(\w+)" '
            r'transform="translate\(([-\d.e]+),([-\d.e]+)\)"[^>]*>([^<]+)</text>',
            svg,
        )
    ]
    return lines, labels


def _box_crosses(box: tuple[float, float, float, float], line: np.ndarray) -> bool:
    left, right, top, bottom = box
    x, y = line[:, 0], line[:, 1]
    if right < x.min() or left > x.max():
        return False
    dense = np.linspace(max(left, x.min()), min(right, x.max()), 200)
    ys = np.interp(dense, x, y)
    return bool(((ys >= top) & (ys <= bottom)).any())


@pytest.mark.parametrize(
    "logs",
    [
        # The case the first placement got wrong: the training loss ends under the
        # validation minimum, so a label left of the mark crossed it.
        {
            "loss": list(2.3 - 0.21 * np.arange(8)),
            "val_loss": list(2.15 - 0.18 * np.arange(8)),
        },
        # A validation minimum in the middle, training still falling under it.
        {
            "loss": list(2.0 * np.exp(-np.arange(30) / 6) + 0.15),
            "val_loss": list(
                2.1 * np.exp(-np.arange(30) / 6) + 0.5 + 0.0006 * (np.arange(30) - 17) ** 2
            ),
        },
        # Accuracy: the training curve just above the validation maximum at the end.
        {
            "acc": list(0.2 + 0.7 * (1 - np.exp(-np.arange(8) / 3))),
            "val_acc": list(0.25 + 0.6 * (1 - np.exp(-np.arange(8) / 3))),
        },
    ],
)
def test_best_labels_cross_no_line_in_the_drawn_svg(logs: dict[str, list[float]]) -> None:
    svg = show.history(logs).to_svg()
    lines, labels = _lines_and_labels(svg)
    assert len(lines) == 2 and len(labels) == 1
    [(text, anchor, x, y)] = labels
    assert text.startswith(("min ", "max "))
    # vl-convert writes each text at its alphabetic baseline: 10 px digits and lower
    # case reach about 7.5 px above it and 2 px below; about 0.5 em a character.
    width = 0.5 * len(text) * 10
    left = x - width if anchor == "end" else x
    box = (left, left + width, y - 7.5, y + 2)
    assert not any(_box_crosses(box, line) for line in lines), (text, box)
    assert box[0] >= 0 and box[1] <= 300 + 10 and box[2] >= 0 and box[3] <= 180
