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

import math
import numbers
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any, Literal, TypeVar, cast

from tfvis._text import closest, describe
from tfvis._values import is_number, to_float
from tfvis.downsample import DEFAULT_METHOD, METHODS, MIN_N_OUT
from tfvis.errors import OptionError

__all__ = [
    "BarChartOptions",
    "ConfusionMatrixOptions",
    "FitCallbacksOptions",
    "HeatmapOptions",
    "HistogramOptions",
    "HistoryOptions",
    "ImageOptions",
    "LineChartOptions",
    "ScatterPlotOptions",
    "TableOptions",
    "XYOptions",
    "resolve",
]

Check = Callable[[str, Any], Any]
VegaType = Literal["quantitative", "ordinal", "nominal", "temporal"]

_VEGA_TYPES = ("quantitative", "ordinal", "nominal", "temporal")
#: The downsampling methods, the default first (as error messages list them).
DOWNSAMPLE_METHODS = (DEFAULT_METHOD, *(m for m in METHODS if m != DEFAULT_METHOD))


def _fail(name: str, expected: str, value: Any) -> OptionError:
    return OptionError(f"Option '{name}' must be {expected}, got {describe(value)}")


def positive_number(name: str, value: Any) -> float:
    number = to_float(value) if is_number(value) else math.nan
    if not math.isfinite(number) or number <= 0:
        raise _fail(name, "a positive finite number", value)
    return number


def optional_positive_number(name: str, value: Any) -> float | None:
    return None if value is None else positive_number(name, value)


# Sizes beyond these make vl-convert fail (below one pixel, a font of 1e308) or run
# for minutes (a million-pixel-wide picture), so they are refused up front.
MAX_PIXELS = 10_000
MIN_FONT_SIZE = 1
MAX_FONT_SIZE = 1_000
MAX_BINS = 10_000


def pixels(name: str, value: Any) -> float:
    """A picture size: a positive number of pixels from 1 to :data:`MAX_PIXELS`."""
    number = positive_number(name, value)
    if not 1 <= number <= MAX_PIXELS:
        raise _fail(name, f"a number of pixels from 1 to {MAX_PIXELS}", value)
    return number


def font_pixels(name: str, value: Any) -> float:
    """A font size in pixels, from :data:`MIN_FONT_SIZE` to :data:`MAX_FONT_SIZE`."""
    number = positive_number(name, value)
    if not MIN_FONT_SIZE <= number <= MAX_FONT_SIZE:
        raise _fail(name, f"a font size in pixels from {MIN_FONT_SIZE} to {MAX_FONT_SIZE}", value)
    return number


#: Titles and labels longer than this take the engine minutes to measure and would
#: not fit on any picture.
MAX_TEXT = 1_000


def text(name: str, value: Any) -> str:
    if not isinstance(value, str):
        raise _fail(name, "a string", value)
    if len(value) > MAX_TEXT:
        raise OptionError(
            f"Option '{name}' must be a string of at most {MAX_TEXT:,} characters, got "
            f"{len(value):,} characters ({describe(value, 40)})"
        )
    return value


def optional_text(name: str, value: Any) -> str | None:
    return None if value is None else text(name, value)


def text_or(default: str) -> Check:
    """A string where None (tfjs-vis ``undefined``) means ``default``."""

    def check(name: str, value: Any) -> str:
        return default if value is None else text(name, value)

    return check


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


def band_type(chart: str, bands: str) -> Check:
    """An axis of bands: 'ordinal' (the default) or 'nominal'; other types draw no bands."""

    def check(name: str, value: Any) -> VegaType:
        kind = vega_type(name, value) or "ordinal"
        if kind not in ("ordinal", "nominal"):
            raise OptionError(
                f"Option '{name}' of {chart} must be 'ordinal' or 'nominal' (one band per "
                f"{bands}), got {kind!r}"
            )
        return kind

    return check


def domain(name: str, value: Any) -> tuple[float, float] | None:
    """A ``[min, max]`` pair of finite numbers with min < max, or None."""
    if value is None:
        return None
    pair = (
        [to_float(v) if is_number(v) else math.nan for v in value]
        if isinstance(value, Sequence) and not isinstance(value, str) and len(value) == 2
        else []
    )
    if len(pair) != 2 or not all(math.isfinite(v) for v in pair) or not pair[0] < pair[1]:
        raise _fail(name, "a [min, max] pair of finite numbers with min < max", value)
    return pair[0], pair[1]


