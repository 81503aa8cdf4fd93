"""``render.image``: pictures (arrays, tensors, PIL images), alone or as a grid of tiles.

Each tile is one Vega ``image`` mark whose picture travels in the spec as a PNG data
URL that tfvis encodes itself (:func:`tfvis._raster.png_data_url`), so the same spec
draws in a notebook, an offline page, PNG, SVG and PDF (vl-convert embeds data URLs
in its SVG and PDF output; it loads nothing from the network). Value images (H×W) are
coloured in numpy with colours sampled from the Vega colour scale, as the heatmap's
PNG image is.
"""

from __future__ import annotations

import json
import math
import warnings
from typing import Any

import numpy as np

from tfvis import _engine
from tfvis._chart import Chart
from tfvis._data import normalize_images
from tfvis._options import ImageOptions, palette
from tfvis._raster import colorize, png_data_url
from tfvis._records import Records
from tfvis._warn import warn
from tfvis.errors import DataError, DownsampleWarning
from tfvis.render import _spec

__all__ = ["PIXEL_BUDGET", "image"]

TILES = "tfvis_tiles"
#: Source pixels a picture embeds at most, over all its tiles: tiles beyond it are
#: reduced by block means (a reader sees no more than the tiles' drawn pixels anyway).
PIXEL_BUDGET = 4_000_000
#: A tile embeds at most this many source pixels per drawn pixel on each side.
OVERSAMPLE = 2
_GAP = 6.0


def image(*args: Any, **options: Any) -> Chart:
    """Draw an image, or a grid of images with titles.

    Parameters
    ----------
    data
        An H×W array or tensor (drawn colour-mapped with ``colorMap``), an H×W×3 or
        H×W×4 one (RGB(A): uint8 0..255 or floats 0..1), a channels-first torch tensor
        (3×H×W), a PIL image, an N×H×W stack or N×H×W×C batch, a list of images or a
        ``{title: image}`` dict (each drawn as a tile).
    opts, **options
        ``titles`` (one per tile), ``columns`` (tiles per row), ``tileSize`` (pixels of
        a tile's longest side), ``width`` and ``height`` (of the whole picture; the tiles
        are sized to fit), ``colorMap`` ('viridis', 'greyscale', 'blues' or any Vega
        scheme), ``domain`` ([min, max] of the colour scale), ``sharedScale`` (False:
        each tile is scaled on its own), ``maxTiles`` (256), ``smooth`` (False: pixels
        stay crisp), ``title``, ``subtitle``, ``fontSize``.

    Returns
    -------
    Chart
        Big inputs are reduced (the first ``maxTiles`` tiles, each to about twice its
        drawn size), with a :class:`~tfvis.errors.DownsampleWarning`; ``chart.report``
        says what was drawn.

    Example
    -------
    >>> import numpy as np
    >>> from tfvis import render
    >>> chart = render.image(np.random.rand(4, 28, 28), titles=["a", "b", "c", "d"])
    >>> chart.kind
    'image'
    """
    return _spec.render("image", ImageOptions, _build, args, options)


