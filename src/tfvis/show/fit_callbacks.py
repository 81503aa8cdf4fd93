"""``show.fit_callbacks``: training curves drawn live while a model trains.

A :class:`FitCallbacks` records every value a training loop hands it and keeps one
picture of them current:

* in Jupyter, one output created on the first update and updated in place through
  a display handle (the Vega-Lite part only while training runs, so no picture is
  rendered per update; the whole bundle, with its static fallback, at the end);
* with a path as container (``"curves.html"``, ``.png``, ``.svg``), that file,
  rewritten atomically; on a visor surface, that surface;
* otherwise (a plain script), a short line per epoch, as Keras's ``verbose=2``.

Redraws within an epoch are throttled (``throttle``, 0.5 s, and never sooner than
ten times the last redraw took); the end of an epoch and of training always redraw.

Example
-------
>>> from tfvis import show
>>> cb = show.fit_callbacks(verbose=False)
>>> for epoch in range(3):
...     cb.on_epoch_end(epoch, {"loss": 1.0 / (epoch + 1), "val_loss": 1.2 / (epoch + 1)})
>>> cb.history["on_epoch_end"]["loss"]
[1.0, 0.5, 0.3333333333333333]
"""

from __future__ import annotations

import csv
import io
import math
import os
import sys
import time
import weakref
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from tfvis import _display
from tfvis._chart import SCHEMA_URL, VEGALITE_MIMETYPE, Chart, _rows
from tfvis._container import place
from tfvis._frameworks import scalar
from tfvis._logs import Metric, Run, canonical
from tfvis._options import FitCallbacksOptions, resolve
from tfvis._output import SavedFile, write_atomically
from tfvis._text import clean_text, describe
from tfvis.errors import DataError, ExportError
from tfvis.show.history import build_panels, chart_panel, compose, metric_names

__all__ = ["FitCallbacks", "fitCallbacks", "fit_callbacks"]

EPOCH, BATCH = "on_epoch_end", "on_batch_end"
_FUNCTION = "show.fit_callbacks"


class _Track:
    """One metric of one callback: x (epoch or step), value, seconds, global step."""

    __slots__ = ("step", "t", "x", "y")

    def __init__(self) -> None:
        self.x: list[float] = []
        self.y: list[float] = []
        self.t: list[float] = []
        self.step: list[float] = []


