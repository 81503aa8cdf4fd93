"""``tfvis.Chart``: one compiled Vega-Lite spec and every way to output it.

Example
-------
>>> from tfvis import render
>>> chart = render.barchart([{"index": "foo", "value": 1}, {"index": "bar", "value": 7}])
>>> chart.to_dict()["$schema"]
'https://vega.github.io/schema/vega-lite/v5.json'
>>> chart.save("bars.png")  # doctest: +SKIP
"""

from __future__ import annotations

import base64
import contextlib
import html
import json
import os
import stat
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tfvis import _budget, _engine
from tfvis._records import Records
from tfvis.errors import ExportError

if TYPE_CHECKING:
    import altair as alt

__all__ = ["VEGALITE_MIMETYPE", "Chart"]

VEGALITE_MIMETYPE = "application/vnd.vegalite.v5+json"
SCHEMA_URL = "https://vega.github.io/schema/vega-lite/v5.json"
MAX_PNG_SIDE = 20_000  # pixels: a 20,000 × 20,000 RGBA image is already 1.6 GB

_SCRIPT_ESCAPES = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def script_json(value: Any) -> str:
    """JSON that is safe inside a ``<script>`` element.

    ``<``, ``>`` and ``&`` become ``\\u`` escapes, so no string in the data can close
    the script element or open a comment; U+2028/2029 are escaped for old parsers.
    """
    return json.dumps(value, ensure_ascii=False, allow_nan=False).translate(_SCRIPT_ESCAPES)


