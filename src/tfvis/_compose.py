"""Composition: charts side by side or stacked, and the chart handed to Altair.

A tfvis chart is a *top-level* spec: its ``width``/``height`` are the whole picture
(``autosize: fit``), its fonts live in ``config`` and its label lists in top-level
parameters. None of that may sit inside a concatenation, so each part is first made
*portable* (:func:`portable`): the top-level-only keys go, the font settings move from
``config`` into the part's own axes, legends, titles and text marks, and the
variable parameters are lifted out to be defined once at the top. Names the parts
share (every line chart's data is ``tfvis_points``) are renamed in the later parts,
in data references, parameter definitions, conditions and expressions alike.

In a composition a part's ``width`` and ``height`` are the size of its plot, as
Vega-Lite sizes concatenated views; the axes and legends add to it.

Example
-------
>>> import tfvis
>>> from tfvis import render
>>> a = render.linechart([1, 3, 2])
>>> b = render.histogram([1, 2, 2, 3])
>>> both = a | b
>>> sorted(both.to_dict()["datasets"])
['tfvis_bins', 'tfvis_points']
>>> tfvis.vconcat(a, a).kind
'vconcat'
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from tfvis import _walk
from tfvis._chart import VIEWS, Chart, ViewSource
from tfvis._text import describe, drawable_text
from tfvis.errors import OptionError

if TYPE_CHECKING:
    import altair as alt

__all__ = ["concat", "hconcat", "portable", "to_altair", "vconcat"]

#: Keys Vega-Lite allows on the top-level spec only.
TOP_LEVEL_ONLY = ("$schema", "autosize", "background", "config", "datasets", "padding", "usermeta")
#: Keys whose string values are Vega expressions (tfvis names appear in them as words).
_EXPRESSION_KEYS = ("expr", "labelExpr", "test", "filter", "calculate", "signal")
_GUIDE_CHANNELS = {"x": "axis", "y": "axis"} | dict.fromkeys(
    ("color", "fill", "stroke", "shape", "size", "opacity", "fillOpacity", "strokeDash"),
    "legend",
)


def hconcat(*charts: Chart) -> Chart:
    """Charts side by side, as one :class:`tfvis.Chart` (also ``a | b``).

    Example
    -------
    >>> import tfvis
    >>> from tfvis import render
    >>> chart = tfvis.hconcat(render.linechart([1, 2, 3]), render.barchart([3, 1]))
    """
    return concat(list(charts), "hconcat")


def vconcat(*charts: Chart) -> Chart:
    """Charts stacked top to bottom, as one :class:`tfvis.Chart` (also ``a & b``).

    Example
    -------
    >>> import tfvis
    >>> from tfvis import render
    >>> chart = tfvis.vconcat(render.linechart([1, 2, 3]), render.barchart([3, 1]))
    """
    return concat(list(charts), "vconcat")


def concat(
    charts: Sequence[Chart],
    direction: str,
    *,
    columns: int | None = None,
    kind: str | None = None,
    shared_colors: bool = False,
    title: Mapping[str, Any] | None = None,
) -> Chart:
    """Combine charts into one; ``direction`` is ``hconcat``, ``vconcat`` or ``concat``.

    ``concat`` wraps into rows of ``columns`` parts. Each output of the result (the
    full spec, the static one for pictures, the raster one for PNG) combines the same
    output of the parts, and the export guard prices the whole through the walker.
    Each part keeps its own colour scales and legends (Vega-Lite would merge them),
    unless ``shared_colors``: then a name has the same colour in every part.
    ``title`` is a title block (``render._spec.title_block``) over the whole.
    """
    name = f"tfvis.{direction}" if direction != "concat" else "tfvis concat"
    if not charts:
        raise OptionError(f"{name}() needs at least one chart, got none")
    for index, chart in enumerate(charts):
        if not isinstance(chart, Chart):
            raise OptionError(
                f"{name}() takes tfvis charts, got {describe(chart)} as chart {index + 1}"
            )
    if len(charts) == 1 and title is None:
        return charts[0]

    def combined(view: str) -> dict[str, Any]:
        bodies = [chart._body(view) for chart in charts]
        names = [_names(chart, body) for chart, body in zip(charts, bodies, strict=True)]
        renames = _renames(names)
        parts: list[dict[str, Any]] = []
        params: list[dict[str, Any]] = []
        for body, mapping in zip(bodies, renames, strict=True):
            part, lifted = portable(_rename(body, mapping))
            parts.append(part)
            params += [p for p in lifted if p["name"] not in {q["name"] for q in params}]
        spec: dict[str, Any] = {direction: parts}
        if title is not None:
            # A title named like an Object.prototype key makes Vega fail (as in charts).
            spec["title"] = {
                key: drawable_text(value) if key in ("text", "subtitle") else value
                for key, value in copy.deepcopy(dict(title)).items()
            }
        if not shared_colors:
            spec["resolve"] = _INDEPENDENT
        if columns is not None:
            spec["columns"] = columns
        if params:
            spec["params"] = params
        spec["config"] = _shared_config(bodies)
        # Each view carries its own datasets: a view built later (a big heatmap's PNG
        # image) brings data the others do not have.
        spec["datasets"] = {
            mapping.get(name, name): chart._datasets[name]
            for chart, mapping in zip(charts, renames, strict=True)
            for name in chart._view_data(view)
        }
        return spec

    def source(view: str) -> ViewSource:
        if any(callable(chart._sources[view]) for chart in charts):
            return lambda: combined(view)
        return combined(view)

    sources = {view: source(view) for view in VIEWS}
    hints = [c._reduction_hint for c in charts if c._reduction_hint]
    return Chart(
        sources["full"],  # type: ignore[arg-type]
        {},
        static_spec=sources["static"],
        raster_spec=sources["raster"],
        report={"parts": [chart._report for chart in charts]},
        reduction_hint="; or ".join(dict.fromkeys(hints)) or None,
        kind=kind or direction,
    )


# Vega-Lite shares non-positional scales across concatenated views by default, which
# merges unrelated legends (two line charts' series, a heatmap's gradient) into one.
_INDEPENDENT = {
    "scale": dict.fromkeys(("color", "fill", "stroke", "shape", "size", "opacity"), "independent"),
    "legend": dict.fromkeys(("color", "fill", "stroke", "shape", "size", "opacity"), "independent"),
}


def _names(chart: Chart, body: Mapping[str, Any]) -> set[str]:
    """The names one view of a chart defines: its datasets and its parameters."""
    names = set(chart._datasets)
    for view in _walk.views(body):
        names.update(p["name"] for p in view.node.get("params", []) if "name" in p)
    return names


def _renames(names: Sequence[set[str]]) -> list[dict[str, str]]:
    """Per part, new names for the names an earlier part already uses."""
    used: set[str] = set()
    renames = []
    for index, own in enumerate(names):
        mapping: dict[str, str] = {}
        taken = used | own
        for name in sorted(own & used):
            candidate = f"{name}_{index}"
            while candidate in taken:
                candidate += f"_{index}"
            mapping[name] = candidate
            taken.add(candidate)
        used |= {mapping.get(n, n) for n in own}
        renames.append(mapping)
    return renames


_WORD = re.compile(r"\btfvis_\w+")


def _rename(node: Any, mapping: Mapping[str, str]) -> Any:
    """A copy of ``node`` with tfvis names renamed (data, parameters, expressions)."""
    if not mapping:
        return node

    def words(text: str) -> str:
        return _WORD.sub(lambda m: mapping.get(m.group(0), m.group(0)), text)

    def walk(value: Any, key: str | None = None) -> Any:
        if isinstance(value, dict):
            out: dict[str, Any] = {}
            for k, item in value.items():
                if k in ("name", "param") and isinstance(item, str):
                    out[k] = mapping.get(item, item)
                elif k in _EXPRESSION_KEYS and isinstance(item, str):
                    out[k] = words(item)
                elif k == "views" and isinstance(item, list):
                    out[k] = [mapping.get(v, v) if isinstance(v, str) else v for v in item]
                else:
                    out[k] = walk(item, k)
            return out
        if isinstance(value, list):
            return [walk(item, key) for item in value]
        return value

    return walk(node)


def portable(spec: Mapping[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A spec that can sit inside a composition, and the variable parameters it needs.

    The top-level-only keys are dropped, the config's font sizes are written into the
    spec's own axes, legends, titles and text marks (so each part keeps its fonts),
    and variable parameters (label lists) are taken out of every view, to be defined
    at the top of the composition.
    """
    body = copy.deepcopy({k: v for k, v in spec.items() if k not in TOP_LEVEL_ONLY})
    config = spec.get("config", {})
    params: list[dict[str, Any]] = []
    for view in _walk.views(body):
        node = view.node
        kept = []
        for param in node.get("params", []):
            if "select" in param:
                kept.append(param)
            else:
                params.append(param)
        if "params" in node:
            if kept:
                node["params"] = kept
            else:
                del node["params"]
        _localize(node, config)
    return body, params


