"""``show.fit_callbacks`` on real training: Keras 3 (torch backend), Lightning and a
hand-written PyTorch loop on scikit-learn's digits, and in a real Jupyter kernel.

Recorded values are compared with what the framework itself reports (Keras's own
``History``; for Lightning, a reference callback written here). The adapters are
called by name, so removing one fails these tests.
"""

from __future__ import annotations

import gc
import json
import sys
import weakref
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import tfvis
from conftest import REQUIRE_EXTERNALS, require
from tfvis import OptionError, show
from tfvis._chart import VEGALITE_MIMETYPE

try:
    import torch
except ImportError:  # pragma: no cover - torch is installed in CI
    if REQUIRE_EXTERNALS:
        pytest.fail("TFVIS_REQUIRE_EXTERNALS=1 but torch is not installed", pytrace=False)
    pytest.skip("torch is not installed (pip install torch)", allow_module_level=True)


def digits() -> tuple[np.ndarray, np.ndarray]:
    from sklearn.datasets import load_digits

    x, y = load_digits(return_X_y=True)
    return (x / 16).astype("float32"), y.astype("int64")


def drawn_points(chart: tfvis.Chart) -> dict[str, dict[str, list[tuple[float, float]]]]:
    """Panel title → series → (x, y) of the lines drawn."""
    spec = chart.to_dict()
    found: dict[str, dict[str, list[tuple[float, float]]]] = {}
    for view in spec.get("concat", [spec]):
        [line] = [
            layer
            for layer in view["layer"]
            if isinstance(layer["mark"], dict) and layer["mark"].get("strokeWidth") == 1.8
        ]
        series: dict[str, list[tuple[float, float]]] = {}
        for row in spec["datasets"][line["data"]["name"]]:
            series.setdefault(row["s"], []).append((row["x"], row["y"]))
        found[view["title"]["text"]] = series
    return found


# ----------------------------------------------------------------------------- hand loops


def test_values_of_every_kind_become_python_floats_and_odd_ones_never_crash() -> None:
    cb = show.fit_callbacks(verbose=False)
    weights = torch.ones(3, requires_grad=True)
    loss = (weights * 2).sum()
    cb.on_batch_end(0, {"loss": loss, "lr": np.float32(0.5), "note": "warmup", "bad": None})
    cb.on_batch_end(1, None)
    cb.on_batch_end(2, {"loss": float("nan"), "flag": True, 3: 1.0})
    cb.on_epoch_end(0, {"loss": np.float64(1.5), "val_loss": torch.tensor(2.0)})
    cb.on_epoch_end(1, "not logs")  # type: ignore[arg-type]
    history = cb.history
    assert history["on_batch_end"]["loss"][0] == 6.0
    assert np.isnan(history["on_batch_end"]["loss"][1])
    assert history["on_batch_end"]["lr"] == [0.5]
    assert set(history["on_batch_end"]) == {"loss", "lr"}
    assert history["on_epoch_end"] == {"loss": [1.5], "val_loss": [2.0]}
    assert all(type(v) is float for v in history["on_batch_end"]["loss"])
    # The tensor that required grad: read, not kept (no graph held alive), not changed.
    assert weights.grad is None and weights.requires_grad
    ref = weakref.ref(loss)
    del loss
    gc.collect()
    assert ref() is None
    assert cb.chart().kind == "history"


def test_the_x_axis_is_the_epoch_and_step_passed_in() -> None:
    cb = show.fit_callbacks(verbose=False)
    for step in (100, 200, 300):
        cb.on_batch_end(step, {"loss": step / 100})
    cb.on_epoch_end(5, {"loss": 0.5})
    cb.on_epoch_end(10, {"loss": 0.25})
    drawn = drawn_points(cb.chart())
    assert drawn["loss"]["loss"] == [(5, 0.5), (10, 0.25)]
    assert drawn["loss (per batch)"]["loss"] == [(100, 1.0), (200, 2.0), (300, 3.0)]


