"""``show.per_class_accuracy``, ``values_distribution``, ``model_summary`` and ``layer``
on real Keras 3 (torch backend, set in conftest.py) and PyTorch models.

A model is never changed by looking at it: each test of ``model_summary`` checks the
weights, the train/eval mode, the device, ``requires_grad``, ``.grad`` and the hooks.
"""

from __future__ import annotations

import io
import re
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import tfvis
from conftest import REQUIRE_EXTERNALS, require
from tfvis import DataError, metrics, show

try:
    import torch
except ImportError:  # pragma: no cover - torch is installed in CI
    if REQUIRE_EXTERNALS:
        pytest.fail("TFVIS_REQUIRE_EXTERNALS=1 but torch is not installed", pytrace=False)
    pytest.skip("torch is not installed (pip install torch)", allow_module_level=True)


# ----------------------------------------------------------------------------- helpers


def snapshot(model: Any) -> dict[str, Any]:
    """Everything looking at a model must leave as it was."""
    return {
        "values": {k: v.detach().clone() for k, v in model.state_dict().items()},
        "storage": {k: v.data_ptr() for k, v in model.state_dict().items()},
        "devices": {k: v.device for k, v in model.state_dict().items()},
        "training": {name: m.training for name, m in model.named_modules()},
        "requires_grad": {k: p.requires_grad for k, p in model.named_parameters()},
        "grads": {k: p.grad for k, p in model.named_parameters()},
        "hooks": {
            name: (len(m._forward_hooks), len(m._forward_pre_hooks), len(m._backward_hooks))
            for name, m in model.named_modules()
        },
    }


def assert_unchanged(model: Any, before: dict[str, Any]) -> None:
    after = snapshot(model)
    assert after["storage"] == before["storage"]
    assert after["devices"] == before["devices"]
    assert after["training"] == before["training"]
    assert after["requires_grad"] == before["requires_grad"]
    assert after["hooks"] == before["hooks"]
    for key, grad in before["grads"].items():
        assert after["grads"][key] is grad
    for key, value in before["values"].items():
        assert torch.equal(after["values"][key], value), key