class FitCallbacks:
    """Records training logs and keeps a chart of them current (see the module docstring).

    Made by :func:`tfvis.show.fit_callbacks`. Hand-written loops call
    :meth:`on_batch_end` and :meth:`on_epoch_end`; ``model.fit`` takes
    :meth:`keras`, a Lightning ``Trainer`` takes :meth:`lightning`.

    Attributes
    ----------
    history
        Every value recorded, as Python floats, by callback and metric:
        ``cb.history["on_epoch_end"]["loss"]``.
    """

    def __init__(
        self, container: Any, metrics: list[str] | None, options: FitCallbacksOptions
    ) -> None:
        self._container = container
        self._metrics = metrics
        self._options = options
        self._tracks: dict[str, dict[str, _Track]] = {EPOCH: {}, BATCH: {}}
        self._start: float | None = None
        self._last_step: float = math.nan
        self._last_draw = -math.inf
        self._draw_cost = 0.0
        self._last_epoch_time: float | None = None
        self._handle: Any = None
        self._batch_note: str | None = None
        self._stale_bundle = False
        self._watching = False
        self._clean: set[str] = set()
        texts = (options.title, options.subtitle, options.x_label, options.y_label)
        self._options_clean = all(t is None or clean_text(t) == t for t in texts)
        self._records_batch = BATCH in options.callbacks
        self._records_epoch = EPOCH in options.callbacks

    # ------------------------------------------------------------------ recording

    def on_batch_end(self, batch: Any, logs: Mapping[str, Any] | None = None) -> None:
        """Record a batch's logs at step ``batch`` (the x value drawn); redraw if due."""
        if not self._records_batch:
            return
        now = time.perf_counter()
        step = _position(batch)
        self._record(BATCH, step, step, logs, now)
        if not math.isnan(step):
            self._last_step = step
        # Within an epoch, a redraw is due after `throttle` seconds, and never sooner
        # than ten times what the last one cost (a PNG kept current costs 100-300 ms:
        # redraws take at most a tenth of the training time between epoch ends).
        if now - self._last_draw >= max(self._options.throttle, 10 * self._draw_cost):
            self._update(now, final=False)

    def on_epoch_end(
        self, epoch: Any, logs: Mapping[str, Any] | None = None, *, step: Any = None
    ) -> None:
        """Record an epoch's logs at ``epoch`` (the x value drawn) and redraw.

        ``step``, if given, is the global step at the end of the epoch (for
        ``x='step'``); by default the last step :meth:`on_batch_end` was given.
        """
        now = time.perf_counter()
        if self._records_epoch:
            at = self._last_step if step is None else _position(step)
            self._record(EPOCH, _position(epoch), at, logs, now)
        if self._wants_lines():
            self._print_line(epoch, logs, now)
        self._update(now, final=False)

    def on_train_end(self, logs: Mapping[str, Any] | None = None) -> None:
        """The end of training: redraw, with the static fallback in notebooks."""
        self._update(time.perf_counter(), final=True)

    #: tfjs-vis' names, so ported code runs unchanged.
    onBatchEnd = on_batch_end
    onEpochEnd = on_epoch_end
    onTrainEnd = on_train_end
    close = on_train_end

    def __getitem__(self, name: str) -> Callable[..., None]:
        """tfjs-vis returns ``{onEpochEnd, onBatchEnd}``: ``cb["onEpochEnd"]`` works too."""
        methods: dict[str, Callable[..., None]] = {
            "onEpochEnd": self.on_epoch_end,
            "onBatchEnd": self.on_batch_end,
        }
        methods |= {EPOCH: self.on_epoch_end, BATCH: self.on_batch_end}
        if name not in methods:
            raise KeyError(name)
        return methods[name]

    def set_batch_note(self, note: str | None) -> None:
        """A line under each batch panel's title (Keras: its batch logs are running means)."""
        self._batch_note = note

    def _record(
        self, callback: str, x: float, step: float, logs: Mapping[str, Any] | None, now: float
    ) -> None:
        if not isinstance(logs, Mapping):
            return  # logs=None (Keras may pass it) or anything else: nothing to record
        if self._start is None:
            self._start = now
        tracks = self._tracks[callback]
        seconds = now - self._start
        for name, value in logs.items():
            number = scalar(value)
            if number is None or not isinstance(name, str):
                continue  # strings, booleans, arrays of many values: not a metric
            track = tracks.get(name)
            if track is None:
                track = tracks[name] = _Track()
            track.x.append(x)
            track.y.append(number)
            track.t.append(seconds)
            track.step.append(step)

    # ------------------------------------------------------------------ reading

    @property
    def history(self) -> dict[str, dict[str, list[float]]]:
        """Every value recorded, as Python floats: ``{"on_epoch_end": {"loss": [...]}}``."""
        return {
            callback: {name: list(track.y) for name, track in tracks.items()}
            for callback, tracks in self._tracks.items()
        }

    def chart(self) -> Chart:
        """The chart as it stands: epoch panels, then batch panels.

        Raises
        ------
        DataError
            When nothing has been recorded yet.
        """
        options = self._options
        panels: list[Chart] = []
        for callback in (EPOCH, BATCH):
            run = self._run(callback)
            if not run.metrics:
                continue
            axis = options.x
            if callback == BATCH and axis == "epoch":
                axis = "step"
            available = {canonical(n)[0] for n in run.metrics} | set(run.metrics)
            wanted = None
            if self._metrics is not None:
                wanted = [m for m in self._metrics if m in available]
                if not wanted:
                    continue
            for panel in build_panels([run], wanted, axis, function=_FUNCTION):
                if callback == BATCH:
                    title, note = f"{panel.group} (per batch)", self._batch_note
                else:
                    title, note = panel.group, None
                panels.append(chart_panel(panel, options, axis, title=title, note=note))
        if not panels:
            wanted_text = "" if self._metrics is None else f" of the metrics {self._metrics}"
            raise DataError(f"{_FUNCTION}: nothing{wanted_text} has been recorded yet")
        return compose(panels, options)

    def _run(self, callback: str) -> Run:
        run = Run(None)
        for name, track in self._tracks[callback].items():
            x = np.asarray(track.x, dtype=np.float64)
            step = np.asarray(track.step, dtype=np.float64)
            run.metrics[name] = Metric(
                name,
                np.asarray(track.y, dtype=np.float64),
                epoch=x if callback == EPOCH else None,
                step=step,
                time=np.asarray(track.t, dtype=np.float64),
            )
        return run

    def save(self, path: str | os.PathLike[str], **kwargs: Any) -> SavedFile:
        """Save the recorded values (``.csv``) or the chart (any suffix :class:`Chart` saves).

        The CSV has one row per value: ``callback, metric, x, step, time, value``
        (``x`` is the epoch or step it was recorded at, ``time`` seconds since the
        first record).
        """
        if not isinstance(path, str | os.PathLike):
            raise ExportError(f"save(path) needs a file path, got {describe(path)}")
        target = Path(os.fspath(path))
        if target.suffix.lower() != ".csv":
            return self.chart().save(target, **kwargs)
        if kwargs:
            raise ExportError(f"save({os.fspath(path)!r}) takes no keywords, got {sorted(kwargs)}")
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["callback", "metric", "x", "step", "time", "value"])
        for callback, tracks in self._tracks.items():
            for name, track in tracks.items():
                for row in zip(track.x, track.step, track.t, track.y, strict=True):
                    writer.writerow([callback, name, *(_csv_number(v) for v in row)])
        write_atomically(target, buffer.getvalue().encode("utf-8"))
        return SavedFile(target)

    # ------------------------------------------------------------------ adapters

    def keras(self) -> Any:
        """A ``keras.callbacks.Callback`` for ``model.fit(..., callbacks=[cb.keras()])``."""
        from tfvis._frameworks import _training

        return _training.keras_callback(self)

    def lightning(self) -> Any:
        """A ``lightning.pytorch.Callback`` for ``Trainer(callbacks=[cb.lightning()])``."""
        from tfvis._frameworks import _training

        return _training.lightning_callback(self)

    # ------------------------------------------------------------------ showing

    def _wants_lines(self) -> bool:
        verbose = self._options.verbose
        if verbose is not None:
            return verbose
        return self._container is None and _notebook_shell() is None

    def _print_line(self, epoch: Any, logs: Mapping[str, Any] | None, now: float) -> None:
        elapsed = now - (self._last_epoch_time or self._start or now)
        self._last_epoch_time = now
        parts = [f"Epoch {_shown(epoch)}", f"{elapsed:.2f}s"]
        for name, value in (logs or {}).items() if isinstance(logs, Mapping) else ():
            number = scalar(value)
            if number is not None and isinstance(name, str):
                parts.append(f"{name}: {_number(number)}")
        print(" - ".join(parts), file=sys.stdout, flush=True)

    def _update(self, now: float, *, final: bool) -> None:
        """Redraw wherever the curves show; nothing before the first value."""
        if not any(self._tracks.values()):
            return
        self._last_draw = now
        shell = None if self._container is not None else _notebook_shell()
        if self._container is None and shell is None:
            return  # a script with no container: the lines are all it shows
        try:
            chart = self.chart()
        except DataError:
            return  # none of the metrics asked for has been logged yet
        if self._container is not None:
            place(chart, self._container)
            self._last_draw = time.perf_counter()
            self._draw_cost = self._last_draw - now
            return
        if final:
            bundle = chart._repr_mimebundle_()
        else:
            bundle = {
                VEGALITE_MIMETYPE: self._live_spec(chart),
                _display.PLAIN: repr(chart),
            }
        self._show(bundle)
        self._stale_bundle = not final
        if not final:
            self._watch_cells(shell)
        self._last_draw = time.perf_counter()
        self._draw_cost = self._last_draw - now

    def _live_spec(self, chart: Chart) -> dict[str, Any]:
        """The spec ``chart.to_dict()`` gives, without its JSON round trip.

        While training runs the kernel writes this dict as JSON itself, so writing it
        once more and reading it back (what ``to_dict`` does for every other output)
        is half the cost of an update. That is safe only when no text needs the
        cleaning :func:`tfvis._text.strict_json` does: every string of the chart comes
        from a metric name or an option, checked here (once per name); any name that
        would be cleaned, and the end-of-training output, go through ``to_dict``. The
        numbers drawn are finite: the curves leave NaN and infinities out.
        """
        names = [n for tracks in self._tracks.values() for n in tracks if n not in self._clean]
        for name in names:
            if clean_text(name) != name:
                return chart.to_dict()
            self._clean.add(name)
        if not self._options_clean:
            return chart.to_dict()
        chart._check("a notebook output")
        datasets = {name: _rows(chart._datasets[name]) for name in chart._view_data("full")}
        return {**chart._body("full"), "$schema": SCHEMA_URL, "datasets": datasets}

    def _show(self, bundle: dict[str, Any]) -> None:
        from IPython.display import display

        if self._handle is None:
            self._handle = display(bundle, raw=True, display_id=True)  # type: ignore[no-untyped-call]
        else:
            self._handle.update(bundle, raw=True)

    def _watch_cells(self, shell: Any) -> None:
        """After the cell that trained, send the whole output once (static fallback too)."""
        if self._watching:
            return
        self._watching = True
        ref = weakref.ref(self)

        def after_cell(*_: Any) -> None:
            callbacks = ref()
            if callbacks is not None and callbacks._stale_bundle:
                callbacks._update(time.perf_counter(), final=True)

        shell.events.register("post_run_cell", after_cell)

    def __repr__(self) -> str:
        counts = ", ".join(
            f"{callback}: {sum(len(t.y) for t in tracks.values())} values"
            for callback, tracks in self._tracks.items()
        )
        return f"<tfvis.FitCallbacks {counts}>"


