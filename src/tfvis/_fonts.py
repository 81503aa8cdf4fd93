"""Fonts for the static exports (SVG, PNG, PDF): the spec vl-convert is given.

vl-convert chooses the face for a run of text as CSS does: the first *installed*
family of the ``font-family`` list. When that face lacks a character, it takes the
first face of its font database that has it, for the whole run, Latin included; for
Chinese, Japanese and Korean text on Debian that is ``Noto Serif CJK``, so the
``Apple`` after ``识别的水果`` turned serif too. A later family in the list is never
asked for a missing character. So when a chart's text holds CJK characters,
:func:`prepare_spec_json` writes an ordered list of sans-serif CJK families into
``config.font`` (:func:`cjk_font_family`): the families of the text's language
first, the pan-CJK families of the other languages after them, then the generic
``sans-serif``; a family from a folder given to :func:`register_font_directory` that
has every CJK character of the chart goes in front. Only the static exports get
it: ``to_dict``, ``to_json`` and HTML stay machine-independent (a browser picks its
own fonts).

It also turns off Vega's label truncation when the text has characters beyond U+FFFF
and issues one :class:`~tfvis.errors.MissingGlyphWarning` per script and process
for text no installed font can draw. The jobs around it live in their own modules:
font folders in :mod:`tfvis._fontdirs`, scripts in :mod:`tfvis._scripts`, glyph
coverage in :mod:`tfvis._glyphs`. Text is made safe by :func:`tfvis._text.strict_json`
when the JSON is written, not here.

Example
-------
>>> from tfvis._fonts import cjk_font_family
>>> cjk_font_family("识别的水果")  # doctest: +ELLIPSIS
'Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, ..., sans-serif'
"""

from __future__ import annotations

import json
import os
import re
import sys
import threading
import warnings
from collections.abc import Mapping
from typing import Any

from tfvis import _glyphs, _scripts
from tfvis._fontdirs import (
    discover_system_fonts,
    register_font_directory,
    registered_font_directories,
)
from tfvis.errors import MissingGlyphWarning

__all__ = [
    "CJK_FAMILIES",
    "MissingGlyphWarning",
    "cjk_font_family",
    "discover_system_fonts",
    "prepare_spec_json",
    "register_font_directory",
    "registered_font_directories",
]

_PAN_CJK = 4  # the first four families of each list (Noto, Source Han) cover all of CJK

CJK_FAMILIES: Mapping[str, tuple[str, ...]] = {
    # Sans-serif faces only, the pan-CJK Noto and Source Han families first, then each
    # platform's own: macOS, Windows, then Linux distributions' older packages.
    "zh-Hans": (
        "Noto Sans CJK SC",
        "Noto Sans SC",
        "Source Han Sans SC",
        "Source Han Sans CN",
        "PingFang SC",
        "Hiragino Sans GB",
        "Microsoft YaHei",
        "WenQuanYi Micro Hei",
        "WenQuanYi Zen Hei",
        "Droid Sans Fallback",
    ),
    "zh-Hant": (
        "Noto Sans CJK TC",
        "Noto Sans TC",
        "Source Han Sans TC",
        "Source Han Sans TW",
        "PingFang TC",
        "Microsoft JhengHei",
    ),
    "ja": (
        "Noto Sans CJK JP",
        "Noto Sans JP",
        "Source Han Sans JP",
        "Source Han Sans",
        "Hiragino Sans",
        "Hiragino Kaku Gothic ProN",
        "Yu Gothic",
        "Meiryo",
        "IPAexGothic",
        "IPAGothic",
        "TakaoGothic",
    ),
    "ko": (
        "Noto Sans CJK KR",
        "Noto Sans KR",
        "Source Han Sans KR",
        "Source Han Sans K",
        "Apple SD Gothic Neo",
        "Malgun Gothic",
        "NanumGothic",
        "NanumBarunGothic",
        "UnDotum",
    ),
}
"""Sans-serif CJK families per language, in order of preference."""

_LOCK = threading.Lock()
_WARNED: set[str] = set()  # scripts already warned about in this process


def _language(scripts: Mapping[str, str]) -> str:
    """Korean with Hangul, Japanese with kana, Traditional Chinese with Bopomofo."""
    if "Hangul" in scripts:
        return "ko"
    if "Hiragana" in scripts or "Katakana" in scripts:
        return "ja"
    if "Bopomofo" in scripts:
        return "zh-Hant"
    return "zh-Hans"


_PLAIN_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_GENERIC = {"serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui"}


def _css_family(family: str) -> str:
    """One family for a CSS ``font-family`` list, quoted unless it is plain words."""
    words = family.split(" ")
    if family.lower() not in _GENERIC and all(_PLAIN_WORD.fullmatch(w) for w in words):
        return family
    return '"' + family.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _family_list(scripts: Mapping[str, str]) -> str | None:
    cjk = "".join(chars for script, chars in scripts.items() if script in _scripts.CJK_SCRIPTS)
    if not cjk:
        return None
    language = _language(scripts)
    families = list(CJK_FAMILIES[language])
    for other, names in CJK_FAMILIES.items():
        if other != language:
            families += names[:_PAN_CJK]
    registered = _glyphs.registered_family(cjk, preferred=families)
    if registered is not None:
        families.insert(0, registered)
    families = list(dict.fromkeys(families))
    return ", ".join([*map(_css_family, families), "sans-serif"])


