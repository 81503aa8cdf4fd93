"""The one place that calls vl-convert.

vl-convert runs Vega in an embedded JavaScript engine and serialises the work
internally, so calls from several threads are safe and simply take turns.
"""

from __future__ import annotations

import base64
import functools
import gzip
import hashlib
import json
import re
import struct
import threading
import zlib
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

import vl_convert

from tfvis.errors import ExportError, TfvisBug

__all__ = [
    "convert",
    "javascript_bundle",
    "packed",
    "packed_bundle",
    "packed_pieces",
    "scale_colors",
    "vegalite_version",
]


@functools.cache
def vegalite_version() -> str:
    """The newest Vega-Lite 5 release vl-convert ships (Jupyter renders v5 specs)."""
    fives = [v for v in vl_convert.get_vegalite_versions() if v.startswith("5.")]
    return max(fives, key=lambda v: tuple(int(p) for p in v.split(".")))


@functools.cache
def javascript_bundle() -> str:
    """Vega, Vega-Lite and vega-embed as one script that defines ``vegaEmbed``."""
    bundle: str = vl_convert.javascript_bundle(vl_version=vegalite_version())  # type: ignore[call-arg]
    if "</script" in bundle.lower():  # pragma: no cover - would break every page
        raise ExportError("the vl-convert JavaScript bundle contains '</script'")
    return bundle


@functools.cache
def packed_bundle() -> str:
    """:func:`javascript_bundle`, gzipped and base64-encoded, for standalone pages.

    (vl-convert cannot bundle the Vega runtime alone: its bundler maps a snippet's
    ``vega`` to a null default export, so pages carry vega-embed and Vega-Lite too.)
    Kept on disk between processes (:mod:`tfvis._runtime_cache`): building it is
    most of the first ``to_html``'s time.
    """
    from importlib.metadata import version

    from tfvis import _runtime_cache

    identity = f"vl-convert {version('vl-convert-python')}; vega-lite {vegalite_version()}; gzip9"
    key = hashlib.sha256(identity.encode("utf-8")).hexdigest()[:20]
    cached = _runtime_cache.load(key)
    if cached is not None:
        return cached
    text = packed(javascript_bundle(), level=9)
    _runtime_cache.store(key, text)
    return text


@functools.cache
def scale_colors(scale_json: str, steps: int = 256) -> tuple[tuple[int, int, int], ...]:
    """The colours a Vega colour scale gives at ``steps`` evenly spaced values.

    ``scale_json`` is a Vega-Lite scale without a domain (``{"scheme": "viridis"}`` or
    ``{"range": [...]}``). Read from the scenegraph of a gradient Vega draws once, so
    pictures coloured in numpy use exactly the colours Vega would. The scenegraph is
    Vega's own structured output: no picture is rendered and no font is looked up.
    """
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": steps,
        "height": 2,
        "data": {"values": [{"v": i} for i in range(steps)]},
        "mark": "rect",
        "encoding": {
            "x": {"field": "v", "type": "ordinal", "axis": None},
            "fill": {
                "field": "v",
                "type": "quantitative",
                "legend": None,
                "scale": {**json.loads(scale_json), "domain": [0, steps - 1]},
            },
        },
    }
    try:
        scenegraph = vl_convert.vegalite_to_scenegraph(
            json.dumps(spec), vl_version=vegalite_version(), allowed_base_urls=[]
        )
    except ValueError as error:
        raise TfvisBug(f"could not sample the colour scale {scale_json}: {error}") from error
    fills = [str(item["fill"]) for item in _scene_items(scenegraph) if "fill" in item]
    colors = [_rgb(fill) for fill in fills]
    if len(colors) != steps or None in colors:
        raise TfvisBug(f"could not sample the colour scale {scale_json}: got {len(colors)} colours")
    return tuple(c for c in colors if c is not None)


def _scene_items(node: Any) -> list[dict[str, Any]]:
    """The leaf items of a Vega scenegraph (the marks), in drawing order."""
    if isinstance(node, dict):
        if "items" in node:
            return _scene_items(node["items"])
        if "scenegraph" in node:
            return _scene_items(node["scenegraph"])
        return [node]
    if isinstance(node, list):
        return [leaf for child in node for leaf in _scene_items(child)]
    return []