@pytest.mark.parametrize("names", [["onEpochEnd"], ["on_epoch_end"], "onEpochEnd"])
def test_callbacks_option_in_both_spellings(names: Any) -> None:
    cb = show.fit_callbacks(None, None, {"callbacks": names}, verbose=False)
    cb.on_batch_end(0, {"loss": 1.0})
    cb.on_epoch_end(0, {"loss": 1.0})
    assert cb.history == {"on_epoch_end": {"loss": [1.0]}, "on_batch_end": {}}


def test_bad_options_are_option_errors() -> None:
    with pytest.raises(OptionError, match="did you mean 'onBatchEnd'"):
        show.fit_callbacks(callbacks=["onBatchEnds"])
    with pytest.raises(OptionError, match="Option 'throttle' must be a number of seconds"):
        show.fit_callbacks(throttle=-1)
    assert show.fitCallbacks is show.fit_callbacks


def test_metrics_choose_what_is_drawn_while_everything_is_recorded() -> None:
    cb = show.fit_callbacks(None, ["loss", "val_loss"], verbose=False)
    cb.on_epoch_end(0, {"loss": 1.0, "val_loss": 1.2, "acc": 0.4})
    assert list(drawn_points(cb.chart())) == ["loss"]
    assert cb.history["on_epoch_end"]["acc"] == [0.4]


def test_a_line_per_epoch_in_a_script(capsys: pytest.CaptureFixture[str]) -> None:
    cb = show.fit_callbacks()
    cb.on_epoch_end(0, {"loss": 0.25, "val_loss": 0.5})
    cb.on_epoch_end(1, {"loss": 0.125, "val_loss": 0.375})
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("Epoch 0 - ") and lines[0].endswith(
        "loss: 0.2500 - val_loss: 0.5000"
    )
    assert lines[1].endswith("loss: 0.1250 - val_loss: 0.3750")


def test_a_path_container_is_kept_current(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "curves.json"
    cb = show.fit_callbacks(target, throttle=3600)
    for epoch in range(3):
        cb.on_epoch_end(epoch, {"loss": 1.0 / (epoch + 1)})
        spec = tfvis.Chart(__import__("json").loads(target.read_text()), {})
        assert len(drawn_points(spec)["loss"]["loss"]) == epoch + 1
    assert capsys.readouterr().out == ""  # a container: no lines
    assert not list(tmp_path.glob(".*.part"))
    svg = tmp_path / "curves.svg"
    cb2 = show.fit_callbacks(svg)
    cb2.on_epoch_end(0, {"loss": 1.0})
    assert svg.read_text(encoding="utf-8").startswith("<svg")


def test_a_visor_surface_as_container() -> None:
    visor = tfvis.Visor()
    surface = visor.surface(name="curves", tab="Training")
    cb = show.fit_callbacks(surface, verbose=False)
    cb.on_epoch_end(0, {"loss": 1.0})
    cb.on_epoch_end(1, {"loss": 0.5})
    assert isinstance(surface.output, tfvis.Chart)
    assert drawn_points(surface.output)["loss"]["loss"] == [(0, 1.0), (1, 0.5)]


def test_save_csv_holds_every_value(tmp_path: Path) -> None:
    cb = show.fit_callbacks(verbose=False)
    for step in range(4):
        cb.on_batch_end(step, {"loss": 1.0 - step / 10})
    cb.on_epoch_end(0, {"loss": 0.7, "val_loss": 0.9})
    frame = pd.read_csv(cb.save(tmp_path / "run.csv"))
    assert list(frame.columns) == ["callback", "metric", "x", "step", "time", "value"]
    batch = frame[frame.callback == "on_batch_end"]
    assert batch["value"].tolist() == cb.history["on_batch_end"]["loss"]
    epoch = frame[frame.callback == "on_epoch_end"].set_index("metric")
    assert epoch.loc["val_loss", "value"] == 0.9
    assert epoch.loc["val_loss", "step"] == 3  # the last step seen
    assert cb.save(tmp_path / "curves.png").read_bytes()[:4] == b"\x89PNG"


def test_a_hand_written_pytorch_loop_on_digits() -> None:
    x, y = digits()
    inputs, labels = torch.from_numpy(x), torch.from_numpy(y)
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(64, 16), torch.nn.ReLU(), torch.nn.Linear(16, 10))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    cb = show.fit_callbacks(verbose=False)
    reference: dict[str, list[float]] = {"loss": [], "val_loss": []}
    step = 0
    for epoch in range(3):
        for start in range(0, 1400, 200):
            optimizer.zero_grad()
            loss = torch.nn.functional.cross_entropy(
                model(inputs[start : start + 200]), labels[start : start + 200]
            )
            loss.backward()
            optimizer.step()
            cb.on_batch_end(step, {"loss": loss})  # requires grad; tfvis reads .item()
            reference["loss"].append(loss.item())
            step += 1
        with torch.no_grad():
            val = torch.nn.functional.cross_entropy(model(inputs[1400:]), labels[1400:])
        cb.on_epoch_end(epoch, {"val_loss": val})
        reference["val_loss"].append(val.item())
    assert cb.history["on_batch_end"]["loss"] == reference["loss"]
    assert cb.history["on_epoch_end"]["val_loss"] == reference["val_loss"]
    drawn = drawn_points(cb.chart())
    assert [x for x, _ in drawn["loss (per batch)"]["loss"]] == list(range(21))