def _build(data: Any, options: ImageOptions) -> Chart:
    images = normalize_images(data, chart="image")
    tiles = list(images.tiles)
    titles = options.titles if options.titles is not None else images.titles
    if titles is not None and len(titles) != len(tiles):
        raise DataError(
            f"Length of titles ({len(titles)}) must match the number of images ({len(tiles)})"
        )
    report: dict[str, Any] = {}
    given = len(tiles)
    if given > options.max_tiles:
        tiles = tiles[: options.max_tiles]
        titles = titles[: options.max_tiles] if titles is not None else None
    n = len(tiles)
    columns = min(n, options.columns or (n if n <= 8 else math.ceil(math.sqrt(n))))
    rows = math.ceil(n / columns)
    title_height = options.font_size + 4 if titles else 0.0
    tile = _tile_size(options, n, columns, rows, title_height)
    limits = _source_limits(tiles, tile)
    drawn, reduced = _reduce(tiles, limits)
    if given > n or reduced:
        report["image"] = {
            "tiles": given,
            "drawn": n,
            "reduced": [
                {
                    "index": i,
                    "original": list(tiles[i].shape[:2]),
                    "drawn": list(drawn[i].shape[:2]),
                }
                for i in reduced
            ],
        }
        what = [f"the first {n:,} of {given:,} tiles"] if given > n else []
        if reduced:
            what.append(f"{len(reduced):,} tile(s) as block means")
        warn(
            f"tfvis drew {' and '.join(what)} (pass maxTiles=... to draw more tiles; "
            "a bigger tileSize keeps more pixels)",
            DownsampleWarning,
        )
    rgba = _colour(drawn, options)
    # Each cell is as big as the largest tile drawn at ``tile`` pixels on its longest
    # side: tiles of one shape fill their cells exactly.
    shapes = [t.shape[:2] for t in tiles]
    cell_w = max(w * tile / max(h, w) for h, w in shapes)
    cell_h = max(h * tile / max(h, w) for h, w in shapes)
    width = columns * cell_w + (columns - 1) * _GAP
    height = rows * (cell_h + title_height) + (rows - 1) * _GAP
    columns_data: dict[str, list[Any]] = {
        k: [] for k in ("url", "x", "x2", "y", "y2", "tx", "title", "description", "pixels")
    }
    for i, (picture, source) in enumerate(zip(rgba, tiles, strict=True)):
        h, w = source.shape[:2]
        scale = tile / max(h, w)
        dw, dh = w * scale, h * scale
        row, col = divmod(i, columns)
        left = col * (cell_w + _GAP) + (cell_w - dw) / 2
        top = row * (cell_h + title_height + _GAP) + title_height + (cell_h - dh) / 2
        name = titles[i] if titles else ""
        columns_data["url"].append(png_data_url(picture))
        columns_data["x"].append(left)
        columns_data["x2"].append(left + dw)
        columns_data["y"].append(top)
        columns_data["y2"].append(top + dh)
        columns_data["tx"].append(left + dw / 2)
        columns_data["title"].append(name)
        label = f"{name}: " if name else ""
        columns_data["description"].append(f"{label}image {i}, {h}×{w} pixels")
        columns_data["pixels"].append(picture.shape[0] * picture.shape[1])
    x = {
        "type": "quantitative",
        "axis": None,
        "scale": {"domain": [0, width], "nice": False, "zero": False},
    }
    y = {
        "type": "quantitative",
        "axis": None,
        "scale": {"domain": [0, height], "nice": False, "zero": False, "reverse": True},
    }
    layers: list[dict[str, Any]] = [
        {
            "mark": {"type": "image", "aspect": False, "smooth": options.smooth},
            "encoding": {
                "url": {"field": "url", "type": "nominal"},
                "x": {"field": "x", **x},
                "x2": {"field": "x2"},
                "y": {"field": "y", **y},
                "y2": {"field": "y2"},
                "description": {"field": "description"},
                "tooltip": {"field": "description", "type": "nominal"},
            },
        }
    ]
    if titles:
        layers.append(
            {
                "transform": [{"filter": "datum.title != ''"}],
                "mark": {
                    "type": "text",
                    "baseline": "bottom",
                    "dy": -2,
                    "limit": cell_w,
                    "fontSize": options.font_size,
                },
                "encoding": {
                    "x": {"field": "tx", **x},
                    "y": {"field": "y", **y},
                    "text": {"field": "title", "type": "nominal"},
                },
            }
        )
    spec: dict[str, Any] = {
        "data": {"name": TILES},
        "view": {"stroke": None},
        "layer": layers,
    }
    return _spec.finish(
        spec,
        {TILES: Records(**columns_data)},
        kind="image",
        width=width,
        height=height,
        font_size=options.font_size,
        title=_spec.title_block(options.title, options.subtitle),
        report=report,
        reduction_hint="Pass fewer tiles, or a smaller tileSize",
        # Width and height are the tiles' own: each pixel is where the layout put it,
        # and titles add to the picture (also inside a composition).
        autosize={"type": "pad"},
    )


