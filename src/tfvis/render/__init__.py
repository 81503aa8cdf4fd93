"""The tfjs-vis ``tfvis.render`` chart functions.

Each takes ``(data, opts=None, **options)`` or, in tfjs-vis order,
``(container, data, opts=None, **options)`` with a file path as the container,
and returns a :class:`tfvis.Chart` (``render.table`` returns a :class:`tfvis.Table`).

Example
-------
>>> from tfvis import render
>>> chart = render.histogram([1, 5, 5, 5, 5, 10, -3, -3], {"maxBins": 3})
"""

from tfvis.render.barchart import barchart
from tfvis.render.heatmap import heatmap
from tfvis.render.histogram import histogram
from tfvis.render.linechart import linechart
from tfvis.render.scatterplot import scatterplot

__all__ = ["barchart", "heatmap", "histogram", "linechart", "scatterplot"]

# Issue #12: the last two tfjs-vis render functions.
from tfvis.render.confusion_matrix import confusion_matrix, confusionMatrix
from tfvis.render.table import table

__all__ += ["confusionMatrix", "confusion_matrix", "table"]

# Issue #13: pictures (the book's section 7.2 draws its activations and maps with it).
from tfvis.render.image import image  # noqa: E402

__all__ += ["image"]
