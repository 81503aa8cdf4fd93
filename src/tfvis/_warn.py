"""Warnings that point at the user's line, however deep inside tfvis they are raised.

Example
-------
>>> import warnings
>>> from tfvis._warn import warn
>>> from tfvis.errors import DownsampleWarning
>>> with warnings.catch_warnings(record=True) as caught:
...     warnings.simplefilter("always")
...     warn("reduced", DownsampleWarning)
>>> caught[0].category.__name__
'DownsampleWarning'
"""

from __future__ import annotations

import os
import sys
import warnings

__all__ = ["warn"]

_PACKAGE = os.path.dirname(os.path.abspath(__file__))


def _outside_level() -> int:
    """The stacklevel of the first frame outside tfvis (the user's call)."""
    frame = sys._getframe(2)
    level = 2
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(_PACKAGE):
        frame = frame.f_back  # type: ignore[assignment]
        level += 1
    return level


def warn(message: str, category: type[Warning]) -> None:
    """Issue ``category`` at the line of user code that called into tfvis."""
    warnings.warn(message, category, stacklevel=_outside_level())
