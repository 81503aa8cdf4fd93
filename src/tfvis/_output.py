"""What every tfvis output can do: save by suffix, an offline page, a notebook display.

:class:`Output` is the base of :class:`tfvis.Chart`, :class:`tfvis.Table` and the
visor's report. A subclass says which files it can write (:attr:`Output._writers`),
what its page holds (:meth:`Output._page_sections`) and what a notebook gets
(:meth:`Output._representations`); the saving (atomic, by suffix), the page
(:mod:`tfvis._page`) and the display policy (:mod:`tfvis._display`) are here once.

Example
-------
>>> from tfvis import render
>>> chart = render.barchart([{"index": "foo", "value": 1}, {"index": "bar", "value": 7}])
>>> chart.save("bars.svg")  # doctest: +SKIP
SavedFile('bars.svg', 6.1 KiB)
"""

from __future__ import annotations

import contextlib
import glob
import os
import stat
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, ClassVar

from tfvis import _display, _page
from tfvis._text import describe
from tfvis.errors import ExportError

__all__ = ["Output", "SavedFile", "write_atomically"]

# The temporary file's name adds at most this many characters to the target's name:
# "." + "." + a process id (up to 10 digits) + "-" + 8 hex digits + ".part".
_TEMP_EXTRA = 26
_NAME_MAX = 255


class SavedFile(type(Path())):  # type: ignore[misc]
    """The path :meth:`Output.save` wrote: a :class:`pathlib.Path` that reads well.

    >>> SavedFile("plot1.png")
    SavedFile('plot1.png')
    """

    def __repr__(self) -> str:
        try:
            size = self.stat().st_size
        except OSError:
            return f"SavedFile({str(self)!r})"
        shown = f"{size:,} bytes" if size < 1024 else f"{size / 1024:,.1f} KiB"
        if size >= 1024 * 1024:
            shown = f"{size / 1024 / 1024:,.1f} MiB"
        return f"SavedFile({str(self)!r}, {shown})"


