"""The display policy: which representations a notebook gets of a tfvis output.

A notebook output is a bundle of representations; the front end shows the richest
one it can. tfvis outputs offer an *interactive* one (the Vega-Lite v5 JSON for
charts, which JupyterLab, Notebook 7 and VS Code draw with no network; HTML for
tables and the visor) and *static* ones (PNG, SVG) for viewers without JavaScript
(GitHub, nbviewer, nbconvert). A static picture costs an engine render (about
550 ms for the first in a process, 20-80 ms after), so the choice matters for live
outputs. The mode, as Altair's renderer registry does it, is process-wide:

================  ==========================================================
``vegalite+png``  the default: interactive, plus a PNG fallback
``vegalite``      interactive only: fastest, nothing static in the notebook
``vegalite+svg``  interactive, plus an SVG fallback
``png``, ``svg``  a static picture only
================  ==========================================================

``text/plain`` is always included. The environment variable ``TFVIS_DISPLAY`` sets the
mode a process starts with. Live outputs (``show.fit_callbacks``) send only the
interactive part while training runs and the whole bundle at the end.

Example
-------
>>> import tfvis
>>> previous = tfvis.set_display("vegalite")
>>> tfvis.get_display()
'vegalite'
>>> _ = tfvis.set_display(previous)
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from tfvis._text import describe
from tfvis.errors import OptionError

__all__ = [
    "MODES",
    "PLAIN",
    "Representations",
    "bundle",
    "get_display",
    "register_with_ipython",
    "set_display",
]

INTERACTIVE = "interactive"
PLAIN = "text/plain"
PNG = "image/png"
SVG = "image/svg+xml"
#: Each mode's parts, in the order a front end should prefer them.
MODES: dict[str, tuple[str, ...]] = {
    "vegalite+png": (INTERACTIVE, PNG),
    "vegalite": (INTERACTIVE,),
    "vegalite+svg": (INTERACTIVE, SVG),
    "png": (PNG,),
    "svg": (SVG,),
}
DEFAULT = "vegalite+png"
VARIABLE = "TFVIS_DISPLAY"

#: What an output offers: its interactive mimetype and a producer per mimetype,
#: called only for the parts the bundle includes.
Representations = tuple[str, Mapping[str, Callable[[], Any]]]

_lock = threading.Lock()
_mode: str | None = None


def _checked(mode: Any, source: str) -> str:
    if not isinstance(mode, str) or mode not in MODES:
        known = ", ".join(repr(m) for m in MODES)
        raise OptionError(f"{source} must be one of {known}, got {describe(mode)}")
    return mode


def get_display() -> str:
    """The display mode notebook outputs use now (see :mod:`tfvis._display`)."""
    global _mode
    with _lock:
        if _mode is None:
            raw = os.environ.get(VARIABLE, "").strip()
            _mode = _checked(raw, f"Environment variable {VARIABLE}") if raw else DEFAULT
        return _mode


def set_display(mode: str) -> str:
    """Choose what notebook outputs include; returns the mode it replaces.

    Parameters
    ----------
    mode
        ``'vegalite+png'`` (default), ``'vegalite'``, ``'vegalite+svg'``, ``'png'`` or
        ``'svg'``.

    Returns
    -------
    str
        The previous mode, so a caller can restore it.

    Example
    -------
    >>> import tfvis
    >>> old = tfvis.set_display("vegalite")  # no PNG per display: cheap redraws
    >>> _ = tfvis.set_display(old)
    """
    global _mode
    checked = _checked(mode, "tfvis.set_display(mode)")
    previous = get_display()
    with _lock:
        _mode = checked
    return previous


def bundle(
    offer: Representations,
    include: Iterable[str] | None = None,
    exclude: Iterable[str] | None = None,
    *,
    mode: str | None = None,
) -> dict[str, Any]:
    """The mimebundle of an output under the display mode, or ``mode`` if given.

    ``include`` and ``exclude`` are Jupyter's (mimetypes); they narrow the mode's
    choice, never widen it... except that an explicit ``include`` of a mimetype the
    output offers is honoured even when the mode leaves it out, so
    ``chart._repr_mimebundle_(include=["image/png"])`` always gives a PNG.
    """
    interactive, producers = offer
    parts = [interactive if p == INTERACTIVE else p for p in MODES[mode or get_display()]]
    wanted = [*parts, PLAIN]
    if include is not None:
        asked = list(include)
        wanted = [m for m in dict.fromkeys([*wanted, *asked]) if m in asked]
    if exclude is not None:
        dropped = set(exclude)
        wanted = [m for m in wanted if m not in dropped]
    return {m: producers[m]() for m in wanted if m in producers}


def with_alt_text(data: dict[str, Any], alt: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """``(data, metadata)``: the bundle with alternative text on its static pictures.

    nbconvert, JupyterLab and nbsphinx read ``metadata["image/png"]["alt"]``; without it
    nbconvert warns "Alternative text is missing" and a screen reader gets nothing.
    """
    metadata = {m: {"alt": alt} for m in (PNG, SVG) if m in data}
    return data, metadata


def register_with_ipython(kind: type) -> None:
    """Give IPython's display of ``kind`` (every tfvis output) its metadata too.

    ``_repr_mimebundle_`` returns the plain dict of representations (the public
    contract, and what callers index into); IPython takes metadata only from a
    ``(data, metadata)`` pair, so a printer registered for the type supplies it. Only
    done when IPython is already running: importing tfvis never imports IPython.
    """
    ipython_module = sys.modules.get("IPython")
    shell = ipython_module.get_ipython() if ipython_module is not None else None
    if shell is None:
        return
    formatter = shell.display_formatter.mimebundle_formatter
    formatter.for_type(kind, lambda output: output._repr_mimebundle_with_metadata_())
