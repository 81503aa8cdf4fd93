"""``show.activations``, ``show.max_activation``, ``show.cam``: the book's figures 7.8, 7.10, 7.11.

Each computes with :mod:`tfvis.internals` and draws with :func:`tfvis.render.image`;
each takes an optional container first (a file path or a visor surface), as the
other ``show`` functions do. ``opts`` (or keywords) are the picture's options:
``colorMap``, ``tileSize``, ``fontSize``, ``title``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from tfvis import _engine, internals
from tfvis._chart import Chart
from tfvis._compose import hconcat, vconcat
from tfvis._container import place
from tfvis._frameworks import model_kind
from tfvis._options import ImageOptions, palette, resolve
from tfvis._raster import colorize
from tfvis._text import describe
from tfvis.errors import DataError, OptionError
from tfvis.render.image import image
from tfvis.show._call import split_container

__all__ = ["activations", "cam", "maxActivation", "max_activation"]

_PASSED = ("color_map", "tile_size", "font_size")
#: Classes listed beside the input, as figure 7.8 does.
TOP = 3


def _options(opts: Any, keywords: Mapping[str, Any], function: str) -> ImageOptions:
    options = resolve(ImageOptions, opts, keywords, chart=function)
    allowed = {"color_map", "tile_size", "font_size", "title"}
    given = {k for k, v in vars(options).items() if v != getattr(ImageOptions(), k)}
    extra = sorted(given - allowed)
    if extra:
        raise OptionError(
            f"Options of {function} are colorMap, tileSize, fontSize and title; got {extra[0]!r}"
        )
    return options


def _tile_options(options: ImageOptions, **defaults: Any) -> dict[str, Any]:
    out = dict(defaults)
    for name in _PASSED:
        value = getattr(options, name)
        if value != getattr(ImageOptions(), name) or name not in out:
            out[name] = value
    return out


def _display(image_array: np.ndarray, model: Any) -> np.ndarray:
    """One model input as a picture: H×W values, or H×W×3 floats in 0..1."""
    array = np.asarray(image_array, dtype=np.float64)
    if (model_kind(model) == "torch" and array.ndim == 3) or (
        array.ndim == 3 and array.shape[0] in (1, 3) and array.shape[-1] not in (1, 3)
    ):
        array = np.moveaxis(array, 0, -1)
    if array.ndim == 3 and array.shape[-1] == 1:
        array = array[..., 0]
    if array.ndim == 3:
        array = array[..., :3]
        lo, hi = float(np.nanmin(array)), float(np.nanmax(array))
        if lo < 0 or hi > 1:  # 0..255 pixels or normalised inputs: shown stretched
            array = (array - lo) / (hi - lo or 1.0)
    return array


def _index(index: Any, batch: int, function: str) -> int:
    if (
        isinstance(index, bool)
        or not isinstance(index, int | np.integer)
        or not (-batch <= int(index) < batch)
    ):
        raise DataError(
            f"index of {function} must choose one of the {batch} inputs of x "
            f"(0..{batch - 1}), got {describe(index)}"
        )
    return int(index) % batch


def _caption(prediction: internals.Prediction) -> str:
    return "\n".join(
        f"class {c}: {p:.3f}"
        for c, p in zip(prediction.classes, prediction.probabilities, strict=True)
    )


def activations(
    *args: Any, filters: int | Sequence[int] = 8, index: int = 0, **options: Any
) -> Chart:
    """Show what named layers compute for an input (the book's listing 7.8, figure 7.8).

    ``activations(model, x, layers, opts=None, *, filters=8, index=0)``, or with a
    container first.

    Parameters
    ----------
    model
        A Keras 3 model or a ``torch.nn.Module``.
    x
        One input, or a batch (``index`` chooses the image drawn).
    layers
        Layer names: Keras names or PyTorch ``named_modules()`` paths.
    opts, **options
        ``colorMap`` ('greyscale', as the book), ``tileSize`` (64), ``fontSize``,
        ``title``.
    filters
        How many filters of each layer (the first N), or which indices.

    Returns
    -------
    Chart
        The input with the top classes and their probabilities, then one row per
        layer; each filter is its own tile, titled, scaled on its own range and drawn
        at the same size as the others whatever the layer's resolution.

    Example
    -------
    >>> from tfvis import show
    >>> chart = show.activations(model, image, ["conv1", "conv2"], filters=8)  # doctest: +SKIP
    >>> chart.save("activations.png")  # doctest: +SKIP
    """
    function = "show.activations"
    container, rest = split_container(function, args, 4)
    if len(rest) < 3:
        raise TypeError(f"{function}() needs model, x and layers")
    model, x, layers = rest[:3]
    options_ = _options(rest[3] if len(rest) > 3 else None, options, function)
    output, maps = internals.forward(model, x, layers, "activations")
    chosen = internals.filter_indices(filters, function)
    i = _index(index, len(output), function)
    inputs = internals.prepared_input(model, x, function)
    prediction = internals.top_classes(output, TOP)[i]
    tile = options_.tile_size or 64.0
    picture = image(
        _display(inputs[i], model),
        **_tile_options(options_, color_map="greyscale", tile_size=max(tile * 2, 96.0)),
        title=options_.title or ("input" if len(output) == 1 else f"input {i}"),
        subtitle=_caption(prediction),
    )
    rows = []
    for name, value in maps.items():
        axis = 0 if internals.channel_axis(model, name) == 1 else -1
        tiles, titles = _filter_tiles(value[i], axis, filters, chosen, name)
        rows.append(
            image(
                tiles,
                **_tile_options(options_, color_map="greyscale", tile_size=tile),
                titles=titles,
                columns=len(tiles),
                title=name,
            )
        )
    chart = hconcat(picture, vconcat(*rows))
    place(chart, container)
    return chart


def _filter_tiles(
    value: np.ndarray, axis: int, filters: Any, chosen: list[int], name: str
) -> tuple[list[np.ndarray], list[str]]:
    """Each chosen channel of one image's layer output as its own tile."""
    if value.ndim == 1:  # a dense layer: one strip of its units
        return [value[None, :]], [f"{value.shape[0]} units"]
    channels = np.moveaxis(value, axis, 0)
    count = channels.shape[0]
    bad = [f for f in chosen if f >= count]
    if bad and not isinstance(filters, int):
        raise DataError(
            f"filters of show.activations must lie in 0..{count - 1} (layer {name!r} has "
            f"{count} channels), got {bad}"
        )
    kept = [f for f in chosen if f < count]  # "the first 8" of a 4-channel layer: all 4
    tiles = [channels[f].reshape(channels.shape[1], -1) for f in kept]
    return tiles, [f"filter {f}" for f in kept]


def max_activation(
    *args: Any,
    input_shape: Sequence[int] | None = None,
    steps: int = 80,
    **options: Any,
) -> Chart:
    """Show the inputs that excite chosen filters most (listing 7.9, figure 7.10).

    ``max_activation(model, layer, filters, opts=None, *, input_shape=None, steps=80)``,
    or with a container first. Computed by :func:`tfvis.internals.max_activation`
    (keywords ``step_size``, ``value_range`` and ``seed`` go to it too).

    Returns
    -------
    Chart
        One tile per filter, titled with its index.

    Example
    -------
    >>> from tfvis import show
    >>> chart = show.max_activation(  # doctest: +SKIP
    ...     model, "features.5", 8, input_shape=(1, 16, 16))
    """
    function = "show.max_activation"
    container, rest = split_container(function, args, 4)
    if len(rest) < 3:
        raise TypeError(f"{function}() needs model, layer and filters")
    model, layer, filters = rest[:3]
    ascent = {k: options.pop(k) for k in ("step_size", "value_range", "seed") if k in options}
    options_ = _options(rest[3] if len(rest) > 3 else None, options, function)
    chosen = internals.filter_indices(filters, function)
    pictures = internals.max_activation(
        model, layer, chosen, input_shape=input_shape, steps=steps, **ascent
    )
    tiles = [p[..., 0] if p.shape[-1] == 1 else p[..., :3] for p in pictures]
    chart = image(
        tiles,
        **_tile_options(options_, color_map="greyscale", tile_size=96.0),
        titles=[f"filter {f}" for f in chosen],
        title=options_.title or f"{layer}: inputs that excite each filter most ({steps} steps)",
        shared_scale=True,
        domain=(0.0, 1.0),
    )
    place(chart, container)
    return chart


def cam(
    *args: Any,
    alpha: float = 0.5,
    **options: Any,
) -> Chart:
    """Show which parts of an input made the model choose a class (Grad-CAM, figure 7.11).

    ``cam(model, x, class_index=None, layer=None, opts=None, *, alpha=0.5)``, or with
    a container first. Each input is drawn with its map over it (the map coloured
    with ``colorMap``, 'turbo' by default, at opacity ``alpha`` where the map is high),
    titled with the class drawn and its probability; the chart's subtitle lists the
    top classes of the first input.

    Example
    -------
    >>> from tfvis import show
    >>> chart = show.cam(model, image)  # doctest: +SKIP
    >>> chart = show.cam(model, image, class_index=7)  # doctest: +SKIP
    """
    function = "show.cam"
    container, rest = split_container(function, args, 5)
    if len(rest) < 2:
        raise TypeError(f"{function}() needs model and x")
    model, x = rest[:2]
    class_index = rest[2] if len(rest) > 2 else options.pop("class_index", None)
    layer = rest[3] if len(rest) > 3 else options.pop("layer", None)
    options_ = _options(rest[4] if len(rest) > 4 else None, options, function)
    if isinstance(alpha, bool) or not isinstance(alpha, int | float) or not 0 <= alpha <= 1:
        raise OptionError(
            f"alpha of {function} must be a number from 0 to 1, got {describe(alpha)}"
        )
    maps, output, classes, inputs = internals.cam_details(model, x, class_index, layer)
    predictions = internals.top_classes(output, TOP)
    color_map = options_.color_map if options_.color_map != "viridis" else "turbo"
    colours = np.array(
        _engine.scale_colors(json.dumps(palette(color_map), sort_keys=True)), np.uint8
    )
    tiles, titles = [], []
    probabilities = internals.probabilities(output)
    for n, heat in enumerate(maps):
        tiles.append(overlay(_display(inputs[n], model), heat, colours, alpha))
        k = int(classes[n])
        empty = "" if heat.max() > 0 else " (map empty)"
        titles.append(f"class {k}: {probabilities[n, k]:.3f}{empty}")
    chart = image(
        tiles,
        **_tile_options(options_, tile_size=192.0 if len(tiles) == 1 else 128.0),
        titles=titles,
        title=options_.title or "Grad-CAM" + (f" of layer {layer}" if layer else ""),
        subtitle="top classes: "
        + ", ".join(
            f"{c} ({p:.3f})"
            for c, p in zip(predictions[0].classes, predictions[0].probabilities, strict=True)
        ),
    )
    place(chart, container)
    return chart


def overlay(picture: np.ndarray, heat: np.ndarray, colours: np.ndarray, alpha: float) -> np.ndarray:
    """The picture in grey (or its colours) with the coloured map over it, as RGB 0..1."""
    if picture.ndim == 2:
        lo, hi = float(np.nanmin(picture)), float(np.nanmax(picture))
        grey = (picture - lo) / (hi - lo or 1.0)
        base = np.repeat(grey[..., None], 3, axis=-1)
    else:
        base = picture
    coloured = colorize(heat, 0.0, 1.0, colours)[..., :3] / 255.0
    weight = alpha * heat[..., None]  # the map shows where it is high; the picture elsewhere
    mixed: np.ndarray = np.clip(base * (1 - weight) + coloured * weight, 0.0, 1.0)
    return mixed


#: camelCase, as the other show functions have it.
maxActivation = max_activation