class Chart:
    """A rendered tfvis chart: a Vega-Lite v5 spec with its data inlined.

    Create charts with the :mod:`tfvis.render` functions, not directly.

    Attributes
    ----------
    stats
        On histograms, ``{"num_vals", "min", "max", "num_zeros", "num_nans",
        "num_infs"}``; None on other charts.
    """

    def __init__(
        self,
        spec: Mapping[str, Any],
        datasets: Mapping[str, Sequence[Mapping[str, Any]] | Records],
        *,
        static_spec: Mapping[str, Any] | None = None,
        raster_spec: Mapping[str, Any] | None = None,
        stats: dict[str, Any] | None = None,
        reduction_hint: str | None = None,
    ) -> None:
        # Three views of one chart: the full spec (JSON, HTML, notebooks); the static
        # spec for pictures, which have no pointer, so the interactive layers (hover
        # rules) that cost time and draw nothing are left out; and the raster spec for
        # PNG, which may draw big data as one image (vl-convert draws images in PNG only).
        static = spec if static_spec is None else static_spec
        raster = static if raster_spec is None else raster_spec
        views = {"full": spec, "static": static, "raster": raster}
        # Data lives beside the views, once; each view's JSON is written when an output
        # first asks for it and carries only the datasets that view draws.
        self._datasets: dict[str, Sequence[Mapping[str, Any]] | Records] = {}
        for given in [*(view.get("datasets", {}) for view in views.values()), datasets]:
            for name, data in given.items():
                known = self._datasets.setdefault(name, data)
                if known is not data and known != data:
                    raise ExportError(f"two views of the chart give different data named {name!r}")
        # The full spec is what users inspect: it keeps every dataset given to it.
        self._full_data = list(dict.fromkeys([*spec.get("datasets", {}), *datasets]))
        bodies: dict[int, dict[str, Any]] = {}
        for view in views.values():
            if id(view) not in bodies:
                bodies[id(view)] = _without_datasets(view)
        self._views = {name: bodies[id(view)] for name, view in views.items()}
        for name, body in self._views.items():
            missing = [d for d in _referenced_data(body) if d not in self._datasets]
            if missing:
                raise ExportError(
                    f"the {name} view of the chart draws data named {missing[0]!r}, "
                    f"which is not among its datasets {sorted(self._datasets)}"
                )
        self._costs = {name: self._price(view) for name, view in self._views.items()}
        # Keyed by (view body, datasets): views that are the same spec share one text.
        self._texts: dict[tuple[int, tuple[str, ...]], str] = {}
        self._reduction_hint = reduction_hint
        self.stats = stats

    # ------------------------------------------------------------------ spec

    def to_dict(self) -> dict[str, Any]:
        """Return the Vega-Lite spec as a new dict (strict JSON values only).

        Example
        -------
        >>> spec = chart.to_dict()  # doctest: +SKIP
        >>> spec["mark"]  # doctest: +SKIP
        """
        spec: dict[str, Any] = json.loads(self._text("full"))
        return spec

    def to_json(self, indent: int | None = None) -> str:
        """Return the Vega-Lite spec as strict JSON (no ``NaN`` or ``Infinity`` tokens)."""
        if indent is None:
            return self._text("full")
        return json.dumps(self.to_dict(), indent=indent, allow_nan=False)

    @property
    def altair(self) -> alt.TopLevelMixin:
        """The chart as a new Altair object, data included, for further customising."""
        import altair as alt

        spec = self.to_dict()
        kind = alt.LayerChart if "layer" in spec else alt.Chart
        chart: alt.TopLevelMixin = kind.from_dict(spec, validate=False)
        return chart

    # ------------------------------------------------------------------ exports

    def to_svg(self) -> str:
        """Render to an SVG document string."""
        self._check("SVG", "static")
        return _engine.convert("svg", self._text("static"))  # type: ignore[no-any-return]

    def to_png(self, scale: float = 1.0) -> bytes:
        """Render to PNG bytes; the image is ``width * scale`` pixels wide."""
        if isinstance(scale, bool) or not isinstance(scale, int | float) or not scale > 0:
            raise ExportError(f"scale must be a positive number, got {scale!r}")
        spec = self._views["raster"]
        side = max(_number(spec.get("width")), _number(spec.get("height"))) * scale
        if not side <= MAX_PNG_SIDE:  # also catches an infinite scale
            raise ExportError(
                f"scale={scale!r} would make a PNG {side:,.0f} pixels on its longest side; "
                f"the largest tfvis draws is {MAX_PNG_SIDE:,} pixels"
            )
        self._check("PNG", "raster")
        return _engine.convert("png", self._text("raster"), scale=float(scale))  # type: ignore[no-any-return]

    def to_pdf(self) -> bytes:
        """Render to a one-page PDF document."""
        self._check("PDF", "static")
        return _engine.convert("pdf", self._text("static"))  # type: ignore[no-any-return]

    def to_html(self, *, title: str = "tfvis chart") -> str:
        """Return one standalone HTML page that draws the chart with no network.

        The page carries the spec and the Vega/Vega-Lite/vega-embed JavaScript, both
        gzipped and base64-encoded: no user string can leave its ``<script>`` element,
        and the file is a third of the size. The browser unpacks them with
        ``DecompressionStream``.
        """
        self._check("HTML")  # a browser tab dies on the same charts the engine does
        return _HTML_TEMPLATE.format(
            title=html.escape(title),
            element_id=f"tfvis-{uuid.uuid4().hex}",
            runtime=_engine.packed_bundle(),
            spec=_engine.packed(self._text("full")),
        )

    def save(self, path: str | os.PathLike[str], **kwargs: Any) -> Path:
        """Write the chart to ``path``; the format comes from the suffix.

        ``.html .svg .png .pdf .json`` are supported; ``scale=`` goes to PNG,
        ``indent=`` to JSON, ``title=`` to HTML. The file appears whole or not at all.
        """
        target = Path(os.fspath(path))
        suffix = target.suffix.lower()
        writers: dict[str, Callable[..., str | bytes]] = {
            ".html": self.to_html,
            ".htm": self.to_html,
            ".svg": self.to_svg,
            ".png": self.to_png,
            ".pdf": self.to_pdf,
            ".json": self.to_json,
        }
        if suffix not in writers:
            known = ", ".join(sorted(set(writers) - {".htm"}))
            raise ExportError(
                f"Cannot save chart to {os.fspath(path)!r}: unknown suffix {suffix or '(none)'!r}; "
                f"expected one of {known}"
            )
        try:
            content = writers[suffix](**kwargs)
        except TypeError as error:
            raise ExportError(f"save({os.fspath(path)!r}) got a bad keyword: {error}") from error
        _write_atomically(target, content.encode("utf-8") if isinstance(content, str) else content)
        return target

    # ------------------------------------------------------------------ display

    def _repr_mimebundle_(
        self, include: Iterable[str] | None = None, exclude: Iterable[str] | None = None
    ) -> dict[str, Any]:
        """The Vega-Lite v5 mimetype for Jupyter, with a PNG for viewers without JavaScript."""
        wanted = [VEGALITE_MIMETYPE, "image/png", "text/plain"]
        if include is not None:
            wanted = [m for m in wanted if m in set(include)]
        if exclude is not None:
            wanted = [m for m in wanted if m not in set(exclude)]
        bundle: dict[str, Any] = {}
        if VEGALITE_MIMETYPE in wanted:
            self._check("a notebook output")
        if VEGALITE_MIMETYPE in wanted:
            bundle[VEGALITE_MIMETYPE] = self.to_dict()
        if "image/png" in wanted:
            bundle["image/png"] = base64.b64encode(self.to_png()).decode("ascii")
        if "text/plain" in wanted:
            bundle["text/plain"] = repr(self)
        return bundle

    @property
    def cost(self) -> _budget.Cost:
        """How heavy the chart is to draw; exports refuse above :func:`_budget.export_limit`."""
        return self._costs["full"]

    def _check(self, output: str, view: str = "full") -> None:
        _budget.check(self._costs[view], output, self._reduction_hint)

    def _price(self, view: Mapping[str, Any]) -> _budget.Cost:
        return _budget.spec_cost({**view, "datasets": self._datasets})

    def _text(self, view: str) -> str:
        """The view as strict JSON with its data; written once, on first use."""
        spec = self._views[view]
        names = self._full_data if view == "full" else _referenced_data(spec)
        key = (id(spec), tuple(names))
        text = self._texts.get(key)
        if text is None:
            datasets = {name: _rows(self._datasets[name]) for name in names}
            text = _strict_json({**spec, "$schema": SCHEMA_URL, "datasets": datasets})
            self._texts[key] = text
        return text

    def __repr__(self) -> str:
        spec = self._views["full"]
        marks = _mark_names(spec)
        return (
            f"<tfvis.Chart {'+'.join(marks) or 'chart'} {spec.get('width')}x{spec.get('height')}>"
        )


