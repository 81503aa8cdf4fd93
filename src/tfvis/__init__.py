"""tfvis: the tfjs-vis ``tfvis.render`` charts for Python.

Example
-------
>>> from tfvis import render
>>> chart = render.linechart({"values": [{"x": 1, "y": 20}, {"x": 2, "y": 30}]}, {"width": 400})
>>> chart.save("plot1.png")  # doctest: +SKIP
"""

from tfvis import downsample, render
from tfvis._chart import Chart
from tfvis._fonts import register_font_directory
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
    "TfvisError",
    "downsample",
    "register_font_directory",
    "render",
]
__version__ = "0.1.0"
