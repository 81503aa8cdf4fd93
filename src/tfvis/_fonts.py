"""Fonts for the static exports (SVG, PNG, PDF): find them, pick one, warn when none fits.

vl-convert draws text with the fonts of its own font database: a bundled Liberation
Sans plus the fonts of the usual system folders (on Linux it also reads
``/etc/fonts/fonts.conf``). When a character is missing from the chosen face it takes
the first face in that database that has it, which for Chinese, Japanese and Korean
text is often a *serif* face (``Noto Serif CJK`` on Debian), and the Latin text after
it then switches to that serif face too. This module

* finds font folders vl-convert does not scan by itself (fontconfig folders of a
  relocated fontconfig such as conda's, newer macOS font asset folders, per-user
  Windows fonts) and registers them, once, lazily, before the first static export;
* lets the user add a folder with :func:`register_font_directory`;
* detects the scripts in a chart's text by Unicode ranges, chooses an installed
  sans-serif CJK family when CJK text is present and writes it into the spec's
  ``config.font`` (only for the static exports: ``to_dict``, ``to_json`` and HTML
  stay machine-independent);
* replaces the characters no SVG can carry (C0 controls, U+FFFE, U+FFFF, lone
  surrogates), which would otherwise abort the whole process inside vl-convert,
  and the line separators U+2028/U+2029, which break the Vega expressions that
  Vega-Lite builds around titles;
* warns once per script (:class:`MissingGlyphWarning`) when no installed font has
  glyphs for text in the chart.

Font files are read with a small parser of the OpenType ``name``, ``OS/2``, ``post``
and ``cmap`` tables written for tfvis; fontconfig's ``fc-list`` only supplies the list
of font files when it is installed, and a scan of the platform's font folders does
otherwise.

Example
-------
>>> from tfvis._fonts import detect_scripts
>>> sorted(detect_scripts("实际水果 / Apple / 한국어"))
['Han', 'Hangul']
"""

from __future__ import annotations

import bisect
import functools
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import threading
import warnings
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from tfvis.errors import ExportError, MissingGlyphWarning, OptionError

__all__ = [
    "CJK_SCRIPTS",
    "MissingGlyphWarning",
    "cjk_family",
    "clean_text",
    "detect_scripts",
    "discover_system_fonts",
    "prepare_spec",
    "prepare_spec_json",
    "protect_titles",
    "register_font_directory",
    "registered_font_directories",
]

FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")  # what vl-convert's font database loads


# ----------------------------------------------------------------------------- text

# Characters XML 1.0 forbids. vl-convert measures every text run by parsing it as SVG
# and *aborts the process* on these (a Rust panic that cannot unwind), so they must
# never reach it.
_UNDRAWABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# Vega-Lite pastes titles into Vega expressions with JSON.stringify, which leaves
# U+2028/U+2029 raw; Vega's expression parser rejects them as line terminators.
_SEPARATORS = re.compile("[\u2028\u2029]")


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


_GUIDES = {"x": "axis", "y": "axis"} | dict.fromkeys(
    ("color", "fill", "stroke", "shape", "size", "opacity", "fillOpacity", "strokeDash"),
    "legend",
)
_NESTED = ("layer", "concat", "hconcat", "vconcat", "spec")


