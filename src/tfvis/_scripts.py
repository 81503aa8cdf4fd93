"""Which writing systems a chart's text uses, by the Unicode Script property.

The script of each character comes from fontTools' copy of the Unicode Character
Database (``fontTools.unicodedata.script``), imported on first use. Three groups are
left out because there is nothing to choose or check for them: Latin, Greek and
Cyrillic (the Liberation Sans that vl-convert bundles draws them on every machine),
and characters of no script of their own (digits, punctuation, combining marks,
private-use code points), except two kinds that need a font of their own: CJK
punctuation and full-width forms (reported as ``'CJK symbols'``) and emoji
(``'Emoji'``, U+1F300 to U+1FAFF).

Example
-------
>>> from tfvis._scripts import detect_scripts
>>> sorted(detect_scripts("实际水果 / Apple / 한국어"))
['Han', 'Hangul']
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["CJK_SCRIPTS", "detect_scripts"]

CJK_SCRIPTS = frozenset({"Han", "Hiragana", "Katakana", "Hangul", "Bopomofo", "CJK symbols"})
"""The scripts for which tfvis chooses a CJK font family."""

_SAMPLE = 64  # distinct characters per script checked against the fonts
_DRAWN_EVERYWHERE = frozenset({"Latn", "Grek", "Cyrl"})
_NO_SCRIPT = frozenset({"Zyyy", "Zinh", "Zzzz"})  # Common, Inherited, Unknown
_CJK_CODES = frozenset({"Hani", "Hira", "Kana", "Hang", "Bopo"})
_CJK_BLOCKS = frozenset({"CJK Symbols and Punctuation", "Halfwidth and Fullwidth Forms"})


def _script(char: str) -> str | None:
    from fontTools import unicodedata  # type: ignore[import-untyped]

    code = unicodedata.script(char)
    if code in _DRAWN_EVERYWHERE:
        return None
    if code not in _NO_SCRIPT:
        return str(unicodedata.script_name(code))
    if 0x1F300 <= ord(char) <= 0x1FAFF:
        return "Emoji"
    if unicodedata.script_extension(char) & _CJK_CODES or unicodedata.block(char) in _CJK_BLOCKS:
        return "CJK symbols"
    return None


def detect_scripts(text: str | Iterable[str]) -> dict[str, str]:
    """The scripts in ``text`` that need a font beyond Latin, with their characters.

    Parameters
    ----------
    text
        Any text (or any characters); ASCII text returns at once.

    Returns
    -------
    dict
        Unicode script name (``'Han'``, ``'Hiragana'``, ``'Katakana'``, ``'Hangul'``,
        ``'Arabic'``, ``'Hebrew'``, ``'Thai'``, ``'Devanagari'``, ``'Tibetan'`` ...),
        ``'CJK symbols'`` or ``'Emoji'``, to the distinct characters of that script in
        order of appearance (at most 64).

    Example
    -------
    >>> detect_scripts("识别的水果")
    {'Han': '识别的水果'}
    """
    found: dict[str, list[str]] = {}
    if isinstance(text, str) and text.isascii():
        return {}
    for char in dict.fromkeys(text):
        if char.isascii():
            continue
        script = _script(char)
        if script is not None:
            chars = found.setdefault(script, [])
            if len(chars) < _SAMPLE:
                chars.append(char)
    return {script: "".join(chars) for script, chars in found.items()}
