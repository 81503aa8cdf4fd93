"""Chart options: one frozen dataclass per tfjs-vis options interface.

This module is the one place where the tfjs-vis camelCase names, their snake_case
twins, the defaults, the type checks and the "did you mean" hints live.

Example
-------
>>> from tfvis._options import LineChartOptions, resolve
>>> resolve(LineChartOptions, {"xLabel": "Time"}, {"width": 400}, chart="linechart").x_label
'Time'
"""

from __future__ import annotations

import difflib
import math
import numbers
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any, Literal, TypeVar, cast

from tfvis._fonts import clean_text
from tfvis.errors import OptionError

__all__ = [
    "BarChartOptions",
    "HeatmapOptions",
    "HistogramOptions",
    "LineChartOptions",
    "ScatterPlotOptions",
    "XYOptions",
    "resolve",
]

Check = Callable[[str, Any], Any]
VegaType = Literal["quantitative", "ordinal", "nominal", "temporal"]

_VEGA_TYPES = ("quantitative", "ordinal", "nominal", "temporal")
_DOWNSAMPLE_METHODS = ("minmax_lttb", "lttb", "m4", "minmax", "stride")


def _describe(value: Any) -> str:
    """Show a received value in an error message, shortened, with its type."""
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{text} ({type(value).__name__})"


def _fail(name: str, expected: str, value: Any) -> OptionError:
    return OptionError(f"Option '{name}' must be {expected}, got {_describe(value)}")