# ----------------------------------------------------------------------------- colours


def _words(text: str) -> list[str]:
    return text.split()


#: The CSS named colours (CSS Color Module Level 4) and ``transparent``.
CSS_COLOR_NAMES = frozenset(
    _words(
        """
        aliceblue antiquewhite aqua aquamarine azure beige bisque black blanchedalmond blue
        blueviolet brown burlywood cadetblue chartreuse chocolate coral cornflowerblue cornsilk
        crimson cyan darkblue darkcyan darkgoldenrod darkgray darkgreen darkgrey darkkhaki
        darkmagenta darkolivegreen darkorange darkorchid darkred darksalmon darkseagreen
        darkslateblue darkslategray darkslategrey darkturquoise darkviolet deeppink deepskyblue
        dimgray dimgrey dodgerblue firebrick floralwhite forestgreen fuchsia gainsboro
        ghostwhite gold goldenrod gray green greenyellow grey honeydew hotpink indianred indigo
        ivory khaki lavender lavenderblush lawngreen lemonchiffon lightblue lightcoral lightcyan
        lightgoldenrodyellow lightgray lightgreen lightgrey lightpink lightsalmon lightseagreen
        lightskyblue lightslategray lightslategrey lightsteelblue lightyellow lime limegreen
        linen magenta maroon mediumaquamarine mediumblue mediumorchid mediumpurple
        mediumseagreen mediumslateblue mediumspringgreen mediumturquoise mediumvioletred
        midnightblue mintcream mistyrose moccasin navajowhite navy oldlace olive olivedrab
        orange orangered orchid palegoldenrod palegreen paleturquoise palevioletred papayawhip
        peachpuff peru pink plum powderblue purple rebeccapurple red rosybrown royalblue
        saddlebrown salmon sandybrown seagreen seashell sienna silver skyblue slateblue
        slategray slategrey snow springgreen steelblue tan teal thistle tomato turquoise violet
        wheat white whitesmoke yellow yellowgreen transparent
        """
    )
)
_NUMBER = r"[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?"
_CSS_COLOR = re.compile(
    r"#(?:[0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})"
    rf"|(?:rgba?|hsla?)\(\s*{_NUMBER}(?:deg|%)?(?:\s*[,\s]\s*{_NUMBER}%?){{2}}"
    rf"(?:\s*[,/]\s*{_NUMBER}%?)?\s*\)",
    re.IGNORECASE,
)


def is_css_color(value: str) -> bool:
    """True for a colour d3-color reads: a CSS name, hex, ``rgb()/rgba()/hsl()/hsla()``.

    Nothing else reaches a spec: a colour string is pasted into SVG ``fill``
    attributes, where ``url(...)`` would make an offline page fetch from the network.
    """
    text = value.strip()
    return text.lower() in CSS_COLOR_NAMES or _CSS_COLOR.fullmatch(text) is not None


_COLOR_EXAMPLES = "a CSS colour ('steelblue', '#4C78A0', 'rgb(76, 120, 160)')"


def color(name: str, value: Any) -> str:
    """One CSS colour (see :func:`is_css_color`)."""
    if not isinstance(value, str) or not is_css_color(value):
        raise _fail(name, _COLOR_EXAMPLES, value)
    return value.strip()


def color_list(name: str, value: Any) -> tuple[str, ...] | None:
    if value is None:
        return None
    if (
        isinstance(value, str)
        or not isinstance(value, Sequence)
        or not all(isinstance(c, str) for c in value)
    ):
        raise _fail(name, "a list of CSS colour strings", value)
    return tuple(_each_color(name, value))


def color_or_colors(name: str, value: Any) -> str | tuple[str, ...]:
    if isinstance(value, str):
        return color(name, value)
    if isinstance(value, Sequence) and value and all(isinstance(c, str) for c in value):
        return tuple(_each_color(name, value))
    raise _fail(name, "a CSS colour string or a list of them", value)