@pytest.fixture
def no_moves(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail if anything moves a module or switches its mode while the test runs."""

    def refuse(name: str) -> Any:
        def method(self: Any, *args: Any, **kwargs: Any) -> Any:
            raise AssertionError(f"tfvis called Module.{name}")

        return method

    for name in ("to", "cuda", "cpu", "train", "eval", "half", "float", "requires_grad_"):
        monkeypatch.setattr(torch.nn.Module, name, refuse(name))


def conv_net() -> Any:
    torch.manual_seed(0)
    return torch.nn.Sequential(
        torch.nn.Conv2d(1, 4, 3),
        torch.nn.BatchNorm2d(4),
        torch.nn.ReLU(),
        torch.nn.Flatten(),
        torch.nn.Dropout(0.5),
        torch.nn.Linear(4 * 6 * 6, 10),
    )


# ----------------------------------------------------------------------------- PyTorch


@pytest.mark.parametrize("mode", ["train", "eval"])
def test_torch_summary_shapes_come_from_the_meta_device_and_change_nothing(
    mode: str, no_moves: None
) -> None:
    model = conv_net()
    model.training = mode == "train"
    for module in model.modules():
        module.training = mode == "train"
    model[0].weight.grad = torch.ones_like(model[0].weight)
    model[5].bias.requires_grad = False
    before = snapshot(model)
    table = show.model_summary(model, input_shape=(1, 8, 8))
    assert_unchanged(model, before)
    assert table.headers == ["Layer Name", "Type", "Output Shape", "# Of Params", "Trainable"]
    assert table.rows == [
        ["0", "Conv2d", "[batch,4,6,6]", 40, True],
        ["1", "BatchNorm2d", "[batch,4,6,6]", 8, True],
        ["2", "ReLU", "[batch,4,6,6]", 0, True],
        ["3", "Flatten", "[batch,144]", 0, True],
        ["4", "Dropout", "[batch,144]", 0, True],
        ["5", "Linear", "[batch,10]", 1450, "partly"],
    ]
    total = sum(p.numel() for p in model.parameters())
    assert table.report == {
        "framework": "torch",
        "total_params": total,
        "trainable_params": total - 10,
        "non_trainable_params": 10,
        "optimizer_params": None,
    }
    assert table.caption == [
        f"Total params: {total:,}",
        f"Trainable params: {total - 10:,}",
        "Non-trainable params: 10",
    ]
    # the BatchNorm in train mode did not count a batch or move its statistics
    assert int(model[1].num_batches_tracked) == 0


def test_torch_summary_without_an_input_shape_counts_parameters_only() -> None:
    table = show.model_summary(conv_net())
    assert [row[2] for row in table.rows] == ["?"] * 6
    assert table.report["total_params"] == sum(p.numel() for p in conv_net().parameters())


def test_nested_containers_are_opened_and_names_follow_named_modules() -> None:
    class Net(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.features = torch.nn.Sequential(torch.nn.Conv2d(3, 8, 3), torch.nn.ReLU())
            self.head = torch.nn.Linear(8, 2)
            self.scale = torch.nn.Parameter(torch.ones(1))

        def forward(self, x: Any) -> Any:
            return self.head(self.features(x).mean(dim=(2, 3))) * self.scale

    model = Net()
    table = show.model_summary(model, input_shape=(3, 5, 5))
    assert [row[:3] for row in table.rows] == [
        ["features.0", "Conv2d", "[batch,8,3,3]"],
        ["features.1", "ReLU", "[batch,8,3,3]"],
        ["head", "Linear", "[batch,2]"],
        ["(own parameters)", "Net", ""],
    ]
    assert sum(row[3] for row in table.rows) == sum(p.numel() for p in model.parameters())
    assert dict(model.named_modules()).keys() >= {"features.0", "features.1", "head"}


def test_hooks_are_removed_when_the_forward_pass_fails() -> None:
    class Data(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.first = torch.nn.Linear(4, 4)
            self.second = torch.nn.Linear(4, 2)

        def forward(self, x: Any) -> Any:
            x = self.first(x)
            if x.sum().item() > 0:  # data-dependent: impossible without data
                return self.second(x)
            return x

    model = Data()
    before = snapshot(model)
    table = show.model_summary(model, input_shape=(4,))
    assert_unchanged(model, before)
    assert [row[2] for row in table.rows] == ["[batch,4]", "?"]
    assert table.caption[-1].startswith(
        "Some output shapes are unknown (?): the model could not run on the meta device "
        "(which computes nothing) with input_shape (4,): "
    )


def test_torch_layer_table_matches_numpy() -> None:
    layer = torch.nn.Linear(3, 2)
    with torch.no_grad():
        layer.weight[0, 0] = float("nan")
        layer.weight[1, 1] = float("inf")
        layer.bias.zero_()
    table = show.layer(layer)
    assert table.headers == [
        "Weight Name",
        "Shape",
        "Min",
        "Max",
        "# Params",
        "# Zeros",
        "# NaNs",
        "# Infinity",
    ]
    weight = layer.weight.detach().numpy()
    assert table.rows[0][:2] == ["weight", "[2,3]"]
    assert table.rows[0][2] == pytest.approx(float(np.nanmin(weight)))
    assert table.rows[0][3] == float("inf")
    assert table.rows[0][4:] == [6, 0, 1, 1]
    assert table.rows[1] == ["bias", "[2]", 0.0, 0.0, 2, 2, 0, 0]
    bn = show.layer(torch.nn.BatchNorm1d(3))
    assert [r[0] for r in bn.rows] == [
        "weight",
        "bias",
        "running_mean",
        "running_var",
        "num_batches_tracked",
    ]
    assert bn.rows[-1][1] == "Scalar"


def test_values_distribution_of_a_parameter_leaves_no_gradient() -> None:
    parameter = torch.nn.Linear(10, 10).weight
    chart = show.values_distribution(parameter)
    assert parameter.grad is None and parameter.requires_grad
    values = parameter.detach().numpy()
    assert chart.stats == {
        "num_vals": 100,
        "min": pytest.approx(float(values.min())),
        "max": pytest.approx(float(values.max())),
        "num_zeros": 0,
        "num_nans": 0,
        "num_infs": 0,
    }
    assert chart.to_dict()["height"] == 150
    assert show.values_distribution(parameter, height=90).to_dict()["height"] == 90


# ----------------------------------------------------------------------------- Keras 3


@pytest.fixture(scope="module")
def keras() -> Any:
    try:
        import keras as module
    except ImportError:
        module = None
    require(module is not None, "keras is not installed (pip install keras)")
    assert module.backend.backend() == "torch"
    return module


def keras_model(keras: Any) -> Any:
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [
            keras.Input((4,)),
            keras.layers.Dense(8, activation="relu", name="hidden"),
            keras.layers.BatchNormalization(name="norm"),
            keras.layers.Dropout(0.2, name="drop"),
            keras.layers.Dense(3, name="out"),
        ],
        name="net",
    )
    return model


def test_keras_summary_is_read_the_keras_way(keras: Any) -> None:
    model = keras_model(keras)
    assert isinstance(model, torch.nn.Module)  # Keras on torch: Keras is recognised first
    model.get_layer("hidden").trainable = False
    table = show.model_summary(model)
    assert table.rows == [
        ["hidden", "Dense", "[batch,8]", 40, False],
        ["norm", "BatchNormalization", "[batch,8]", 32, True],
        ["drop", "Dropout", "[batch,8]", 0, True],
        ["out", "Dense", "[batch,3]", 27, True],
    ]
    assert table.report["total_params"] == model.count_params() == 99
    # Keras counts BatchNormalization's moving mean and variance as non-trainable
    assert table.report["trainable_params"] == 8 + 8 + 27
    assert table.report["non_trainable_params"] == 40 + 16
    assert table.report["optimizer_params"] is None


# Keras' own fit() converts the numpy inputs with a call numpy 2 warns about.
@pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")
def test_keras_total_never_includes_the_optimizer(keras: Any) -> None:
    model = keras_model(keras)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    rng = np.random.default_rng(0)
    model.fit(rng.random((16, 4)), rng.integers(0, 3, 16), epochs=1, verbose=0)
    table = show.model_summary(model)
    optimizer = sum(int(np.prod(v.shape)) for v in model.optimizer.variables)
    assert table.report["total_params"] == model.count_params()
    assert table.report["optimizer_params"] == optimizer
    assert table.caption[-1] == (
        f"Optimizer params: {optimizer:,} (not in the total; Keras' summary() adds them to its own)"
    )
    printed = io.StringIO()
    with redirect_stdout(printed):
        model.summary(print_fn=lambda line, *a, **k: print(line))
    keras_total = int(
        re.search(r"Total params: ([\d,]+)", printed.getvalue()).group(1).replace(",", "")
    )
    assert keras_total == table.report["total_params"] + optimizer


def test_an_unbuilt_keras_model_is_refused_not_built(keras: Any) -> None:
    model = keras.Sequential([keras.layers.Dense(2)])
    with pytest.raises(
        DataError, match=r"^model_summary needs a built Keras model, got an unbuilt Sequential"
    ):
        show.model_summary(model)
    assert not model.built


def test_keras_layer_table_and_values_distribution(keras: Any) -> None:
    model = keras_model(keras)
    dense = model.get_layer("out")
    table = show.layer(dense)
    kernel = dense.kernel.value.detach().cpu().numpy()
    assert [row[:2] for row in table.rows] == [
        ["net/out/kernel", "[8,3]"],
        ["net/out/bias", "[3]"],
    ]
    assert table.rows[0][2] == pytest.approx(float(kernel.min()))
    assert table.rows[0][3] == pytest.approx(float(kernel.max()))
    assert table.rows[1][4:] == [3, 3, 0, 0]
    norm = show.layer(model.get_layer("norm"))
    assert [row[0].rsplit("/", 1)[1] for row in norm.rows] == [
        "gamma",
        "beta",
        "moving_mean",
        "moving_variance",
    ]
    assert show.values_distribution(dense.kernel).stats["num_vals"] == 24


# ----------------------------------------------------------------------------- quality


def test_per_class_accuracy_table() -> None:
    result = metrics.per_class_accuracy([0, 0, 1, 2, 2, 2], [0, 0, 0, 2, 1, 1])
    table = show.per_class_accuracy(result, ["cat", "dog", "mouse"])
    assert table.headers == ["Class", "Accuracy", "# Samples"]
    assert table.rows == [["cat", 1.0, 2], ["dog", 0.0, 1], ["mouse", pytest.approx(1 / 3), 3]]
    assert show.per_class_accuracy(result).rows[2][0] == "2"
    assert show.per_class_accuracy(result, class_labels=["a", "b", "c"]).rows[0][0] == "a"
    assert show.perClassAccuracy is show.per_class_accuracy
    with pytest.raises(
        DataError, match=re.escape("class_labels has 2 names but class_accuracy has 3 classes")
    ):
        show.per_class_accuracy(result, ["a", "b"])
    with pytest.raises(DataError, match=re.escape("class_accuracy[0] must be a dict with numbers")):
        show.per_class_accuracy([0.5])


def test_containers_come_first_as_in_tfjs_vis(tmp_path: Path) -> None:
    result = metrics.per_class_accuracy([0, 1], [0, 1])
    show.per_class_accuracy(tmp_path / "acc.csv", result, ["a", "b"])
    assert (tmp_path / "acc.csv").read_text(
        encoding="utf-8"
    ) == "Class,Accuracy,# Samples\na,1.0,1\nb,1.0,1\n"
    show.model_summary(tmp_path / "model.html", conv_net())
    assert "Conv2d" in (tmp_path / "model.html").read_text(encoding="utf-8")
    chart = show.values_distribution(tmp_path / "v.svg", [0, 0, 1])
    assert isinstance(chart, tfvis.Chart) and (tmp_path / "v.svg").exists()
    with pytest.raises(
        DataError, match=r"^model_summary needs a Keras 3 model or a torch\.nn\.Module"
    ):
        show.model_summary("not a model")


def test_keras_subclassed_and_functional_models(keras: Any) -> None:
    class Sub(keras.Model):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            self.a = keras.layers.Dense(4)
            self.b = keras.layers.Dense(2)

        def call(self, x: Any) -> Any:
            return self.b(self.a(x))

    sub = Sub()
    sub(np.zeros((1, 3)))
    table = show.model_summary(sub)
    assert [row[2:4] for row in table.rows] == [["?", 16], ["?", 10]]  # no symbolic outputs
    assert table.report["total_params"] == sub.count_params() == 26
    inputs = keras.Input((3,))
    hidden = keras.layers.Dense(4)(inputs)
    two = keras.Model(inputs, [keras.layers.Dense(2)(hidden), keras.layers.Dense(1)(hidden)])
    rows = show.model_summary(two).rows
    assert [(row[1], row[2]) for row in rows] == [
        ("InputLayer", "[batch,3]"),
        ("Dense", "[batch,4]"),
        ("Dense", "[batch,2]"),
        ("Dense", "[batch,1]"),
    ]
