"""The demo's visor report: the gallery's charts in tabs, plus a model evaluation.

``tfvis demo`` writes ``visor.html`` beside ``index.html``: the book's listings in one
tab, the Seattle weather (vega_datasets) in another and, in a third, the evaluation
of a small classifier trained on scikit-learn's bundled digits (8 × 8 images, 10
classes). Without scikit-learn the third tab says what to install.

Example
-------
>>> from tfvis._demo import gallery, report
>>> result = gallery.build("tfvis-gallery")  # doctest: +SKIP
>>> report.build_visor(result.outcomes).save("tfvis-gallery/visor.html")  # doctest: +SKIP
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from tfvis import metrics, render, show
from tfvis._demo.gallery import Outcome
from tfvis._output import Output
from tfvis._visor import Visor

__all__ = ["BOOK_TAB", "EVALUATION_TAB", "SEATTLE_TAB", "Evaluation", "build_visor", "evaluate"]

BOOK_TAB = "Book listings"
SEATTLE_TAB = "Seattle weather"
EVALUATION_TAB = "Model evaluation"
#: The gallery charts of each tab, by slug prefix.
_TABS = ((BOOK_TAB, "listing-"), (SEATTLE_TAB, "seattle-"))
_DIGITS = [str(d) for d in range(10)]


@dataclass(frozen=True)
class Evaluation:
    """A classifier's test-set results: labels, predictions and how sure each one was."""

    labels: np.ndarray
    predictions: np.ndarray
    margins: np.ndarray
    description: str


def evaluate(seed: int = 0, test_images: int = 600) -> Evaluation:
    """Classify scikit-learn's digits by the nearest class centroid (numpy), on a held-out set.

    A model with no training loop keeps the demo fast on a busy machine; it is right
    about 89% of the time, which leaves a confusion matrix worth reading. The margin
    of an image is how much closer its nearest centroid is than the second nearest
    (small: the model was unsure). Needs scikit-learn for the data only (the digits
    ship with it: nothing is downloaded).
    """
    from sklearn.datasets import load_digits

    digits = load_digits()
    images, labels = digits.data / 16.0, np.asarray(digits.target)
    order = np.random.default_rng(seed).permutation(len(labels))
    test, train = order[:test_images], order[test_images:]
    centroids = np.stack([images[train][labels[train] == k].mean(axis=0) for k in range(10)])
    distances = ((images[test][:, None, :] - centroids[None, :, :]) ** 2).sum(axis=-1)
    nearest = np.sort(distances, axis=1)
    return Evaluation(
        labels=labels[test],
        predictions=distances.argmin(axis=1),
        margins=nearest[:, 1] - nearest[:, 0],
        description=(
            f"nearest-centroid classifier on scikit-learn's digits ({len(train)} training, "
            f"{len(test)} test images)"
        ),
    )


def evaluation_outputs(evaluation: Evaluation) -> list[tuple[str, Output]]:
    """The evaluation tab's surfaces: confusion matrix, per-class accuracy, confidence.

    Drawn with tfvis's own evaluation functions, as a user would write them:
    ``metrics.confusion_matrix`` into ``render.confusion_matrix``, and
    ``metrics.per_class_accuracy`` into ``show.per_class_accuracy`` (a table on a
    surface of its own).
    """
    counts = metrics.confusion_matrix(
        evaluation.labels, evaluation.predictions, num_classes=len(_DIGITS)
    )
    accuracy = float(np.trace(counts) / counts.sum())
    matrix = render.confusion_matrix(
        {"values": counts, "tickLabels": _DIGITS},
        xLabel="prediction",
        yLabel="label",
        width=420,
        height=400,
    )
    per_class = show.per_class_accuracy(
        metrics.per_class_accuracy(
            evaluation.labels, evaluation.predictions, num_classes=len(_DIGITS)
        ),
        [f"digit {d}" for d in _DIGITS],
    )
    wrong = evaluation.labels != evaluation.predictions
    margins = render.histogram(
        evaluation.margins[wrong],
        maxBins=10,
        xLabel="margin: 2nd nearest minus nearest squared distance",
        yLabel="wrong predictions",
        width=420,
    )
    return [
        (f"Confusion matrix: {evaluation.description}; accuracy {accuracy:.1%}", matrix),
        ("Accuracy per class", per_class),
        (f"How sure the model was when wrong ({int(wrong.sum())} images)", margins),
    ]


def build_visor(outcomes: Sequence[Outcome]) -> Visor:
    """The demo report: each drawn gallery chart on its tab, then the evaluation."""
    report = Visor(title="tfvis visor demo")
    for tab, prefix in _TABS:
        for outcome in outcomes:
            if outcome.chart is not None and outcome.entry.slug.startswith(prefix):
                report.surface(name=outcome.entry.title, tab=tab).draw(outcome.chart)
    if importlib.util.find_spec("sklearn") is None:
        report.surface(
            name="Skipped: needs scikit-learn (pip install scikit-learn)", tab=EVALUATION_TAB
        )
    else:
        evaluation = evaluate()
        for name, output in evaluation_outputs(evaluation):
            report.surface(name=name, tab=EVALUATION_TAB).draw(output)
    if report.tabs:
        report.set_active_tab(report.tabs[0])
    return report
