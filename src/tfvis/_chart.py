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
import copy
import json
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from tfvis import _budget, _display, _engine, _page, _walk
from tfvis._output import Output
from tfvis._records import Columns, Records
from tfvis._text import describe, strict_json
from tfvis._values import to_float
from tfvis.errors import DataError, ExportError, TfvisBug

if TYPE_CHECKING:
    import altair as alt

__all__ = ["MAX_PNG_SIDE", "SCHEMA_URL", "VEGALITE_MIMETYPE", "Chart", "ViewSource"]

VEGALITE_MIMETYPE = "application/vnd.vegalite.v5+json"
SCHEMA_URL = "https://vega.github.io/schema/vega-lite/v5.json"
MAX_PNG_SIDE = 20_000  # pixels: a 20,000 × 20,000 RGBA image is already 1.6 GB
#: The most data rows a chart writes as JSON: Python needs about half a kilobyte a row
#: to write them (10^7 rows took over 6 GB), and no renderer draws that many anyway.
MAX_JSON_ROWS = 2_000_000

Dataset = Sequence[Mapping[str, Any]] | Records | Columns
#: A view of a chart: a spec, or a function that builds it the first time it is drawn
#: (a big heatmap's PNG image is coloured only when a PNG is asked for).
ViewSource = Mapping[str, Any] | Callable[[], Mapping[str, Any]]
#: The views every chart has: the full spec (JSON, HTML, notebooks); the static spec
#: for pictures, which have no pointer, so interactive layers (hover rules) that cost
#: time and draw nothing are left out; and the raster spec for PNG, which may draw big
#: data as one image (vl-convert draws images in its PNG path only).
VIEWS = ("full", "static", "raster")


