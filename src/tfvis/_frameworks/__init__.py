"""The only place that knows Keras, PyTorch, Lightning, TensorFlow and JAX.

Nothing here imports a framework at module import time: a framework object can only
reach tfvis if its caller imported the framework already, so ``type(value).__module__``
and ``sys.modules`` are the cheap tests, and the framework module is imported (from
``sys.modules``, free) only once such an object is in hand.

Example
-------
>>> import numpy as np
>>> from tfvis import _frameworks
>>> _frameworks.to_numpy(np.arange(3)).tolist()
[0, 1, 2]
>>> _frameworks.scalar(np.float32(0.5))
0.5
>>> _frameworks.scalar("not a number") is None
True
"""

from __future__ import annotations

import math
import sys
from typing import Any, Literal

import numpy as np

__all__ = ["framework_of", "model_kind", "scalar", "to_numpy"]

Framework = Literal["torch", "tensorflow", "jax", "keras"]
_ROOTS: dict[str, Framework] = {
    "torch": "torch",
    "tensorflow": "tensorflow",
    "tf_keras": "tensorflow",
    "jax": "jax",
    "jaxlib": "jax",
    "keras": "keras",
}
# Float types numpy cannot hold: converted to float32 before they leave the framework.
_UNUSUAL_TORCH_FLOATS = ("torch.bfloat16", "torch.float8_e4m3fn", "torch.float8_e5m2")


def framework_of(value: Any) -> Framework | None:
    """The framework an object comes from, by the module its type is defined in."""
    root = type(value).__module__.split(".")[0]
    return _ROOTS.get(root)


def to_numpy(value: Any) -> np.ndarray | None:
    """A numpy copy or view of an array-like or tensor; None for anything else.

    numpy arrays come back as they are, except that a ``numpy.matrix`` becomes a plain
    array, a masked array becomes floats with NaN where it is masked (masked means
    missing), and ``longdouble`` becomes float64 (values beyond its range are ±inf).
    pandas objects go through ``to_numpy``, nullable dtypes (``Int64``, ``Float64``,
    ``boolean``) as floats with NaN for ``NA``. torch tensors come detached (a tensor
    that requires grad keeps no graph alive) and on the CPU, bfloat16 and float8
    widened to float32; TensorFlow tensors and Keras variables through ``numpy()``;
    JAX and anything else with ``__array__`` through ``numpy.asarray``. ml_dtypes
    extension types (bfloat16 from JAX) become float32.
    """
    if isinstance(value, np.ndarray):
        return _standard_dtype(value)
    if isinstance(value, np.generic):
        return None
    pandas = sys.modules.get("pandas")
    if pandas is not None and isinstance(value, pandas.Series | pandas.Index | pandas.DataFrame):
        return _standard_dtype(_pandas_to_numpy(value, pandas))
    if framework_of(value) == "keras" and hasattr(value, "value"):
        # A Keras 3 variable: read its backend tensor (a torch tensor under the torch
        # backend), which converts without Keras' numpy shim.
        value = value.value
    if framework_of(value) == "torch" and hasattr(value, "detach"):
        tensor = value.detach()
        if str(tensor.dtype) in _UNUSUAL_TORCH_FLOATS:
            tensor = tensor.float()
        return _standard_dtype(np.asarray(tensor.cpu().numpy()))
    to_numpy_method = getattr(value, "numpy", None)
    if callable(to_numpy_method):
        try:
            array = np.asarray(to_numpy_method())
        except Exception:
            array = None
        if array is not None:
            return _standard_dtype(array)
    if hasattr(value, "__array__"):
        return _standard_dtype(np.asarray(value))
    return None


def _pandas_to_numpy(value: Any, pandas: Any) -> np.ndarray:
    frame = value.to_frame() if isinstance(value, pandas.Series | pandas.Index) else value
    nullable = [
        isinstance(dtype, pandas.api.extensions.ExtensionDtype) and dtype.kind in "biuf"
        for dtype in frame.dtypes
    ]
    if any(nullable) and all(
        is_nullable or dtype.kind in "biuf"
        for is_nullable, dtype in zip(nullable, frame.dtypes, strict=True)
    ):
        converted = value.to_numpy(dtype=np.float64, na_value=np.nan)
    else:
        converted = value.to_numpy()
    return np.asarray(converted)


def _standard_dtype(array: np.ndarray) -> np.ndarray:
    if isinstance(array, np.ma.MaskedArray):
        if array.dtype.kind in "biuf":
            return np.ma.filled(array.astype(np.float64), np.nan)
        return np.asarray(array.filled())
    if isinstance(array, np.matrix):
        return np.asarray(array)
    if array.dtype.kind == "V":  # bfloat16 and friends arrive as ml_dtypes extension types
        return array.astype(np.float32)
    if array.dtype.kind == "f" and array.dtype.itemsize > 8:  # longdouble
        with np.errstate(over="ignore"):
            return array.astype(np.float64)
    return array


def scalar(value: Any) -> float | None:
    """One number from a log value, as a Python float; None when it is not one.

    Floats, ints, numpy scalars, 0-d (or one-element) arrays and tensors of any
    framework: a torch tensor that requires grad or lives on a GPU is read with
    ``.item()`` on a detached copy, so no graph is kept and nothing else is moved.
    Strings, booleans, None and arrays of several values give None; NaN and ±inf
    are kept (a diverging loss is worth seeing).
    """
    if isinstance(value, bool | np.bool_) or value is None or isinstance(value, str | bytes):
        return None
    if isinstance(value, int | float):
        return float(value) if not isinstance(value, int) or abs(value) < 2**1023 else math.inf
    if isinstance(value, np.generic):
        return float(value) if np.issubdtype(value.dtype, np.number) else None
    if framework_of(value) == "torch" and hasattr(value, "detach"):
        if value.numel() != 1 or value.dtype.is_complex or str(value.dtype) == "torch.bool":
            return None
        return float(value.detach().item())
    array = to_numpy(value)
    if array is None or array.size != 1 or array.dtype.kind not in "iuf":
        return None
    return float(array.reshape(()))


def model_kind(model: Any) -> Literal["keras", "torch"] | None:
    """``'keras'`` for a Keras 3 model or layer, ``'torch'`` for a ``torch.nn.Module``.

    Keras is recognised first: under Keras's torch backend a Keras layer is also a
    ``torch.nn.Module``, and must be read the Keras way.
    """
    keras = sys.modules.get("keras")
    if keras is not None and isinstance(model, keras.layers.Layer):
        return "keras"
    torch = sys.modules.get("torch")
    if torch is not None and isinstance(model, torch.nn.Module):
        return "torch"
    return None
