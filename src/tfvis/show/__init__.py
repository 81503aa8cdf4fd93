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

# One import per public name ("name as name" re-exports it), so each helper's
# functions are lines of their own.
from tfvis.show.fit_callbacks import FitCallbacks as FitCallbacks
from tfvis.show.fit_callbacks import fit_callbacks as fit_callbacks
from tfvis.show.fit_callbacks import fitCallbacks as fitCallbacks
from tfvis.show.history import history as history
from tfvis.show.internals import activations as activations
from tfvis.show.internals import cam as cam
from tfvis.show.internals import max_activation as max_activation
from tfvis.show.internals import maxActivation as maxActivation
from tfvis.show.model import layer as layer
from tfvis.show.model import model_summary as model_summary
from tfvis.show.model import modelSummary as modelSummary
from tfvis.show.quality import per_class_accuracy as per_class_accuracy
from tfvis.show.quality import perClassAccuracy as perClassAccuracy
from tfvis.show.tensor import values_distribution as values_distribution
from tfvis.show.tensor import valuesDistribution as valuesDistribution
