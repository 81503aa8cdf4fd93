"""Glyph coverage: which characters no font vl-convert can use has a glyph for.

Two sources answer, both only when asked (the first static export with non-Latin
text) and both cached per code point:

* **fontconfig**, where it is installed (Linux, and conda or Homebrew elsewhere):
  ``fc-list :charset=...`` answers from fontconfig's own cache without opening a font
  file (about 10 ms a query, one query per script when one font has the whole
  sample). Reading the same answer from the font files would cost 0.2 s for one CJK
  face and seconds for a script no font has.
* **fontTools** for the folders fontconfig does not know: the ones given to
  :func:`tfvis.register_font_directory`, and on macOS and Windows (or without
  fontconfig) the platform's font folders. Each face's ``OS/2`` Unicode ranges are
  read first (a small table) and only the faces that claim a character's range have
  their ``cmap`` read, once.

The same fontTools index names the families of the user's folders
(:func:`registered_family`), so a registered CJK font can be put first in the
``font-family`` list.

Example
-------
>>> from tfvis._glyphs import uncovered
>>> uncovered("\\ue000")  # doctest: +SKIP
'\\ue000'
"""

from __future__ import annotations

import bisect
import functools
import shutil
import subprocess
import sys
import threading
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tfvis import _fontdirs

__all__ = ["registered_family", "uncovered"]

_LOCK = threading.RLock()
_COVERED: dict[int, bool] = {}  # code point → some font has it, for _FOLDERS
_FOLDERS: tuple[Path, ...] | None = None  # the user folders _FACES was built for
_FACES: list[_Face] | None = None
_FILE_FACES: dict[str, list[_Face]] = {}  # font file → its faces, read once
_CMAPS: dict[tuple[str, int], array[int] | None] = {}  # face → sorted code points


@dataclass(frozen=True)
class _Face:
    """What tfvis reads about one face with fontTools (``name``, ``OS/2``, ``post``)."""

    path: str
    index: int
    family: str
    fixed_pitch: bool
    ranges: frozenset[int] | None  # OS/2 ulUnicodeRange bits; None: not announced

    def may_have(self, bits: frozenset[int]) -> bool:
        return self.ranges is None or not bits or bool(self.ranges & bits)


def _read_faces(path: str) -> list[_Face]:
    """Every face of a font file or collection; an empty list for anything unreadable."""
    from fontTools.ttLib import TTCollection, TTFont  # type: ignore[import-untyped]

    faces: list[_Face] = []
    try:
        if path.lower().endswith((".ttc", ".otc")):
            collection = TTCollection(path, lazy=True)
            fonts = list(collection.fonts)
        else:
            fonts = [TTFont(path, lazy=True)]
        try:
            for index, font in enumerate(fonts):
                name = font["name"]
                family = name.getDebugName(16) or name.getDebugName(1)
                if not family:
                    continue
                os2 = font.get("OS/2")
                ranges = os2.getUnicodeRanges() if os2 is not None else set()
                post = font.get("post")
                faces.append(
                    _Face(
                        path=path,
                        index=index,
                        family=str(family),
                        fixed_pitch=bool(post is not None and post.isFixedPitch),
                        ranges=frozenset(ranges) or None,
                    )
                )
        finally:
            for font in fonts:
                font.close()
    except Exception:  # fontTools raises many kinds; an unreadable file only costs a warning
        return []
    return faces


def _cmap(face: _Face) -> array[int] | None:
    """The code points the face maps to a glyph, sorted; read once per face."""
    key = (face.path, face.index)
    if key not in _CMAPS:
        from fontTools.ttLib import TTFont

        try:
            font = TTFont(face.path, fontNumber=face.index, lazy=True)
            try:
                best = font.getBestCmap()
            finally:
                font.close()
            _CMAPS[key] = array("I", sorted(best)) if best else None
        except Exception:  # as in _read_faces
            _CMAPS[key] = None
    return _CMAPS[key]


def _has(face: _Face, codepoint: int) -> bool:
    codes = _cmap(face)
    if codes is None:
        return False
    at = bisect.bisect_left(codes, codepoint)
    return at < len(codes) and codes[at] == codepoint