def _localize(node: dict[str, Any], config: Mapping[str, Any]) -> None:
    """Write the config's axis, legend, title and text settings into one view."""
    title_config = config.get("title")
    if isinstance(title_config, Mapping) and "title" in node:
        title = node["title"]
        own = title if isinstance(title, Mapping) else {"text": title}
        node["title"] = {**title_config, **own}
    encoding = node.get("encoding")
    if isinstance(encoding, dict):
        for channel, definition in encoding.items():
            guide = _GUIDE_CHANNELS.get(channel)
            settings = config.get(guide) if guide else None
            if not isinstance(definition, dict) or not isinstance(settings, Mapping):
                continue
            if "field" not in definition and "aggregate" not in definition:
                continue  # a constant or a condition: no guide to set
            if definition.get(guide, {}) is None:
                continue  # the guide is hidden
            definition[guide] = {**settings, **(definition.get(guide) or {})}
    mark = node.get("mark")
    text_config = config.get("text")
    kind = mark.get("type") if isinstance(mark, Mapping) else mark
    if isinstance(text_config, Mapping) and kind == "text":
        node["mark"] = {**text_config, **(mark if isinstance(mark, Mapping) else {"type": mark})}


def _shared_config(bodies: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The config of a composition: what every part's config says alike, minus sizes.

    Fonts were moved into the parts; settings every part shares (the fonts module's
    label limits, say) stay global. Plot sizes are the parts' own.
    """
    configs = [b.get("config", {}) for b in bodies]
    shared: dict[str, Any] = {}
    for key, value in configs[0].items():
        if key == "view":
            continue
        if isinstance(value, Mapping):
            common = {
                k: v
                for k, v in value.items()
                if all(isinstance(c.get(key), Mapping) and c[key].get(k) == v for c in configs)
                and not k.lower().endswith("fontsize")
            }
            if common:
                shared[key] = common
        elif all(c.get(key) == value for c in configs):
            shared[key] = value
    return shared


def to_altair(chart: Chart) -> alt.TopLevelMixin:
    """The chart as an Altair object that renders, takes ``.properties`` and composes.

    Built from the portable spec (:func:`portable`): Altair refuses parts with
    ``autosize``, ``config``, ``datasets`` or ``usermeta`` in ``|`` and ``&``, so the
    data goes inline into the views that draw it (Altair gathers it into datasets
    again when it writes the spec; ``usermeta`` is in ``chart.report``). Each view is
    read by Altair without its rows, which are then handed over as plain lists:
    reading them as part of the spec turned every row into a schema object (1.3 s for
    5,000 cells). A layer chart is built from its layers as Altair charts, whose
    parameters Altair lifts itself (reading the whole layer spec at once defined the
    hover selection twice). Label lists become parameters of the result.
    """
    import altair as alt

    body, params = portable(chart._body("full"))

    def build(node: dict[str, Any]) -> Any:
        rest = {k: v for k, v in node.items() if k not in ("data", *_walk.CHILD_LISTS)}
        kinds: tuple[tuple[str, Any], ...] = (
            ("layer", alt.LayerChart),
            ("hconcat", alt.HConcatChart),
            ("vconcat", alt.VConcatChart),
            ("concat", alt.ConcatChart),
        )
        for key, kind in kinds:
            if key in node:
                made = kind(**{key: [build(child) for child in node[key]]}, **rest)
                break
        else:
            made = alt.Chart.from_dict(rest, validate=False)
        data = node.get("data")
        if isinstance(data, Mapping) and isinstance(data.get("name"), str):
            made.data = alt.InlineData(values=_rows(chart, data["name"]))
        return made

    result: alt.TopLevelMixin = build(body)
    if params:
        result = result.add_params(*(alt.param(**_param_arguments(p)) for p in params))  # type: ignore[attr-defined]
    return result


def _param_arguments(param: Mapping[str, Any]) -> dict[str, Any]:
    arguments = {"name": param["name"]}
    if "value" in param:
        arguments["value"] = param["value"]
    if "expr" in param:
        arguments["expr"] = param["expr"]
    return arguments


def _rows(chart: Chart, name: str) -> Any:
    from tfvis._chart import _rows as rows

    return copy.deepcopy(list(rows(chart._datasets[name])))