class FakeShell:
    """Stands for a Jupyter kernel's shell: records the cell hooks registered."""

    kernel = object()

    def __init__(self) -> None:
        self.hooks: list[Any] = []
        self.events = self

    def register(self, event: str, hook: Any) -> None:
        assert event == "post_run_cell"
        self.hooks.append(hook)


def test_notebook_updates_one_handle_throttled_with_no_png_until_the_end(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pytest.importorskip("IPython")
    import IPython.display

    shown: list[tuple[str, dict[str, Any]]] = []

    class Handle:
        def update(self, bundle: dict[str, Any], raw: bool = False) -> None:
            shown.append(("update", bundle))

    def display(bundle: dict[str, Any], raw: bool = False, display_id: Any = None) -> Handle:
        assert display_id is True
        shown.append(("display", bundle))
        return Handle()

    shell = FakeShell()
    module = sys.modules["tfvis.show.fit_callbacks"]  # the name is the function's
    monkeypatch.setattr(module, "_notebook_shell", lambda: shell)
    monkeypatch.setattr(IPython.display, "display", display)
    cb = show.fit_callbacks(throttle=3600)
    for epoch in range(3):
        for step in range(100):
            cb.on_batch_end(epoch * 100 + step, {"loss": 1.0 / (step + 1)})
        cb.on_epoch_end(epoch, {"loss": 0.5, "val_loss": 0.6})
    # The first batch creates the output; each epoch end updates it; nothing else.
    assert [kind for kind, _ in shown] == ["display", "update", "update", "update"]
    assert all(set(bundle) == {VEGALITE_MIMETYPE, "text/plain"} for _, bundle in shown)
    [hook] = shell.hooks
    hook()  # the cell ends: the whole bundle once, with its static picture
    assert shown[-1][0] == "update" and "image/png" in shown[-1][1]
    hook()
    assert len(shown) == 5  # nothing changed since: nothing sent
    cb.on_train_end()
    assert len(shown) == 6 and "image/png" in shown[-1][1]


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("loss", {"title": "Run 7", "smoothing": 0.5}),
        ("lo\x00ss", {}),
        ("loss", {"title": "a\u2028b"}),
    ],
    ids=["clean", "name-to-clean", "title-to-clean"],
)
def test_the_live_spec_is_what_to_dict_gives(name: str, options: dict[str, Any]) -> None:
    cb = show.fit_callbacks(verbose=False, **options)
    for epoch in range(5):
        cb.on_batch_end(epoch * 10, {name: 1.0 / (epoch + 1), "acc": 0.1 * epoch})
        cb.on_epoch_end(epoch, {name: 1.0 / (epoch + 1), f"val_{name}": 1.2 / (epoch + 1)})
    chart = cb.chart()
    live = cb._live_spec(chart)
    assert live == chart.to_dict()
    assert json.loads(json.dumps(live, allow_nan=False)) == live  # strict JSON as it is