def _is_real(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def positive_number(name: str, value: Any) -> float:
    if not _is_real(value) or not math.isfinite(float(value)) or float(value) <= 0:
        raise _fail(name, "a positive finite number", value)
    return float(value)


def optional_positive_number(name: str, value: Any) -> float | None:
    return None if value is None else positive_number(name, value)


# Sizes beyond these make vl-convert fail (below one pixel, a font of 1e308) or run
# for minutes (a million-pixel-wide picture), so they are refused up front.
MAX_PIXELS = 10_000
MAX_FONT_SIZE = 1_000
MAX_BINS = 10_000


def pixels(name: str, value: Any) -> float:
    """A picture size: a positive number of pixels from 1 to :data:`MAX_PIXELS`."""
    number = positive_number(name, value)
    if not 1 <= number <= MAX_PIXELS:
        raise _fail(name, f"a number of pixels from 1 to {MAX_PIXELS}", value)
    return number


def font_pixels(name: str, value: Any) -> float:
    """A font size: a positive number of pixels up to :data:`MAX_FONT_SIZE`."""
    number = positive_number(name, value)
    if number > MAX_FONT_SIZE:
        raise _fail(name, f"a font size in pixels up to {MAX_FONT_SIZE}", value)
    return number


def text(name: str, value: Any) -> str:
    if not isinstance(value, str):
        raise _fail(name, "a string", value)
    return clean_text(value)


def optional_text(name: str, value: Any) -> str | None:
    return None if value is None else text(name, value)


def flag(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise _fail(name, "True or False", value)
    return value


def vega_type(name: str, value: Any) -> VegaType | None:
    if value is None:
        return None
    if not isinstance(value, str) or value not in _VEGA_TYPES:
        raise _fail(name, "one of " + ", ".join(repr(t) for t in _VEGA_TYPES), value)
    return cast(VegaType, value)


def vega_type_or(default: VegaType) -> Check:
    """A Vega-Lite type where None (tfjs-vis ``undefined``) means ``default``."""

    def check(name: str, value: Any) -> VegaType:
        return vega_type(name, value) or default

    return check


def domain(name: str, value: Any) -> tuple[float, float] | None:
    """A ``[min, max]`` pair of finite numbers with min < max, or None."""
    if value is None:
        return None
    ok = (
        isinstance(value, Sequence)
        and not isinstance(value, str)
        and len(value) == 2
        and all(_is_real(v) and math.isfinite(float(v)) for v in value)
        and float(value[0]) < float(value[1])
    )
    if not ok:
        raise _fail(name, "a [min, max] pair of finite numbers with min < max", value)
    return float(value[0]), float(value[1])


def color_list(name: str, value: Any) -> tuple[str, ...] | None:
    if value is None:
        return None
    if (
        isinstance(value, str)
        or not isinstance(value, Sequence)
        or not all(isinstance(c, str) for c in value)
    ):
        raise _fail(name, "a list of CSS colour strings", value)
    return tuple(clean_text(c) for c in value)


def color_or_colors(name: str, value: Any) -> str | tuple[str, ...]:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, Sequence) and value and all(isinstance(c, str) for c in value):
        return tuple(clean_text(c) for c in value)
    raise _fail(name, "a CSS colour string or a list of them", value)


def positive_int(name: str, value: Any) -> int:
    if not isinstance(value, numbers.Integral) or isinstance(value, bool) or int(value) < 1:
        raise _fail(name, "a positive integer", value)
    return int(value)


def bin_count(name: str, value: Any) -> int:
    """A number of bins: a positive integer up to :data:`MAX_BINS` (each bin is a row)."""
    count = positive_int(name, value)
    if count > MAX_BINS:
        raise _fail(name, f"a positive integer up to {MAX_BINS}", value)
    return count


def max_points(name: str, value: Any) -> int | None:
    if value is None:
        return None
    if not isinstance(value, numbers.Integral) or isinstance(value, bool) or int(value) < 3:
        raise _fail(name, "an integer >= 3 or None", value)
    return int(value)


def downsample_method(name: str, value: Any) -> str | None:
    """A downsampling method name; ``False`` or ``None`` turn reduction off."""
    if value is None or value is False:
        return None
    if value is True:
        return "minmax_lttb"
    if not isinstance(value, str) or value not in _DOWNSAMPLE_METHODS:
        expected = "False, None or one of " + ", ".join(repr(m) for m in _DOWNSAMPLE_METHODS)
        raise _fail(name, expected, value)
    return str(value)


def stats_option(name: str, value: Any) -> bool | dict[str, Any] | None:
    """``None`` computes the stats table, ``False`` hides it, a mapping replaces it."""
    if value is None or value is False:
        return cast(bool | None, value)
    if value is True:
        return None
    if isinstance(value, Mapping) and all(isinstance(k, str) for k in value):
        return dict(value)
    raise _fail(name, "False, None or a mapping of row names to values", value)


def _opt(default: Any, check: Check, camel: str | None = None) -> Any:
    return field(default=default, metadata={"check": check, "camel": camel})


@dataclass(frozen=True)
class _BaseOptions:
    """Options every chart shares (tfjs-vis ``VisOptions``)."""

    width: float = _opt(400.0, pixels)
    height: float = _opt(200.0, pixels)
    x_label: str | None = _opt(None, optional_text, "xLabel")
    y_label: str | None = _opt(None, optional_text, "yLabel")
    font_size: float = _opt(11.0, font_pixels, "fontSize")


@dataclass(frozen=True)
class XYOptions(_BaseOptions):
    """Options of linechart and scatterplot (tfjs-vis ``XYPlotOptions``)."""

    x_type: VegaType | None = _opt(None, vega_type, "xType")
    y_type: VegaType | None = _opt(None, vega_type, "yType")
    x_axis_domain: tuple[float, float] | None = _opt(None, domain, "xAxisDomain")
    y_axis_domain: tuple[float, float] | None = _opt(None, domain, "yAxisDomain")
    zoom_to_fit: bool = _opt(False, flag, "zoomToFit")
    series_colors: tuple[str, ...] | None = _opt(None, color_list, "seriesColors")
    max_points: int | None = _opt(None, max_points, "maxPoints")
    downsample: str | None = _opt("minmax_lttb", downsample_method)


@dataclass(frozen=True)
class LineChartOptions(XYOptions):
    """Options of :func:`tfvis.render.linechart`."""


@dataclass(frozen=True)
class ScatterPlotOptions(XYOptions):
    """Options of :func:`tfvis.render.scatterplot`."""


@dataclass(frozen=True)
class BarChartOptions(_BaseOptions):
    """Options of :func:`tfvis.render.barchart` (tfjs-vis ``BarChartOpts``)."""

    x_label: str | None = _opt("", optional_text, "xLabel")
    y_label: str | None = _opt("", optional_text, "yLabel")
    x_type: VegaType = _opt("ordinal", vega_type_or("ordinal"), "xType")
    y_type: VegaType = _opt("quantitative", vega_type_or("quantitative"), "yType")
    color: str | tuple[str, ...] = _opt("#4C78A0", color_or_colors)


@dataclass(frozen=True)
class HistogramOptions(_BaseOptions):
    """Options of :func:`tfvis.render.histogram` (tfjs-vis ``HistogramOpts``)."""

    max_bins: int = _opt(12, bin_count, "maxBins")
    color: str = _opt("#001B44", text)
    stats: bool | dict[str, Any] | None = _opt(None, stats_option)


@dataclass(frozen=True)
class HeatmapOptions(_BaseOptions):
    """Options of :func:`tfvis.render.heatmap` (tfjs-vis ``HeatmapOpts``)."""

    font_size: float = _opt(12.0, font_pixels, "fontSize")
    x_type: VegaType = _opt("ordinal", vega_type_or("ordinal"), "xType")
    y_type: VegaType = _opt("ordinal", vega_type_or("ordinal"), "yType")
    color_map: str = _opt("viridis", text, "colorMap")
    domain: tuple[float, float] | None = _opt(None, domain)
    row_major: bool = _opt(False, flag, "rowMajor")
    aggregate: bool = _opt(True, flag)


Options = TypeVar("Options", bound=_BaseOptions)


def _snake(camel: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", camel).lower()


def _names(cls: type[_BaseOptions]) -> dict[str, str]:
    """Map every accepted spelling (camelCase and snake_case) to the field name."""
    spellings: dict[str, str] = {}
    for f in fields(cls):
        camel = f.metadata["camel"]
        spellings[f.name] = f.name
        if camel:
            spellings[camel] = f.name
            assert _snake(camel) == f.name, (camel, f.name)
    return spellings


def resolve(
    cls: type[Options],
    opts: Mapping[str, Any] | None,
    keywords: Mapping[str, Any],
    *,
    chart: str,
) -> Options:
    """Merge the ``opts`` mapping and keyword options into a checked options object.

    Parameters
    ----------
    cls
        The options dataclass of the chart.
    opts
        The tfjs-vis style options mapping (camelCase or snake_case keys), or None.
    keywords
        Python keyword options.
    chart
        The chart's public name, used in error messages.

    Raises
    ------
    OptionError
        For an unknown name (with a "did you mean" hint), a name given twice (in
        either spelling, in ``opts`` or as a keyword) or a value of the wrong type.
    """
    if opts is not None and not isinstance(opts, Mapping):
        raise OptionError(
            f"Options of {chart} must be a mapping such as {{'width': 400}}, got {_describe(opts)}"
        )
    spellings = _names(cls)
    given: dict[str, tuple[str, Any]] = {}
    for source in (opts or {}, keywords):
        for name, value in source.items():
            if not isinstance(name, str) or name not in spellings:
                raise OptionError(_unknown_message(name, spellings, chart))
            key = spellings[name]
            if key in given:
                first = given[key][0]
                raise OptionError(
                    f"Option '{name}' of {chart} was given twice (as '{first}' and '{name}')"
                )
            given[key] = (name, value)
    checks = {f.name: f.metadata["check"] for f in fields(cls)}
    values = {key: checks[key](name, value) for key, (name, value) in given.items()}
    return cls(**values)


def _same_style(typed: str, suggestion: str, spellings: Mapping[str, str]) -> str:
    """Suggest the snake_case spelling to snake_case typists, camelCase otherwise."""
    field_name = spellings[suggestion]
    if "_" in typed:
        return field_name
    camel = [s for s, f in spellings.items() if f == field_name and s != field_name]
    return camel[0] if camel else field_name


def _unknown_message(name: Any, spellings: Mapping[str, str], chart: str) -> str:
    message = f"Unknown option {name!r} for {chart}."
    if isinstance(name, str):
        squashed = {s.lower().replace("_", ""): s for s in spellings}
        match = squashed.get(name.lower().replace("_", ""))
        close = [match] if match else difflib.get_close_matches(name, list(spellings), n=1)
        if close:
            return f"{message} Did you mean '{_same_style(name, close[0], spellings)}'?"
    tfjs_names = sorted({s for s in spellings if "_" not in s}, key=str.lower)
    return f"{message} Known options: {', '.join(tfjs_names)}"
