"""The one offline page builder: N outputs, the JavaScript once, optional tabs.

Every HTML page tfvis writes comes from :func:`build`: a chart's ``to_html``, a
table's, the demo gallery and the visor's report. A page carries

* the Vega, Vega-Lite and vega-embed JavaScript once, gzipped and base64-encoded in
  a data block (no user string can close a ``<script>`` element, and it is a third
  of the size), unpacked by the browser with ``DecompressionStream``;
* every Vega-Lite spec in one JSON data block, also packed;
* markup tfvis made itself and escaped (tables, headings, captions);
* with tabs, an ARIA tab bar that works with the keyboard; a tab's charts are
  embedded when the tab is first shown, so charts in hidden tabs never get the zero
  width Vega-Lite gives elements inside ``display: none`` (vega/vega-lite#9927).

Example
-------
>>> from tfvis import _page
>>> item = _page.Item(spec_json='{"mark": "point"}')
>>> html = _page.build([_page.Section(items=(item,))], title="one chart")
>>> html.startswith("<!DOCTYPE html>")
True
"""

from __future__ import annotations

import html as _html
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from tfvis import _engine
from tfvis._text import clean_text
from tfvis.errors import TfvisBug

__all__ = ["Item", "Section", "Tab", "build", "escape", "markup_attribute", "script_json"]

_KEY = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
# Declarations tfvis writes itself: ``property: length;`` (a visor surface's size).
_STYLE = re.compile(r"(?:[a-z-]+: ?[0-9.]+(?:px|em|rem|%|vh|vw)?; ?|[a-z-]+: ?(?:auto|none); ?)+")
_SCRIPT_ESCAPES = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def script_json(value: object) -> str:
    """JSON that is safe inside a ``<script>`` element.

    ``<``, ``>`` and ``&`` become ``\\u`` escapes, so no string in the data can close
    the script element or open a comment; U+2028/2029 are escaped for old parsers.
    """
    return json.dumps(value, ensure_ascii=False, allow_nan=False).translate(_SCRIPT_ESCAPES)


def escape(text: str) -> str:
    """Plain text as HTML: cleaned (:func:`tfvis._text.clean_text`) and escaped."""
    return _html.escape(clean_text(text))


def markup_attribute(markup: str) -> str:
    """Markup tfvis made (a whole page) as an attribute value, such as an iframe's ``srcdoc``."""
    return _html.escape(markup, quote=True)


@dataclass(frozen=True)
class Item:
    """One output on a page: a Vega-Lite spec to embed, or markup tfvis made.

    Attributes
    ----------
    spec_json
        A strict-JSON Vega-Lite spec (as :meth:`tfvis.Chart.to_json` writes it).
    markup
        HTML that tfvis built and escaped itself (a table); never user markup,
        unless the user opted in (``allowHtml``).
    heading, caption
        Plain text shown above and below, escaped here.
    notes
        Plain-text lines shown under the output (warnings, reductions), escaped here.
    key
        The chart element's id (letters, digits, ``-`` and ``_``); numbered if None.
    """

    spec_json: str | None = None
    markup: str | None = None
    heading: str | None = None
    caption: str | None = None
    notes: tuple[str, ...] = ()
    key: str | None = None
    markup_after: str | None = None


@dataclass(frozen=True)
class Section:
    """A group of items under an optional heading (a visor surface, a gallery entry).

    Attributes
    ----------
    css_class
        An extra class of the section element (``tfvis-surface`` draws a visor
        surface's card); letters, digits, ``-`` and ``_``.
    style
        Inline CSS that tfvis built from checked values (a surface's size), never
        user text.
    """

    items: tuple[Item, ...] = ()
    heading: str | None = None
    intro: tuple[str, ...] = ()
    anchor: str | None = None
    css_class: str | None = None
    style: str | None = None


@dataclass(frozen=True)
class Tab:
    """A named tab holding sections."""

    name: str
    sections: tuple[Section, ...] = field(default_factory=tuple)


