"""A small convnet trained on scikit-learn's bundled digits, for the book's section 7.2.

VGG16's weights cannot be downloaded everywhere, so the examples, tests and
benchmarks of :mod:`tfvis.internals` use this model: 8×8 digits upsampled to 16×16,
three convolutions, two poolings and a dense layer (about 11,000 weights), in PyTorch
and in Keras 3. It is trained on first use (a few seconds on one CPU core, with a
fixed seed) and cached in ``$TFVIS_CACHE_DIR`` or ``~/.cache/tfvis``.

Layer names: PyTorch ``features.0`` (conv 8), ``features.2`` (conv 16),
``features.4`` (pool), ``features.5`` (conv 32), ``features.7`` (pool),
``classifier.1`` (dense); Keras ``conv1``, ``conv2``, ``pool1``, ``conv3``,
``pool2``, ``flatten``, ``dense``.

Example
-------
>>> from tfvis._demo.convnet import digits, torch_model  # doctest: +SKIP
>>> images, labels = digits()  # doctest: +SKIP
>>> model = torch_model()  # doctest: +SKIP
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from tfvis.errors import DemoError

__all__ = ["SIDE", "TRAIN", "cache_dir", "digits", "keras_model", "torch_model"]

SIDE = 16
TRAIN = 1500  # the first 1,500 digits train the model; the other 297 test it
_VERSION = "v1"


def cache_dir() -> Path:
    """Where trained models are kept: ``$TFVIS_CACHE_DIR`` or ``~/.cache/tfvis``."""
    given = os.environ.get("TFVIS_CACHE_DIR")
    if given:
        return Path(given)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "tfvis"


def digits(side: int = SIDE) -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's 1,797 digits as ``N×side×side`` float32 in 0..1, and their labels."""
    from sklearn.datasets import load_digits

    from tfvis.internals import resize

    bunch = load_digits()
    small = bunch.images.astype(np.float64) / 16.0
    rows = resize(np.eye(8), side, 8)  # bilinear is separable: rows @ image @ rows.T
    big = np.einsum("ij,njk,lk->nil", rows, small, rows).astype(np.float32)
    return big, bunch.target.astype(np.int64)