def _notebook_shell() -> Any:
    """The IPython shell of a Jupyter kernel, or None (a script, a terminal IPython)."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return shell if shell is not None and hasattr(shell, "kernel") else None


def _position(value: Any) -> float:
    number = scalar(value)
    return math.nan if number is None else number


def _shown(epoch: Any) -> str:
    number = scalar(epoch)
    return describe(epoch) if number is None else f"{number:g}"


def _number(value: float) -> str:
    if value != 0 and math.isfinite(value) and not 1e-3 <= abs(value) < 1e5:
        return f"{value:.4e}"
    return f"{value:.4f}"


def _csv_number(value: float) -> str:
    return "" if math.isnan(value) else repr(value)


def fit_callbacks(*args: Any, **options: Any) -> FitCallbacks:
    """Callbacks that draw training curves live (tfjs-vis ``show.fitCallbacks``).

    Call as ``fit_callbacks(container=None, metrics=None, opts=None, **options)``.

    Parameters
    ----------
    container
        None (a notebook output, or a line per epoch in a script), a file path
        kept current (``"curves.html"``, ``.png``, ``.svg``) or a visor surface.
    metrics
        The metric names to draw (``['loss', 'val_loss', 'acc', 'val_acc']``); None
        draws every numeric metric. Every value is recorded either way.
    opts, **options
        Those of :func:`tfvis.show.history`, and ``callbacks`` (tfjs-vis:
        ``['onEpochEnd', 'onBatchEnd']``, snake_case too), ``throttle`` (least
        seconds between redraws within an epoch, 0.5) and ``verbose`` (a line per
        epoch; by default only when there is no notebook and no container).

    Returns
    -------
    FitCallbacks

    Example
    -------
    >>> from tfvis import show
    >>> cb = show.fit_callbacks(None, ["loss"], verbose=False)
    >>> for step in range(100):
    ...     cb.on_batch_end(step, {"loss": 1 / (step + 1)})
    >>> len(cb.history["on_batch_end"]["loss"])
    100
    >>> model.fit(x, y, epochs=3, callbacks=[cb.keras()])  # doctest: +SKIP
    """
    container, metrics, opts = _arguments(args)
    settings = resolve(FitCallbacksOptions, opts, options, chart=_FUNCTION)
    return FitCallbacks(container, metric_names(metrics, _FUNCTION), settings)


def _arguments(args: tuple[Any, ...]) -> tuple[Any, Any, Mapping[str, Any] | None]:
    """``(container, metrics, opts)`` of every call form (all optional)."""
    if len(args) > 3:
        raise TypeError(
            f"{_FUNCTION}() takes a container, metrics and opts (all optional); got "
            f"{len(args)} positional arguments"
        )
    padded = [*args, None, None, None][:3]
    container, metrics, opts = padded
    if len(args) == 1 and not _is_container_like(container):
        container, metrics = None, args[0]
        if isinstance(metrics, Mapping):
            metrics, opts = None, metrics
    elif len(args) >= 2 and not _is_container_like(container) and container is not None:
        container, metrics, opts = None, args[0], args[1]
    if len(args) == 2 and isinstance(metrics, Mapping):
        metrics, opts = None, metrics
    if opts is not None and not isinstance(opts, Mapping):
        raise TypeError(f"{_FUNCTION}(): opts must be a mapping, got {describe(opts)}")
    return container, metrics, opts


def _is_container_like(value: Any) -> bool:
    from tfvis._container import is_container

    return value is None or is_container(value)


#: tfjs-vis' name.
fitCallbacks = fit_callbacks