def _each_color(name: str, values: Sequence[str]) -> list[str]:
    checked = []
    for index, value in enumerate(values):
        if not is_css_color(value):
            raise OptionError(
                f"Option '{name}' must hold CSS colours ('steelblue', '#4C78A0', "
                f"'rgb(76, 120, 160)'), got {describe(value)} at position {index}"
            )
        checked.append(value.strip())
    return checked


# The tfjs-vis colour maps: 'blues' and 'greyscale' are its two-colour ranges;
# 'viridis' is real viridis (tfjs-vis documents it but draws yellow-green-blue).
COLOR_MAP_RANGES = {"blues": ("#f7fbff", "#4292c6"), "greyscale": ("#000000", "#ffffff")}


def _stepped(names: str, last: int) -> list[str]:
    return [
        f"{n}{suffix}"
        for n in names.split()
        for suffix in ["", *(f"-{k}" for k in range(3, last + 1))]
    ]


#: Every named Vega colour scheme (vega-scale's, as Vega 5 and 6 both define them).
#: ``tests/test_options.py`` checks the list against the Vega-Lite schema.
VEGA_SCHEMES = frozenset(
    [
        *_words(
            """
            blues tealblues teals greens browns greys purples warmgreys reds oranges turbo
            viridis inferno magma plasma cividis rainbow sinebow accent category10 category20
            category20b category20c dark2 paired pastel1 pastel2 set1 set2 set3 tableau10
            tableau20 observable10
            """
        ),
        *_stepped(
            """bluegreen bluepurple goldgreen goldorange goldred greenblue orangered
            purplebluegreen purpleblue purplered redpurple yellowgreenblue yellowgreen
            yelloworangebrown yelloworangered darkblue darkgold darkgreen darkmulti darkred
            lightgreyred lightgreyteal lightmulti lightorange lighttealblue""",
            9,
        ),
        *_stepped(
            """blueorange brownbluegreen purplegreen pinkyellowgreen purpleorange redblue
            redgrey redyellowblue redyellowgreen spectral""",
            11,
        ),
    ]
)


def color_map(name: str, value: Any) -> str:
    """'viridis', 'blues', 'greyscale' or any named Vega colour scheme."""
    if not isinstance(value, str) or (value not in COLOR_MAP_RANGES and value not in VEGA_SCHEMES):
        raise OptionError(
            f"Option '{name}' must be 'viridis', 'blues', 'greyscale' or a Vega scheme "
            f"name, got {value!r}"
        )
    return value


def palette(color_map_name: str | tuple[str, str]) -> dict[str, Any]:
    """The Vega-Lite colour scale of a checked colour map, without its domain."""
    if isinstance(color_map_name, tuple):
        return {"range": list(color_map_name)}
    if color_map_name in COLOR_MAP_RANGES:
        return {"range": list(COLOR_MAP_RANGES[color_map_name])}
    return {"scheme": color_map_name}


# ----------------------------------------------------------------------------- numbers


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
    if not isinstance(value, numbers.Integral) or isinstance(value, bool) or int(value) < MIN_N_OUT:
        raise _fail(name, f"an integer >= {MIN_N_OUT} or None", value)
    return int(value)


def downsample_method(name: str, value: Any) -> str | None:
    """A downsampling method name; ``False`` or ``None`` turn reduction off."""
    if value is None or value is False:
        return None
    if value is True:
        return DEFAULT_METHOD
    if not isinstance(value, str) or value not in DOWNSAMPLE_METHODS:
        expected = "False, None or one of " + ", ".join(repr(m) for m in DOWNSAMPLE_METHODS)
        raise _fail(name, expected, value)
    return str(value)


#: The histogram's stats table: (Python key, tfjs-vis key), in the order tfjs-vis draws.
STATS_KEYS = (
    ("num_vals", "numVals"),
    ("min", "min"),
    ("max", "max"),
    ("num_zeros", "numZeros"),
    ("num_nans", "numNans"),
    ("num_infs", "numInfs"),
)


