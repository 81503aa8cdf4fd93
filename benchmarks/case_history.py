"""Live training curves (issue #11): update cost in a kernel, batch cost, JSON size, overhead.

* Epoch-end update in a real Jupyter kernel (run by nbclient): ``cb.on_epoch_end``
  with 1,000 recorded points (loss and val_loss over 500 epochs), which records,
  builds the chart and updates the one display handle (Vega-Lite only, no picture),
  against an Altair line chart of the same points shown through a display handle
  (``display(chart, display_id=True)`` then ``handle.update(chart)``), alternating
  in the same kernel. Kernel-side wall time per update.
* ``on_batch_end`` without a redraw (throttle not due): 100,000 calls with a float
  loss, and with a 0-d torch tensor that requires grad (read with ``.item()``).
* JSON size of the chart of 200,000 recorded steps, and whether the global minimum
  is among the points drawn.
* Overhead on a real ``model.fit`` of a small Keras model (digits, 5 epochs, torch
  backend) and on a small Lightning run: with and without the callback (no
  container, and with an HTML file kept current), alternating.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _common import CaseResult, Row, Settings, median, run_worker, size

UPDATE_POINTS = 1_000
BATCH_CALLS = 100_000
LONG_STEPS = 200_000

_KERNEL_CELL = r"""
import json, time
import numpy as np, pandas as pd, altair as alt
from IPython.display import display
from tfvis import show

epochs = __EPOCHS__
repeats = __REPEATS__
loss = 1 / (1 + np.arange(epochs + repeats) / 50)
cb = show.fit_callbacks(throttle=3600)
for e in range(epochs):
    cb.on_epoch_end(e, {"loss": loss[e], "val_loss": 1.1 * loss[e]})
frame = pd.DataFrame({"epoch": np.repeat(np.arange(epochs), 2),
                      "value": np.ravel(np.c_[loss[:epochs], 1.1 * loss[:epochs]]),
                      "series": ["loss", "val_loss"] * epochs})
def altair_chart(frame):
    return alt.Chart(frame).mark_line().encode(x="epoch:Q", y="value:Q", color="series:N")
handle = display(altair_chart(frame), display_id=True)
ours, peer = [], []
for r in range(repeats):
    e = epochs + r
    start = time.perf_counter()
    cb.on_epoch_end(e, {"loss": loss[e], "val_loss": 1.1 * loss[e]})
    ours.append(time.perf_counter() - start)
    start = time.perf_counter()
    frame = pd.concat([frame, pd.DataFrame({"epoch": [e, e], "value": [loss[e], 1.1 * loss[e]],
                                            "series": ["loss", "val_loss"]})], ignore_index=True)
    handle.update(altair_chart(frame))
    peer.append(time.perf_counter() - start)
