"""tfvis: the tfjs-vis charts for Python.

Example
-------
>>> from tfvis import render
>>> chart = render.linechart({"values": [{"x": 1, "y": 20}, {"x": 2, "y": 30}]}, {"width": 400})
>>> chart.save("plot1.png")  # doctest: +SKIP
"""

from tfvis import downsample, errors, render
from tfvis._chart import Chart
from tfvis._compose import hconcat, vconcat
from tfvis._display import get_display, set_display
from tfvis._fonts import register_font_directory
from tfvis._output import SavedFile
from tfvis._visor import Surface, Visor, visor
from tfvis.errors import (
    DataError,
    DownsampleWarning,
    ExportError,
    MissingGlyphWarning,
    OptionError,
    TfvisError,
)

__all__ = [
    "Chart",
    "DataError",
    "DownsampleWarning",
    "ExportError",
    "MissingGlyphWarning",
    "OptionError",
    "SavedFile",
    "Surface",
    "TfvisError",
    "Visor",
    "downsample",
    "errors",
    "get_display",
    "hconcat",
    "register_font_directory",
    "render",
    "set_display",
    "vconcat",
    "visor",
]

# Issue #12: tables, metrics and the show functions.
from tfvis import metrics, show
from tfvis._table import Table

__all__ += ["Table", "metrics", "show"]

# Issue #13: the book's section 7.2 (numpy out; frameworks imported only when used).
from tfvis import internals  # noqa: E402

__all__ += ["internals"]
__version__ = "0.1.0"
