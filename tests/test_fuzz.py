"""Property-based tests: any input gives the right chart or a clear tfvis error.

For each render function, strategies generate the input forms tfvis accepts (lists of
dicts, numpy arrays of every real dtype, pandas objects with every index kind, dates
with and without a zone, NaN and ±Inf, empty and one-element data, duplicate x, huge
and tiny magnitudes, hostile, right-to-left and CJK text, very long labels) and
malformed ones (ragged, wrong keys, wrong types, mismatched lengths, None in odd
places, options of the wrong type). Three in five cases are valid, one has broken
data, one a broken option. The property:

* the call returns a :class:`tfvis.Chart` whose ``to_json()`` is strict JSON and whose
  spec vl-convert compiles to Vega without error, or
* it raises a :class:`tfvis.TfvisError` whose message names the argument.

Nothing else: no other exception and no stray warning. A sample is also rendered to
SVG. Profiles: ``ci`` (default: 200 examples per function, derandomised so CI is
reproducible, about a minute in all) and ``long`` (``HYPOTHESIS_PROFILE=long``: 5,000
examples per function, random, a new search every run). Every bug the fuzzing found
is pinned with ``@example`` next to the test that found it.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import math
import os
import re
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest
import vl_convert
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import tfvis
from conftest import require
from tfvis import DownsampleWarning, TfvisError, _engine, render
from tfvis.errors import MissingGlyphWarning, PrecisionWarning

_COMMON_SETTINGS: dict[str, Any] = {
    "deadline": None,
    "print_blob": True,
    "suppress_health_check": [
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
}
settings.register_profile(
    "ci", max_examples=200, derandomize=True, database=None, **_COMMON_SETTINGS
)
settings.register_profile("long", max_examples=5000, **_COMMON_SETTINGS)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
FUZZ = settings(settings.get_profile(PROFILE if PROFILE in ("ci", "long") else "ci"))
# Rendering costs several times compiling: the SVG sample is a quarter of the size.
DRAW = settings(FUZZ, max_examples=max(50, FUZZ.max_examples // 4))

pytestmark = pytest.mark.filterwarnings("ignore:Generating overly large repr")

Case = tuple[Any, dict[str, Any], dict[str, Any], frozenset[str]]
NO_OPTIONS: tuple[dict[str, Any], dict[str, Any], frozenset[str]] = ({}, {}, frozenset())

# ----------------------------------------------------------------------------- text

HOSTILE = [
    "\x00",
    "\x01",
    "\x08",
    "\x0b",
    "\x0c",
    "\x1b",
    "\x7f",
    "\u2028",
    "\u2029",
    "\ufffe",
    "\uffff",
    "\ud800",
    "\udfff",
    "\u202e",  # right-to-left override
    "\u200f",
    "\u200b",
    "\ufeff",
    "</script>",
    "<!--",
    "<img src=x onerror=alert(1)>",
    "&amp;",
    '"',
    "'",
    "\\",
    "`${x}`",
    "{{x}}",
    "datum.x",
    "' + alert(1) + '",
    "%s%n",
    "\n",
    "\t",
    "\r",
]
SCRIPTS = [
    "实际水果",
    "识别的水果",
    "苹果",
    "ひらがな",
    "カタカナ",
    "한국어",
    "مرحبا بالعالم",
    "שלום",
    "สวัสดี",
    "नमस्ते",
    "Ελληνικά",
    "Кириллица",
    "🍎🍊",
    "e\u0301",  # a combining accent
    "\U0010ffff",
]
_ALPHABET = st.one_of(
    st.characters(codec="utf-8"),
    st.sampled_from([c for c in HOSTILE if len(c) == 1]),
    st.sampled_from("实际水果识别的ひらカ한국مرحبשלוםสวัส"),
)
texts = st.one_of(
    st.text(_ALPHABET, max_size=12),
    st.sampled_from(HOSTILE + SCRIPTS),
    st.builds(lambda a, b: a + b, st.sampled_from(HOSTILE + SCRIPTS), st.text(_ALPHABET)),
    # very long labels
    st.builds(lambda s, n: s * n, st.sampled_from([*SCRIPTS, "W"]), st.integers(50, 400)),
)

# ----------------------------------------------------------------------------- numbers

EXTREMES = [
    0.0,
    -0.0,
    1e308,
    -1e308,
    1.7976931348623157e308,
    5e-324,
    -5e-324,
    2.2250738585072014e-308,
    1e-300,
    2**53 + 1,
    2**63,
    2**64 - 1,
    -(2**63),
]
MAX = 1.7976931348623157e308
finite_floats = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False), st.sampled_from(EXTREMES)
)
any_floats = st.one_of(st.floats(), st.sampled_from([*EXTREMES, math.nan, math.inf, -math.inf]))
big_ints = st.one_of(st.integers(-(2**70), 2**70), st.sampled_from([2**1100, -(2**1100)]))
REAL_DTYPES = [
    "float16",
    "float32",
    "float64",
    "int8",
    "int16",
    "int32",
    "int64",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "bool",
]
dtypes = st.sampled_from(REAL_DTYPES).map(np.dtype)
numpy_scalars = dtypes.flatmap(hnp.from_dtype)
numbers = st.one_of(finite_floats, any_floats, big_ints, numpy_scalars)
y_values = st.one_of(numbers, st.none())


@st.composite
def real_arrays(draw: st.DrawFn, max_side: int = 30, ndim: int = 1) -> np.ndarray:
    """A numpy array of any real dtype; floats include NaN, ±Inf and the extremes."""
    dtype = draw(dtypes)
    shape = tuple(draw(st.integers(0, max_side)) for _ in range(ndim))
    return draw(hnp.arrays(dtype, shape, elements=hnp.from_dtype(dtype)))


# ----------------------------------------------------------------------------- x values

ZONES = st.sampled_from(
    [
        dt.timezone.utc,
        dt.timezone(dt.timedelta(hours=5, minutes=30)),
        dt.timezone(-dt.timedelta(hours=11)),
    ]
)


@st.composite
def dates(draw: st.DrawFn, n: int, lo: int = 1700, hi: int = 2200) -> list[Any]:
    """n dates of one form (or mixed): naive, tz-aware, date, Timestamp, datetime64."""
    forms = ["naive", "aware", "date", "timestamp", "datetime64"]
    form = draw(st.sampled_from([*forms, "mixed"]))
    moments = st.datetimes(dt.datetime(lo, 1, 1), dt.datetime(hi, 12, 31))
    out: list[Any] = []
    for _ in range(n):
        value = draw(moments)
        kind = draw(st.sampled_from(forms)) if form == "mixed" else form
        if kind == "aware":
            out.append(value.replace(tzinfo=draw(ZONES)))
        elif kind == "date":
            out.append(value.date())
        elif kind == "timestamp" and 1677 < value.year < 2262:
            out.append(pd.Timestamp(value))
        elif kind == "datetime64":
            out.append(np.datetime64(value, draw(st.sampled_from(["D", "s", "ms", "us"]))))
        else:
            out.append(value)
    return out


@st.composite
def x_values(draw: st.DrawFn, n: int) -> list[Any]:
    kind = draw(st.sampled_from(["int", "float", "str", "date", "duplicate", "numpy"]))
    if kind == "int":
        return draw(st.lists(big_ints, min_size=n, max_size=n))
    if kind == "float":
        return draw(st.lists(finite_floats, min_size=n, max_size=n))
    if kind == "str":
        return draw(st.lists(texts, min_size=n, max_size=n))
    if kind == "date":
        return draw(dates(n))
    if kind == "numpy":
        finite = numpy_scalars.filter(lambda v: bool(np.isfinite(v)))
        return draw(st.lists(finite, min_size=n, max_size=n))
    return [draw(st.one_of(finite_floats, texts))] * n


@st.composite
def points(draw: st.DrawFn, max_size: int = 25) -> list[dict[str, Any]]:
    n = draw(st.integers(0, max_size))
    xs = draw(x_values(n))
    ys = draw(st.lists(y_values, min_size=n, max_size=n))
    return [{"x": x, "y": y} for x, y in zip(xs, ys, strict=True)]


# ----------------------------------------------------------------------------- pandas

INDEX_KINDS = [
    "range",
    "int",
    "uint",
    "float",
    "str",
    "object",
    "bool",
    "datetime",
    "datetime_tz",
    "category",
    "period",
    "timedelta",
    "interval",
    "multi",
]


@st.composite
def pandas_indexes(draw: st.DrawFn, n: int) -> pd.Index:
    """An index of every kind pandas has, n long."""
    kind = draw(st.sampled_from(INDEX_KINDS))
    if kind == "range":
        start = draw(st.integers(-5, 5))
        return pd.RangeIndex(start, start + n)
    if kind == "int":
        return pd.Index(draw(st.lists(st.integers(-(2**63), 2**63 - 1), min_size=n, max_size=n)))
    if kind == "uint":
        ints = draw(st.lists(st.integers(0, 2**64 - 1), min_size=n, max_size=n))
        return pd.Index(np.array(ints, dtype=np.uint64))
    if kind == "float":
        return pd.Index(np.array(draw(st.lists(any_floats, min_size=n, max_size=n)), float))
    if kind == "str":
        return pd.Index(draw(st.lists(texts, min_size=n, max_size=n)), dtype=object)
    if kind == "object":
        mixed = st.one_of(texts, big_ints, st.none(), st.floats())
        return pd.Index(draw(st.lists(mixed, min_size=n, max_size=n)), dtype=object)
    if kind == "bool":
        return pd.Index(np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)), bool))
    if kind in ("datetime", "datetime_tz"):
        moments = st.datetimes(dt.datetime(1700, 1, 1), dt.datetime(2200, 12, 31))
        index = pd.DatetimeIndex(draw(st.lists(moments, min_size=n, max_size=n)))
        if kind == "datetime_tz":
            zone = draw(st.sampled_from(["UTC", "Asia/Kolkata", "America/New_York"]))
            index = index.tz_localize(zone, ambiguous="NaT", nonexistent="NaT")
        return index
    if kind == "category":
        # From codes, with object categories: pandas with pyarrow installed stores
        # inferred text as UTF-8 and cannot hold a lone surrogate (texts draws them).
        labels = draw(st.lists(texts, min_size=n, max_size=n))
        unique = list(dict.fromkeys(labels))
        codes = [unique.index(label) for label in labels]
        categories = pd.Index(unique, dtype=object)
        return pd.CategoricalIndex(pd.Categorical.from_codes(codes, categories=categories))
    if kind == "period":
        return pd.period_range("2000-01", periods=n, freq="M")
    if kind == "timedelta":
        return pd.timedelta_range(0, periods=n, freq="s")
    if kind == "interval":
        return pd.interval_range(0, n, periods=n) if n else pd.IntervalIndex([])
    return pd.MultiIndex.from_arrays([list(range(n)), [str(i) for i in range(n)]])


@st.composite
def pandas_series(draw: st.DrawFn, max_size: int = 20) -> pd.Series:
    n = draw(st.integers(0, max_size))
    if draw(st.booleans()):
        values: Any = draw(st.lists(y_values, min_size=n, max_size=n))
    else:
        values = draw(hnp.arrays(draw(dtypes), n))
    name = draw(st.one_of(st.none(), texts, big_ints))
    return pd.Series(values, index=draw(pandas_indexes(n)), name=name, dtype=None)


@st.composite
def pandas_frames(draw: st.DrawFn) -> pd.DataFrame:
    n = draw(st.integers(0, 15))
    columns = draw(st.lists(st.one_of(texts, big_ints), max_size=4))
    data = {i: draw(st.lists(y_values, min_size=n, max_size=n)) for i in range(len(columns))}
    frame = pd.DataFrame(data, index=draw(pandas_indexes(n)))
    frame.columns = pd.Index(columns, dtype=object)
    return frame


# ----------------------------------------------------------------------------- tensors


# Without torch only the tensor cases drop out: every other input form is still drawn
# (an importorskip inside a strategy would skip each whole test the first time a tensor
# came up). test_tensor_cases_are_drawn makes the loss visible, and fatal in CI.
HAVE_TORCH = importlib.util.find_spec("torch") is not None


def tensors(ndim: int = 1) -> st.SearchStrategy[Any]:
    """Torch tensors when torch is installed, otherwise nothing (the other forms still run)."""
    return torch_tensors(ndim) if HAVE_TORCH else st.nothing()


def test_tensor_cases_are_drawn() -> None:
    require(HAVE_TORCH, "torch is not installed: the fuzz tests draw no tensor inputs")


@st.composite
def torch_tensors(draw: st.DrawFn, ndim: int = 1) -> Any:
    """A torch tensor (plain, float16, bfloat16 or requiring grad)."""
    import torch

    array = draw(real_arrays(max_side=20, ndim=ndim))
    if array.dtype.kind == "u" and array.dtype.itemsize > 1:
        array = array.astype(np.int64)  # torch has no uint16/32/64 from numpy
    tensor = torch.from_numpy(np.ascontiguousarray(array))
    cast = draw(st.sampled_from([None, "bfloat16", "float16", "grad"]))
    if cast == "bfloat16":
        tensor = tensor.to(torch.bfloat16)
    elif cast == "float16":
        tensor = tensor.to(torch.float16)
    elif cast == "grad":
        tensor = tensor.to(torch.float32).requires_grad_(True)
    return tensor


# ----------------------------------------------------------------------------- malformed

junk = st.one_of(
    st.none(),
    st.booleans(),
    texts,
    numbers,
    st.just(object()),
    st.just({1, 2}),
    st.just(b"bytes"),
    st.just(np.array(["a", "b"])),
    st.just(np.array([1 + 2j])),
    st.just(np.zeros((2, 2, 2))),
    st.just(np.array([np.datetime64("NaT")])),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(texts, st.integers(), max_size=2),
)
bad_x = st.one_of(
    junk,
    st.sampled_from([pd.NaT, np.datetime64("NaT"), math.nan, math.inf, None]),
    st.sampled_from([dt.datetime(1, 1, 1), dt.datetime(9999, 12, 31), np.datetime64("0001-01-01")]),
)


@st.composite
def broken_points(draw: st.DrawFn) -> list[Any]:
    """A list of points with one wrong: keys, types, None, a mix of x kinds."""
    good = draw(points(max_size=6))
    bad = draw(
        st.one_of(
            junk,
            st.fixed_dictionaries({"x": bad_x}),
            st.fixed_dictionaries({"y": junk}),
            st.fixed_dictionaries({"x": bad_x, "y": y_values}),
            st.fixed_dictionaries({"x": finite_floats, "y": junk}),
            st.fixed_dictionaries({"x": st.one_of(texts, finite_floats), "y": st.booleans()}),
            st.fixed_dictionaries({"X": finite_floats, "Y": finite_floats}),
        )
    )
    at = draw(st.integers(0, len(good)))
    return [*good[:at], bad, *good[at:]]


# ----------------------------------------------------------------------------- options

SIZE = st.one_of(
    st.floats(1, 2000),
    st.integers(1, 2000),
    st.sampled_from([np.float32(300), np.int64(200), 1, 10_000]),
)
DOMAIN = st.tuples(finite_floats, finite_floats).filter(lambda d: d[0] < d[1]).map(list)
COMMON: dict[str, st.SearchStrategy[Any]] = {
    "width": SIZE,
    "height": SIZE,
    "xLabel": st.one_of(st.none(), texts),
    "yLabel": st.one_of(st.none(), texts),
    "fontSize": st.one_of(st.floats(0.5, 60), st.integers(1, 60)),
}
XY = {
    **COMMON,
    "xType": st.sampled_from(["quantitative", "ordinal", "nominal", "temporal"]),
    "yType": st.sampled_from(["quantitative", "ordinal", "nominal", "temporal"]),
    "xAxisDomain": st.one_of(st.none(), DOMAIN),
    "yAxisDomain": st.one_of(st.none(), DOMAIN),
    "zoomToFit": st.booleans(),
    "seriesColors": st.lists(
        st.one_of(st.sampled_from(["red", "#4C78A0", "rgb(1,2,3)"]), texts), max_size=3
    ),
    "maxPoints": st.one_of(st.none(), st.integers(3, 40)),
    "downsample": st.sampled_from(
        [False, None, True, "minmax_lttb", "lttb", "m4", "minmax", "stride"]
    ),
}
BAR = {
    **COMMON,
    "xType": st.sampled_from(["ordinal", "nominal"]),
    "yType": st.sampled_from(["quantitative", "ordinal", "nominal"]),
    "color": st.one_of(
        st.sampled_from(["red", "#4C78A0", "nonsense"]),
        texts,
        st.lists(texts, min_size=1, max_size=4),
    ),
}
HISTOGRAM = {
    **COMMON,
    "maxBins": st.integers(1, 200),
    "color": st.one_of(st.sampled_from(["red", "#001B44"]), texts),
    "stats": st.one_of(
        st.none(),
        st.just(False),
        st.dictionaries(
            st.sampled_from(
                ["numVals", "min", "max", "numZeros", "numNans", "numInfs", "num_vals"]
            ),
            st.one_of(st.none(), numbers),
            max_size=4,
        ),
    ),
}
HEATMAP = {
    **COMMON,
    "xType": st.sampled_from(["ordinal", "nominal"]),
    "yType": st.sampled_from(["ordinal", "nominal"]),
    "colorMap": st.sampled_from(["viridis", "blues", "greyscale", "magma", "redblue"]),
    "domain": st.one_of(st.none(), DOMAIN),
    "rowMajor": st.booleans(),
}
# Wrong values: types, ranges, sizes vl-convert cannot draw (0.5 px, 1e6 px, 1e308).
BAD = st.one_of(
    st.none(),
    st.booleans(),
    texts,
    st.floats(),
    st.integers(-5, 0),
    st.sampled_from([0.5, 5e-324, 1e6, 1e308, 10**9, "400", [1, 2, 3], [2, 1]]),
    st.sampled_from([np.array(["ordinal", "nominal"]), np.array([1.0, 2.0]), np.float64("nan")]),
    st.lists(st.integers(), max_size=3),
    st.just(object()),
)


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


@st.composite
def options(
    draw: st.DrawFn, table: dict[str, st.SearchStrategy[Any]], broken: bool
) -> tuple[dict[str, Any], dict[str, Any], frozenset[str]]:
    """(opts mapping, keyword options, names given a wrong value or unknown)."""
    names = draw(st.lists(st.sampled_from(sorted(table)), unique=True, max_size=4))
    values = {name: draw(table[name]) for name in names}
    bad: set[str] = set()
    if broken:
        if draw(st.booleans()) or not names:
            unknown = draw(texts)
            values[unknown] = draw(BAD)
            bad.add(unknown)
        else:
            name = draw(st.sampled_from(names))
            values[name] = draw(BAD)
            bad.add(name)
    opts: dict[str, Any] = {}
    keywords: dict[str, Any] = {}
    for name, value in values.items():
        if draw(st.booleans()) or name not in table:
            opts[name] = value
        else:
            keywords[_snake(name)] = value
    return opts, keywords, frozenset(bad)


@st.composite
def cases(
    draw: st.DrawFn,
    valid: st.SearchStrategy[Any],
    broken: st.SearchStrategy[Any],
    table: dict[str, st.SearchStrategy[Any]],
) -> Case:
    mode = draw(st.sampled_from(["valid", "valid", "valid", "broken data", "broken option"]))
    event(mode)
    data = draw(broken if mode == "broken data" else valid)
    opts, keywords, bad = draw(options(table, mode == "broken option"))
    return data, opts, keywords, bad


# ----------------------------------------------------------------------------- the property

DATA_WORDS = re.compile(
    r"\bdata\b|\bdata\[|\bvalues\b|\bvalues\[|\bseries\b|\bindex\b|\bvalue\b|TickLabels|"
    r"renderHeatmap|\binput\b|\.x\b|\.y\b|\bcolumn\b|\bdates\b",
    re.IGNORECASE,
)


def _squash(text: str) -> str:
    return re.sub(r"[\s_]", "", text).lower()


def names_the_argument(message: str, bad_options: frozenset[str]) -> bool:
    """A data error names the data; an option error names the bad option."""
    if "Unknown option" in message or "Options of" in message:
        return True
    if any(n and _squash(n) in _squash(message) for n in bad_options):
        return True
    if re.match(r"Option '\w+'", message):  # an option that only fails with this data
        return True
    return DATA_WORDS.search(message) is not None


def reject_constant(token: str) -> None:
    raise AssertionError(f"non-strict JSON token {token}")


def check(chart_name: str, case: Case, *, draw: bool = False) -> tfvis.Chart | None:
    """Call one render function and check the property; None after a tfvis error."""
    data, opts, keywords, bad = case
    function: Callable[..., tfvis.Chart] = getattr(render, chart_name)
    if isinstance(data, str):
        # With options after it, a str first argument is the file to save to
        # (tfjs-vis order); as data it goes alone, options as keywords.
        merged = {**{_snake(k) if k[:1].isalpha() else k: v for k, v in opts.items()}, **keywords}
        keywords, opts = merged, {}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.simplefilter("ignore", DownsampleWarning)
        warnings.simplefilter("ignore", MissingGlyphWarning)
        warnings.simplefilter("ignore", PrecisionWarning)
        try:
            chart = function(data, opts or None, **keywords) if opts else function(data, **keywords)
        except TfvisError as error:
            message = str(error)
            event(f"{type(error).__name__}: {message[:30]}")
            assert message.strip(), "empty error message"
            assert names_the_argument(message, bad), message
            return None
        event("a chart")
        assert isinstance(chart, tfvis.Chart)
        text = chart.to_json()
        spec = json.loads(text, parse_constant=reject_constant)
        assert spec["$schema"].endswith("/v5.json")
        vega = vl_convert.vegalite_to_vega(text, vl_version=_engine.vegalite_version())
        json.dumps(vega, allow_nan=False)
        if draw:
            assert chart.to_svg().startswith("<svg")
        return chart


# ----------------------------------------------------------------------------- line / scatter


@st.composite
def named_series(draw: st.DrawFn) -> dict[str, Any]:
    series = draw(st.lists(points(max_size=10), min_size=1, max_size=4))
    names = st.lists(texts, min_size=len(series), max_size=len(series), unique=True)
    return {"values": series, "series": draw(names)}


valid_xy = st.one_of(
    points().map(lambda p: {"values": p}),
    points(),
    named_series(),
    real_arrays(),
    real_arrays().map(lambda a: {"values": [a, a[::-1]], "series": ["a", "b"]}),
    tensors(),
    pandas_series(),
    pandas_frames(),
)
broken_xy = st.one_of(
    broken_points(),
    broken_points().map(lambda p: {"values": [p]}),
    named_series().map(lambda d: {**d, "series": [*d["series"][1:], "extra", "more"]}),
    st.fixed_dictionaries({"values": st.lists(points(max_size=3), max_size=2), "series": junk}),
    st.dictionaries(st.sampled_from(["values", "series", "x", "Values"]), junk, max_size=3),
    st.lists(st.one_of(points(max_size=4), junk, real_arrays(max_side=4)), max_size=3),
    real_arrays(max_side=5, ndim=2),
    junk,
)


@FUZZ
@example(case=({"values": [{"x": 0, "y": 2**1100}]}, *NO_OPTIONS))  # OverflowError
@example(case=({"values": [{"x": 2**1100, "y": 1}]}, *NO_OPTIONS))  # OverflowError
@example(case=([{"x": 2**70, "y": 1}], *NO_OPTIONS))  # AssertionError("unreachable")
@example(case=([{"x": dt.datetime(9999, 12, 31), "y": 1}], *NO_OPTIONS))  # wrapped to 1816
@example(case=([{"x": 1, "y": 2}, {"x": [1], "y": 3}], *NO_OPTIONS))  # ragged: numpy error
@example(case=({"values": [[{"x": 1, "y": 2}]], "series": ["a\x00b"]}, *NO_OPTIONS))  # abort
@example(  # U+2028 broke the tooltip expression Vega-Lite builds around a title
    case=(
        {"values": [[{"x": 1, "y": 2}]], "series": ["a\u2028b"]},
        {"xLabel": "x\u2029"},
        {},
        frozenset(),
    )
)
@example(case=([{"x": 1, "y": 2}], {"width": 1e6}, {}, frozenset({"width"})))  # minutes
@example(case=([{"x": 1, "y": 2}], {"width": 0.5}, {}, frozenset({"width"})))  # PNG panic
@example(case=([{"x": 1, "y": 2}], {"fontSize": 1e308}, {}, frozenset({"fontSize"})))
@example(  # reducing x that reaches the largest float: overflow in numpy.spacing
    case=([{"x": 0.0, "y": 0.0}] * 20 + [{"x": MAX, "y": 0.0}], {}, {"max_points": 5}, frozenset())
)
@example(case=([{"x": x, "y": 1.0} for x in [-MAX, MAX] * 10], {"maxPoints": 5}, {}, frozenset()))
@given(case=cases(valid_xy, broken_xy, XY))
def test_linechart_fuzz(case: Case) -> None:
    check("linechart", case)


HUGE_CLOUD = [{"x": 0, "y": -8e307}, {"x": 0, "y": 1e308}, {"x": 1, "y": 0.0}, {"x": 0, "y": 5.0}]


@FUZZ
@example(case=({"values": HUGE_CLOUD * 2}, {}, {"max_points": 3}, frozenset()))  # overflow
@given(case=cases(valid_xy, broken_xy, XY))
def test_scatterplot_fuzz(case: Case) -> None:
    check("scatterplot", case)


# ----------------------------------------------------------------------------- barchart

bar_items = st.fixed_dictionaries(
    {"index": st.one_of(texts, finite_floats, big_ints, numpy_scalars), "value": y_values}
)
valid_bars = st.one_of(
    st.lists(bar_items, max_size=20),
    st.dictionaries(st.one_of(texts, big_ints), y_values, max_size=15),
    pandas_series(),
    real_arrays(),
    tensors(),
)
broken_bars = st.one_of(
    st.lists(
        st.one_of(bar_items, junk, st.fixed_dictionaries({"index": junk, "value": junk})),
        min_size=1,
        max_size=5,
    ),
    st.lists(
        st.fixed_dictionaries(
            {"index": st.sampled_from([math.nan, math.inf, None]), "value": y_values}
        ),
        min_size=1,
        max_size=3,
    ),
    real_arrays(max_side=4, ndim=2),
    junk,
)


@FUZZ
@example(case=([{"index": 2**1100, "value": 1}], *NO_OPTIONS))  # OverflowError
@example(case=([1], {}, {"y_type": None}, frozenset()))  # None: Altair's schema error
@example(case=([1], {"xType": np.array(["a", "b"])}, {}, frozenset({"xType"})))  # ValueError
@example(case=([{"index": "a\x0bb", "value": 1}], *NO_OPTIONS))  # vertical tab: abort
@given(case=cases(valid_bars, broken_bars, BAR))
def test_barchart_fuzz(case: Case) -> None:
    check("barchart", case)


# ----------------------------------------------------------------------------- histogram

valid_histogram = st.one_of(
    st.lists(y_values, max_size=40),
    st.lists(st.fixed_dictionaries({"value": y_values}), max_size=20),
    real_arrays(max_side=40),
    real_arrays(max_side=6, ndim=3),
    tensors(ndim=2),
    pandas_series(),
    pandas_frames(),
)
broken_histogram = st.one_of(
    st.lists(
        st.one_of(y_values, junk, st.fixed_dictionaries({"value": junk})), min_size=1, max_size=5
    ),
    st.lists(st.fixed_dictionaries({"values": y_values}), min_size=1, max_size=3),
    junk,
)


@FUZZ
@example(case=([None, []], *NO_OPTIONS))  # numpy's ValueError on a ragged list
@example(case=([1.78e308], *NO_OPTIONS))  # nice bins overflowed: a NaN bin count
@example(case=([-1e308, 1e308], *NO_OPTIONS))  # span beyond float64: OverflowError
@example(case=([5e-324, 0], *NO_OPTIONS))  # step underflowed to 0: ZeroDivisionError
@example(case=([-1.7976931348623157e308, 1.7976931348623157e308], *NO_OPTIONS))
@example(case=([2**1100, 1], *NO_OPTIONS))  # OverflowError
@example(case=([1, 2], {"maxBins": 10**9}, {}, frozenset({"maxBins"})))  # 8 GB of bins
@example(case=([1, 2], {"stats": {"numVals": 2**1100}}, {}, frozenset()))  # OverflowError
@given(case=cases(valid_histogram, broken_histogram, HISTOGRAM))
def test_histogram_fuzz(case: Case) -> None:
    chart = check("histogram", case)
    if chart is not None and chart.stats is not None:
        rows = chart.to_dict()["datasets"]["tfvis_bins"]
        finite = chart.stats["num_vals"] - chart.stats["num_nans"] - chart.stats["num_infs"]
        assert sum(row["count"] for row in rows) == finite  # every finite value is binned


# ----------------------------------------------------------------------------- heatmap


@st.composite
def matrices(draw: st.DrawFn, ragged: bool = False) -> Any:
    rows, cols = draw(st.integers(0, 8)), draw(st.integers(0, 8))
    kinds = ["list", "array", "frame"] + (["tensor"] if HAVE_TORCH else [])
    kind = draw(st.sampled_from(kinds))
    if kind == "array":
        return draw(hnp.arrays(draw(dtypes), (rows, cols)))
    if kind == "tensor":
        return draw(tensors(ndim=2))
    values = [draw(st.lists(y_values, min_size=cols, max_size=cols)) for _ in range(rows)]
    if kind == "frame":
        return pd.DataFrame(values, index=draw(pandas_indexes(rows)))
    if ragged and values:
        values[draw(st.integers(0, len(values) - 1))].append(draw(y_values))
    return values


@st.composite
def heatmaps(draw: st.DrawFn, broken: bool) -> Any:
    matrix = draw(matrices(ragged=broken))
    if not broken and draw(st.booleans()):
        return matrix
    shape = (
        np.shape(matrix)
        if not isinstance(matrix, list)
        else (len(matrix), len(matrix[0]) if matrix else 0)
    )
    wrapped: dict[str, Any] = {"values": matrix}
    for key, size in (
        ("xTickLabels", shape[0]),
        ("yTickLabels", shape[1] if len(shape) > 1 else 0),
    ):
        choices = ["none", "right", "snake"] + (["wrong", "junk", "both"] if broken else [])
        choice = draw(st.sampled_from(choices))
        labels = st.lists(st.one_of(texts, numbers), min_size=size, max_size=size)
        snake = "x_tick_labels" if key[0] == "x" else "y_tick_labels"
        if choice == "right":
            wrapped[key] = draw(labels)
        elif choice == "snake":
            wrapped[snake] = draw(labels)
        elif choice == "both":
            wrapped[key] = wrapped[snake] = draw(labels)
        elif choice == "wrong":
            wrapped[key] = draw(st.lists(texts, max_size=4))
        elif choice == "junk":
            wrapped[key] = draw(junk)
    if broken and draw(st.booleans()):
        wrapped[draw(texts)] = 1
    return wrapped


@FUZZ
@example(case=([[2**1100]], *NO_OPTIONS))  # OverflowError
@example(case=([[1]], {}, {"x_type": None}, frozenset()))  # None: Altair's schema error
@example(case=([[8e307, 1e308]], {}, {"height": 1.0}, frozenset()))  # block mean overflowed
@example(case=([[], []], {}, {"width": 1.0}, frozenset()))  # empty raster: numpy ValueError
@example(case=({"values": [[1]], "xTickLabels": [2**1100]}, *NO_OPTIONS))  # OverflowError
@example(case=({"values": [[1]], "xTickLabels": ["\x00"], "yTickLabels": ["\uffff"]}, *NO_OPTIONS))
@given(case=cases(heatmaps(broken=False), st.one_of(heatmaps(broken=True), junk), HEATMAP))
def test_heatmap_fuzz(case: Case) -> None:
    check("heatmap", case)


# ----------------------------------------------------------------------------- SVG sample

STRATEGIES = {
    "linechart": (valid_xy, broken_xy, XY),
    "scatterplot": (valid_xy, broken_xy, XY),
    "barchart": (valid_bars, broken_bars, BAR),
    "histogram": (valid_histogram, broken_histogram, HISTOGRAM),
    "heatmap": (heatmaps(broken=False), heatmaps(broken=True), HEATMAP),
}


@DRAW
@given(chart=st.sampled_from(sorted(STRATEGIES)), data=st.data())
def test_a_sample_renders_to_svg(chart: str, data: st.DataObject) -> None:
    valid, _, table = STRATEGIES[chart]
    check(chart, (data.draw(valid, label="data"), *data.draw(options(table, False))), draw=True)