points = sum(map(len, cb.history["on_epoch_end"].values()))
print("RESULT" + json.dumps({"ours": ours, "peer": peer, "points": points}))
"""


def task_kernel(repeats: int) -> dict[str, Any]:
    """Worker: the update loop in a real kernel; returns per-update seconds of each."""
    import nbformat
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    code = _KERNEL_CELL.replace("__EPOCHS__", str(UPDATE_POINTS // 2)).replace(
        "__REPEATS__", str(repeats)
    )
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(code)]
    manager = KernelManager(kernel_name="python3")
    manager.kernel_cmd = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    NotebookClient(nb, km=manager, timeout=600).execute()
    outputs = nb.cells[0].outputs
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    answer: dict[str, Any] = json.loads(text.split("RESULT", 1)[1])
    answer["display_outputs"] = sum(o.output_type == "display_data" for o in outputs)
    return answer


def task_batches(calls: int) -> dict[str, Any]:
    """Worker: ``on_batch_end`` with no redraw due, floats and grad-requiring tensors."""
    import torch

    from tfvis import show

    answer: dict[str, Any] = {}
    for kind in ("float", "torch"):
        cb = show.fit_callbacks(throttle=3600, verbose=False)
        weight = torch.ones(1, requires_grad=True)
        values: list[Any]
        if kind == "float":
            values = [1.0 / (i + 1) for i in range(calls)]
        else:
            values = [(weight * (1.0 / (i + 1))).sum() for i in range(calls)]
        cb.on_batch_end(0, {"loss": values[0]})  # the first update draws; the rest do not
        start = time.perf_counter()
        for step in range(1, calls):
            cb.on_batch_end(step, {"loss": values[step]})
        answer[kind] = (time.perf_counter() - start) / (calls - 1)
    return answer


def task_long(steps: int) -> dict[str, Any]:
    """Worker: the chart of ``steps`` recorded batch losses: JSON bytes, the minimum kept."""
    import numpy as np

    from tfvis import show

    rng = np.random.default_rng(0)
    loss = 2.0 * np.exp(-np.arange(steps) / (steps / 5)) + rng.normal(0, 0.05, steps)
    cb = show.fit_callbacks(throttle=3600, verbose=False, callbacks=["onBatchEnd"])
    for step, value in enumerate(loss.tolist()):
        cb.on_batch_end(step, {"loss": value})
    start = time.perf_counter()
    text = cb.chart().to_json()
    build = time.perf_counter() - start
    rows = json.loads(text)["datasets"]["tfvis_points"]
    lowest = float(loss.min())
    return {
        "bytes": len(text.encode()),
        "rows": len(rows),
        "min_drawn": any(row["y"] == lowest for row in rows),
        "build_s": build,
    }


def _keras_model(keras: Any) -> Any:
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [keras.Input((64,)), keras.layers.Dense(32, activation="relu"), keras.layers.Dense(10)]
    )
    model.compile(
        "adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"]
    )
    return model


class _Timed:
    """Wraps a FitCallbacks so the time spent inside tfvis is summed."""

    def __init__(self, target: Any) -> None:
        self.seconds = 0.0
        for name in ("on_batch_end", "on_epoch_end", "on_train_end"):
            method = getattr(target, name)

            def timed(*args: Any, _method: Any = method, **kwargs: Any) -> None:
                start = time.perf_counter()
                _method(*args, **kwargs)
                self.seconds += time.perf_counter() - start

            setattr(target, name, timed)


def task_keras(repeats: int) -> dict[str, Any]:
    """Worker: ``model.fit`` on digits, 5 epochs: no callback, a do-nothing callback with
    batch hooks (what Keras itself spends once any callback has them), tfvis's, and
    tfvis's with an HTML file kept current; plus the seconds spent inside tfvis."""
    os.environ.setdefault("KERAS_BACKEND", "torch")
    import keras
    import torch
    from sklearn.datasets import load_digits

    from tfvis import show

    torch.set_num_threads(1)  # steadier on a shared machine

    class Nothing(keras.callbacks.Callback):  # type: ignore[misc]
        def on_train_batch_end(self, batch: int, logs: Any = None) -> None:
            pass

    x, y = load_digits(return_X_y=True)
    x = (x / 16).astype("float32")
    times: dict[str, list[float]] = {"none": [], "nothing": [], "callback": [], "html": []}
    inside: dict[str, list[float]] = {"callback": [], "html": []}
    with tempfile.TemporaryDirectory() as folder:
        _keras_model(keras).fit(x, y, epochs=1, verbose=0)  # warm up
        show.fit_callbacks(Path(folder) / "warm.html").on_epoch_end(0, {"loss": 1.0})
        for _ in range(repeats):
            for kind in times:
                model = _keras_model(keras)
                callbacks: list[Any] = []
                timer = None
                if kind == "nothing":
                    callbacks = [Nothing()]
                elif kind in inside:
                    container = Path(folder) / "curves.html" if kind == "html" else None
                    cb = show.fit_callbacks(container, verbose=False)
                    timer = _Timed(cb)
                    callbacks = [cb.keras()]
                start = time.perf_counter()
                model.fit(
                    x,
                    y,
                    epochs=5,
                    batch_size=64,
                    validation_split=0.2,
                    verbose=0,
                    callbacks=callbacks,
                )
                times[kind].append(time.perf_counter() - start)
                if timer is not None:
                    inside[kind].append(timer.seconds)
    return {"times": times, "inside": inside}


def task_lightning(repeats: int) -> dict[str, Any]:
    """Worker: a small Lightning run on digits, without and with the callback."""
    import lightning.pytorch as pl
    import torch
    from sklearn.datasets import load_digits

    from tfvis import show

    class Digits(pl.LightningModule):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            self.net = torch.nn.Sequential(
                torch.nn.Linear(64, 32), torch.nn.ReLU(), torch.nn.Linear(32, 10)
            )

        def training_step(self, batch: Any, index: int) -> Any:
            x, y = batch
            loss = torch.nn.functional.cross_entropy(self.net(x), y)
            self.log("train_loss", loss, on_step=True, on_epoch=True)
            return loss

        def validation_step(self, batch: Any, index: int) -> None:
            x, y = batch
            self.log("val_loss", torch.nn.functional.cross_entropy(self.net(x), y))

        def configure_optimizers(self) -> Any:
            return torch.optim.Adam(self.parameters(), lr=1e-2)

    torch.set_num_threads(1)  # steadier on a shared machine
    x, y = load_digits(return_X_y=True)
    data = torch.utils.data.TensorDataset(
        torch.tensor(x / 16, dtype=torch.float32), torch.tensor(y)
    )
    train = torch.utils.data.DataLoader(data, batch_size=64, shuffle=False)
    times: dict[str, list[float]] = {"none": [], "callback": []}
    inside: list[float] = []
    for repeat in range(repeats + 1):
        for kind in times:
            torch.manual_seed(0)
            callbacks = []
            timer = None
            if kind == "callback":
                cb = show.fit_callbacks(verbose=False)
                timer = _Timed(cb)
                callbacks = [cb.lightning()]
            trainer = pl.Trainer(
                max_epochs=5,
                enable_progress_bar=False,
                logger=False,
                enable_checkpointing=False,
                enable_model_summary=False,
                callbacks=callbacks,
            )
            start = time.perf_counter()
            trainer.fit(Digits(), train, train)
            if repeat:  # the first round warms up
                times[kind].append(time.perf_counter() - start)
                if timer is not None:
                    inside.append(timer.seconds)
    return {"times": times, "inside": inside}


