"""Text: what a user string may hold, and how tfvis shows values in messages.

Two jobs, both about strings and neither about fonts:

* **Safety.** Every output of tfvis is written from one JSON text
  (:func:`strict_json`), and that is where user strings are made safe, once, for
  every output (JSON, HTML, notebooks, SVG, PNG, PDF): characters no SVG can carry
  (C0 controls, U+FFFE, U+FFFF, lone surrogates), which abort the whole process
  inside vl-convert and cannot be encoded as UTF-8, become U+FFFD; the line
  separators U+2028/U+2029, which break the Vega expressions Vega-Lite builds around
  titles, become spaces. :func:`protect_titles` keeps encoding titles literal where
  Vega-Lite pastes them into expression code.
* **Messages.** :func:`describe` shows a received value in an error message.

Example
-------
>>> from tfvis._text import clean_text, describe
>>> clean_text("a\\x00b\\u2028c")
'a\\ufffdb c'
>>> describe([1, 2])
'[1, 2] (list)'
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Iterable
from typing import Any

from tfvis import _walk
from tfvis.errors import TfvisBug

__all__ = [
    "clean_text",
    "closest",
    "describe",
    "drawable_text",
    "protect_titles",
    "strict_json",
]

# Characters XML 1.0 forbids. vl-convert measures every text run by parsing it as SVG
# and *aborts the process* on these (a Rust panic that cannot unwind), so they must
# never reach it.
_UNDRAWABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# Vega-Lite pastes titles into Vega expressions with JSON.stringify, which leaves
# U+2028/U+2029 raw; Vega's expression parser rejects them as line terminators.
_SEPARATORS = re.compile("[\u2028\u2029]")
# In tfvis's ASCII JSON every character that may need cleaning is a \\u escape (C0
# controls, surrogates, U+FFFE/FFFF, U+2028/2029) or one of the short escapes \\b and \\f
# (U+0008, U+000C). A match after an escaped backslash is a false alarm, which only costs
# a cleaning pass that changes nothing.
_MAYBE_UNSAFE = re.compile(r"\\u(?:00[01]|d[89a-f]|fff[ef]|202[89])|\\[bf]", re.IGNORECASE)


def clean_text(text: str) -> str:
    """Make a user string safe to draw: the same text, minus what no renderer can take.

    Characters XML forbids (C0 controls other than tab, newline and carriage return,
    U+FFFE, U+FFFF and lone surrogates) become U+FFFD; the line and paragraph
    separators U+2028/U+2029 become spaces. Everything else is kept as is.

    Parameters
    ----------
    text
        Any string from the user: a label, a title, a series name, a category.

    Returns
    -------
    str
        ``text`` itself when nothing needed replacing.

    Example
    -------
    >>> clean_text("a\\x00b\\u2028c")
    'a\\ufffdb c'
    """
    if text.isascii() and text.isprintable():
        return text
    return _SEPARATORS.sub(" ", _UNDRAWABLE.sub("\ufffd", text))


def _clean_tree(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_text(str(key)): _clean_tree(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_clean_tree(item) for item in value]
    return value


def strict_json(value: Any) -> str:
    """``value`` as strict, ASCII JSON with every string cleaned (:func:`clean_text`).

    The one writer of tfvis output: no ``NaN`` or ``Infinity`` token (a NaN reaching
    here is a tfvis bug, not output), and no character that would abort vl-convert
    or fail to encode as UTF-8. Text with nothing to clean costs one ``json.dumps``.
    """
    try:
        text = json.dumps(value, allow_nan=False)
    except ValueError as error:
        raise TfvisBug(f"tfvis built output that is not strict JSON: {error}") from error
    if _MAYBE_UNSAFE.search(text) is None:
        return text
    cleaned = json.dumps(_clean_tree(json.loads(text)), allow_nan=False)
    return cleaned


def describe(value: Any, limit: int = 60) -> str:
    """Show a received value in an error message: its repr, shortened, and its type.

    >>> describe("x" * 100)[-12:]
    "xxx'... (str)"
    """
    text = repr(value)
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return f"{text} ({type(value).__name__})"


# What a JavaScript string literal cannot hold raw, and its escape.
_LITERAL_ESCAPES = {
    ord("\\"): "\\\\",
    ord("\n"): "\\n",
    ord("\r"): "\\r",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}
_GUIDES = {"x": "axis", "y": "axis"} | dict.fromkeys(
    ("color", "fill", "stroke", "shape", "size", "opacity", "fillOpacity", "strokeDash"),
    "legend",
)


# Vega fails on a literal title equal to one of these (the names of Object.prototype's
# functions: it looks the text up in a plain object and finds a function), with
# "Operator not defined". Such titles are drawn from a parameter instead.
_PROTOTYPE_NAMES = frozenset(
    (
        "constructor",
        "__defineGetter__",
        "__defineSetter__",
        "hasOwnProperty",
        "__lookupGetter__",
        "__lookupSetter__",
        "isPrototypeOf",
        "propertyIsEnumerable",
        "toString",
        "valueOf",
        "toLocaleString",
    )
)


def _protect_definition(
    definition: dict[str, Any], guide: str | None, literal: Callable[[Any], Any]
) -> None:
    """One encoding: its title literal in expressions, its drawn title drawable."""
    own = definition.get(guide, {}) if guide else None  # None: the guide is hidden
    title = definition.get("title")
    if isinstance(title, str):
        # Cleaned first: a raw U+2028 must become a space, not the escape "\u2028".
        title = clean_text(title)
        escaped = title.translate(_LITERAL_ESCAPES)
        definition["title"] = escaped
        if escaped != title and guide is not None and own is not None:
            own = {"title": title, **(own or {})}
            definition[guide] = own
    if guide is None or own is None:
        return
    drawn = own["title"] if "title" in own else definition.get("title")
    if isinstance(drawn, str | list):
        safe = drawable_text(drawn)
        if safe is not drawn:
            definition[guide] = {**own, "title": safe}


def drawable_text(text: str | list[Any]) -> str | list[Any]:
    """A title Vega can draw as text: a prototype name gets a trailing space.

    Guide titles must be plain text in Vega-Lite's schema (an expression there made
    the spec invalid, and Altair's ``from_dict`` then built the wrong chart class);
    Vega trims the space it draws, so the title still reads as itself.
    """
    lines = text if isinstance(text, list) else [text]
    if not any(isinstance(line, str) and line in _PROTOTYPE_NAMES for line in lines):
        return text
    fixed = [
        f"{line} " if isinstance(line, str) and line in _PROTOTYPE_NAMES else line for line in lines
    ]
    return fixed if isinstance(text, list) else fixed[0]


def protect_titles(spec: dict[str, Any]) -> dict[str, Any]:
    """Keep encoding titles literal where Vega-Lite turns them into expression code.

    Vega-Lite pastes each encoding's title into the Vega expressions it builds for
    tooltips and ARIA descriptions, escaping quotes but nothing else. So a title
    ``C:\\new`` showed a newline, a title holding a line break or ending in a
    backslash stopped the chart from drawing, and a title containing ``\\"`` let the
    rest of it become expression code. This escapes backslashes and line breaks in
    the title the expressions use, and gives the drawn axis or legend title (plain
    text, never code) the original.

    A drawn title that equals the name of a JavaScript ``Object.prototype`` function
    (``constructor``, ``toString`` ...) makes Vega fail; such a chart title is drawn
    from a top-level parameter holding it (as data, never as code), and such an axis
    or legend title, where the schema allows only text, with a trailing space.

    Parameters
    ----------
    spec
        A top-level Vega-Lite spec; changed in place, in every view
        (:func:`tfvis._walk.views`).

    Returns
    -------
    dict
        ``spec``.
    """
    params: list[dict[str, Any]] = []

    def literal(text: Any) -> Any:
        """``text``, or an expression reading it from a parameter if Vega would fail."""
        lines = text if isinstance(text, list) else [text]
        if not any(isinstance(line, str) and line in _PROTOTYPE_NAMES for line in lines):
            return text
        name = f"tfvis_text_{len(params)}"
        params.append({"name": name, "value": text})
        return {"expr": name}

    for view in _walk.views(spec):
        node = view.node
        title = node.get("title")
        if isinstance(title, str | list):
            node["title"] = {"text": literal(title)}
        elif isinstance(title, dict):
            for key in ("text", "subtitle"):
                if key in title:
                    title[key] = literal(title[key])
        encoding = view.node.get("encoding")
        if not isinstance(encoding, dict):
            continue
        for channel, definitions in encoding.items():
            for definition in definitions if isinstance(definitions, list) else [definitions]:
                if isinstance(definition, dict):
                    _protect_definition(definition, _GUIDES.get(channel), literal)
    if params:
        spec["params"] = [*spec.get("params", []), *params]
    return spec


def closest(name: str, choices: Iterable[str]) -> str | None:
    """The choice a misspelt ``name`` most likely meant, or None ("did you mean").

    Case and underscores are ignored first (``max_bin`` → ``max_bins``, ``xlabel`` →
    ``xLabel``), then the closest spelling by ``difflib``.

    >>> closest("lttbb", ["lttb", "m4"])
    'lttb'
    """
    options = list(choices)
    squashed = {c.lower().replace("_", ""): c for c in options}
    match = squashed.get(name.lower().replace("_", ""))
    if match is not None:
        return match
    close = difflib.get_close_matches(name, options, n=1)
    return close[0] if close else None