def stats_option(name: str, value: Any) -> bool | dict[str, float | None] | None:
    """``None`` computes the stats table, ``False`` hides it, a mapping replaces it.

    A mapping is keyed ``numVals`` (tfjs-vis) or ``num_vals`` (Python); its values are
    numbers (an integer beyond the float range shows as Infinity) or None. The result
    is keyed the Python way.
    """
    if value is None or value is False:
        return cast(bool | None, value)
    if value is True:
        return None
    if not isinstance(value, Mapping) or not all(isinstance(k, str) for k in value):
        raise _fail(name, "False, None or a mapping of row names to values", value)
    spellings = {k: k for k, _ in STATS_KEYS} | {camel: k for k, camel in STATS_KEYS}
    values: dict[str, float | None] = {}
    for key, item in value.items():
        if key not in spellings:
            known = ", ".join(camel for _, camel in STATS_KEYS)
            raise OptionError(f"Option '{name}' has an unknown key {key!r}; known keys: {known}")
        if item is not None and not is_number(item):
            raise OptionError(
                f"Option '{name}' value for {key!r} must be a number or None, got {describe(item)}"
            )
        values[spellings[key]] = None if item is None else to_float(item)
    return values


def _opt(default: Any, check: Check, camel: str | None = None) -> Any:
    return field(default=default, metadata={"check": check, "camel": camel})


@dataclass(frozen=True)
class _Options:
    """The base of every options interface (charts, tables)."""


@dataclass(frozen=True)
class _BaseOptions(_Options):
    """Options every chart shares (tfjs-vis ``VisOptions``)."""

    width: float = _opt(400.0, pixels)
    height: float = _opt(200.0, pixels)
    x_label: str | None = _opt(None, optional_text, "xLabel")
    y_label: str | None = _opt(None, optional_text, "yLabel")
    font_size: float = _opt(11.0, font_pixels, "fontSize")
    title: str | None = _opt(None, optional_text)
    subtitle: str | None = _opt(None, optional_text)


@dataclass(frozen=True)
class XYOptions(_BaseOptions):
    """Options of linechart and scatterplot (tfjs-vis ``XYPlotOptions``)."""

    # None: the name of the pandas index the x values came from, else "x".
    x_label: str | None = _opt(None, optional_text, "xLabel")
    y_label: str = _opt("y", text_or("y"), "yLabel")
    x_type: VegaType | None = _opt(None, vega_type, "xType")
    y_type: VegaType | None = _opt(None, vega_type, "yType")
    x_axis_domain: tuple[float, float] | None = _opt(None, domain, "xAxisDomain")
    y_axis_domain: tuple[float, float] | None = _opt(None, domain, "yAxisDomain")
    zoom_to_fit: bool = _opt(False, flag, "zoomToFit")
    series_colors: tuple[str, ...] | None = _opt(None, color_list, "seriesColors")
    max_points: int | None = _opt(None, max_points, "maxPoints")
    downsample: str | None = _opt(DEFAULT_METHOD, downsample_method)

    @property
    def point_budget(self) -> int:
        """Points drawn per series: ``maxPoints``, or two per pixel column, at least 2,000.

        MinMaxLTTB picks them from four candidates a column (the min and max of each
        half column), so every column's extremes compete; at two a column the Jena
        picture differs from the all-points one in 0.03% of its pixels (none by more
        than half a shade), and draws in half the time of four a column
        (``benchmarks/picture_check.py``).
        """
        return self.max_points or max(2000, 2 * round(self.width))


@dataclass(frozen=True)
class LineChartOptions(XYOptions):
    """Options of :func:`tfvis.render.linechart`."""


@dataclass(frozen=True)
class ScatterPlotOptions(XYOptions):
    """Options of :func:`tfvis.render.scatterplot`."""


@dataclass(frozen=True)
class BarChartOptions(_BaseOptions):
    """Options of :func:`tfvis.render.barchart` (tfjs-vis ``BarChartOpts``).

    ``xLabel``/``yLabel`` default to '' (an untitled axis); None hides the axis, as
    in tfjs-vis.
    """

    x_label: str | None = _opt("", optional_text, "xLabel")
    y_label: str | None = _opt("", optional_text, "yLabel")
    x_type: VegaType = _opt("ordinal", band_type("barchart", "index"), "xType")
    y_type: VegaType = _opt("quantitative", vega_type_or("quantitative"), "yType")
    color: str | tuple[str, ...] = _opt("#4C78A0", color_or_colors)