def _without_datasets(spec: Mapping[str, Any]) -> dict[str, Any]:
    """The spec minus its datasets, checked to be strict JSON (no NaN or Infinity)."""
    body = {key: value for key, value in spec.items() if key != "datasets"}
    _strict_json(body)
    return body


def _strict_json(value: Any) -> str:
    try:
        return json.dumps(value, allow_nan=False)
    except ValueError as error:  # NaN or Infinity anywhere is a bug, not output
        raise ExportError(f"chart spec is not strict JSON: {error}") from error


def _rows(dataset: Sequence[Mapping[str, Any]] | Records) -> Sequence[Mapping[str, Any]]:
    return dataset.records() if isinstance(dataset, Records) else dataset


def _referenced_data(unit: Mapping[str, Any]) -> list[str]:
    """Names of the datasets a spec draws, in the order they appear."""
    names: list[str] = []
    data = unit.get("data")
    if isinstance(data, Mapping) and isinstance(data.get("name"), str):
        names.append(data["name"])
    for part in ("layer", "concat", "hconcat", "vconcat"):
        for child in unit.get(part, []):
            names += [name for name in _referenced_data(child) if name not in names]
    if isinstance(unit.get("spec"), Mapping):
        names += [name for name in _referenced_data(unit["spec"]) if name not in names]
    return names


def _number(value: Any) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def _mark_names(spec: Mapping[str, Any]) -> list[str]:
    if "mark" in spec:
        mark = spec["mark"]
        return [mark["type"] if isinstance(mark, Mapping) else str(mark)]
    return [name for layer in spec.get("layer", []) for name in _mark_names(layer)]


def _write_atomically(target: Path, content: bytes) -> None:
    """Write to a temporary file beside ``target`` and rename it into place.

    The file gets the mode a plain ``open(path, "w")`` would give it (0o666 less the
    umask), or keeps the mode of the file it replaces.
    """
    temp_name = str(target.with_name(f".{target.name}.{uuid.uuid4().hex}.part"))
    try:
        mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else 0o666
        handle = os.open(temp_name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        if target.exists():
            os.chmod(temp_name, mode)  # the umask must not narrow an existing file's mode
    except OSError as error:
        raise ExportError(f"Cannot write {os.fspath(target)!r}: {error.strerror}") from error
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp_name, target)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        if isinstance(error, OSError):
            raise ExportError(f"Cannot write {os.fspath(target)!r}: {error.strerror}") from error
        raise


_HTML_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
  body {{ font-family: sans-serif; margin: 16px; }}
  .tfvis-error {{ color: #b00020; white-space: pre-wrap; }}
</style>
</head>
<body>
<div id="{element_id}" class="tfvis-chart"></div>
<noscript>This tfvis chart needs JavaScript to draw.</noscript>
<script>
(async function () {{
  var element = document.getElementById("{element_id}");
  function fail(message) {{
    var text = document.createElement("pre");
    text.className = "tfvis-error";
    text.textContent = "tfvis: this chart could not be drawn: " + message;
    element.appendChild(text);
  }}
  async function unpack(base64) {{
    var bytes = Uint8Array.from(atob(base64), function (c) {{ return c.charCodeAt(0); }});
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return await new Response(stream).text();
  }}
  if (typeof DecompressionStream === "undefined") {{
    fail("this browser cannot unpack it (no DecompressionStream); use a current browser");
    return;
  }}
  try {{
    if (!window.vegaEmbed) {{
      (0, eval)(await unpack("{runtime}"));
    }}
    var spec = JSON.parse(await unpack("{spec}"));
    await vegaEmbed(element, spec, {{renderer: "svg", actions: false}});
  }} catch (error) {{
    fail(String(error));
  }}
}})();
</script>
</body>
</html>
"""