def build(
    content: Sequence[Section] | Sequence[Tab],
    *,
    title: str,
    heading: str | None = None,
    intro_markup: str = "",
    active_tab: str | None = None,
    width: str = "none",
) -> str:
    """Write one standalone, offline HTML page.

    Parameters
    ----------
    content
        Sections (one page) or tabs of sections (a tab bar; the first tab, or
        ``active_tab``, is shown first).
    title
        The document title (plain text).
    heading
        An ``<h1>`` above everything (plain text); none when None.
    intro_markup
        Markup tfvis made (escaped already) shown under the heading.
    active_tab
        The name of the tab shown first.
    width
        CSS ``max-width`` of the page body.

    Returns
    -------
    str
        The page. Opening it needs no network.
    """
    # Spec texts are joined, not parsed and written again: each is strict JSON already,
    # and the block is packed (base64), so nothing in it can end the script element.
    specs: dict[str, str] = {}
    counter = iter(range(1_000_000_000))

    def item_markup(item: Item) -> str:
        number = next(counter)
        parts = []
        if item.heading:
            parts.append(f"<h3>{escape(item.heading)}</h3>")
        if item.spec_json is not None:
            key = item.key or f"tfvis-view-{number}"
            if not _KEY.fullmatch(key) or key in specs:
                raise TfvisBug(f"page element id {key!r} is repeated or not [A-Za-z0-9_-]")
            specs[key] = item.spec_json
            parts.append(f'<div class="tfvis-chart" id="{key}" data-state="pending"></div>')
        if item.markup is not None:
            parts.append(f'<div class="tfvis-markup">{item.markup}</div>')
        if item.caption:
            parts.append(f'<p class="tfvis-caption">{escape(item.caption)}</p>')
        parts += [f'<p class="tfvis-note">{escape(note)}</p>' for note in item.notes]
        if item.markup_after is not None:
            parts.append(item.markup_after)
        return '<div class="tfvis-item">' + "".join(parts) + "</div>"

    def section_markup(section: Section) -> str:
        parts = []
        if section.heading:
            parts.append(f"<h2>{escape(section.heading)}</h2>")
        parts += [f'<p class="tfvis-intro">{escape(line)}</p>' for line in section.intro]
        parts += [item_markup(item) for item in section.items]
        for name, value in (("anchor", section.anchor), ("class", section.css_class)):
            if value is not None and not _KEY.fullmatch(value):
                raise TfvisBug(f"page {name} {value!r} is not [A-Za-z0-9_-]")
        if section.style is not None and not _STYLE.fullmatch(section.style):
            raise TfvisBug(f"section style {section.style!r} is not tfvis-made CSS")
        anchor = f' id="{section.anchor}"' if section.anchor else ""
        classes = "tfvis-section" + (f" {section.css_class}" if section.css_class else "")
        style = f' style="{section.style}"' if section.style else ""
        return f'<section class="{classes}"{anchor}{style}>' + "\n".join(parts) + "</section>"

    tabs = [c for c in content if isinstance(c, Tab)]
    if tabs:
        names = [t.name for t in tabs]
        shown = names.index(active_tab) if active_tab in names else 0
        buttons, panels = [], []
        for index, tab in enumerate(tabs):
            selected = index == shown
            buttons.append(
                f'<button type="button" role="tab" id="tfvis-tab-{index}" '
                f'aria-controls="tfvis-panel-{index}" aria-selected="{str(selected).lower()}" '
                f'tabindex="{0 if selected else -1}">{escape(tab.name)}</button>'
            )
            inner = "\n".join(section_markup(s) for s in tab.sections)
            panels.append(
                f'<div role="tabpanel" id="tfvis-panel-{index}" aria-labelledby="tfvis-tab-{index}"'
                f' tabindex="0"{"" if selected else " hidden"}>{inner}</div>'
            )
        body = (
            '<div role="tablist" class="tfvis-tabs" aria-label="tabs">'
            + "".join(buttons)
            + "</div>\n"
            + "\n".join(panels)
        )
    else:
        body = "\n".join(section_markup(s) for s in content if isinstance(s, Section))
    top = f"<h1>{escape(heading)}</h1>" if heading else ""
    return _PAGE.format(
        csp=CONTENT_SECURITY_POLICY,
        title=escape(title),
        width=width,
        top=top,
        intro=intro_markup,
        body=body,
        runtime=_engine.packed_bundle() if specs else "",
        specs=_engine.packed_pieces(_pieces(specs)) if specs else "",
    )