@dataclass(frozen=True)
class HistogramOptions(_BaseOptions):
    """Options of :func:`tfvis.render.histogram` (tfjs-vis ``HistogramOpts``)."""

    x_label: str = _opt("value", text_or("value"), "xLabel")
    y_label: str = _opt("Count", text_or("Count"), "yLabel")
    max_bins: int = _opt(12, bin_count, "maxBins")
    color: str = _opt("#001B44", color)
    stats: bool | dict[str, float | None] | None = _opt(None, stats_option)


@dataclass(frozen=True)
class HeatmapOptions(_BaseOptions):
    """Options of :func:`tfvis.render.heatmap` (tfjs-vis ``HeatmapOpts``)."""

    font_size: float = _opt(12.0, font_pixels, "fontSize")
    x_type: VegaType = _opt("ordinal", band_type("heatmap", "row or column"), "xType")
    y_type: VegaType = _opt("ordinal", band_type("heatmap", "row or column"), "yType")
    color_map: str = _opt("viridis", color_map, "colorMap")
    domain: tuple[float, float] | None = _opt(None, domain)
    row_major: bool = _opt(False, flag, "rowMajor")
    aggregate: bool = _opt(True, flag)


# ------------------------------------------------ confusion matrix and table (issue #12)


def color_map_or_range(name: str, value: Any) -> str | tuple[str, str]:
    """A colour map name (:func:`color_map`) or a ``[low, high]`` pair of CSS colours."""
    if isinstance(value, str) and (value in COLOR_MAP_RANGES or value in VEGA_SCHEMES):
        return value
    if (
        not isinstance(value, str)
        and isinstance(value, Sequence)
        and len(value) == 2
        and all(isinstance(c, str) for c in value)
    ):
        low, high = _each_color(name, value)
        return low, high
    raise OptionError(
        f"Option '{name}' must be 'blues', 'greyscale', 'viridis', a Vega scheme name or a "
        f"[low, high] pair of CSS colours, got {describe(value)}"
    )


#: ``normalize`` of the confusion matrix: scikit-learn's names.
NORMALIZE_MODES = ("true", "pred", "all")


def normalize_mode(name: str, value: Any) -> str | None:
    """None (counts), or divide by the row ('true'), column ('pred') or total ('all')."""
    if value is None or (isinstance(value, str) and value in NORMALIZE_MODES):
        return value
    expected = "None, " + ", ".join(repr(m) for m in NORMALIZE_MODES)
    raise _fail(name, expected, value)


@dataclass(frozen=True)
class ConfusionMatrixOptions(_BaseOptions):
    """Options of :func:`tfvis.render.confusion_matrix` (tfjs-vis ``ConfusionMatrixOptions``).

    tfjs-vis's 'greyscale' is an unknown Vega scheme there; here it is the heatmap's
    black-to-white range, and the default 'blues' is tfjs-vis's two colours.
    """

    height: float = _opt(400.0, pixels)
    x_label: str = _opt("prediction", text_or("prediction"), "xLabel")
    y_label: str = _opt("label", text_or("label"), "yLabel")
    font_size: float = _opt(12.0, font_pixels, "fontSize")
    shade_diagonal: bool = _opt(True, flag, "shadeDiagonal")
    show_text_overlay: bool = _opt(True, flag, "showTextOverlay")
    color_map: str | tuple[str, str] = _opt("blues", color_map_or_range, "colorMap")
    normalize: str | None = _opt(None, normalize_mode)


@dataclass(frozen=True)
class TableOptions(_Options):
    """Options of :func:`tfvis.render.table`."""

    font_size: float = _opt(14.0, font_pixels, "fontSize")
    allow_html: bool = _opt(False, flag, "allowHtml")


Options = TypeVar("Options", bound=_Options)