def _save_atomically(path: Path, write: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial{path.suffix}")
    write(partial)
    os.replace(partial, path)


def torch_model(*, retrain: bool = False) -> Any:
    """The PyTorch digits convnet (``nn.Sequential`` of ``features`` and ``classifier``),
    in eval mode; it takes ``N×1×16×16`` and returns logits."""
    import torch
    from torch import nn

    torch.manual_seed(0)
    model = nn.Sequential()
    model.add_module(
        "features",
        nn.Sequential(
            nn.Conv2d(1, 8, 3, padding=1),
            nn.ReLU(),
            nn.Conv2d(8, 16, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
        ),
    )
    model.add_module("classifier", nn.Sequential(nn.Flatten(), nn.Linear(32 * 4 * 4, 10)))
    path = cache_dir() / f"digits_torch_{_VERSION}.pt"
    if path.exists() and not retrain:
        model.load_state_dict(torch.load(path, weights_only=True))
        return model.eval()
    images, labels = digits()
    x = torch.from_numpy(images[:TRAIN, None])
    y = torch.from_numpy(labels[:TRAIN])
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # tiny batches: threads only contend (2.5 s instead of 30 s)
    try:
        _fit(model, x, y)
    finally:
        torch.set_num_threads(threads)
    model.eval()
    for parameter in model.parameters():
        parameter.grad = None
    _save_atomically(path, lambda p: torch.save(model.state_dict(), p))
    return model


def _fit(model: Any, x: Any, y: Any) -> None:
    import torch
    from torch import nn

    optimiser = torch.optim.Adam(model.parameters(), lr=5e-3)
    generator = torch.Generator().manual_seed(0)
    model.train()
    for _ in range(8):
        order = torch.randperm(TRAIN, generator=generator)
        for start in range(0, TRAIN, 100):
            batch = order[start : start + 100]
            optimiser.zero_grad()
            loss = nn.functional.cross_entropy(model(x[batch]), y[batch])
            loss.backward()  # type: ignore[no-untyped-call]
            optimiser.step()


def keras_model(*, retrain: bool = False) -> Any:
    """The Keras 3 digits convnet; it takes ``N×16×16×1`` and returns probabilities."""
    import keras

    path = cache_dir() / f"digits_keras_{_VERSION}_{keras.backend.backend()}.keras"
    if path.exists() and not retrain:
        return keras.saving.load_model(path)
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [
            keras.Input((SIDE, SIDE, 1), name="image"),
            keras.layers.Conv2D(8, 3, padding="same", activation="relu", name="conv1"),
            keras.layers.Conv2D(16, 3, padding="same", activation="relu", name="conv2"),
            keras.layers.MaxPooling2D(2, name="pool1"),
            keras.layers.Conv2D(32, 3, padding="same", activation="relu", name="conv3"),
            keras.layers.MaxPooling2D(2, name="pool2"),
            keras.layers.Flatten(name="flatten"),
            keras.layers.Dense(10, activation="softmax", name="dense"),
        ],
        name="digits",
    )
    images, labels = digits()
    model.compile(
        optimizer=keras.optimizers.Adam(3e-3),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    model.fit(images[:TRAIN, ..., None], labels[:TRAIN], epochs=12, batch_size=50, verbose=0)
    _save_atomically(path, lambda p: model.save(p))
    return model


# ------------------------------------------------- the examples' --model and --image


def load_model(path: str | None, framework: str = "torch") -> Any:
    """A user's model file, or the digits convnet of ``framework`` when ``path`` is None.

    ``.keras`` (and ``.h5``) files load with ``keras.saving.load_model``; ``.pt`` /
    ``.pth`` files hold a whole pickled ``torch.nn.Module`` (``torch.save(model, path)``;
    loading one runs its pickle code, so load only files you trust) or a TorchScript
    module (``torch.jit.save``).
    """
    if path is None:
        return torch_model() if framework == "torch" else keras_model()
    suffix = Path(path).suffix.lower()
    if suffix in (".keras", ".h5"):
        import keras

        return keras.saving.load_model(path)
    import torch

    try:
        return torch.jit.load(path, map_location="cpu")  # type: ignore[no-untyped-call]
    except (RuntimeError, ValueError):
        model = torch.load(path, map_location="cpu", weights_only=False)
    if not isinstance(model, torch.nn.Module):
        raise SystemExit(f"{path} holds a {type(model).__name__}, not a torch.nn.Module")
    return model.eval()


def conv_layers(model: Any, most: int = 5) -> list[str]:
    """Up to ``most`` convolutional layers, spread from the first to the last."""
    from tfvis._frameworks import model_kind

    if model_kind(model) == "keras":
        import keras

        names = [layer.name for layer in model.layers if isinstance(layer, keras.layers.Conv2D)]
    else:
        import torch

        names = [
            name
            for name, module in model.named_modules()
            if isinstance(module, torch.nn.modules.conv._ConvNd)
        ]
    if len(names) <= most:
        return names
    picks = np.linspace(0, len(names) - 1, most).round().astype(int)
    return [names[i] for i in dict.fromkeys(picks.tolist())]


def load_image(path: str | None, shape: tuple[int, ...], channels_first: bool) -> np.ndarray:
    """One input for a model: the image at ``path`` resized to ``shape`` (H, W, C or C, H, W)
    with values 0..1, or a test digit when ``path`` is None."""
    if path is None:
        images, _ = digits()
        digit: np.ndarray = images[TRAIN]
        return digit[None] if channels_first else digit[..., None]
    try:
        from PIL import Image
    except ImportError:
        raise DemoError(
            f"reading the image {path!r} needs Pillow, which is not installed "
            '(pip install "tfvis[demo]" or pip install pillow)'
        ) from None

    channels = shape[0] if channels_first else shape[-1]
    height, width = (shape[1], shape[2]) if channels_first else (shape[0], shape[1])
    picture = Image.open(path).convert("L" if channels == 1 else "RGB").resize((width, height))
    array = np.asarray(picture, dtype=np.float32) / 255.0
    if array.ndim == 2:
        array = array[..., None]
    shaped: np.ndarray = np.moveaxis(array, -1, 0) if channels_first else array
    return shaped
