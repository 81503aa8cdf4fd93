"""``show.values_distribution``: a histogram of every value of a tensor, with its stats."""

from __future__ import annotations

from typing import Any

from tfvis._chart import Chart
from tfvis._container import place, split_call
from tfvis.render.histogram import histogram

__all__ = ["valuesDistribution", "values_distribution"]

#: tfjs-vis draws the values distribution 150 pixels high.
HEIGHT = 150


def values_distribution(*args: Any, **options: Any) -> Chart:
    """Show the distribution of all values of a tensor: a histogram and its stats table.

    Parameters
    ----------
    values
        A tensor of any shape and framework (numpy, torch, TensorFlow, JAX), a Keras
        variable, a torch parameter (read without its gradient), or a list.
    opts, **options
        The histogram's options (:func:`tfvis.render.histogram`); ``height`` is 150
        unless given.

    Also callable in tfjs-vis order, ``values_distribution(container, values)``.

    Returns
    -------
    Chart

    Example
    -------
    >>> import numpy as np
    >>> from tfvis import show
    >>> chart = show.values_distribution(np.array([0, 0, 0, 0, 2, 3, 4]))
    >>> chart.stats["num_zeros"]
    4
    """
    container, values, opts = split_call("values_distribution", args)
    given = {**(opts or {}), **options}
    if "height" not in given:
        options = {**options, "height": HEIGHT}
    chart = histogram(values, opts, **options)
    place(chart, container)
    return chart


#: tfjs-vis' name.
valuesDistribution = values_distribution