def _snake(camel: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", camel).lower()


def _names(cls: type[_Options]) -> dict[str, str]:
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
            f"Options of {chart} must be a mapping such as {{'width': 400}}, got {describe(opts)}"
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
        close = closest(name, spellings)
        if close:
            return f"{message} Did you mean '{_same_style(name, close, spellings)}'?"
    tfjs_names = sorted({s for s in spellings if "_" not in s}, key=str.lower)
    return f"{message} Known options: {', '.join(tfjs_names)}"


# ----------------------------------------------------------- visor surfaces (issue #14)

#: tfjs-vis ``StyleOptions`` of a surface: every spelling to its CSS property.
SURFACE_STYLES = {
    "width": "width",
    "height": "height",
    "maxWidth": "max-width",
    "max_width": "max-width",
    "maxHeight": "max-height",
    "max_height": "max-height",
}
_CSS_LENGTH = re.compile(r"(?:\d+(?:\.\d+)?|\.\d+)(?:px|em|rem|%|vh|vw)|0|auto|none")


def css_length(name: str, value: Any) -> str:
    """A CSS length for a surface's size: pixels as a number, or ``'500px'``, ``'80%'``...

    Only plain lengths reach the page (no ``url()``, no ``;``), so a style cannot
    fetch anything or add declarations.
    """
    if is_number(value) and not isinstance(value, str):
        number = to_float(value)
        if math.isfinite(number) and 0 <= number <= MAX_PIXELS:
            return f"{number:g}px"
    elif isinstance(value, str) and _CSS_LENGTH.fullmatch(value.strip()):
        return value.strip()
    raise _fail(
        name, f"a number of pixels from 0 to {MAX_PIXELS} or a CSS length ('500px', '80%')", value
    )


def surface_styles(value: Any) -> str | None:
    """A surface's ``styles`` (tfjs-vis ``{width, height, maxWidth, maxHeight}``) as CSS."""
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise _fail("styles", "a mapping such as {'height': 500}", value)
    declarations: dict[str, tuple[str, str]] = {}
    for key, item in value.items():
        if not isinstance(key, str) or key not in SURFACE_STYLES:
            hint = closest(key, SURFACE_STYLES) if isinstance(key, str) else None
            known = "width, height, maxWidth, maxHeight"
            raise OptionError(
                f"Unknown surface style {key!r}."
                + (f" Did you mean '{hint}'?" if hint else f" Known styles: {known}")
            )
        prop = SURFACE_STYLES[key]
        if prop in declarations:
            raise OptionError(
                f"Surface style '{key}' was given twice (as '{declarations[prop][0]}' and '{key}')"
            )
        declarations[prop] = (key, css_length(f"styles.{key}", item))
    return " ".join(f"{prop}: {length};" for prop, (_, length) in declarations.items()) or None


# ------------------------------------------------- training curves (issue #11)

#: ``x`` of the history charts: what the curves are drawn against.
HISTORY_AXES = ("epoch", "step", "time")
#: ``yScale`` of the history charts.
Y_SCALES = ("linear", "log")
#: tfjs-vis ``fitCallbacks`` callback names, and the Python names they record under.
CALLBACK_NAMES = {
    "onEpochEnd": "on_epoch_end",
    "on_epoch_end": "on_epoch_end",
    "onBatchEnd": "on_batch_end",
    "on_batch_end": "on_batch_end",
}


def choice(values: Sequence[str]) -> Check:
    """One of ``values`` (strings)."""

    def check(name: str, value: Any) -> str:
        if not isinstance(value, str) or value not in values:
            raise _fail(name, "one of " + ", ".join(repr(v) for v in values), value)
        return value

    return check


def smoothing_weight(name: str, value: Any) -> float:
    """TensorBoard's smoothing: a number from 0 (none) up to, not including, 1."""
    number = to_float(value) if is_number(value) and not isinstance(value, bool) else math.nan
    if not 0 <= number < 1:
        raise _fail(name, "a number from 0 (no smoothing) up to but not including 1", value)
    return number


def callback_list(name: str, value: Any) -> tuple[str, ...]:
    """tfjs-vis ``callbacks``: ``['onEpochEnd', 'onBatchEnd']`` (snake_case too)."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, Sequence) or not items:
        raise _fail(name, "a list of callback names such as ['onEpochEnd', 'onBatchEnd']", value)
    names: list[str] = []
    for item in items:
        if not isinstance(item, str) or item not in CALLBACK_NAMES:
            hint = closest(item, CALLBACK_NAMES) if isinstance(item, str) else None
            raise OptionError(
                f"Option '{name}' has an unknown callback {describe(item)}"
                + (f"; did you mean '{hint}'?" if hint else "")
                + " Known callbacks: 'onEpochEnd', 'onBatchEnd'"
            )
        names.append(CALLBACK_NAMES[item])
    return tuple(dict.fromkeys(names))


def seconds(name: str, value: Any) -> float:
    """A non-negative finite number of seconds."""
    number = to_float(value) if is_number(value) and not isinstance(value, bool) else math.nan
    if not math.isfinite(number) or number < 0:
        raise _fail(name, "a number of seconds, 0 or more", value)
    return number


def optional_flag(name: str, value: Any) -> bool | None:
    return None if value is None else flag(name, value)


def panel_columns(name: str, value: Any) -> int:
    count = positive_int(name, value)
    if count > 20:
        raise _fail(name, "a positive integer up to 20", value)
    return count


@dataclass(frozen=True)
class HistoryOptions(_BaseOptions):
    """Options of :func:`tfvis.show.history`; ``width``/``height`` are each panel's plot.

    ``zoomToFitAccuracy`` (tfjs-vis) lets accuracy-like panels zoom instead of showing
    0..1; ``zoomToFit`` does the same for the other panels (no zero baseline).
    """

    width: float = _opt(300.0, pixels)
    height: float = _opt(180.0, pixels)
    zoom_to_fit: bool = _opt(False, flag, "zoomToFit")
    zoom_to_fit_accuracy: bool = _opt(False, flag, "zoomToFitAccuracy")
    smoothing: float = _opt(0.0, smoothing_weight)
    y_scale: str = _opt("linear", choice(Y_SCALES), "yScale")
    best_markers: bool = _opt(True, flag, "bestMarkers")
    x: str = _opt("epoch", choice(HISTORY_AXES))
    columns: int = _opt(2, panel_columns)
    max_points: int | None = _opt(None, max_points, "maxPoints")
    downsample: str | None = _opt(DEFAULT_METHOD, downsample_method)

    @property
    def point_budget(self) -> int:
        """Points drawn per series: ``maxPoints``, or two per pixel column, at least 1,000."""
        return self.max_points or max(1000, 2 * round(self.width))


@dataclass(frozen=True)
class FitCallbacksOptions(HistoryOptions):
    """Options of :func:`tfvis.show.fit_callbacks`: the history options, and

    ``callbacks`` (tfjs-vis: which callbacks record, ``['onEpochEnd', 'onBatchEnd']``),
    ``throttle`` (the least number of seconds between two redraws within an epoch;
    the end of an epoch and of training always redraw) and ``verbose`` (print a line
    per epoch; None: only when there is no notebook and no container).
    """

    callbacks: tuple[str, ...] = _opt(("on_epoch_end", "on_batch_end"), callback_list)
    throttle: float = _opt(0.5, seconds)
    verbose: bool | None = _opt(None, optional_flag)


# ----------------------------------------------------------------- images (issue #13)


def optional_pixels(name: str, value: Any) -> float | None:
    """None (sized from the tiles) or a size in pixels (:func:`pixels`)."""
    return None if value is None else pixels(name, value)


def optional_positive_int(name: str, value: Any) -> int | None:
    return None if value is None else positive_int(name, value)


def text_list(name: str, value: Any) -> tuple[str, ...] | None:
    """None or a list of strings (one per tile)."""
    if value is None:
        return None
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise _fail(name, "a list of strings, one per tile", value)
    return tuple(text(f"{name}[{i}]", item) for i, item in enumerate(value))


#: Tiles a picture draws at most unless ``maxTiles`` says otherwise.
MAX_TILES = 256


@dataclass(frozen=True)
class ImageOptions(_Options):
    """Options of :func:`tfvis.render.image`."""

    width: float | None = _opt(None, optional_pixels)
    height: float | None = _opt(None, optional_pixels)
    font_size: float = _opt(11.0, font_pixels, "fontSize")
    title: str | None = _opt(None, optional_text)
    subtitle: str | None = _opt(None, optional_text)
    color_map: str = _opt("viridis", color_map, "colorMap")
    domain: tuple[float, float] | None = _opt(None, domain)
    shared_scale: bool = _opt(False, flag, "sharedScale")
    titles: tuple[str, ...] | None = _opt(None, text_list)
    columns: int | None = _opt(None, optional_positive_int)
    tile_size: float | None = _opt(None, optional_pixels, "tileSize")
    max_tiles: int = _opt(MAX_TILES, positive_int, "maxTiles")
    smooth: bool = _opt(False, flag)