class Chart(Output):
    """A tfvis chart: a Vega-Lite v5 spec with its data inlined, and its outputs.

    Create charts with the :mod:`tfvis.render` functions, or combine them with
    ``a | b`` (side by side), ``a & b`` (stacked), :func:`tfvis.hconcat` and
    :func:`tfvis.vconcat`.

    Attributes
    ----------
    kind
        What the chart is: ``'linechart'``, ``'histogram'``, ``'hconcat'`` ...
    """

    _writers: ClassVar[dict[str, str]] = {
        ".html": "to_html",
        ".htm": "to_html",
        ".svg": "to_svg",
        ".png": "to_png",
        ".pdf": "to_pdf",
        ".json": "to_json",
    }
    _noun: ClassVar[str] = "chart"

    def __init__(
        self,
        spec: Mapping[str, Any],
        datasets: Mapping[str, Dataset],
        *,
        static_spec: ViewSource | None = None,
        raster_spec: ViewSource | None = None,
        report: Mapping[str, Any] | None = None,
        reduction_hint: str | None = None,
        kind: str = "chart",
    ) -> None:
        self.kind = kind
        self._sources: dict[str, ViewSource] = {"full": spec}
        self._sources["static"] = spec if static_spec is None else static_spec
        self._sources["raster"] = self._sources["static"] if raster_spec is None else raster_spec
        self._datasets: dict[str, Dataset] = {}
        self._add_datasets(datasets)
        # The full spec is what users inspect: it keeps every dataset given to it.
        self._full_data = list(dict.fromkeys([*_own_datasets(spec), *datasets]))
        self._bodies: dict[str, dict[str, Any]] = {}
        self._costs: dict[str, _budget.Cost] = {}
        # Keyed by (view body, datasets): views that are the same spec share one text.
        self._texts: dict[tuple[int, tuple[str, ...]], str] = {}
        self._reduction_hint = reduction_hint
        self._report: dict[str, Any] = copy.deepcopy(dict(report or {}))
        for name in VIEWS:
            if not callable(self._sources[name]):
                self._body(name)

    # ------------------------------------------------------------------ what it says

    @property
    def report(self) -> dict[str, Any]:
        """What the chart reports about itself, as a new dict.

        ``stats`` on histograms, ``downsample`` when series were reduced to the point
        budget, ``aggregate`` when a heatmap drew block means, ``parts`` (the parts'
        reports) on a composed chart; empty when there is nothing to say.
        """
        return copy.deepcopy(self._report)

    @property
    def stats(self) -> dict[str, Any] | None:
        """On histograms, ``{"num_vals", "min", "max", "num_zeros", "num_nans",
        "num_infs"}``; None on other charts."""
        stats = self._report.get("stats")
        return dict(stats) if isinstance(stats, Mapping) else None

    @property
    def cost(self) -> _budget.Cost:
        """How heavy the chart is to draw; exports refuse above the export limit."""
        return self._cost("full")

    @property
    def size(self) -> tuple[float, float]:
        """The picture's width and height in pixels (a composition: estimated from its parts)."""
        return _walk.picture_size(self._body("full"))

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
        """Return the Vega-Lite spec as strict JSON (no ``NaN`` or ``Infinity`` tokens).

        Parameters
        ----------
        indent
            None for the compact form, or a number of spaces from 0 to 16.
        """
        if indent is None:
            return self._text("full")
        if isinstance(indent, bool) or not isinstance(indent, int) or not 0 <= indent <= 16:
            raise ExportError(
                f"to_json(indent=...) must be None or a whole number of spaces from 0 to 16, "
                f"got {describe(indent)}"
            )
        return json.dumps(self.to_dict(), indent=indent, allow_nan=False)

    @property
    def altair(self) -> alt.TopLevelMixin:
        """The chart as a new Altair object, data included, for further customising.

        The Altair chart takes ``width`` and ``height`` as the size of the plot, as
        Altair does (a tfvis chart's size is the whole picture), so it can be
        composed with ``|`` and ``&`` and given a title with ``.properties``. To show
        it in a notebook with no network, see ``docs/output.md``.
        """
        from tfvis import _compose

        return _compose.to_altair(self)

    @classmethod
    def from_altair(cls, chart: Any) -> Chart:
        """Wrap an Altair chart (a customised ``chart.altair``) as a tfvis Chart.

        Altair's default notebook renderer loads Vega from a CDN, so a customised chart
        shows nothing offline; wrapped, it displays as tfvis charts do (the Vega-Lite
        v5 mimetype that JupyterLab, Notebook 7 and VS Code draw offline, plus a PNG),
        and saves as offline HTML, PNG, SVG, PDF or JSON with the export guard.

        Example
        -------
        >>> from tfvis import Chart, render
        >>> custom = render.linechart([1, 3, 2]).altair.properties(title="mine")
        >>> Chart.from_altair(custom).kind
        'altair'
        """
        to_dict = getattr(chart, "to_dict", None)
        if not callable(to_dict) or not type(chart).__module__.startswith("altair"):
            raise DataError(
                f"Chart.from_altair(chart) needs an Altair chart, got {describe(chart)}"
            )
        spec = dict(to_dict())
        datasets = spec.pop("datasets", {})
        spec.pop("$schema", None)  # tfvis writes the v5 schema its outputs are drawn with
        return cls(spec, datasets if isinstance(datasets, Mapping) else {}, kind="altair")

    def __or__(self, other: object) -> Chart:
        if not isinstance(other, Chart):
            return NotImplemented
        from tfvis import _compose

        return _compose.concat([self, other], "hconcat")

    def __and__(self, other: object) -> Chart:
        if not isinstance(other, Chart):
            return NotImplemented
        from tfvis import _compose

        return _compose.concat([self, other], "vconcat")

    # ------------------------------------------------------------------ exports

    def to_svg(self) -> str:
        """Render to an SVG document string."""
        self._check("SVG", "static")
        return _engine.convert("svg", self._text("static"))  # type: ignore[no-any-return]

    def to_png(self, scale: float = 1.0) -> bytes:
        """Render to PNG bytes; the image is ``width * scale`` pixels wide."""
        if isinstance(scale, bool) or not isinstance(scale, int | float) or not scale > 0:
            raise ExportError(f"scale must be a positive number, got {scale!r}")
        width, height = _walk.picture_size(self._body("raster"))
        side = max(width, height) * to_float(scale)  # an int beyond floats: +inf, refused
        if not side <= MAX_PNG_SIDE:
            raise ExportError(
                f"scale={scale!r} would make a PNG {side:,.0f} pixels on its longest side; "
                f"the largest tfvis draws is {MAX_PNG_SIDE:,} pixels"
            )
        declared = [side for side in (width, height) if side > 0]
        if declared and min(declared) * to_float(scale) < 1:
            raise ExportError(
                f"scale={scale!r} would make a PNG less than one pixel on its shortest side "
                f"({min(declared):g} × {scale!r})"
            )
        self._check("PNG", "raster")
        return _engine.convert("png", self._text("raster"), scale=to_float(scale))  # type: ignore[no-any-return]

    def to_pdf(self) -> bytes:
        """Render to a one-page PDF document."""
        self._check("PDF", "static")
        return _engine.convert("pdf", self._text("static"))  # type: ignore[no-any-return]

    # ------------------------------------------------------------------ Output

    def _check_page(self) -> None:
        self._check("HTML")  # a browser tab dies on the same charts the engine does

    def _page_sections(self) -> list[_page.Section]:
        return [_page.Section(items=(_page.Item(spec_json=self._text("full")),))]

    def _representations(self) -> _display.Representations:
        def vegalite() -> dict[str, Any]:
            self._check("a notebook output")
            return self.to_dict()

        return VEGALITE_MIMETYPE, {
            VEGALITE_MIMETYPE: vegalite,
            _display.PNG: lambda: base64.b64encode(self.to_png()).decode("ascii"),
            _display.SVG: self.to_svg,
            _display.PLAIN: lambda: repr(self),
        }

    # ------------------------------------------------------------------ internals

    def _add_datasets(self, datasets: Mapping[str, Dataset]) -> None:
        for name, data in datasets.items():
            known = self._datasets.setdefault(name, data)
            if known is not data and known != data:
                raise TfvisBug(f"two views of the chart give different data named {name!r}")

    def _body(self, view: str) -> dict[str, Any]:
        """A view's spec without its datasets, built on first use and priced."""
        body = self._bodies.get(view)
        if body is not None:
            return body
        source = self._sources[view]
        spec = source() if callable(source) else source
        same = [v for v in VIEWS if v in self._bodies and self._sources[v] is source]
        if same:
            body = self._bodies[same[0]]
        else:
            self._add_datasets(_own_datasets(spec))
            body = {key: value for key, value in spec.items() if key != "datasets"}
            missing = [d for d in _walk.dataset_names(body) if d not in self._datasets]
            if missing:
                raise TfvisBug(
                    f"the {view} view of the chart draws data named {missing[0]!r}, "
                    f"which is not among its datasets {sorted(self._datasets)}"
                )
        self._bodies[view] = body
        self._costs[view] = _budget.spec_cost({**body, "datasets": self._datasets})
        return body

    def _cost(self, view: str) -> _budget.Cost:
        self._body(view)
        return self._costs[view]

    def _check(self, output: str, view: str = "full") -> None:
        _budget.check(self._cost(view), output, self._reduction_hint)

    def _view_data(self, view: str) -> list[str]:
        body = self._body(view)
        return self._full_data if view == "full" else _walk.dataset_names(body)

    def _text(self, view: str) -> str:
        """The view as strict JSON with its data; written once, on first use."""
        body = self._body(view)
        names = self._view_data(view)
        key = (id(body), tuple(names))
        text = self._texts.get(key)
        if text is None:
            rows = sum(len(self._datasets[name]) for name in names)
            if rows > MAX_JSON_ROWS:
                hint = f" {self._reduction_hint}." if self._reduction_hint else ""
                raise ExportError(
                    f"This chart holds {rows:,} rows of data, more than the {MAX_JSON_ROWS:,} "
                    f"tfvis writes as JSON (about half a kilobyte of memory a row while it is "
                    f"written, and more than any renderer can draw).{hint}"
                )
            datasets = {name: _rows(self._datasets[name]) for name in names}
            text = strict_json({**body, "$schema": SCHEMA_URL, "datasets": datasets})
            self._texts[key] = text
        return text

    def _alt_text(self) -> str:
        title = self._body("full").get("title")
        if isinstance(title, Mapping):
            title = title.get("text")
        titled = f" titled {title!r}" if isinstance(title, str) and title else ""
        width, height = self.size
        marks = " and ".join(_walk.mark_names(self._body("full"))) or "no"
        return f"A tfvis {self.kind}{titled}, {width:g}×{height:g} px, drawn with {marks} marks"

    def __repr__(self) -> str:
        width, height = self.size
        marks = ", ".join(_walk.mark_names(self._body("full"))) or "no marks"
        return f"<tfvis.Chart {self.kind} {width:g}×{height:g} px ({marks})>"


def _own_datasets(spec: Mapping[str, Any]) -> Mapping[str, Dataset]:
    datasets = spec.get("datasets", {})
    return datasets if isinstance(datasets, Mapping) else {}


def _rows(dataset: Dataset) -> Sequence[Mapping[str, Any]]:
    return dataset.records() if isinstance(dataset, Records | Columns) else dataset