def run(settings: Settings) -> CaseResult:
    """The rows of the training-curves case."""
    repeats = 10 if settings.quick else 30
    kernel = run_worker("case_history.task_kernel", repeats=repeats)
    ours, peer = median(kernel["ours"]), median(kernel["peer"])
    batches = run_worker("case_history.task_batches", calls=BATCH_CALLS)
    long = run_worker("case_history.task_long", steps=LONG_STEPS)
    fit_repeats = 3 if settings.quick else 7
    keras_times = run_worker("case_history.task_keras", repeats=fit_repeats)
    light = run_worker("case_history.task_lightning", repeats=fit_repeats)
    kt, ki = keras_times["times"], keras_times["inside"]
    k_none, k_nothing, k_cb, k_html = (
        median(kt[k]) for k in ("none", "nothing", "callback", "html")
    )
    l_none, l_cb = median(light["times"]["none"]), median(light["times"]["callback"])
    l_inside = median(light["inside"])
    rows = [
        Row(
            f"fit_callbacks: epoch-end update in a Jupyter kernel, {kernel['points']:,} points",
            f"{ours * 1000:.1f} ms",
            f"Altair through a display handle {peer * 1000:.1f} ms",
            f"{ours / peer:.2f}×",
            "≤ 10 ms",
            ours <= 0.010 and kernel["display_outputs"] == 2,
        ),
        Row(
            f"on_batch_end without a redraw, {BATCH_CALLS:,} calls (float loss)",
            f"{batches['float'] * 1e6:.1f} µs",
            f"0-d torch tensor that requires grad {batches['torch'] * 1e6:.1f} µs",
            f"{batches['torch'] / batches['float']:.1f}×",
            "≤ 20 µs",
            batches["float"] <= 20e-6 and batches["torch"] <= 20e-6,
        ),
        Row(
            f"chart of {LONG_STEPS:,} recorded steps → JSON",
            size(long["bytes"]),
            f"{long['rows']:,} rows drawn, built in {long['build_s'] * 1000:.0f} ms",
            f"{long['bytes'] / 1e6:.2f} MB",
            "≤ 1 MB, global min drawn",
            long["bytes"] <= 1_000_000 and long["min_drawn"],
        ),
        Row(
            "Keras model.fit (digits, 5 epochs): with tfvis's callback / with none",
            f"{k_cb:.2f} s, {median(ki['callback']) * 1000:.0f} ms of it in tfvis",
            f"none {k_none:.2f} s; a do-nothing batch callback {k_nothing:.2f} s",
            f"{k_cb / k_none:.2f}× ({k_cb / k_nothing:.2f}× the do-nothing one)",
            "(overhead)",
            None,
        ),
        Row(
            "same, an HTML file kept current",
            f"{k_html:.2f} s, {median(ki['html']) * 1000:.0f} ms of it in tfvis",
            f"none {k_none:.2f} s",
            f"{k_html / k_none:.2f}×",
            "(overhead)",
            None,
        ),
        Row(
            "Lightning fit (digits, 5 epochs): with tfvis's callback / without",
            f"{l_cb:.2f} s, {l_inside * 1000:.0f} ms of it in tfvis",
            f"without {l_none:.2f} s",
            f"{l_cb / l_none:.2f}×",
            "(overhead)",
            None,
        ),
    ]
    notes = [
        f"kernel update spread: ours {statistics.pstdev(kernel['ours']) * 1000:.1f} ms, "
        f"Altair {statistics.pstdev(kernel['peer']) * 1000:.1f} ms (stdev)",
    ]
    data = {
        "kernel": kernel,
        "batches": batches,
        "long": long,
        "keras": keras_times,
        "lightning": light,
    }
    return CaseResult("history", rows, notes, data)
