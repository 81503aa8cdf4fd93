"""The on-disk cache of the JavaScript runtime that every tfvis page carries.

Building vl-convert's bundle of Vega, Vega-Lite and vega-embed takes 1-2 s (3-8 s on a
loaded machine), once per process: the first ``to_html`` paid it every time. The
packed bundle (gzip + base64, 0.4 MB) is kept in the user's cache folder instead.

Trust model: the cached text is inlined as a script into every page tfvis writes, so
whoever can write it can put code into those pages. It is used only when the folder
and the file belong to the user running tfvis, are not symbolic links, and only the
owner may write them (folder 0700, file 0600 where POSIX permissions exist); it must
also match the SHA-256 written beside it and hold base64 text only. A cache failing
any check is ignored and rebuilt, never trusted. (Someone with the user's own rights
could change tfvis itself; the checks guard against other users and against a
truncated or corrupted file.) ``TFVIS_CACHE_DIR`` chooses the folder; set it to an
empty string to turn the cache off.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import sys
import tempfile
from pathlib import Path

__all__ = ["VARIABLE", "cache_folder", "load", "store"]

VARIABLE = "TFVIS_CACHE_DIR"
_BASE64 = re.compile(r"[A-Za-z0-9+/=]*")


def cache_folder() -> Path | None:
    """Where the runtime is cached, or None when the cache is turned off."""
    chosen = os.environ.get(VARIABLE)
    if chosen is not None:
        return Path(chosen) if chosen.strip() else None
    if sys.platform == "win32":  # pragma: no cover - not run on the CI machines
        base = os.environ.get("LOCALAPPDATA")
        return Path(base, "tfvis", "cache") if base else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base, "tfvis")


def load(key: str) -> str | None:
    """The cached text for ``key``, or None if absent or not to be trusted."""
    folder = cache_folder()
    if folder is None or not _private(folder, is_folder=True):
        return None
    path = folder / f"runtime-{key}.b64"
    if not _private(path, is_folder=False):
        return None
    try:
        digest, _, text = path.read_text(encoding="ascii").partition("\n")
    except (OSError, UnicodeDecodeError):
        return None
    if hashlib.sha256(text.encode("ascii")).hexdigest() != digest or not _BASE64.fullmatch(text):
        return None
    return text


def store(key: str, text: str) -> None:
    """Keep ``text`` for ``key``; a folder that cannot be written is left alone."""
    folder = cache_folder()
    if folder is None:
        return
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _private(folder, is_folder=True):
            return  # someone else's, or writable by others: never write into it
        content = f"{hashlib.sha256(text.encode('ascii')).hexdigest()}\n{text}"
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".runtime-", suffix=".part")
        try:
            with os.fdopen(handle, "w", encoding="ascii") as out:  # mkstemp: mode 0600
                out.write(content)
            os.replace(temporary, folder / f"runtime-{key}.b64")
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError:
        return  # a read-only home or a full disk: pages still work, just slower


def _private(path: Path, *, is_folder: bool) -> bool:
    """Whether ``path`` is the user's own, not a link, and writable by the user alone."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    kind_ok = stat.S_ISDIR(info.st_mode) if is_folder else stat.S_ISREG(info.st_mode)
    if not kind_ok:
        return False  # a symbolic link, or not what it should be
    if not hasattr(os, "getuid"):  # pragma: no cover - Windows: the profile's ACLs
        return True
    return info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
