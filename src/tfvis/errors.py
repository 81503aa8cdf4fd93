"""The tfvis error tree.

Every error tfvis raises on purpose is a :class:`TfvisError`. Messages name the
argument, what was expected and what was received.
"""

from __future__ import annotations

__all__ = ["DataError", "DownsampleWarning", "ExportError", "OptionError", "TfvisError"]


class TfvisError(Exception):
    """Base class of every error tfvis raises on purpose."""


class DataError(TfvisError, ValueError):
    """The data given to a render or downsample function has the wrong shape or type."""


class OptionError(TfvisError, ValueError):
    """An option is unknown, given twice, or has a value of the wrong type."""


class ExportError(TfvisError, RuntimeError):
    """A chart could not be written to the requested output."""


class DownsampleWarning(UserWarning):
    """A series was reduced to the point budget before it was drawn."""
