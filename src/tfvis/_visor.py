"""The visor: named surfaces in tabs, each showing one output, as one offline report.

tfjs-vis's visor is a panel of tabs in the browser page that trains the model; each
tab holds *surfaces* (a label and a draw area) that charts are rendered into. In
Python the visor is a report: :meth:`Visor.save` writes it as one offline HTML page
(the Vega JavaScript once, every spec in one packed block, an ARIA tab bar), a
notebook shows it as one output with the tabs, and with a path
(:func:`visor` ``(path=...)``, :meth:`Visor.autosave`) every change rewrites the file
atomically, so a training run always leaves a current report on disk.

Every ``render``/``show`` function takes a :class:`Surface`, or tfjs-vis's
``{"name": ..., "tab": ...}`` mapping (a surface of the default visor), as its
container; drawing on a surface again replaces what it showed, as tfjs-vis renders a
container again.

As in tfjs-vis, tabs appear in the order their first surface was made, and the tab of
the newest *tab* is the one shown first (:meth:`Visor.set_active_tab` chooses another).

Example
-------
>>> import tfvis
>>> from tfvis import render
>>> surface = tfvis.visor().surface(name="Loss", tab="Training")
>>> chart = render.linechart(surface, {"values": [{"x": 1, "y": 0.9}, {"x": 2, "y": 0.5}]})
>>> _ = render.barchart({"name": "Classes", "tab": "Data"}, [{"index": "cat", "value": 3}])
>>> tfvis.visor().save("report.html")  # doctest: +SKIP
"""

from __future__ import annotations

import base64
import os
import sys
import threading
import uuid
import weakref
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, ClassVar

from tfvis import _budget, _display, _page
from tfvis._options import surface_styles
from tfvis._output import Output, SavedFile, _target, write_atomically
from tfvis._text import closest, describe
from tfvis.errors import ExportError, OptionError

__all__ = ["DEFAULT_TAB", "Surface", "Visor", "surface_from_mapping", "visor"]

#: The tab of a surface made without one (tfjs-vis's ``DEFAULT_TAB``).
DEFAULT_TAB = "Visor"
#: tfjs-vis's message for a surface asked for without a name.
MISSING_NAME = (
    "You must pass a config object with a 'name' property to create or retrieve a surface"
)
_SURFACE_KEYS = ("name", "tab", "styles")
_HTML = "text/html"
_EMPTY = '<p class="tfvis-empty">Nothing has been drawn on this surface yet.</p>'
# A notebook's iframe before the page inside reports its height: an estimate.
_TAB_BAR_PIXELS = 60
_SURFACE_FRAME_PIXELS = 90
_UNKNOWN_OUTPUT_PIXELS = 300


class Surface:
    """A named place on a visor tab that shows one output (a chart, a table).

    Get one from :meth:`Visor.surface`; pass it as the first argument of any
    ``render``/``show`` function, or draw an output you already have with
    :meth:`draw`. Drawing again replaces what the surface showed.

    Attributes
    ----------
    name, tab
        The surface's label and the name of its tab.
    visor
        The :class:`Visor` it belongs to.
    """

    def __init__(self, visor: Visor, name: str, tab: str, style: str | None) -> None:
        self._visor = visor
        self._name = name
        self._tab = tab
        self._style = style
        self._output: Output | None = None
        self._section: _page.Section | None = None
        self._cost: _budget.Cost | None = None
        self._pictures: dict[str, str] = {}

    @property
    def name(self) -> str:
        """The surface's label (tfjs-vis ``name``)."""
        return self._name

    @property
    def tab(self) -> str:
        """The name of the tab the surface is on."""
        return self._tab

    @property
    def visor(self) -> Visor:
        """The visor the surface belongs to."""
        return self._visor

    @property
    def output(self) -> Output | None:
        """What the surface shows now, or None before anything was drawn on it."""
        return self._output

    def draw(self, output: Output) -> Output:
        """Show ``output`` (a :class:`tfvis.Chart` or a table) here, replacing what was shown.

        For outputs made before the surface, such as compositions (``a | b``); render
        functions take the surface as their container instead.

        Returns
        -------
        The output itself.
        """
        self._visor._place(self, output)
        return output

    def _tfvis_place(self, output: Output) -> None:
        """Where :func:`tfvis._container.place` puts an output rendered into this surface."""
        self._visor._place(self, output)

    def __repr__(self) -> str:
        shown = type(self._output).__name__ if self._output is not None else "empty"
        kind = getattr(self._output, "kind", None)
        if isinstance(kind, str):
            shown = f"{shown} {kind}"
        return f"<tfvis.Surface {self._name!r} on tab {self._tab!r} ({shown})>"