def cjk_font_family(text: str) -> str | None:
    """The CSS ``font-family`` list tfvis writes for the CJK text in ``text``, or None.

    The sans-serif families of the text's language (Korean with Hangul, Japanese
    with kana, Traditional Chinese with Bopomofo, Simplified Chinese otherwise, see
    :data:`CJK_FAMILIES`), then the pan-CJK families of the other languages, then
    ``sans-serif``; vl-convert draws with the first of them that is installed. A
    family from a folder given to :func:`register_font_directory` that has every CJK
    character of ``text`` comes first.

    Parameters
    ----------
    text
        The chart's text.

    Returns
    -------
    str or None
        None when ``text`` has no CJK character.
    """
    return _family_list(_scripts.detect_scripts(text))


def _no_truncation(spec: dict[str, Any]) -> None:
    """Turn off Vega's label truncation, which cuts astral characters (emoji) in half.

    Vega shortens long labels by slicing UTF-16 code units, so a character beyond
    U+FFFF can be split; vl-convert then fails to read the half character back.
    """
    config = spec.get("config")
    config = dict(config) if isinstance(config, dict) else {}
    for part in ("axis", "legend", "header"):
        settings = config.get(part)
        settings = dict(settings) if isinstance(settings, dict) else {}
        settings.update(labelLimit=0, titleLimit=0)
        config[part] = settings
    title = config.get("title")
    config["title"] = {**(title if isinstance(title, dict) else {}), "limit": 0}
    spec["config"] = config


def _stacklevel() -> int:
    """The stacklevel of the first frame outside tfvis, for the warning's caller."""
    package = os.path.dirname(os.path.abspath(__file__))
    frame = sys._getframe(1)
    level = 1
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(package):
        frame = frame.f_back  # type: ignore[assignment]
        level += 1
    return level


def _warn_missing(scripts: Mapping[str, str]) -> None:
    with _LOCK:
        for script, chars in scripts.items():
            if script in _WARNED:
                continue
            missing = _glyphs.uncovered(chars, at_most=5)
            if not missing:
                continue
            _WARNED.add(script)
            warnings.warn(
                f"No installed font has glyphs for the {script} text in this chart "
                f"({missing!r}, U+{ord(missing[0]):04X}); PNG, PDF and SVG exports will "
                "show empty boxes there. Install a font for it, or call "
                "tfvis.register_font_directory(folder) with a folder that holds one.",
                MissingGlyphWarning,
                stacklevel=_stacklevel(),
            )


# A run of \uXXXX escapes in JSON text, not itself escaped (an even run of backslashes
# before it); a run holds whole surrogate pairs.
_ESCAPES = re.compile(r"(?<!\\)(?:\\\\)*((?:\\u[0-9a-fA-F]{4})+)")


def _characters(spec_json: str) -> str:
    """The distinct non-ASCII characters of a JSON text, raw or escaped."""
    found: dict[str, None] = {}
    if not spec_json.isascii():
        found.update(dict.fromkeys(c for c in spec_json if not c.isascii()))
    for run in dict.fromkeys(_ESCAPES.findall(spec_json)):  # a label repeats in every row
        found.update(dict.fromkeys(c for c in json.loads(f'"{run}"') if not c.isascii()))
    return "".join(found)


def prepare_spec_json(spec_json: str) -> str:
    """Ready a Vega-Lite spec (JSON text) for vl-convert: CJK fonts, glyph warnings.

    Registers the system font folders vl-convert misses first (once per process).
    When the text of the spec holds CJK characters and the spec sets no
    ``config.font``, ``config.font`` becomes :func:`cjk_font_family`; with characters
    beyond U+FFFF, label truncation is turned off; and a :class:`MissingGlyphWarning`
    is issued, once per script and process, for text no installed font can draw.

    Parameters
    ----------
    spec_json
        A Vega-Lite spec as strict JSON text (:func:`tfvis._text.strict_json`).

    Returns
    -------
    str
        ``spec_json`` itself when nothing changes (always for ASCII text), else the
        changed spec as ASCII JSON.
    """
    discover_system_fonts()
    if spec_json.isascii() and "\\u" not in spec_json:
        return spec_json
    chars = _characters(spec_json)
    scripts = _scripts.detect_scripts(chars)
    if scripts:
        _warn_missing(scripts)
    astral = bool(chars) and max(chars) > "\uffff"
    if not astral and not _scripts.CJK_SCRIPTS & scripts.keys():
        return spec_json
    try:
        spec = json.loads(spec_json)
    except ValueError:
        return spec_json  # not ours to judge: vl-convert reports it
    if not isinstance(spec, dict):
        return spec_json
    config = spec.get("config")
    family = None if isinstance(config, dict) and "font" in config else _family_list(scripts)
    if not astral and family is None:
        return spec_json  # the spec chose its own font
    if astral:
        _no_truncation(spec)
    if family is not None:
        config = spec.get("config")
        spec["config"] = {**(config if isinstance(config, dict) else {}), "font": family}
    return json.dumps(spec, allow_nan=False)