# What a JavaScript string literal cannot hold raw, and its escape.
_LITERAL_ESCAPES = {
    ord("\\"): "\\\\",
    ord("\n"): "\\n",
    ord("\r"): "\\r",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def protect_titles(spec: dict[str, Any]) -> dict[str, Any]:
    """Keep encoding titles literal where Vega-Lite turns them into expression code.

    Vega-Lite pastes each encoding's title into the Vega expressions it builds for
    tooltips and ARIA descriptions, escaping quotes but nothing else. So a title
    ``C:\\new`` showed a newline, a title holding a line break or ending in a
    backslash stopped the chart from drawing, and a title containing ``\\"`` let the
    rest of it become expression code. This escapes backslashes and line breaks in
    the title the expressions use, and gives the drawn axis or legend title (plain
    text, never code) the original.

    Parameters
    ----------
    spec
        A compiled Vega-Lite spec; changed in place (every layer and nested view).

    Returns
    -------
    dict
        ``spec``.
    """
    encoding = spec.get("encoding")
    if isinstance(encoding, dict):
        for channel, definitions in encoding.items():
            for definition in definitions if isinstance(definitions, list) else [definitions]:
                title = definition.get("title") if isinstance(definition, dict) else None
                if not isinstance(title, str):
                    continue
                escaped = title.translate(_LITERAL_ESCAPES)
                if escaped == title:
                    continue
                guide = _GUIDES.get(channel)
                if guide is not None and definition.get(guide, {}) is not None:
                    definition[guide] = {"title": title, **(definition.get(guide) or {})}
                definition["title"] = escaped
    for key in _NESTED:
        nested = spec.get(key)
        for view in nested if isinstance(nested, list) else [nested]:
            if isinstance(view, dict):
                protect_titles(view)
    return spec


# Unicode blocks of the scripts tfvis can tell apart cheaply, as (first, last, script).
# Latin, Greek and Cyrillic are left out: the Liberation Sans that vl-convert bundles
# draws them everywhere.
_SCRIPT_BLOCKS: tuple[tuple[int, int, str], ...] = (
    (0x0530, 0x058F, "Armenian"),
    (0x0590, 0x05FF, "Hebrew"),
    (0x0600, 0x06FF, "Arabic"),
    (0x0700, 0x074F, "Syriac"),
    (0x0750, 0x077F, "Arabic"),
    (0x0780, 0x07BF, "Thaana"),
    (0x08A0, 0x08FF, "Arabic"),
    (0x0900, 0x097F, "Devanagari"),
    (0x0980, 0x09FF, "Bengali"),
    (0x0A00, 0x0A7F, "Gurmukhi"),
    (0x0A80, 0x0AFF, "Gujarati"),
    (0x0B00, 0x0B7F, "Oriya"),
    (0x0B80, 0x0BFF, "Tamil"),
    (0x0C00, 0x0C7F, "Telugu"),
    (0x0C80, 0x0CFF, "Kannada"),
    (0x0D00, 0x0D7F, "Malayalam"),
    (0x0D80, 0x0DFF, "Sinhala"),
    (0x0E00, 0x0E7F, "Thai"),
    (0x0E80, 0x0EFF, "Lao"),
    (0x0F00, 0x0FFF, "Tibetan"),
    (0x1000, 0x109F, "Myanmar"),
    (0x10A0, 0x10FF, "Georgian"),
    (0x1100, 0x11FF, "Hangul"),
    (0x1200, 0x139F, "Ethiopic"),
    (0x13A0, 0x13FF, "Cherokee"),
    (0x1780, 0x17FF, "Khmer"),
    (0x1800, 0x18AF, "Mongolian"),
    (0x2E80, 0x2FDF, "Han"),
    (0x3000, 0x303F, "CJK symbols"),
    (0x3040, 0x309F, "Hiragana"),
    (0x30A0, 0x30FF, "Katakana"),
    (0x3100, 0x312F, "Bopomofo"),
    (0x3130, 0x318F, "Hangul"),
    (0x31F0, 0x31FF, "Katakana"),
    (0x3400, 0x4DBF, "Han"),
    (0x4E00, 0x9FFF, "Han"),
    (0xA960, 0xA97F, "Hangul"),
    (0xAC00, 0xD7FF, "Hangul"),
    (0xF900, 0xFAFF, "Han"),
    (0xFB1D, 0xFB4F, "Hebrew"),
    (0xFB50, 0xFDFF, "Arabic"),
    (0xFE70, 0xFEFC, "Arabic"),
    (0xFF01, 0xFF60, "CJK symbols"),
    (0xFF65, 0xFF9F, "Katakana"),
    (0xFFA0, 0xFFDC, "Hangul"),
    (0x1F300, 0x1FAFF, "Emoji"),
    (0x20000, 0x3134F, "Han"),
)
_BLOCK_STARTS = [first for first, _, _ in _SCRIPT_BLOCKS]

CJK_SCRIPTS = frozenset({"Han", "Hiragana", "Katakana", "Hangul", "Bopomofo", "CJK symbols"})
"""The scripts for which tfvis chooses a CJK font family."""

_SAMPLE = 64  # distinct characters per script checked against the fonts


def _script_of(codepoint: int) -> str | None:
    at = bisect.bisect_right(_BLOCK_STARTS, codepoint) - 1
    if at >= 0:
        first, last, script = _SCRIPT_BLOCKS[at]
        if first <= codepoint <= last:
            return script
    return None


def detect_scripts(text: str) -> dict[str, str]:
    """The scripts in ``text`` that need a font beyond Latin, with their characters.

    Parameters
    ----------
    text
        Any text; ASCII text returns at once.

    Returns
    -------
    dict
        Script name (``'Han'``, ``'Hiragana'``, ``'Katakana'``, ``'Hangul'``,
        ``'Arabic'``, ``'Hebrew'``, ``'Thai'``, ``'Devanagari'``, ``'Emoji'`` ...) to
        the distinct characters of that script, in order of appearance (at most 64).

    Example
    -------
    >>> detect_scripts("识别的水果")
    {'Han': '识别的水果'}
    """
    found: dict[str, list[str]] = {}
    if text.isascii():
        return {}
    for char in dict.fromkeys(text):
        if char.isascii():
            continue
        script = _script_of(ord(char))
        if script is not None:
            chars = found.setdefault(script, [])
            if len(chars) < _SAMPLE:
                chars.append(char)
    return {script: "".join(chars) for script, chars in found.items()}


# ----------------------------------------------------------------------------- font files


@dataclass(frozen=True)
class _Face:
    """What tfvis needs to know about one face of a font file."""

    path: str
    index: int
    family: str
    weight: int
    italic: bool
    monospace: bool
    panose_serif: int  # PANOSE bSerifStyle: 11-13 sans, 2-10 serif, 0/1 unknown
    unicode_ranges: int  # OS/2 ulUnicodeRange1-4 as one 128-bit number
    cmap_offset: int  # absolute offset of the cmap table in the file, 0 if none
    cmap_length: int


def _tables(stream: BinaryIO, offset: int) -> dict[bytes, tuple[int, int]]:
    stream.seek(offset)
    header = stream.read(12)
    if len(header) < 12:
        return {}
    (count,) = struct.unpack_from(">H", header, 4)
    records = stream.read(16 * count)
    tables = {}
    for tag, _, at, length in struct.iter_unpack(">4sIII", records[: 16 * count]):
        tables[tag] = (at, length)
    return tables


def _read(stream: BinaryIO, table: tuple[int, int] | None, limit: int = 1 << 20) -> bytes:
    if table is None:
        return b""
    stream.seek(table[0])
    return stream.read(min(table[1], limit))


def _family_name(data: bytes) -> str | None:
    """The English typographic family (name ID 16), else the family (ID 1)."""
    if len(data) < 6:
        return None
    _, count, strings = struct.unpack_from(">HHH", data, 0)
    best: dict[tuple[int, int], str] = {}
    for i in range(count):
        at = 6 + 12 * i
        if at + 12 > len(data):
            break
        platform, encoding, language, name_id, length, offset = struct.unpack_from(
            ">HHHHHH", data, at
        )
        if name_id not in (1, 16):
            continue
        raw = data[strings + offset : strings + offset + length]
        if platform in (0, 3):
            text = raw.decode("utf-16-be", "replace")
            rank = 0 if (platform == 3 and language == 0x0409) else (1 if platform == 3 else 2)
        elif platform == 1 and encoding == 0 and language == 0:
            text, rank = raw.decode("mac_roman", "replace"), 3
        else:
            continue
        key = (0 if name_id == 16 else 1, rank)
        if text.strip() and key not in best:
            best[key] = text.strip()
    return best[min(best)] if best else None


def _read_faces(path: str) -> list[_Face]:
    """Every face of a font file or collection; an empty list for anything unreadable."""
    try:
        with open(path, "rb") as stream:
            head = stream.read(12)
            if head[:4] == b"ttcf" and len(head) == 12:
                (count,) = struct.unpack_from(">I", head, 8)
                offsets = struct.unpack(f">{min(count, 256)}I", stream.read(4 * min(count, 256)))
            elif head[:4] in (b"\x00\x01\x00\x00", b"OTTO", b"true"):
                offsets = (0,)
            else:
                return []
            return [f for i, at in enumerate(offsets) if (f := _read_face(stream, path, i, at))]
    except (OSError, struct.error, ValueError, IndexError):
        return []


def _read_face(stream: BinaryIO, path: str, index: int, offset: int) -> _Face | None:
    tables = _tables(stream, offset)
    family = _family_name(_read(stream, tables.get(b"name")))
    if family is None:
        return None
    os2 = _read(stream, tables.get(b"OS/2"), 96)
    weight, italic, panose, ranges = 400, False, 0, 0
    if len(os2) >= 64:
        weight = struct.unpack_from(">H", os2, 4)[0]
        panose = os2[33]
        r1, r2, r3, r4 = struct.unpack_from(">IIII", os2, 42)
        ranges = r1 | r2 << 32 | r3 << 64 | r4 << 96
        italic = bool(struct.unpack_from(">H", os2, 62)[0] & 1)
    post = _read(stream, tables.get(b"post"), 16)
    monospace = len(post) >= 16 and struct.unpack_from(">I", post, 12)[0] != 0
    cmap = tables.get(b"cmap", (0, 0))
    return _Face(path, index, family, weight, italic, monospace, panose, ranges, *cmap)


class _Cmap:
    """Which code points one face maps to a glyph (cmap formats 4 and 12)."""

    def __init__(self, data: bytes, subtable: int) -> None:
        self.format: int = struct.unpack_from(">H", data, subtable)[0]
        self.data = data
        self.starts: list[int]
        self.ends: list[int]
        self.glyphs: list[int]  # format 12: first glyph of a group; format 4: idDelta
        self.ranges: list[int] = []  # format 4: idRangeOffset
        self.range_at = 0
        if self.format == 12:
            (groups,) = struct.unpack_from(">I", data, subtable + 12)
            body = data[subtable + 16 : subtable + 16 + 12 * groups]
            triples = list(struct.iter_unpack(">III", body[: len(body) // 12 * 12]))
            self.starts = [t[0] for t in triples]
            self.ends = [t[1] for t in triples]
            self.glyphs = [t[2] for t in triples]
        else:  # format 4
            (segments2,) = struct.unpack_from(">H", data, subtable + 6)
            n = segments2 // 2
            self.ends = list(struct.unpack_from(f">{n}H", data, subtable + 14))
            self.starts = list(struct.unpack_from(f">{n}H", data, subtable + 16 + 2 * n))
            self.glyphs = list(struct.unpack_from(f">{n}h", data, subtable + 16 + 4 * n))
            self.range_at = subtable + 16 + 6 * n
            self.ranges = list(struct.unpack_from(f">{n}H", data, self.range_at))

    def __contains__(self, codepoint: int) -> bool:
        i = bisect.bisect_left(self.ends, codepoint)
        if i >= len(self.ends) or self.starts[i] > codepoint:
            return False
        if self.format == 12:
            return self.glyphs[i] + codepoint - self.starts[i] != 0
        if self.ranges[i] == 0:
            return (codepoint + self.glyphs[i]) & 0xFFFF != 0
        at = self.range_at + 2 * i + self.ranges[i] + 2 * (codepoint - self.starts[i])
        if at + 2 > len(self.data):
            return False
        glyph: int = struct.unpack_from(">H", self.data, at)[0]
        return glyph != 0

    @classmethod
    def load(cls, face: _Face) -> _Cmap | None:
        """The best Unicode subtable of a face, or None when it has none we read."""
        if face.cmap_length < 4:
            return None
        try:
            with open(face.path, "rb") as stream:
                stream.seek(face.cmap_offset)
                data = stream.read(face.cmap_length)
            _, count = struct.unpack_from(">HH", data, 0)
            subtables: dict[tuple[int, int], int] = {}
            for i in range(count):
                platform, encoding, offset = struct.unpack_from(">HHI", data, 4 + 8 * i)
                subtables[(platform, encoding)] = offset
            # Full repertoire (format 12) first, then the BMP (format 4).
            for key in ((3, 10), (0, 6), (0, 4), (3, 1), (0, 3), (0, 2), (0, 1), (0, 0)):
                if key in subtables:
                    fmt = struct.unpack_from(">H", data, subtables[key])[0]
                    if fmt in (4, 12):
                        return cls(data, subtables[key])
        except (OSError, struct.error, ValueError, IndexError):
            return None
        return None


# ----------------------------------------------------------------------------- folders


def _font_files(folder: Path) -> Iterator[str]:
    """Font files under ``folder``, recursively, as vl-convert's font database loads them."""
    for root, _, names in os.walk(folder):
        for name in sorted(names):
            if name.lower().endswith(FONT_SUFFIXES):
                yield os.path.join(root, name)


def _home() -> Path:
    return Path(os.environ.get("HOME") or os.environ.get("USERPROFILE") or "~").expanduser()


def _vl_convert_folders() -> list[Path]:
    """The folders vl-convert's font database (fontdb) scans by itself on this OS."""
    home = _home()
    if sys.platform == "win32":
        return [
            Path("C:\\Windows\\Fonts"),
            home / "AppData" / "Local" / "Microsoft" / "Windows" / "Fonts",
            home / "AppData" / "Roaming" / "Microsoft" / "Windows" / "Fonts",
        ]
    if sys.platform == "darwin":
        return [
            Path("/Library/Fonts"),
            Path("/System/Library/Fonts"),
            Path("/System/Library/AssetsV2/com_apple_MobileAsset_Font6"),
            Path("/Network/Library/Fonts"),
            home / "Library" / "Fonts",
        ]
    # Linux and other Unix: fontdb reads /etc/fonts/fonts.conf, whose folders are these.
    data_home = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    return [
        Path("/usr/share/fonts"),
        Path("/usr/local/share/fonts"),
        home / ".fonts",
        home / ".local" / "share" / "fonts",
        data_home / "fonts",
    ]


def _platform_folders() -> list[Path]:
    """Folders where this OS keeps fonts, including the ones vl-convert misses."""
    folders = _vl_convert_folders()
    if sys.platform == "win32":
        windir = os.environ.get("WINDIR") or os.environ.get("SYSTEMROOT")
        if windir:
            folders.append(Path(windir) / "Fonts")
        local = os.environ.get("LOCALAPPDATA")
        if local:
            folders.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    elif sys.platform == "darwin":
        # Fonts macOS downloads on demand (many CJK faces) live in versioned asset folders.
        folders += sorted(Path("/System/Library/AssetsV2").glob("com_apple_MobileAsset_Font*"))
    else:
        for data in (os.environ.get("XDG_DATA_DIRS") or "/usr/local/share:/usr/share").split(":"):
            if data:
                folders.append(Path(data) / "fonts")
    for prefix in {os.environ.get("CONDA_PREFIX"), sys.prefix}:
        if prefix:
            folders.append(Path(prefix) / "fonts")  # conda-forge installs fonts here
    return folders


@functools.cache
def _fontconfig_files() -> tuple[str, ...] | None:
    """Every font file fontconfig knows (``fc-list``), or None without fontconfig."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        listed = subprocess.run(
            [fc_list, "--format", "%{file}\\n"],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    files = (line.strip() for line in listed.stdout.splitlines())
    return tuple(dict.fromkeys(f for f in files if f.lower().endswith(FONT_SUFFIXES)))


def _is_under(path: Path, folders: Iterable[Path]) -> bool:
    return any(path == folder or folder in path.parents for folder in folders)


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()


# ----------------------------------------------------------------------------- registry

_LOCK = threading.RLock()
_REGISTERED: dict[Path, None] = {}  # folders given to vl-convert, in order
_DISCOVERED: list[Path] | None = None
_FACES: list[_Face] | None = None  # registered folders first, then the system
_CMAPS: dict[tuple[str, int], _Cmap | None] = {}
_COVERED: dict[int, bool] = {}
_WARNED: set[str] = set()


def _register(folder: Path) -> None:
    """Give one folder to vl-convert (once) and add its faces to the index."""
    global _FACES
    if folder in _REGISTERED:
        return
    import vl_convert

    try:
        vl_convert.register_font_directory(str(folder))
    except Exception as error:  # vl-convert raises plain exceptions for bad folders
        raise ExportError(
            f"vl-convert could not load the fonts in {str(folder)!r}: {error}"
        ) from error
    _REGISTERED[folder] = None
    if _FACES is not None:
        known = {face.path for face in _FACES}
        added = [f for path in _font_files(folder) if path not in known for f in _read_faces(path)]
        _FACES = added + _FACES
    _COVERED.clear()
    _choose_family.cache_clear()


def register_font_directory(path: str | os.PathLike[str]) -> Path:
    """Make the fonts in a folder available to the PNG, SVG and PDF exports.

    vl-convert already sees the usual system font folders; use this for fonts kept
    anywhere else (a project's ``fonts/`` folder, a font downloaded for one script).
    The folder is scanned recursively for ``.ttf``, ``.otf``, ``.ttc`` and ``.otc``
    files. Registering the same folder again does nothing. Fonts registered here are
    preferred when tfvis picks a family for CJK text.

    Parameters
    ----------
    path
        The folder, as a ``str`` or ``os.PathLike``; ``~`` is expanded.

    Returns
    -------
    pathlib.Path
        The absolute folder that was registered.

    Raises
    ------
    OptionError
        When ``path`` is not a path, does not exist, is not a folder or holds no
        font file.
    ExportError
        When vl-convert refuses the folder.

    Example
    -------
    >>> import tfvis
    >>> tfvis.register_font_directory("~/fonts")  # doctest: +SKIP
    PosixPath('/home/me/fonts')
    """
    if isinstance(path, bytes) or not isinstance(path, str | os.PathLike):
        raise OptionError(
            "register_font_directory(path) needs a folder path (str or os.PathLike), "
            f"got {_describe(path)}"
        )
    shown = os.fspath(path)
    folder = _resolved(Path(shown).expanduser())
    if not folder.exists():
        raise OptionError(
            f"Font folder {shown!r} given to register_font_directory(path) does not exist"
        )
    if not folder.is_dir():
        raise OptionError(
            f"Font folder {shown!r} given to register_font_directory(path) is not a folder"
        )
    if next(_font_files(folder), None) is None:
        raise OptionError(
            f"Font folder {shown!r} given to register_font_directory(path) holds no font "
            "file (.ttf, .otf, .ttc or .otc)"
        )
    with _LOCK:
        _register(folder)
    return folder


def registered_font_directories() -> tuple[Path, ...]:
    """The folders tfvis gave to vl-convert: discovered system folders and the user's."""
    with _LOCK:
        return tuple(_REGISTERED)


def discover_system_fonts() -> tuple[Path, ...]:
    """Register the system font folders vl-convert does not scan by itself; run once.

    Called before the first static export. Uses the font files fontconfig lists
    (``fc-list``) when it is installed and the platform's font folders otherwise
    (see the module docstring for which folders vl-convert misses).

    Returns
    -------
    tuple of pathlib.Path
        The folders registered by this discovery (empty when vl-convert sees them all).
    """
    global _DISCOVERED
    with _LOCK:
        if _DISCOVERED is not None:
            return tuple(_DISCOVERED)
        seen = [_resolved(f) for f in _vl_convert_folders()]
        candidates: dict[Path, None] = {}
        for file in _fontconfig_files() or ():
            candidates[_resolved(Path(file).parent)] = None
        for folder in _platform_folders():
            candidates[_resolved(folder)] = None
        missed = [f for f in candidates if not _is_under(f, seen) and f.is_dir()]
        # Register the top-most folders only: vl-convert scans them recursively.
        tops = [f for f in missed if not _is_under(f, [m for m in missed if m != f])]
        _DISCOVERED = []
        for folder in sorted(tops):
            if next(_font_files(folder), None) is None:
                continue
            try:
                _register(folder)
            except ExportError:
                continue  # an unreadable system folder is not the user's problem
            _DISCOVERED.append(folder)
        return tuple(_DISCOVERED)


def _faces() -> list[_Face]:
    """Every face tfvis knows, user-registered folders first. Built once, lazily."""
    global _FACES
    with _LOCK:
        if _FACES is None:
            files: dict[str, None] = {}
            for folder in _REGISTERED:
                files.update(dict.fromkeys(_font_files(folder)))
            listed = _fontconfig_files()
            if listed is not None:
                files.update(dict.fromkeys(listed))
            for folder in _platform_folders():
                if folder.is_dir() and (listed is None or sys.platform in ("darwin", "win32")):
                    files.update(dict.fromkeys(_font_files(folder)))
            _FACES = [face for path in files for face in _read_faces(path)]
        return _FACES


def _cmap(face: _Face) -> _Cmap | None:
    key = (face.path, face.index)
    if key not in _CMAPS:
        _CMAPS[key] = _Cmap.load(face)
    return _CMAPS[key]


def _has(face: _Face, codepoint: int) -> bool:
    cmap = _cmap(face)
    return cmap is not None and codepoint in cmap


# OS/2 ulUnicodeRange bits that announce a script: checked first when looking for it.
_RANGE_BITS = {
    "Han": (59, 61),
    "CJK symbols": (48,),
    "Hiragana": (49,),
    "Katakana": (50,),
    "Bopomofo": (51,),
    "Hangul": (28, 52, 56),
    "Arabic": (13, 63, 67),
    "Hebrew": (11,),
    "Thai": (24,),
    "Devanagari": (15,),
}


def _likely_first(faces: list[_Face], script: str) -> list[_Face]:
    bits = _RANGE_BITS.get(script, ())
    claims = [f for f in faces if any(f.unicode_ranges >> b & 1 for b in bits)]
    if not claims:
        return faces
    first = {id(f) for f in claims}
    return claims + [f for f in faces if id(f) not in first]


def _covered(codepoint: int, script: str) -> bool:
    """Whether any known face maps ``codepoint`` to a glyph (cached per code point)."""
    if codepoint not in _COVERED:
        if len(_COVERED) > 20_000:  # a bounded cache, however much text a process draws
            _COVERED.clear()
        _COVERED[codepoint] = any(_has(face, codepoint) for face in _likely_first(_faces(), script))
    return _COVERED[codepoint]


# ----------------------------------------------------------------------------- families

_SANS_WORDS = ("sans", "gothic", "hei", "pingfang", "meiryo", "gulim", "dotum", "malgun")
_SERIF_WORDS = ("serif", "mincho", "ming", "song", "sung", "batang", "myungjo", "kai", "fang")
_LOCALE_WORDS = {
    "Hangul": ("kr", "korean", "kor", "malgun", "gulim", "dotum", "nanum", "apple sd gothic"),
    "Hiragana": ("jp", "japanese", "ja", "hiragino", "yu gothic", "meiryo", "ipa"),
    "Katakana": ("jp", "japanese", "ja", "hiragino", "yu gothic", "meiryo", "ipa"),
    "Han": ("sc", "cn", "gb", "chinese", "pingfang sc", "yahei", "hei sc"),
}


def _words(family: str) -> set[str]:
    return set(re.split(r"[\s_\-]+", family.lower()))


def _style_score(face: _Face) -> int:
    """2 for a sans-serif face, 0 when unknown, below zero for serif or monospace."""
    name = face.family.lower()
    words = _words(face.family)
    if face.monospace or "mono" in words or "mono" in name:
        return -2
    if any(w in name for w in _SERIF_WORDS) and "sans" not in words:
        return -1
    if any(w in name for w in _SANS_WORDS):
        return 2
    if 11 <= face.panose_serif <= 13:
        return 1
    if 2 <= face.panose_serif <= 10:
        return -1
    return 0


def _locale_score(family: str, scripts: Iterable[str]) -> int:
    name, words = family.lower(), _words(family)
    order = [s for s in ("Hangul", "Hiragana", "Katakana", "Han") if s in scripts]
    for rank, script in enumerate(order):
        if any((w in words) if " " not in w else (w in name) for w in _LOCALE_WORDS[script]):
            return len(order) - rank
    return 0


@functools.lru_cache(maxsize=256)
def _choose_family(cjk_text: str, scripts: frozenset[str]) -> str | None:
    faces = _faces()
    registered = {
        face.path for folder in _REGISTERED for face in faces if folder in Path(face.path).parents
    }
    codepoints = [ord(c) for c in cjk_text]
    best: tuple[Any, ...] | None = None
    chosen: str | None = None
    by_family: dict[str, list[_Face]] = {}
    for face in faces:
        if not face.italic:
            by_family.setdefault(face.family, []).append(face)
    bits = [b for s in scripts for b in _RANGE_BITS.get(s, ())]
    regulars = {
        family: min(members, key=lambda f: abs(f.weight - 400))
        for family, members in by_family.items()
    }
    claiming = {f: r for f, r in regulars.items() if any(r.unicode_ranges >> b & 1 for b in bits)}
    # Faces that announce a CJK range are checked; the rest only when none does.
    for family, regular in (claiming or regulars).items():
        covered = sum(_has(regular, c) for c in codepoints)
        if covered == 0:
            continue
        style = _style_score(regular)
        key = (
            covered == len(codepoints),
            style > 0,
            regular.path in registered,
            covered,
            style,
            _locale_score(family, scripts),
            -abs(regular.weight - 400),
            family,
        )
        if best is None or key > best:
            best, chosen = key, family
    return chosen


def cjk_family(text: str) -> str | None:
    """The installed family tfvis uses for the CJK text in ``text``, or None.

    Prefers a family that has every CJK character of the text, then a sans-serif
    one, then fonts from :func:`register_font_directory` folders, then the family
    made for the language (Korean for Hangul, Japanese for kana, Simplified Chinese
    for Han alone).

    Parameters
    ----------
    text
        The chart's text.

    Returns
    -------
    str or None
        A family name as vl-convert knows it; None when the text has no CJK
        character or no installed font has any of them.
    """
    scripts = detect_scripts(text)
    cjk = {s: chars for s, chars in scripts.items() if s in CJK_SCRIPTS}
    if not cjk:
        return None
    with _LOCK:
        return _choose_family("".join(cjk.values()), frozenset(cjk))


def _css_family(family: str) -> str:
    """A CSS font-family list: the family (quoted when needed), then sans-serif."""
    if re.fullmatch(r"[A-Za-z][A-Za-z0-9 _\-]*", family):
        name = family
    else:
        name = '"' + family.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"{name}, sans-serif"


# ----------------------------------------------------------------------------- specs


def _describe(value: Any) -> str:
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{text} ({type(value).__name__})"


def _clean_tree(value: Any, texts: list[str]) -> Any:
    """A copy of a JSON value with every string cleaned; non-ASCII strings collected."""
    if isinstance(value, str):
        if not value.isascii():
            texts.append(value)
        return clean_text(value)
    if isinstance(value, dict):
        return {key: _clean_tree(item, texts) for key, item in value.items()}
    if isinstance(value, list):
        return [_clean_tree(item, texts) for item in value]
    return value


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
    for script, chars in scripts.items():
        if script in _WARNED:
            continue
        missing = [c for c in chars if not _covered(ord(c), script)]
        if not missing:
            continue
        _WARNED.add(script)
        sample = "".join(missing[:5])
        warnings.warn(
            f"No installed font has glyphs for the {script} text in this chart "
            f"({sample!r}, U+{ord(missing[0]):04X}); PNG, PDF and SVG exports will show "
            "empty boxes there. Install a font for it, or call "
            "tfvis.register_font_directory(folder) with a folder that holds one.",
            MissingGlyphWarning,
            stacklevel=_stacklevel(),
        )


def prepare_spec(spec: Mapping[str, Any]) -> dict[str, Any]:
    """Ready a Vega-Lite spec for vl-convert: safe text, a CJK font, glyph warnings.

    Registers the missed system font folders first (once per process). Then every
    string is passed through :func:`clean_text`; when the text holds CJK characters
    and the spec sets no ``config.font``, ``config.font`` becomes the family from
    :func:`cjk_family` followed by ``sans-serif``; and a :class:`MissingGlyphWarning`
    is issued, once per script and process, for text no known font can draw.

    Parameters
    ----------
    spec
        A Vega-Lite spec as JSON-ready Python values. It is not modified.

    Returns
    -------
    dict
        A new spec.
    """
    discover_system_fonts()
    texts: list[str] = []
    prepared: dict[str, Any] = _clean_tree(dict(spec), texts)
    if not texts:
        return prepared
    if any(max(text) > "\uffff" for text in texts):
        _no_truncation(prepared)
    scripts = detect_scripts("\n".join(texts))
    if not scripts:
        return prepared
    with _LOCK:
        config = prepared.get("config")
        if CJK_SCRIPTS & scripts.keys() and not (isinstance(config, dict) and "font" in config):
            family = _choose_family(
                "".join(c for s, c in scripts.items() if s in CJK_SCRIPTS),
                frozenset(s for s in scripts if s in CJK_SCRIPTS),
            )
            if family is not None:
                config = dict(config) if isinstance(config, dict) else {}
                config["font"] = _css_family(family)
                prepared["config"] = config
        _warn_missing(scripts)
    return prepared


_ESCAPE = re.compile(r"\\u")


def prepare_spec_json(spec_json: str) -> str:
    """:func:`prepare_spec` on JSON text; returns ``spec_json`` itself when nothing changes.

    tfvis writes specs with ASCII escapes, so a spec without ``\\u`` escapes has
    neither a character to clean nor a script to find and is returned at once.

    Parameters
    ----------
    spec_json
        A Vega-Lite spec as strict JSON text.

    Returns
    -------
    str
        Strict JSON text for vl-convert.
    """
    discover_system_fonts()
    if spec_json.isascii() and _ESCAPE.search(spec_json) is None:
        return spec_json
    try:
        spec = json.loads(spec_json)
    except ValueError:
        return spec_json  # not ours to judge: vl-convert reports it
    if not isinstance(spec, dict):
        return spec_json
    prepared = prepare_spec(spec)
    if prepared == spec:
        return spec_json
    return json.dumps(prepared, allow_nan=False)