class Visor(Output):
    """Surfaces grouped in tabs, saved as one offline page and shown as one notebook output.

    :func:`tfvis.visor` returns the default visor (one per process, as in tfjs-vis);
    ``tfvis.Visor()`` makes another, independent one.

    Parameters
    ----------
    title
        Shown as the page's heading and title; the title is ``'tfvis visor'``
        (with no heading) when None.
    path
        Keep this HTML file current: see :meth:`autosave`.

    Example
    -------
    >>> import tfvis
    >>> from tfvis import render
    >>> report = tfvis.Visor(title="Run 7")
    >>> loss = report.surface(name="Loss", tab="Training")
    >>> _ = render.linechart(loss, {"values": [{"x": 1, "y": 0.9}, {"x": 2, "y": 0.4}]})
    >>> report.tabs
    ['Training']
    >>> report.save("run7.html")  # doctest: +SKIP
    SavedFile('run7.html', 412.3 KiB)
    """

    _writers: ClassVar[dict[str, str]] = {".html": "to_html", ".htm": "to_html"}
    _noun: ClassVar[str] = "visor"

    def __init__(
        self, *, title: str | None = None, path: str | os.PathLike[str] | None = None
    ) -> None:
        if title is not None and not isinstance(title, str):
            raise OptionError(f"Visor(title=...) must be a string or None, got {describe(title)}")
        self._title = title
        self._lock = threading.RLock()
        self._surfaces: dict[tuple[str, str], Surface] = {}
        self._tabs: list[str] = []
        self._active: str | None = None
        self._path: Path | None = None
        self._html: str | None = None
        self._display_id: str | None = None
        self._static_stale = False
        self._watching = False
        if path is not None:
            self.autosave(path)

    # ------------------------------------------------------------------ surfaces

    def surface(
        self,
        options: Mapping[str, Any] | None = None,
        /,
        *,
        name: str | None = None,
        tab: str | None = None,
        styles: Mapping[str, Any] | None = None,
    ) -> Surface:
        """Create a surface, or return the one of that name on that tab.

        Parameters
        ----------
        options
            tfjs-vis's ``{"name": ..., "tab": ..., "styles": ...}``; or use the keywords.
        name
            The surface's label; required.
        tab
            The tab it is on; ``'Visor'`` when None.
        styles
            tfjs-vis ``StyleOptions``: ``width``, ``height``, ``maxWidth``,
            ``maxHeight`` as pixels (numbers) or CSS lengths (``'80%'``). Given again
            for an existing surface, they replace its styles.

        Example
        -------
        >>> import tfvis
        >>> surface = tfvis.visor().surface({"name": "My Surface", "tab": "My Tab"})
        >>> surface is tfvis.visor().surface(name="My Surface", tab="My Tab")
        True
        """
        given = _surface_info(options, {"name": name, "tab": tab, "styles": styles})
        label = given.get("name")
        if not isinstance(label, str):
            got = "" if label is None else f"; got name={describe(label)}"
            raise OptionError(MISSING_NAME + got)
        tab_name = given.get("tab", DEFAULT_TAB)
        if tab_name is None:
            tab_name = DEFAULT_TAB
        if not isinstance(tab_name, str):
            raise OptionError(f"A surface's tab must be a string, got {describe(tab_name)}")
        style = surface_styles(given.get("styles"))
        with self._lock:
            key = (label, tab_name)
            surface = self._surfaces.get(key)
            if surface is not None:
                if style is None or style == surface._style:
                    return surface
                surface._style = style
                surface._section = None
            else:
                surface = Surface(self, label, tab_name, style)
                self._surfaces[key] = surface
                if tab_name not in self._tabs:
                    self._tabs.append(tab_name)
                    self._active = tab_name  # tfjs-vis shows a tab when it is made
            self._changed()
            return surface

    @property
    def surfaces(self) -> list[Surface]:
        """Every surface, tab by tab, in the order they were made."""
        with self._lock:
            return [s for tab in self._tabs for s in self._surfaces.values() if s.tab == tab]

    @property
    def tabs(self) -> list[str]:
        """The tab names, in the order their first surface was made."""
        with self._lock:
            return list(self._tabs)

    @property
    def active_tab(self) -> str | None:
        """The tab the page shows first (None while the visor has no surface)."""
        return self._active

    def set_active_tab(self, name: str) -> None:
        """Show the tab ``name`` first (tfjs-vis ``setActiveTab``).

        Raises
        ------
        OptionError
            ``Tab 'x' does not exist`` (tfjs-vis's message) for an unknown tab.
        """
        with self._lock:
            if not isinstance(name, str) or name not in self._tabs:
                known = ", ".join(repr(t) for t in self._tabs) or "none yet"
                hint = closest(name, self._tabs) if isinstance(name, str) else None
                shown = name if isinstance(name, str) else describe(name)
                raise OptionError(
                    f"Tab '{shown}' does not exist"
                    + (f"; did you mean {hint!r}?" if hint else "")
                    + f" (the visor's tabs: {known})"
                )
            if name != self._active:
                self._active = name
                self._changed()

    setActiveTab = set_active_tab  # tfjs-vis's name

    # ------------------------------------------------------------------ files

    @property
    def path(self) -> Path | None:
        """The file every change rewrites (:meth:`autosave`), or None."""
        return self._path

    def autosave(self, path: str | os.PathLike[str] | None) -> SavedFile | None:
        """Rewrite ``path`` (an HTML file) now and after every change; None stops.

        Each write is atomic (a temporary file renamed into place), so the file can
        be opened at any moment of a training run and is always a whole report.

        Returns
        -------
        SavedFile or None
            The file written, or None when autosaving was turned off.
        """
        if path is None:
            with self._lock:
                self._path = None
            return None
        target = _target(path)
        if target.suffix.lower() not in self._writers:
            raise ExportError(
                f"A visor saves as HTML: autosave({os.fspath(target)!r}) needs a path ending "
                "in .html"
            )
        with self._lock:
            self._path = target
            self._write(target, self.to_html())
        return SavedFile(target)

    def to_html(self, *, title: str | None = None) -> str:
        """The report as one standalone HTML page that needs no network.

        Parameters
        ----------
        title
            The page title (plain text); the visor's title when None.
        """
        if title is not None and not isinstance(title, str):
            raise ExportError(f"to_html(title=...) must be a string, got {describe(title)}")
        with self._lock:
            if title is None and self._html is not None:
                return self._html
            self._check_page()
            page = self._build(title)
            if title is None:
                self._html = page
            return page

    def _build(self, title: str | None) -> str:
        tabs = self._page_sections()
        intro = "" if tabs else '<p class="tfvis-empty">This visor has no surfaces yet.</p>'
        return _page.build(
            tabs,
            title=title or self._title or "tfvis visor",
            heading=self._title,
            intro_markup=intro,
            active_tab=self._active,
        )

    def _write(self, target: Path, page: str) -> None:
        write_atomically(target, page.encode("utf-8"))

    # ------------------------------------------------------------------ Output

    def _page_sections(self) -> list[_page.Tab]:
        with self._lock:
            return [
                _page.Tab(tab, tuple(_section(s) for s in self.surfaces if s.tab == tab))
                for tab in self._tabs
            ]

    def _check_page(self) -> None:
        _check_report([(s, s._cost) for s in self.surfaces])

    def _representations(self) -> _display.Representations:
        return _HTML, {_HTML: self._notebook_html, _display.PLAIN: lambda: repr(self)}

    def _repr_mimebundle_(
        self, include: Iterable[str] | None = None, exclude: Iterable[str] | None = None
    ) -> dict[str, Any]:
        """One HTML output: the report in an iframe, and static pictures per the display mode.

        The display mode (:func:`tfvis.set_display`) chooses the pictures inside the
        HTML (PNG, SVG or none), which viewers that do not run the report show
        instead; the bundle itself is always HTML and plain text.
        """
        return _display.bundle(self._representations(), include, exclude, mode="vegalite")

    def _ipython_display_(self) -> None:
        """Show the visor in IPython with a display id, so that changes update it in place."""
        from IPython.display import display

        with self._lock:
            if self._display_id is None:
                self._display_id = f"tfvis-visor-{uuid.uuid4().hex}"
            data = self._repr_mimebundle_()
            self._static_stale = False
        display(data, raw=True, display_id=self._display_id)  # type: ignore[no-untyped-call]
        self._watch_cells()

    def __repr__(self) -> str:
        tabs, surfaces = len(self._tabs), len(self._surfaces)
        saved = f"; saved to {os.fspath(self._path)!r} on every change" if self._path else ""
        return (
            f"<tfvis.Visor {tabs} tab{'s' * (tabs != 1)}, "
            f"{surfaces} surface{'s' * (surfaces != 1)}{saved}>"
        )

    # ------------------------------------------------------------------ changes

    def _place(self, surface: Surface, output: Output) -> None:
        """Show ``output`` on ``surface``: check it, price the report, then publish."""
        if surface._visor is not self:
            raise OptionError(f"{surface!r} belongs to another visor")
        if not isinstance(output, Output) or isinstance(output, Visor):
            raise OptionError(
                f"A surface shows a tfvis chart or table, got {describe(output)} on "
                f"surface {surface.name!r} of tab {surface.tab!r}"
            )
        output._check_page()  # one chart too large says so in its own words
        cost = getattr(output, "cost", None)
        cost = cost if isinstance(cost, _budget.Cost) else None
        with self._lock:
            parts = [(s, cost if s is surface else s._cost) for s in self.surfaces]
            _check_report(parts, drawing=surface)
            surface._output = output
            surface._cost = cost
            surface._section = None
            surface._pictures = {}
            self._changed()

    def _changed(self) -> None:
        """After any change: the page is built again, the file and the notebook updated."""
        self._html = None
        if self._path is not None:
            self._write(self._path, self.to_html())
        if self._display_id is not None:
            self._refresh_display(live=True)

    def _refresh_display(self, *, live: bool) -> None:
        """Update the notebook output in place.

        While a cell runs (``live``) only the report is sent, without the static
        pictures that cost an engine render per chart; when the cell has run, the
        whole output is sent once if anything changed (:meth:`_watch_cells`).
        """
        from IPython.display import update_display

        with self._lock:
            if self._display_id is None or (not live and not self._static_stale):
                return
            if live:
                data = {_HTML: self._notebook_html(live=True), _display.PLAIN: repr(self)}
                self._static_stale = _static_mimetype() is not None
            else:
                data = self._repr_mimebundle_()
                self._static_stale = False
            update_display(data, raw=True, display_id=self._display_id)  # type: ignore[no-untyped-call]

    def _watch_cells(self) -> None:
        """After each notebook cell, send the whole output if live updates left it short."""
        ipython_module = sys.modules.get("IPython")
        shell = ipython_module.get_ipython() if ipython_module is not None else None
        if shell is None or self._watching:
            return
        self._watching = True
        visor_ref = weakref.ref(self)

        def after_cell(*_: Any) -> None:
            visor = visor_ref()
            if visor is not None:
                visor._refresh_display(live=False)

        shell.events.register("post_run_cell", after_cell)

    # ------------------------------------------------------------------ notebook

    def _notebook_html(self, live: bool = False) -> str:
        """The notebook output: the page in a sandboxed iframe, plus static pictures.

        An untrusted notebook (JupyterLab, Notebook 7) sanitises HTML: the iframe,
        the script and the style element are removed, and what stays is the
        ``tfvis-visor-static`` block: the tab and surface names with a picture of
        each output. A trusted one runs the page and the style element hides that
        block.
        """
        with self._lock:
            return self._notebook_markup(live)

    def _notebook_markup(self, live: bool) -> str:
        mode_parts = _display.MODES[_display.get_display()]
        interactive = _display.INTERACTIVE in mode_parts
        static = None if (live and interactive) else _static_mimetype()
        parts = ['<div class="tfvis-visor-output">']
        if interactive:
            page = self.to_html()
            parts += [
                "<style>.tfvis-visor-static { display: none; }</style>",
                '<iframe class="tfvis-visor-frame" title="tfvis visor" sandbox="allow-scripts" '
                f'style="width: 100%; height: {self._estimated_height()}px; border: 0;" '
                f'srcdoc="{_page.markup_attribute(page)}"></iframe>',
                _RESIZE_SCRIPT,
            ]
        else:
            self._check_page()
        parts.append(self._static_markup(static))
        parts.append("</div>")
        return "\n".join(parts)

    def _static_markup(self, mimetype: str | None) -> str:
        """Tab and surface names, and a picture of each output (none when ``mimetype`` is None)."""
        lines = ['<div class="tfvis-visor-static">']
        if mimetype is None:
            lines.append(
                "<p>tfvis visor: an interactive report that shows when the notebook is "
                "trusted (this output holds no pictures: the display mode is "
                f"{_page.escape(_display.get_display())!r}).</p>"
            )
        with self._lock:
            for tab in self._tabs:
                lines.append(f"<h3>{_page.escape(tab)}</h3>")
                for surface in self.surfaces:
                    if surface.tab != tab:
                        continue
                    lines.append(f"<h4>{_page.escape(surface.name)}</h4>")
                    if mimetype is not None:
                        lines.append(_picture(surface, mimetype))
        lines.append("</div>")
        return "\n".join(lines)

    def _estimated_height(self) -> int:
        """The tallest tab in pixels, before the page inside reports its real height."""
        tallest = 0
        for tab in self._tabs:
            height = 0.0
            for surface in self.surfaces:
                if surface.tab == tab:
                    size = getattr(surface.output, "size", None)
                    shown = size[1] if isinstance(size, tuple) else _UNKNOWN_OUTPUT_PIXELS
                    height += _SURFACE_FRAME_PIXELS + (shown if surface.output else 20)
            tallest = max(tallest, round(height))
        return tallest + _TAB_BAR_PIXELS + (40 if self._title else 0)