def _tile_size(options: ImageOptions, n: int, columns: int, rows: int, title_h: float) -> float:
    if options.tile_size is not None:
        return options.tile_size
    sizes = []
    if options.width is not None:
        sizes.append((options.width - (columns - 1) * _GAP) / columns)
    if options.height is not None:
        sizes.append((options.height - (rows - 1) * _GAP) / rows - title_h)
    if sizes:
        return max(4.0, min(sizes))
    return 256.0 if n == 1 else max(32.0, min(128.0, 960.0 / columns))


def _source_limits(tiles: list[np.ndarray], tile: float) -> list[int]:
    """The longest side each tile may embed: twice its drawn size, within the budget."""
    side = max(1, math.ceil(OVERSAMPLE * tile))
    limits = [side] * len(tiles)
    while True:
        pixels = sum(
            _reduced_pixels(t.shape[:2], lim) for t, lim in zip(tiles, limits, strict=True)
        )
        if pixels <= PIXEL_BUDGET or side == 1:
            return limits
        side = max(1, int(side * math.sqrt(PIXEL_BUDGET / pixels)))
        limits = [side] * len(tiles)


def _reduced_pixels(shape: tuple[int, ...], limit: int) -> int:
    h, w = shape
    factor = max(1, math.ceil(max(h, w) / limit))
    return math.ceil(h / factor) * math.ceil(w / factor)


def _reduce(tiles: list[np.ndarray], limits: list[int]) -> tuple[list[np.ndarray], list[int]]:
    drawn, reduced = [], []
    for i, (picture, limit) in enumerate(zip(tiles, limits, strict=True)):
        h, w = picture.shape[:2]
        factor = max(1, math.ceil(max(h, w) / limit))
        if factor == 1:
            drawn.append(picture)
            continue
        reduced.append(i)
        drawn.append(_block_mean(picture, factor))
    return drawn, reduced


def _block_mean(picture: np.ndarray, factor: int) -> np.ndarray:
    """Means of factor×factor blocks (the last ones partial: edge pixels repeated)."""
    h, w = picture.shape[:2]
    out_h, out_w = math.ceil(h / factor), math.ceil(w / factor)
    pad = [(0, out_h * factor - h), (0, out_w * factor - w)] + [(0, 0)] * (picture.ndim - 2)
    padded = np.pad(picture.astype(np.float64), pad, mode="edge")
    blocks = padded.reshape(out_h, factor, out_w, factor, *picture.shape[2:])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # an all-NaN block stays NaN
        means: np.ndarray = np.asarray(np.nanmean(blocks, axis=(1, 3)))
    if picture.dtype == np.uint8:
        rounded: np.ndarray = np.rint(np.nan_to_num(means)).astype(np.uint8)
        return rounded
    return means


def _colour(tiles: list[np.ndarray], options: ImageOptions) -> list[np.ndarray]:
    """Every tile as RGBA: value tiles through the colour map, each on its own range
    unless ``domain`` or ``sharedScale`` says otherwise."""
    values = [t for t in tiles if t.ndim == 2]
    if not values:
        return tiles
    colors = np.array(
        _engine.scale_colors(json.dumps(palette(options.color_map), sort_keys=True)), np.uint8
    )
    shared = options.domain
    if shared is None and options.shared_scale:
        shared = _range(np.concatenate([t.ravel() for t in values]))
    out = []
    for t in tiles:
        if t.ndim == 3:
            out.append(t)
            continue
        lo, hi = shared if shared is not None else _range(t)
        out.append(colorize(t, lo, hi, colors))
    return out


def _range(values: np.ndarray) -> tuple[float, float]:
    finite = values[np.isfinite(values)]
    if not finite.size:
        return 0.0, 1.0
    return float(finite.min()), float(finite.max())
