"""``tfvis.metrics`` against scikit-learn, on every input form, with tfjs-vis' errors."""

from __future__ import annotations

import re

import numpy as np
import pytest
from sklearn import metrics as sk

from conftest import require
from tfvis import DataError, metrics

RNG = np.random.default_rng(12)
LABELS = RNG.integers(0, 7, 500)
PREDICTIONS = np.where(RNG.random(500) < 0.6, LABELS, RNG.integers(0, 7, 500))


def test_confusion_matrix_equals_scikit_learn() -> None:
    ours = metrics.confusion_matrix(LABELS, PREDICTIONS)
    assert ours.dtype == np.int64
    np.testing.assert_array_equal(ours, sk.confusion_matrix(LABELS, PREDICTIONS))
    # a class that never occurs in either input still has its row and column
    ours = metrics.confusion_matrix(LABELS, PREDICTIONS, num_classes=9)
    expected = sk.confusion_matrix(LABELS, PREDICTIONS, labels=list(range(9)))
    np.testing.assert_array_equal(ours, expected)


def test_weighted_confusion_matrix_equals_scikit_learn() -> None:
    weights = RNG.random(500)
    ours = metrics.confusion_matrix(LABELS, PREDICTIONS, weights=weights)
    assert ours.dtype == np.float64
    np.testing.assert_allclose(
        ours, sk.confusion_matrix(LABELS, PREDICTIONS, sample_weight=weights), rtol=1e-12
    )


def test_accuracy_and_per_class_accuracy_equal_scikit_learn() -> None:
    assert metrics.accuracy(LABELS, PREDICTIONS) == pytest.approx(
        sk.accuracy_score(LABELS, PREDICTIONS), abs=1e-15
    )
    per_class = metrics.per_class_accuracy(LABELS, PREDICTIONS, num_classes=9)
    recall = sk.recall_score(
        LABELS, PREDICTIONS, labels=list(range(9)), average=None, zero_division=0
    )
    np.testing.assert_allclose([c["accuracy"] for c in per_class], recall, rtol=1e-12)
    assert [c["count"] for c in per_class] == np.bincount(LABELS, minlength=9).tolist()
    assert per_class[8] == {"accuracy": 0.0, "count": 0}  # no samples: 0, as in tfjs-vis
    assert all(type(c["accuracy"]) is float and type(c["count"]) is int for c in per_class)


def test_one_hot_and_probability_rows_are_reduced_by_argmax() -> None:
    one_hot = np.eye(7)[LABELS]
    scores = RNG.random((500, 7))
    scores[np.arange(500), PREDICTIONS] += 1.0  # the prediction has the top score
    np.testing.assert_array_equal(
        metrics.confusion_matrix(one_hot, scores), sk.confusion_matrix(LABELS, PREDICTIONS)
    )
    assert metrics.accuracy(one_hot, scores) == metrics.accuracy(LABELS, PREDICTIONS)
    # an n x 1 column is n class indices, not n one-element rows
    column = LABELS.reshape(-1, 1)
    np.testing.assert_array_equal(
        metrics.confusion_matrix(column, PREDICTIONS), sk.confusion_matrix(LABELS, PREDICTIONS)
    )


def test_lists_bools_and_whole_floats() -> None:
    assert metrics.confusion_matrix([True, False, True], [True, True, True]).tolist() == [
        [0, 1],
        [0, 2],
    ]
    assert metrics.confusion_matrix([1.0, 0.0], np.array([1, 1], dtype=np.uint8)).tolist() == [
        [0, 1],
        [0, 1],
    ]
    assert metrics.confusion_matrix((0, 1), [1, 1]).tolist() == [[0, 1], [0, 1]]


def test_torch_tensors_that_require_grad() -> None:
    try:
        import torch
    except ImportError:
        torch = None
    require(torch is not None, "torch is not installed")
    logits = torch.tensor(np.eye(7)[PREDICTIONS] * 3.0, requires_grad=True)
    labels = torch.tensor(LABELS)
    np.testing.assert_array_equal(
        metrics.confusion_matrix(labels, logits), sk.confusion_matrix(LABELS, PREDICTIONS)
    )
    assert metrics.accuracy(labels, logits) == pytest.approx(sk.accuracy_score(LABELS, PREDICTIONS))
    assert logits.grad is None


def test_camel_case_names() -> None:
    assert metrics.confusionMatrix is metrics.confusion_matrix
    assert metrics.perClassAccuracy is metrics.per_class_accuracy


@pytest.mark.parametrize(
    ("labels", "predictions", "message"),
    [
        (
            [0.5, 1],
            [0, 1],
            "labels must hold whole class indices 0, 1, 2, ..., got 0.5 at position 0; reduce "
            "scores or probabilities to classes first (one column: threshold it, e.g. p > 0.5)",
        ),
        ([0, -1], [0, 1], "labels must hold class indices >= 0, got -1 at position 1"),
        ([0, 1], [0, float("nan")], "predictions must hold whole class indices 0, 1, 2, ..."),
        (
            ["a", "b"],
            [0, 1],
            "labels must hold class indices (whole numbers), got an array of dtype <U1",
        ),
        (
            "01",
            [0, 1],
            "labels of confusion_matrix must be a list, array or tensor of class indices, "
            "got '01' (str)",
        ),
        (
            [0, 10**6],
            [0, 1],
            "confusion_matrix counts at most 10,000 classes, but the inputs hold class "
            "1,000,000; are these class indices?",
        ),
    ],
)
def test_bad_values_are_data_errors(labels: object, predictions: object, message: str) -> None:
    with pytest.raises(DataError, match="^" + re.escape(message)):
        metrics.confusion_matrix(labels, predictions)


def test_num_classes_and_weights_are_checked() -> None:
    with pytest.raises(
        DataError, match=re.escape("labels hold class 4, but num_classes is 3 (classes 0 to 2)")
    ):
        metrics.confusion_matrix([4, 0], [0, 0], num_classes=3)
    with pytest.raises(DataError, match=r"^num_classes must be a positive integer or None"):
        metrics.per_class_accuracy([0], [0], num_classes=2.0)
    with pytest.raises(
        DataError,
        match=re.escape("weights and predictions must be the same length, got 1 weights and 2"),
    ):
        metrics.confusion_matrix([0, 1], [0, 1], weights=[1.0])
    with pytest.raises(DataError, match=re.escape("weights must be finite numbers, got inf")):
        metrics.confusion_matrix([0, 1], [0, 1], weights=[1.0, float("inf")])
    with pytest.raises(DataError, match=re.escape("weights must be a 1D tensor, got shape")):
        metrics.confusion_matrix([0, 1], [0, 1], weights=np.ones((2, 2)))


def test_accuracy_of_nothing_is_an_error_not_nan() -> None:
    with pytest.raises(
        DataError,
        match=r"^accuracy needs at least one sample, got empty labels and predictions$",
    ):
        metrics.accuracy([], [])
    assert metrics.confusion_matrix([], []).shape == (0, 0)


def test_ten_million_samples_stay_vectorised() -> None:
    """No Python loop over samples: 10^7 samples of int8 go through (timed in benchmarks/)."""
    labels = RNG.integers(0, 100, 10**7, dtype=np.int8)
    predictions = labels.copy()
    predictions[::10] = 0
    matrix = metrics.confusion_matrix(labels, predictions)
    assert matrix.sum() == 10**7
    assert matrix.shape == (100, 100)