# ---------------------------------------------------------------------------- helpers


def _surface_info(options: Any, keywords: Mapping[str, Any]) -> dict[str, Any]:
    """The surface's ``name``, ``tab`` and ``styles`` from a mapping and keywords."""
    given: dict[str, Any] = {}
    if options is not None:
        if not isinstance(options, Mapping):
            raise OptionError(
                "surface() takes a mapping such as {'name': 'Loss', 'tab': 'Training'} or "
                f"name=... and tab=... keywords, got {describe(options)}"
            )
        for key, value in options.items():
            if not isinstance(key, str) or key not in _SURFACE_KEYS:
                hint = closest(key, _SURFACE_KEYS) if isinstance(key, str) else None
                raise OptionError(
                    f"Unknown surface option {key!r}."
                    + (f" Did you mean '{hint}'?" if hint else " Known options: name, tab, styles")
                )
            given[key] = value
    for key, value in keywords.items():
        if value is None:
            continue
        if key in given and given[key] is not None:
            raise OptionError(
                f"Surface option '{key}' was given twice (in the mapping and as {key}=)"
            )
        given[key] = value
    return given


def _section(surface: Surface) -> _page.Section:
    """The page section of a surface: its label and its output's items (built once)."""
    if surface._section is None:
        output = surface._output
        items: tuple[_page.Item, ...]
        if output is None:
            items = (_page.Item(markup=_EMPTY),)
        else:
            items = tuple(item for section in output._page_sections() for item in _items(section))
        surface._section = _page.Section(
            items=items, heading=surface.name, css_class="tfvis-surface", style=surface._style
        )
    return surface._section