def _faces() -> list[_Face]:
    """The faces fontTools reads: the user's folders first, then (where fontconfig does
    not answer for them) the platform's. Rebuilt when a folder is registered."""
    global _FACES, _FOLDERS
    folders = _fontdirs.user_font_directories()
    if _FACES is None or folders != _FOLDERS:
        files: dict[str, None] = {}
        for folder in folders:
            files.update(dict.fromkeys(_fontdirs.font_files(folder)))
        if _fontconfig() is None or sys.platform in ("darwin", "win32"):
            for folder in _fontdirs.platform_folders():
                if folder.is_dir():
                    files.update(dict.fromkeys(_fontdirs.font_files(folder)))
        for path in files:
            if path not in _FILE_FACES:
                _FILE_FACES[path] = _read_faces(path)
        _FACES = [face for path in files for face in _FILE_FACES[path]]
        _FOLDERS = folders
        _COVERED.clear()
    return _FACES


def _user_faces() -> list[_Face]:
    folders = _fontdirs.user_font_directories()
    return [f for f in _faces() if any(folder in Path(f.path).parents for folder in folders)]


@functools.cache
def _fontconfig() -> str | None:
    """The ``fc-list`` program, when fontconfig is installed and works."""
    return shutil.which("fc-list") if _fontdirs.fontconfig_files() is not None else None


def _fontconfig_has_all(fc_list: str, codepoints: Sequence[int]) -> bool:
    """Whether one font fontconfig knows has every one of ``codepoints``."""
    pattern = ":charset=" + " ".join(f"{c:x}" for c in codepoints)
    try:
        listed = subprocess.run(
            [fc_list, "--format", "%{file}\\n", pattern],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return bool(listed.stdout.strip())


def _ranges_of(codepoint: int) -> frozenset[int]:
    from fontTools.ttLib.tables.O_S_2f_2 import (  # type: ignore[import-untyped]
        intersectUnicodeRanges,
    )

    return frozenset(intersectUnicodeRanges([codepoint]))


def _check(codepoint: int, fc_list: str | None, faces: list[_Face]) -> bool:
    """One code point: fontconfig first, then the faces fontTools reads."""
    if fc_list is not None and _fontconfig_has_all(fc_list, [codepoint]):
        return True
    bits = _ranges_of(codepoint)
    return any(f.may_have(bits) and _has(f, codepoint) for f in faces)


def uncovered(chars: str, at_most: int | None = None) -> str:
    """The characters of ``chars`` that no font vl-convert can use has a glyph for.

    Parameters
    ----------
    chars
        Distinct characters, usually one script's sample from
        :func:`tfvis._scripts.detect_scripts`.
    at_most
        Stop after finding this many (a warning shows a few; for a script no font has,
        checking the rest one by one would only cost time).

    Returns
    -------
    str
        The characters without a glyph anywhere, in order; empty when all are drawn.
    """
    with _LOCK:
        faces = _faces()
        fc_list = _fontconfig()
        todo = [ord(c) for c in chars if ord(c) not in _COVERED]
        if todo and fc_list is not None and _fontconfig_has_all(fc_list, todo):
            _COVERED.update(dict.fromkeys(todo, True))  # the usual case: one query
        missing = []
        for char in chars:
            codepoint = ord(char)
            if codepoint not in _COVERED:
                _COVERED[codepoint] = _check(codepoint, fc_list, faces)
            if not _COVERED[codepoint]:
                missing.append(char)
                if at_most is not None and len(missing) >= at_most:
                    break
        if len(_COVERED) > 20_000:  # a bounded cache, however much text a process draws
            _COVERED.clear()
        return "".join(missing)


def registered_family(chars: str, preferred: Sequence[str] = ()) -> str | None:
    """A family from the user's font folders that has every one of ``chars``, or None.

    Proportional faces before fixed-pitch ones; among them the ``preferred`` families
    first, in that order, then the rest in the order the folders were registered.
    Only faces whose ``OS/2`` ranges claim the characters have their ``cmap`` read.

    Parameters
    ----------
    chars
        The chart's CJK characters.
    preferred
        Family names in order of preference (the CSS list tfvis would write).

    Returns
    -------
    str or None
        The family name as vl-convert knows it (typographic family, else family).
    """
    codepoints = [ord(c) for c in chars]
    with _LOCK:
        faces = _user_faces()
        if not faces or not codepoints:
            return None
        bits = frozenset().union(*(_ranges_of(c) for c in codepoints))
        rank = {name.lower(): i for i, name in enumerate(preferred)}
        candidates = sorted(  # stable: the registration order stays among equals
            (f for f in faces if f.may_have(bits)),
            key=lambda f: (f.fixed_pitch, rank.get(f.family.lower(), len(rank))),
        )
        for face in candidates:
            if all(_has(face, c) for c in codepoints):
                return face.family
        return None