class Output:
    """Base of every tfvis output.

    Subclasses set :attr:`_writers` (suffix to method name) and implement
    :meth:`_page_sections` and :meth:`_representations`.
    """

    #: Suffix (lower case, with the dot) to the name of the method writing it.
    _writers: ClassVar[dict[str, str]] = {".html": "to_html", ".htm": "to_html"}
    #: What the output is called in messages and page titles.
    _noun: ClassVar[str] = "output"

    # ------------------------------------------------------------------ subclass API

    def _page_sections(self) -> list[_page.Section] | list[_page.Tab]:
        """What a standalone page of this output shows."""
        raise NotImplementedError

    def _representations(self) -> _display.Representations:
        """The interactive mimetype and a producer for every mimetype offered."""
        raise NotImplementedError

    def _check_page(self) -> None:
        """Raise before writing a page the browser could not draw (the export guard)."""

    # ------------------------------------------------------------------ outputs

    def to_html(self, *, title: str | None = None) -> str:
        """Return one standalone HTML page that shows this output with no network.

        Parameters
        ----------
        title
            The page title (plain text); by default the output's kind.
        """
        if title is not None and not isinstance(title, str):
            raise ExportError(f"to_html(title=...) must be a string, got {describe(title)}")
        self._check_page()
        return _page.build(self._page_sections(), title=title or f"tfvis {self._noun}")

    def save(self, path: str | os.PathLike[str], **kwargs: Any) -> SavedFile:
        """Write the output to ``path``; the format comes from the suffix.

        The file appears whole or not at all: it is written beside the target and
        renamed into place, so an error (or an interrupted process) never leaves a
        half-written file, and an existing file is kept until the new one is ready.
        Keywords go to the writer (``scale=`` for PNG, ``indent=`` for JSON,
        ``title=`` for HTML).

        Returns
        -------
        SavedFile
            The path written (a :class:`pathlib.Path`).
        """
        target = _target(path)
        suffix = target.suffix.lower()
        if suffix not in self._writers:
            known = ", ".join(sorted(s for s in self._writers if s != ".htm"))
            raise ExportError(
                f"Cannot save {self._noun} to {os.fspath(target)!r}: unknown suffix "
                f"{suffix or '(none)'!r}; expected one of {known}"
            )
        writer: Callable[..., str | bytes] = getattr(self, self._writers[suffix])
        try:
            content = writer(**kwargs)
        except TypeError as error:
            if not _bad_keyword(error):
                raise
            raise ExportError(f"save({os.fspath(target)!r}) got a bad keyword: {error}") from error
        write_atomically(target, content.encode("utf-8") if isinstance(content, str) else content)
        return SavedFile(target)

    def _repr_mimebundle_(
        self, include: Iterable[str] | None = None, exclude: Iterable[str] | None = None
    ) -> dict[str, Any]:
        """The notebook bundle the display policy chooses (:func:`tfvis.set_display`)."""
        return _display.bundle(self._representations(), include, exclude)

    def _repr_mimebundle_with_metadata_(
        self, include: Iterable[str] | None = None, exclude: Iterable[str] | None = None
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """The bundle with its metadata (alternative text of the pictures) for IPython."""
        return _display.with_alt_text(self._repr_mimebundle_(include, exclude), self._alt_text())

    def _alt_text(self) -> str:
        """A sentence for a screen reader, where the picture cannot be seen."""
        return repr(self)


# In a running IPython (a notebook kernel), displays carry alt text for their pictures.
_display.register_with_ipython(Output)


def _bad_keyword(error: TypeError) -> bool:
    text = str(error)
    return "keyword argument" in text or "positional argument" in text


def _target(path: Any) -> Path:
    """``path`` as a Path, or an ExportError naming what was received."""
    if isinstance(path, bytes) or not isinstance(path, str | os.PathLike):
        raise ExportError(
            f"save(path) needs a file path (str or os.PathLike), got {describe(path)}"
        )
    text = os.fspath(path)
    if not isinstance(text, str):
        raise ExportError(f"save(path) needs a text path, got {describe(text)}")
    if "\x00" in text:
        raise ExportError(f"save(path) got a path containing a NUL character: {text!r}")
    if not text.strip():
        raise ExportError("save(path) got an empty path")
    return Path(text)


def write_atomically(target: Path, content: bytes) -> None:
    """Write to a temporary file beside ``target`` and rename it into place.

    The file gets the mode a plain ``open(path, "w")`` would give it (0o666 less the
    umask), or keeps the mode of the file it replaces. A reader sees the old file or
    the new one, never a part, whatever happens to the writing process. The temporary
    file's name carries the writer's process id: one left by a process that was killed
    while writing is removed by the next save to the same target. The data is not
    forced to the disk (no ``fsync``, as matplotlib and pandas do not): that cost more
    than drawing the chart and is a power-failure concern, not a crash one.
    """
    stem = _short(target.name)
    temp_name = str(target.with_name(f".{stem}.{os.getpid()}-{uuid.uuid4().hex[:8]}.part"))
    try:
        mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else None
        handle = os.open(
            temp_name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666 if mode is None else mode
        )
        if mode is not None:
            os.chmod(temp_name, mode)  # the umask must not narrow an existing file's mode
    except OSError as error:
        raise ExportError(f"Cannot write {os.fspath(target)!r}: {error.strerror}") from error
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.replace(temp_name, target)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        if isinstance(error, OSError):
            raise ExportError(f"Cannot write {os.fspath(target)!r}: {error.strerror}") from error
        raise
    _remove_orphans(target, stem)


def _short(name: str) -> str:
    """The target's name, short enough that the temporary name fits NAME_MAX."""
    if len(name.encode("utf-8", "surrogateescape")) > _NAME_MAX - _TEMP_EXTRA:
        return name[:16]  # the temporary name only needs to be unique, not readable
    return name


def _remove_orphans(target: Path, stem: str) -> None:
    """Remove temporary files for ``target`` whose writing process no longer exists."""
    try:
        leftovers = list(target.parent.glob(f".{glob.escape(stem)}.*-*.part"))
    except OSError:
        return
    for leftover in leftovers:
        pid = leftover.name[len(stem) + 2 :].split("-", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            with contextlib.suppress(OSError):
                leftover.unlink()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # someone else's process: leave its file alone
    return True