def _items(section: _page.Section | _page.Tab) -> list[_page.Item]:
    if isinstance(section, _page.Tab):  # pragma: no cover - a visor is refused earlier
        return [item for inner in section.sections for item in _items(inner)]
    return list(section.items)


def _check_report(
    parts: list[tuple[Surface, _budget.Cost | None]], drawing: Surface | None = None
) -> None:
    """Refuse a report whose charts together cost more than the export limit.

    A browser keeps every chart of the page once its tab was shown, so the report
    is priced as the sum of its charts; the message names the surfaces that cost
    the most.
    """
    priced = [(surface, cost) for surface, cost in parts if cost is not None and cost.total > 0]
    total = sum(cost.total for _, cost in priced)
    limit = _budget.export_limit()
    if total <= limit:
        return
    priced.sort(key=lambda part: -part[1].total)
    named = [
        f"surface {s.name!r} on tab {s.tab!r} ({c.total:,.0f} units: {c.describe()})"
        for s, c in priced[:3]
    ]
    cause = (
        f"Drawing this chart on surface {drawing.name!r} of tab {drawing.tab!r} would make "
        "the report too large"
        if drawing is not None
        else "This report is too large"
    )
    raise ExportError(
        f"{cause} to render as HTML: its charts cost {total:,.0f} units, "
        f"above the limit of {limit:,.0f} that keeps the browser from running out of memory. "
        f"The largest part is {named[0]}"
        + (f"; then {'; '.join(named[1:])}" if len(named) > 1 else "")
        + ". Draw less data on that surface (a smaller maxPoints, fewer bins or cells), or "
        f"put it in another visor; to raise the limit at your own risk, set the environment "
        f"variable {_budget.LIMIT_VARIABLE}."
    )


