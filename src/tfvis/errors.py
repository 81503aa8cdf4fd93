"""The tfvis error tree, and every warning tfvis issues.

Every error tfvis raises on purpose is a :class:`TfvisError`. Messages name the
argument, what was expected and what was received. A :class:`TfvisBug` is not one of
them: it means tfvis broke one of its own rules, and is worth a bug report.

Example
-------
>>> from tfvis import DataError, render
>>> try:
...     render.heatmap([1, 2, 3])
... except DataError as error:
...     print(error)
Input to renderHeatmap must be a 2d array or Tensor2d, got shape (3,)
"""

from __future__ import annotations

__all__ = [
    "DataError",
    "DemoError",
    "DownsampleWarning",
    "ExportError",
    "MissingGlyphWarning",
    "OptionError",
    "PrecisionWarning",
    "TfvisBug",
    "TfvisError",
]


class TfvisError(Exception):
    """Base class of every error tfvis raises on purpose."""


class DataError(TfvisError, ValueError):
    """The data given to a render or downsample function has the wrong shape or type."""


class OptionError(TfvisError, ValueError):
    """An option is unknown, given twice, or has a value of the wrong type."""


class ExportError(TfvisError, RuntimeError):
    """A chart could not be written to the requested output."""


class DemoError(TfvisError):
    """One or more charts of the ``tfvis demo`` gallery could not be drawn or written."""


class TfvisBug(RuntimeError):
    """tfvis built something inconsistent (a spec that draws data it does not carry).

    Not a :class:`TfvisError`: no input should cause it. Please report it.
    """


class DownsampleWarning(UserWarning):
    """A series was reduced to the point budget before it was drawn."""


class PrecisionWarning(UserWarning):
    """Values too small to draw (subnormal floats) were drawn as 0."""


class MissingGlyphWarning(UserWarning):
    """No installed font has glyphs for some text of a chart; it shows as empty boxes."""
