"""Font folders: the ones vl-convert does not scan by itself, and the user's.

vl-convert draws text with the fonts of its own font database: a bundled Liberation
Sans plus the fonts of the usual system folders (on Linux the folders of
``/etc/fonts/fonts.conf``). It misses the folders of a relocated fontconfig (conda's,
``FONTCONFIG_PATH``), the folders newer macOS versions download fonts into, and
per-user Windows fonts. :func:`discover_system_fonts` registers those, once, before
the first static export; :func:`register_font_directory` adds a folder of the
user's. Nothing here opens a font file: folders are listed, and fontconfig's
``fc-list`` names the files it knows.

Example
-------
>>> import tfvis
>>> tfvis.register_font_directory("~/fonts")  # doctest: +SKIP
PosixPath('/home/me/fonts')
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

from tfvis._text import describe
from tfvis.errors import ExportError, OptionError

__all__ = [
    "FONT_SUFFIXES",
    "discover_system_fonts",
    "font_files",
    "fontconfig_files",
    "platform_folders",
    "register_font_directory",
    "registered_font_directories",
    "user_font_directories",
]

FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")  # what vl-convert's font database loads

_LOCK = threading.RLock()
_REGISTERED: dict[Path, None] = {}  # every folder given to vl-convert, in order
_USER: dict[Path, None] = {}  # the ones given to register_font_directory
_DISCOVERED: list[Path] | None = None


def font_files(folder: Path) -> Iterator[str]:
    """Font files under ``folder``, recursively, as vl-convert's font database loads them."""
    for root, folders, names in os.walk(folder):
        folders.sort()  # the same order on every machine
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


def platform_folders() -> list[Path]:
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
def fontconfig_files() -> tuple[str, ...] | None:
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


def _register(folder: Path) -> None:
    """Give one folder to vl-convert, once."""
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


def register_font_directory(path: str | os.PathLike[str]) -> Path:
    """Make the fonts in a folder available to the PNG, SVG and PDF exports.

    vl-convert already sees the usual system font folders; use this for fonts kept
    anywhere else (a project's ``fonts/`` folder, a font downloaded for one script).
    The folder is scanned recursively for ``.ttf``, ``.otf``, ``.ttc`` and ``.otc``
    files. Registering the same folder again does nothing. Families registered here
    that have every CJK character of a chart are preferred when tfvis picks the
    family for CJK text.

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
            f"got {describe(path)}"
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
    if next(font_files(folder), None) is None:
        raise OptionError(
            f"Font folder {shown!r} given to register_font_directory(path) holds no font "
            "file (.ttf, .otf, .ttc or .otc)"
        )
    with _LOCK:
        _register(folder)
        _USER[folder] = None
    return folder


def registered_font_directories() -> tuple[Path, ...]:
    """The folders tfvis gave to vl-convert: discovered system folders and the user's."""
    with _LOCK:
        return tuple(_REGISTERED)


def user_font_directories() -> tuple[Path, ...]:
    """The folders given to :func:`register_font_directory`, in order."""
    with _LOCK:
        return tuple(_USER)


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
        for file in fontconfig_files() or ():
            candidates[_resolved(Path(file).parent)] = None
        for folder in platform_folders():
            candidates[_resolved(folder)] = None
        missed = [f for f in candidates if not _is_under(f, seen) and f.is_dir()]
        # Register the top-most folders only: vl-convert scans them recursively.
        tops = [f for f in missed if not _is_under(f, [m for m in missed if m != f])]
        _DISCOVERED = []
        for folder in sorted(tops):
            if next(font_files(folder), None) is None:
                continue
            try:
                _register(folder)
            except ExportError:
                continue  # an unreadable system folder is not the user's problem
            _DISCOVERED.append(folder)
        return tuple(_DISCOVERED)