def _static_mimetype() -> str | None:
    """The picture type the display mode asks for (PNG, SVG), or None."""
    parts = _display.MODES[_display.get_display()]
    return next((p for p in parts if p in (_display.PNG, _display.SVG)), None)


def _picture(surface: Surface, mimetype: str) -> str:
    """An ``<img>`` of the surface's output, drawn once per output and picture type."""
    output = surface._output
    if output is None:
        return _EMPTY
    markup = surface._pictures.get(mimetype)
    if markup is None:
        producers = output._representations()[1]
        if mimetype not in producers:
            return '<p class="tfvis-empty">(no picture of this output)</p>'
        value = producers[mimetype]()
        data = value if mimetype == _display.PNG else base64.b64encode(value.encode()).decode()
        markup = f'<img alt="{_page.escape(surface.name)}" src="data:{mimetype};base64,{data}">'
        surface._pictures[mimetype] = markup
    return markup


# In a trusted notebook, the page inside the iframe posts its height; one listener per
# notebook page sizes every visor iframe from its own page's messages.
_RESIZE_SCRIPT = """<script>
(function () {
  if (window.tfvisVisorFrames) { return; }
  window.tfvisVisorFrames = true;
  window.addEventListener("message", function (event) {
    var height = event.data && event.data["tfvis-height"];
    if (typeof height !== "number" || !isFinite(height)) { return; }
    document.querySelectorAll("iframe.tfvis-visor-frame").forEach(function (frame) {
      if (frame.contentWindow === event.source) {
        frame.style.height = Math.min(Math.ceil(height) + 8, 100000) + "px";
      }
    });
  });
})();
</script>"""


# ---------------------------------------------------------------------------- default

_default: Visor | None = None
_default_lock = threading.Lock()


def visor(*, path: str | os.PathLike[str] | None = None) -> Visor:
    """The default visor, made on first use (tfjs-vis ``tfvis.visor()``).

    Parameters
    ----------
    path
        Keep this HTML file current from now on (:meth:`Visor.autosave`).

    Example
    -------
    >>> import tfvis
    >>> tfvis.visor() is tfvis.visor()
    True
    >>> tfvis.visor(path="report.html")  # doctest: +SKIP
    """
    global _default
    with _default_lock:
        if _default is None:
            _default = Visor()
        chosen = _default
    if path is not None:
        chosen.autosave(path)
    return chosen


def surface_from_mapping(mapping: Mapping[str, Any]) -> Surface:
    """The default visor's surface for tfjs-vis's ``{"name": ..., "tab": ...}``."""
    return visor().surface(mapping)