# ----------------------------------------------------------------------------- Keras


@pytest.fixture(scope="module")
def keras() -> Any:
    try:
        import keras as found
    except ImportError:
        found = None
    require(found is not None, "keras is not installed (pip install keras)")
    return found


def test_keras_fit_records_what_keras_history_holds(keras: Any) -> None:
    x, y = digits()
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [keras.Input((64,)), keras.layers.Dense(16, activation="relu"), keras.layers.Dense(10)]
    )
    model.compile(
        "adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"]
    )
    cb = show.fit_callbacks(verbose=False)
    adapter = cb.keras()
    assert isinstance(adapter, keras.callbacks.Callback)
    stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=10)
    history = model.fit(
        x, y, epochs=3, batch_size=128, validation_split=0.2, verbose=0, callbacks=[adapter, stop]
    )
    recorded = cb.history["on_epoch_end"]
    assert set(recorded) == set(history.history)
    for name, values in history.history.items():
        assert recorded[name] == pytest.approx(values, rel=1e-6), name
    steps = -(-int(len(x) * 0.8) // 128)
    assert len(cb.history["on_batch_end"]["loss"]) == 3 * steps
    # Keras's last batch log of an epoch is the epoch's running mean: the epoch's loss.
    batch = cb.history["on_batch_end"]["loss"]
    assert batch[steps - 1] == pytest.approx(history.history["loss"][0], rel=1e-6)
    chart = cb.chart()
    drawn = drawn_points(chart)
    assert [x for x, _ in drawn["loss"]["val_loss"]] == [0, 1, 2]
    assert [x for x, _ in drawn["loss (per batch)"]["loss"]] == list(range(3 * steps))
    titles = {v["title"]["text"]: v["title"].get("subtitle") for v in chart.to_dict()["concat"]}
    assert titles["loss (per batch)"] == ["Keras batch logs are running means within the epoch"]


# ----------------------------------------------------------------------------- Lightning


def test_lightning_trainer_records_train_and_validation_once_per_epoch() -> None:
    try:
        import lightning.pytorch as pl
    except ImportError:
        pl = None
    require(pl is not None, "lightning is not installed (pip install lightning)")

    class Digits(pl.LightningModule):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            self.net = torch.nn.Linear(64, 10)

        def training_step(self, batch: Any, index: int) -> Any:
            x, y = batch
            loss = torch.nn.functional.cross_entropy(self.net(x), y)
            self.log("train_loss", loss, on_step=True, on_epoch=True)
            return loss

        def validation_step(self, batch: Any, index: int) -> None:
            x, y = batch
            logits = self.net(x)
            self.log("val_loss", torch.nn.functional.cross_entropy(logits, y))
            self.log("val_acc", (logits.argmax(1) == y).float().mean())

        def configure_optimizers(self) -> Any:
            return torch.optim.SGD(self.parameters(), lr=0.5)

    class Reference(pl.Callback):  # type: ignore[misc]
        """What Lightning itself holds at each epoch's end, and each step's loss."""

        def __init__(self) -> None:
            self.epochs: list[dict[str, float]] = []
            self.steps: list[tuple[int, float]] = []
            self.sanity_val = 0

        def on_validation_epoch_end(self, trainer: Any, module: Any) -> None:
            self.sanity_val += bool(trainer.sanity_checking)

        def on_train_batch_end(self, trainer: Any, *args: Any) -> None:
            value = trainer.callback_metrics["train_loss_step"].item()
            self.steps.append((trainer.global_step, value))

        def on_train_epoch_end(self, trainer: Any, module: Any) -> None:
            self.epochs.append({k: v.item() for k, v in trainer.callback_metrics.items()})

    x, y = digits()
    data = torch.utils.data.TensorDataset(torch.from_numpy(x), torch.from_numpy(y))
    loader = torch.utils.data.DataLoader(data, batch_size=64)
    torch.manual_seed(0)
    cb = show.fit_callbacks(verbose=False)
    adapter = cb.lightning()
    assert isinstance(adapter, pl.Callback)
    reference = Reference()
    trainer = pl.Trainer(
        max_epochs=2,
        limit_train_batches=4,
        limit_val_batches=2,
        enable_progress_bar=False,
        logger=False,
        enable_checkpointing=False,
        enable_model_summary=False,
        callbacks=[adapter, reference],
    )
    trainer.fit(Digits(), loader, loader)
    assert reference.sanity_val == 1  # a sanity check ran, and was not recorded:
    epochs = cb.history["on_epoch_end"]
    assert set(epochs) == {"train_loss", "val_loss", "val_acc"}  # x, x_step, x_epoch: one
    assert epochs["val_loss"] == [r["val_loss"] for r in reference.epochs]
    assert epochs["train_loss"] == [r["train_loss_epoch"] for r in reference.epochs]
    batches = cb.history["on_batch_end"]
    assert set(batches) == {"train_loss"}
    assert batches["train_loss"] == [value for _, value in reference.steps]
    drawn = drawn_points(cb.chart())
    assert [x for x, _ in drawn["loss (per batch)"]["train_loss"]] == [
        step for step, _ in reference.steps
    ]
    assert [x for x, _ in drawn["loss"]["val_loss"]] == [0, 1]


# ----------------------------------------------------------------------------- Jupyter

NOTEBOOK_CELL = """
import torch
from tfvis import show
torch.manual_seed(0)
w = torch.zeros(4, requires_grad=True)
optimizer = torch.optim.SGD([w], lr=0.05)
target = torch.arange(4.0)
cb = show.fit_callbacks()
step = 0
for epoch in range(30):
    for _ in range(5):
        optimizer.zero_grad()
        loss = ((w - target) ** 2).mean()
        loss.backward()
        optimizer.step()
        cb.on_batch_end(step, {"loss": loss})
        step += 1
    cb.on_epoch_end(epoch, {"loss": loss, "val_loss": loss * 1.1})
"""


def test_a_notebook_training_30_epochs_has_one_output_with_all_30_points() -> None:
    try:
        import nbformat
        from jupyter_client.manager import KernelManager
        from nbclient import NotebookClient
    except ImportError:
        nbformat = None
    require(nbformat is not None, "nbclient is not installed (pip install nbclient)")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(NOTEBOOK_CELL)]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    manager = KernelManager(kernel_name="python3")
    manager.kernel_cmd = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    NotebookClient(nb, km=manager, timeout=300).execute()
    outputs = nb.cells[0].outputs
    assert [o.output_type for o in outputs] == ["display_data"]  # one output, no lines
    data = outputs[0].data
    assert "image/png" in data  # the final bundle has the static picture for offline viewers
    spec = data[VEGALITE_MIMETYPE]
    rows_by_panel = {}
    for view in spec["concat"]:
        [line] = [lay for lay in view["layer"] if lay["mark"].get("strokeWidth") == 1.8]
        rows_by_panel[view["title"]["text"]] = spec["datasets"][line["data"]["name"]]
    epoch_rows = [r for r in rows_by_panel["loss"] if r["s"] == "val_loss"]
    assert [r["x"] for r in epoch_rows] == list(range(30))
    assert len(rows_by_panel["loss (per batch)"]) == 150
