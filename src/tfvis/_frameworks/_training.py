"""Training-loop adapters of ``show.fit_callbacks``: a Keras callback, a Lightning callback.

Each is a real subclass of its framework's ``Callback`` (Keras 3 and Lightning call
hooks a duck-typed object does not have), made the first time it is asked for, so
importing tfvis imports neither framework. Both forward to a target with
``on_batch_end(step, logs)``, ``on_epoch_end(epoch, logs)``, ``on_train_end()`` and
``set_batch_note(text)`` (a :class:`tfvis.show.fit_callbacks.FitCallbacks`).

Example
-------
>>> from tfvis import show
>>> cb = show.fit_callbacks()
>>> model.fit(x, y, epochs=3, callbacks=[cb.keras()])  # doctest: +SKIP
>>> trainer = lightning.pytorch.Trainer(callbacks=[cb.lightning()])  # doctest: +SKIP
"""

from __future__ import annotations

import functools
import importlib
import sys
from collections.abc import Mapping
from typing import Any

__all__ = ["KERAS_BATCH_NOTE", "keras_callback", "lightning_callback", "merge_aggregates"]

#: What the batch panels say under Keras: its batch logs are not per-batch values.
KERAS_BATCH_NOTE = "Keras batch logs are running means within the epoch"
_SUFFIXES = ("_step", "_epoch")


def merge_aggregates(logs: Mapping[str, Any], prefer: str) -> dict[str, Any]:
    """One entry per metric of Lightning's ``x``, ``x_step`` and ``x_epoch``, named ``x``.

    ``prefer`` is ``'step'`` (batch logs: the per-step value) or ``'epoch'`` (epoch
    logs: the epoch's value; per-step values are left out when the epoch has one).
    """
    order = ("_step", "", "_epoch") if prefer == "step" else ("_epoch", "", "_step")
    chosen: dict[str, tuple[int, Any]] = {}
    for name, value in logs.items():
        base, suffix = name, ""
        for candidate in _SUFFIXES:
            if name.endswith(candidate) and len(name) > len(candidate):
                base, suffix = name[: -len(candidate)], candidate
        rank = order.index(suffix)
        if prefer == "epoch" and suffix == "_step":
            rank = len(order)  # an epoch log has no per-step value
        if base not in chosen or rank < chosen[base][0]:
            chosen[base] = (rank, value)
    return {
        base: value
        for base, (rank, value) in chosen.items()
        if not (prefer == "epoch" and rank == len(order))
    }


# ----------------------------------------------------------------------------- Keras


def keras_callback(target: Any) -> Any:
    """A ``keras.callbacks.Callback`` that records into ``target``."""
    keras = importlib.import_module("keras")
    return _keras_class(keras.callbacks.Callback)(target)


@functools.cache
def _keras_class(base: type) -> type:
    class TfvisCallback(base):  # type: ignore[misc]
        """Records Keras's epoch and batch logs into a tfvis ``FitCallbacks``."""

        def __init__(self, target: Any) -> None:
            super().__init__()
            self._tfvis = target
            self._epoch = 0
            self._batches = 0

        def on_train_begin(self, logs: Any = None) -> None:
            self._tfvis.set_batch_note(KERAS_BATCH_NOTE)
            self._batches = 0

        def on_epoch_begin(self, epoch: int, logs: Any = None) -> None:
            self._epoch = epoch

        def on_train_batch_end(self, batch: int, logs: Any = None) -> None:
            steps = (getattr(self, "params", None) or {}).get("steps")
            step = self._epoch * steps + batch if isinstance(steps, int) else self._batches
            self._batches += 1
            self._tfvis.on_batch_end(step, logs)

        def on_epoch_end(self, epoch: int, logs: Any = None) -> None:
            self._tfvis.on_epoch_end(epoch, logs)

        def on_train_end(self, logs: Any = None) -> None:
            self._tfvis.on_train_end()

    return TfvisCallback


# ----------------------------------------------------------------------------- Lightning


def _lightning_base() -> type:
    """``Callback`` of the Lightning the caller uses (``lightning`` or ``pytorch_lightning``)."""
    if "lightning.pytorch" in sys.modules or "pytorch_lightning" not in sys.modules:
        base: type = importlib.import_module("lightning.pytorch").Callback
        return base
    legacy: type = sys.modules["pytorch_lightning"].Callback
    return legacy


def lightning_callback(target: Any) -> Any:
    """A ``lightning.pytorch.Callback`` that records into ``target``."""
    return _lightning_class(_lightning_base())(target)


@functools.cache
def _lightning_class(base: type) -> type:
    class TfvisLightningCallback(base):  # type: ignore[misc]
        """Records what a LightningModule logs, per step and per epoch.

        The sanity-check validation is skipped. Which logged names are validation
        metrics and which are epoch-only is learnt from when they first appear, so
        batch logs carry only per-step values, and epoch logs carry validation
        metrics only for epochs that ran validation.
        """

        def __init__(self, target: Any) -> None:
            super().__init__()
            self._tfvis = target
            self._batch_keys: set[str] = set()
            self._val_keys: set[str] = set()
            self._epoch_keys: set[str] = set()
            self._validated = False

        def on_validation_epoch_end(self, trainer: Any, pl_module: Any) -> None:
            if not _zero(trainer):
                return  # one process draws (distributed training runs this on every rank)
            if getattr(trainer, "sanity_checking", False):
                self._val_keys |= set(trainer.callback_metrics)
                return
            self._val_keys |= set(trainer.callback_metrics) - self._batch_keys
            self._validated = True

        def on_train_batch_end(
            self, trainer: Any, pl_module: Any, outputs: Any, batch: Any, batch_idx: int
        ) -> None:
            if getattr(trainer, "sanity_checking", False) or not _zero(trainer):
                return
            metrics = trainer.callback_metrics
            self._batch_keys |= set(metrics) - self._val_keys - self._epoch_keys
            logs = {
                k: v
                for k, v in metrics.items()
                if k in self._batch_keys and not k.endswith("_epoch")
            }
            if not logs and isinstance(outputs, Mapping) and "loss" in outputs:
                logs = {"loss": outputs["loss"]}
            elif not logs and outputs is not None and not isinstance(outputs, Mapping):
                logs = {"loss": outputs}
            self._tfvis.on_batch_end(trainer.global_step, merge_aggregates(logs, "step"))

        def on_train_epoch_end(self, trainer: Any, pl_module: Any) -> None:
            if not _zero(trainer):
                return
            metrics = trainer.callback_metrics
            self._epoch_keys |= set(metrics) - self._batch_keys - self._val_keys
            logs = {k: v for k, v in metrics.items() if self._validated or k not in self._val_keys}
            self._validated = False
            self._tfvis.on_epoch_end(
                trainer.current_epoch, merge_aggregates(logs, "epoch"), step=trainer.global_step
            )

        def on_train_end(self, trainer: Any, pl_module: Any) -> None:
            if _zero(trainer):
                self._tfvis.on_train_end()

    return TfvisLightningCallback


def _zero(trainer: Any) -> bool:
    """Whether this process is the one that records (rank 0 of a distributed run)."""
    return bool(getattr(trainer, "is_global_zero", True))
