"""The tfjs-vis ``tfvis.show`` functions: model and evaluation views built on ``render``.

Each returns a :class:`tfvis.Chart` or a :class:`tfvis.Table`, and takes an optional
container first (a file path or a visor surface), as in tfjs-vis.

Example
-------
>>> from tfvis import metrics, show
>>> accuracy = metrics.per_class_accuracy([0, 1, 1], [0, 1, 0])
>>> show.per_class_accuracy(accuracy).headers
['Class', 'Accuracy', '# Samples']
"""

from tfvis.show.model import layer, model_summary, modelSummary
from tfvis.show.quality import per_class_accuracy, perClassAccuracy
from tfvis.show.tensor import values_distribution, valuesDistribution