_RGB = re.compile(r"rgba?\((\d+),\s*(\d+),\s*(\d+)")


def _rgb(color: str) -> tuple[int, int, int] | None:
    match = _RGB.match(color)
    if match:
        return int(match[1]), int(match[2]), int(match[3])
    if re.fullmatch(r"#[0-9a-fA-F]{6}", color):
        return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)
    return None


def packed(text: str, level: int = 6) -> str:
    """gzip and base64: compact, and nothing in it can end a ``<script>`` element."""
    return base64.b64encode(
        gzip.compress(text.encode("utf-8"), compresslevel=level, mtime=0)
    ).decode("ascii")


#: Pieces at least this long keep their compressed form for the next page (a visor
#: rewriting its report after one chart changed packs only that chart's spec again).
_CACHED_PIECE = 512
_PIECES_KEPT = 1024
_PIECE_BYTES_KEPT = 64 * 1024 * 1024
_piece_lock = threading.Lock()
_pieces: OrderedDict[str, tuple[bytes, bytes, int]] = OrderedDict()
_piece_bytes = 0
# A gzip header (no name, no time, unknown OS) and the empty final deflate block.
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
_FINAL_BLOCK = b"\x03\x00"


def _segment(text: str, level: int) -> tuple[bytes, bytes, int]:
    """``text`` as UTF-8 and as raw deflate ending on a byte boundary (a sync flush)."""
    data = text.encode("utf-8")
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    return data, compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH), len(data)


def packed_pieces(pieces: Sequence[str], level: int = 6) -> str:
    """``packed("".join(pieces))``, reusing the compressed form of pieces seen before.

    Each piece is deflated on its own and ends with a sync flush, which leaves the
    stream on a byte boundary with no final block; joined and closed by an empty
    final block they are one valid deflate stream (no back-reference crosses a
    piece), wrapped as one gzip member, which browsers' ``DecompressionStream``
    reads (they do not read several members). Only the CRC and the base64 text are
    computed over the whole page again, both far cheaper than compressing it.
    """
    global _piece_bytes
    parts = []
    crc, size = 0, 0
    for text in pieces:
        with _piece_lock:
            known = _pieces.get(text)
            if known is not None:
                _pieces.move_to_end(text)
        if known is None:
            known = _segment(text, level)
            if len(text) >= _CACHED_PIECE:
                with _piece_lock:
                    if text not in _pieces:
                        _pieces[text] = known
                        _piece_bytes += len(known[0]) + len(known[1])
                    while len(_pieces) > _PIECES_KEPT or _piece_bytes > _PIECE_BYTES_KEPT:
                        _, (old, old_deflated, _) = _pieces.popitem(last=False)
                        _piece_bytes -= len(old) + len(old_deflated)
        data, deflated, length = known
        crc = zlib.crc32(data, crc)
        size += length
        parts.append(deflated)
    trailer = struct.pack("<II", crc, size & 0xFFFFFFFF)
    member = b"".join([_GZIP_HEADER, *parts, _FINAL_BLOCK, trailer])
    return base64.b64encode(member).decode("ascii")


_CONVERTERS: dict[str, Callable[..., Any]] = {
    "svg": vl_convert.vegalite_to_svg,
    "png": vl_convert.vegalite_to_png,
    "pdf": vl_convert.vegalite_to_pdf,
}


def convert(fmt: str, spec_json: str, **kwargs: Any) -> Any:
    """Render a Vega-Lite spec (as JSON text) to ``svg``, ``png`` or ``pdf``.

    A sans-serif CJK family list is written for CJK text and missing glyphs are
    warned about first (:func:`tfvis._fonts.prepare_spec_json`); the text itself was
    made safe when the JSON was written (:func:`tfvis._text.strict_json`).
    """
    from tfvis import _fonts

    prepared = _fonts.prepare_spec_json(spec_json)
    try:
        # No base URL is allowed: a static export never loads anything (defence in
        # depth: no tfvis spec names a URL, and option strings are checked).
        return _CONVERTERS[fmt](
            prepared, vl_version=vegalite_version(), allowed_base_urls=[], **kwargs
        )
    except ValueError as error:
        raise ExportError(f"vl-convert could not render the chart as {fmt}: {error}") from error