#: The page may load nothing: scripts and styles are its own (inline; Vega compiles
#: expressions with ``Function``, hence 'unsafe-eval'), images only ``data:``/``blob:``.
#: Whatever a spec says, the browser makes no request.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; "
    "style-src 'unsafe-inline'; img-src data: blob:; font-src data:"
)


def _pieces(specs: dict[str, str]) -> list[str]:
    """``{"id": spec, ...}`` as JSON text in pieces, from spec texts that are JSON already.

    The specs stay whole pieces, so a spec already packed for an earlier page (the
    same visor report before one chart changed) is not compressed again.
    """
    pieces = ["{"]
    for number, (key, text) in enumerate(specs.items()):
        pieces += [f"{',' if number else ''}{json.dumps(key)}:", text]
    return [*pieces, "}"]


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
  body {{ font-family: system-ui, sans-serif; margin: 16px auto; max-width: {width};
         padding: 0 16px; color: #222; }}
  h1 {{ font-size: 1.4rem; }} h2 {{ font-size: 1.15rem; margin: 1rem 0 0.4rem; }}
  h3 {{ font-size: 1rem; margin: 0.6rem 0 0.3rem; }}
  .tfvis-section {{ margin-bottom: 1.2rem; }}
  .tfvis-item {{ margin: 0.4rem 0 1rem; }}
  .tfvis-caption, .tfvis-intro {{ margin: 0.3rem 0; }}
  .tfvis-note {{ font-family: monospace; font-size: 0.8rem; color: #8a4b00; margin: 0.2rem 0; }}
  .tfvis-error {{ color: #b00020; white-space: pre-wrap; }}
  .tfvis-tabs {{ display: flex; gap: 2px; border-bottom: 1px solid #bbb; margin-bottom: 12px;
                 flex-wrap: wrap; }}
  .tfvis-tabs [role=tab] {{ font: inherit; padding: 6px 14px; border: 1px solid #bbb;
                            border-bottom: none; background: #f3f3f3; cursor: pointer; }}
  .tfvis-tabs [role=tab][aria-selected=true] {{ background: #fff; font-weight: 600; }}
  .tfvis-tabs [role=tab]:focus-visible {{ outline: 2px solid #1f77b4; }}
  .tfvis-surface {{ background: #fff; box-shadow: 0 0 6px -3px #777; padding: 10px;
                    margin: 10px 0; overflow: auto; box-sizing: border-box; }}
  .tfvis-surface > h2 {{ font-size: 1rem; text-align: center; line-height: 2em; margin: 0 0 12px;
                         border-bottom: 1px solid #357edd; }}
  .tfvis-empty {{ color: #777; font-style: italic; }}
  table.tfvis-table {{ border-collapse: collapse; }}
  table.tfvis-table th, table.tfvis-table td {{ border-bottom: 1px solid #ddd;
                                                 padding: 4px 10px; text-align: left; }}
  table.tfvis-table td.tfvis-number {{ text-align: right; font-variant-numeric: tabular-nums; }}
</style>
</head>
<body>
{top}
{intro}
{body}
<noscript>The charts of this page need JavaScript to draw.</noscript>
<script type="application/octet-stream" id="tfvis-runtime">{runtime}</script>
<script type="application/octet-stream" id="tfvis-specs">{specs}</script>
<script>
(function () {{
  "use strict";
  var specs = null;
  var ready = null;
  function fail(element, message) {{
    element.setAttribute("data-state", "failed");
    var text = document.createElement("pre");
    text.className = "tfvis-error";
    text.textContent = "tfvis: this chart could not be drawn: " + message;
    element.appendChild(text);
  }}
  async function unpack(id) {{
    var text = atob(document.getElementById(id).textContent);
    var bytes = new Uint8Array(text.length);  // a plain loop: 8x faster than Uint8Array.from
    for (var i = 0; i < text.length; i++) {{ bytes[i] = text.charCodeAt(i); }}
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return await new Response(stream).text();
  }}
  function load() {{
    if (ready === null) {{
      ready = (async function () {{
        if (typeof DecompressionStream === "undefined") {{
          throw new Error("this browser cannot unpack the page (no DecompressionStream); " +
                          "use a current browser");
        }}
        if (!window.vegaEmbed) {{
          (0, eval)(await unpack("tfvis-runtime"));
        }}
        specs = JSON.parse(await unpack("tfvis-specs"));
      }})();
    }}
    return ready;
  }}
  // Charts are drawn one at a time, those on screen first, yielding to the browser
  // between two, so the first screen shows soonest; a chart whose tab was hidden
  // before its turn waits for the tab (drawn hidden, it would get zero width).
  var queue = [];
  var running = false;
  function onScreen(element) {{
    var box = element.getBoundingClientRect();
    return box.bottom > 0 && box.top < window.innerHeight;
  }}
  function inShownTab(element) {{
    var panel = element.closest("[role=tabpanel]");
    return !panel || !panel.hidden;
  }}
  function yieldToBrowser() {{
    return new Promise(function (resolve) {{
      var channel = new MessageChannel();
      channel.port1.onmessage = function () {{ resolve(); }};
      channel.port2.postMessage(0);
    }});
  }}
  async function run() {{
    running = true;
    try {{
      await load();
    }} catch (error) {{
      queue.splice(0).forEach(function (element) {{ fail(element, String(error)); }});
      running = false;
      return;
    }}
    while (queue.length) {{
      var element = queue.shift();
      if (element.getAttribute("data-state") !== "pending" || !inShownTab(element)) {{ continue; }}
      element.setAttribute("data-state", "drawing");
      try {{
        await vegaEmbed(element, specs[element.id], {{renderer: "svg", actions: false}});
        element.setAttribute("data-state", "drawn");
      }} catch (error) {{
        fail(element, String(error));
      }}
      await yieldToBrowser();
    }}
    running = false;
  }}
  function draw(container) {{
    var pending = Array.prototype.slice.call(
      container.querySelectorAll(".tfvis-chart[data-state=pending]"));
    if (!pending.length) {{ return; }}
    var first = pending.filter(onScreen);
    var later = pending.filter(function (element) {{ return !onScreen(element); }});
    queue = first.concat(later, queue);
    if (!running) {{ run(); }}
  }}
  if (window.parent !== window && typeof ResizeObserver !== "undefined") {{
    // Inside a notebook's iframe: tell the notebook how tall the page is.
    new ResizeObserver(function () {{
      window.parent.postMessage({{"tfvis-height": document.documentElement.scrollHeight}}, "*");
    }}).observe(document.body);
  }}
  var tabs = Array.prototype.slice.call(document.querySelectorAll("[role=tab]"));
  function select(tab, focus) {{
    tabs.forEach(function (other) {{
      var chosen = other === tab;
      other.setAttribute("aria-selected", chosen ? "true" : "false");
      other.tabIndex = chosen ? 0 : -1;
      document.getElementById(other.getAttribute("aria-controls")).hidden = !chosen;
    }});
    if (focus) {{ tab.focus(); }}
    draw(document.getElementById(tab.getAttribute("aria-controls")));
  }}
  tabs.forEach(function (tab, index) {{
    tab.addEventListener("click", function () {{ select(tab, false); }});
    tab.addEventListener("keydown", function (event) {{
      var next = null;
      if (event.key === "ArrowRight") {{ next = tabs[(index + 1) % tabs.length]; }}
      else if (event.key === "ArrowLeft") {{
        next = tabs[(index - 1 + tabs.length) % tabs.length];
      }}
      else if (event.key === "Home") {{ next = tabs[0]; }}
      else if (event.key === "End") {{ next = tabs[tabs.length - 1]; }}
      if (next) {{ event.preventDefault(); select(next, true); }}
    }});
  }});
  if (tabs.length) {{
    var shown = tabs.filter(function (t) {{ return t.getAttribute("aria-selected") === "true"; }});
    select(shown[0] || tabs[0], false);
  }} else {{
    draw(document.body);
  }}
}})();
</script>
</body>
</html>
"""
