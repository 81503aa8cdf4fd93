"""``tfvis.Table``: headers and rows, shown as an HTML table, drawn as a picture, saved as CSV.

A table is an :class:`~tfvis._output.Output` like a chart: ``save`` by suffix (HTML,
SVG, PNG, PDF and CSV), a standalone offline page, an HTML table in notebooks (with a
PNG fallback per the display policy). Pictures are drawn by Vega with text marks
(:meth:`Table.chart`), so a table can go in a report picture beside a chart.

Every header and cell is text: escaped in HTML, drawn literally in pictures, unless
the table was made with ``allow_html=True`` (see ``docs/security.md``). Numbers are
formatted as tfjs-vis formats them (d3-format ``,.4~f``).

Example
-------
>>> import tfvis
>>> table = tfvis.Table(["Class", "Accuracy"], [["cat", 0.5], ["dog", 0.87654]])
>>> table.to_dataframe()["Accuracy"].tolist()
[0.5, 0.87654]
>>> print(table)
<tfvis.Table 2 columns × 2 rows>
"""

from __future__ import annotations

import base64
import copy
import csv
import html.parser
import io
import math
import unicodedata
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from tfvis import _display, _page
from tfvis._chart import Chart
from tfvis._output import Output
from tfvis._text import clean_text
from tfvis._values import is_number, to_float
from tfvis.errors import DataError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["MAX_PICTURE_ROWS", "Table", "cell_text"]

#: Rows drawn in a picture; the rest are counted on a last line (HTML and CSV keep all).
MAX_PICTURE_ROWS = 100
#: Cells drawn in a picture at most (each is a text mark: see the export guard).
MAX_PICTURE_CELLS = 2_000
_MAX_COLUMN_PIXELS = 320
_PAD = 10
HTML = "text/html"
_CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell_text(value: Any) -> str:
    """A cell as tfjs-vis shows it: numbers as d3 ``,.4~f``, booleans as ``true``/``false``.

    >>> cell_text(1234.56789), cell_text(True), cell_text(None), cell_text("a")
    ('1,234.5679', 'true', '', 'a')
    """
    from tfvis.render._stats_table import format_number

    if value is None:
        return ""
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if is_number(value):
        return format_number(to_float(value))
    return str(value)


def _is_numeric(value: Any) -> bool:
    return not isinstance(value, bool | np.bool_ | str) and value is not None and is_number(value)


class Table(Output):
    """A table of headers and rows, with the outputs of a chart plus CSV and a DataFrame.

    Make one with :func:`tfvis.render.table` (tfjs-vis' data forms and errors) or
    directly, and get one from :func:`tfvis.show.per_class_accuracy`,
    :func:`tfvis.show.model_summary` and :func:`tfvis.show.layer`.

    Parameters
    ----------
    headers
        Column titles (text).
    rows
        One sequence of cells per row, as long as ``headers``: strings, numbers,
        booleans or None (an empty cell).
    font_size
        Text size in pixels (tfjs-vis: 14).
    allow_html
        False (the default): every header and cell is plain text, escaped in HTML.
        True: strings are inserted into HTML pages and notebooks as markup, as
        tfjs-vis does; only for markup you wrote yourself (``docs/security.md``).
    caption
        Plain-text lines shown under the table (a model summary's totals).
    report
        What the table says about itself (:attr:`report`).
    """

    _writers: ClassVar[dict[str, str]] = {
        ".html": "to_html",
        ".htm": "to_html",
        ".svg": "to_svg",
        ".png": "to_png",
        ".pdf": "to_pdf",
        ".csv": "to_csv",
    }
    _noun: ClassVar[str] = "table"

    def __init__(
        self,
        headers: Sequence[Any],
        rows: Sequence[Sequence[Any]],
        *,
        font_size: float = 14.0,
        allow_html: bool = False,
        caption: Sequence[str] = (),
        report: Mapping[str, Any] | None = None,
        kind: str = "table",
    ) -> None:
        self.kind = kind
        self._headers = tuple(str(h) for h in headers)
        self._rows = tuple(tuple(_snapshot(cell) for cell in row) for row in rows)
        for index, row in enumerate(self._rows):
            if len(row) != len(self._headers):
                raise DataError(
                    f"values[{index}] has {len(row)} cells but there are "
                    f"{len(self._headers)} headers"
                )
        self._font_size = float(font_size)
        self._allow_html = bool(allow_html)
        self._caption = tuple(str(line) for line in caption)
        self._report: dict[str, Any] = copy.deepcopy(dict(report or {}))
        self._picture: Chart | None = None

    # ------------------------------------------------------------------ what it holds

    @property
    def headers(self) -> list[str]:
        """The column titles."""
        return list(self._headers)

    @property
    def rows(self) -> list[list[Any]]:
        """The cells, row by row, as given (numbers unformatted)."""
        return [list(row) for row in self._rows]

    @property
    def caption(self) -> list[str]:
        """The lines shown under the table."""
        return list(self._caption)

    @property
    def report(self) -> dict[str, Any]:
        """What the table reports about itself (a model summary's parameter counts)."""
        return copy.deepcopy(self._report)

    def to_dataframe(self) -> pd.DataFrame:
        """The table as a pandas DataFrame: the headers as columns, the cells as given."""
        import pandas as pd

        frame: pd.DataFrame = pd.DataFrame(
            [list(row) for row in self._rows], columns=list(self._headers)
        )
        return frame

    # ------------------------------------------------------------------ outputs

    def to_csv(self) -> str:
        """The table as CSV text: a header line, then one line per row.

        Numbers are written in full (not rounded as displayed). A text cell starting
        with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
        ``'``, so a spreadsheet shows it instead of running it as a formula (CSV
        injection; see ``docs/security.md``).
        """
        stream = io.StringIO()
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow([_csv_cell(h) for h in self._headers])
        for row in self._rows:
            writer.writerow([_csv_cell(cell) for cell in row])
        return stream.getvalue()

    def chart(self) -> Chart:
        """The table drawn as a :class:`tfvis.Chart` of text marks (what pictures show).

        At most :data:`MAX_PICTURE_ROWS` rows are drawn (a last line counts the
        rest); a column is at most 320 pixels wide (longer text ends in "…").
        """
        if self._picture is None:
            self._picture = _draw(self)
        return self._picture

    def to_svg(self) -> str:
        """Render to an SVG document string (text marks drawn by Vega)."""
        return self.chart().to_svg()

    def to_png(self, scale: float = 1.0) -> bytes:
        """Render to PNG bytes; the image is ``width * scale`` pixels wide."""
        return self.chart().to_png(scale=scale)

    def to_pdf(self) -> bytes:
        """Render to a one-page PDF document."""
        return self.chart().to_pdf()

    # ------------------------------------------------------------------ Output

    def _page_sections(self) -> list[_page.Section]:
        return [_page.Section(items=(_page.Item(markup=self._markup()),))]

    def _representations(self) -> _display.Representations:
        return HTML, {
            HTML: self._markup,
            _display.PNG: lambda: base64.b64encode(self.to_png()).decode("ascii"),
            _display.SVG: self.to_svg,
            _display.PLAIN: self._plain,
        }

    def _numeric_columns(self, rows: int | None = None) -> list[bool]:
        """Columns whose every cell (of the first ``rows``) is a number: right-aligned."""
        shown = self._rows[:rows]
        return [
            bool(shown) and all(_is_numeric(r[k]) for r in shown) for k in range(len(self._headers))
        ]

    def _markup(self) -> str:
        """The table as an HTML fragment, every string escaped unless ``allow_html``."""
        size = f"{self._font_size:g}px"
        cell_style = "padding:4px 10px;border-bottom:1px solid #ddd;text-align:{}"
        head = "".join(
            f'<th style="{cell_style.format("right" if numeric else "left")};font-weight:600">'
            f"{self._html(h)}</th>"
            for h, numeric in zip(self._headers, self._numeric_columns(), strict=True)
        )
        body = []
        for row in self._rows:
            cells = []
            for cell in row:
                if _is_numeric(cell):
                    style = cell_style.format("right") + ";font-variant-numeric:tabular-nums"
                    cells.append(f'<td class="tfvis-number" style="{style}">{cell_text(cell)}</td>')
                else:
                    text = self._html(cell_text(cell))
                    cells.append(f'<td style="{cell_style.format("left")}">{text}</td>')
            body.append("<tr>" + "".join(cells) + "</tr>")
        caption = "".join(
            f'<p class="tfvis-caption" style="font-size:{size};margin:6px 0">'
            f"{_page.escape(line)}</p>"
            for line in self._caption
        )
        return (
            f'<table class="tfvis-table" style="font-size:{size};border-collapse:collapse">'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>{caption}"
        )

    def _html(self, text: str) -> str:
        return clean_text(text) if self._allow_html else _page.escape(text)

    def _plain(self) -> str:
        """The table as aligned plain text (notebook viewers without HTML)."""
        grid = [self._shown_headers()] + [[self._shown(c) for c in row] for row in self._rows]
        widths = [max(len(r[k]) for r in grid) for k in range(len(self._headers))]
        lines = ["  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)) for r in grid]
        if lines:
            lines.insert(1, "  ".join("-" * w for w in widths))
        return "\n".join([line.rstrip() for line in lines] + list(self._caption))

    def _shown_headers(self) -> list[str]:
        return [_text_content(h) if self._allow_html else h for h in self._headers]

    def _shown(self, cell: Any) -> str:
        """A cell's text as a picture or plain text shows it (markup reduced to its text)."""
        text = cell_text(cell)
        return _text_content(text) if self._allow_html and isinstance(cell, str) else text

    def __repr__(self) -> str:
        return f"<tfvis.Table {len(self._headers)} columns × {len(self._rows)} rows>"


def _snapshot(cell: Any) -> Any:
    """A cell as stored: numpy scalars as Python numbers; strings, bools, None as they are."""
    if isinstance(cell, np.generic):
        return cell.item()
    if cell is None or isinstance(cell, str | bool | int | float):
        return cell
    if is_number(cell):
        return to_float(cell)
    return str(cell)


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_CSV_FORMULA_STARTS):
        return "'" + value
    return value


class _TextContent(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _text_content(markup: str) -> str:
    """What a browser shows of some markup: its text, tags left out."""
    parser = _TextContent()
    parser.feed(markup)
    parser.close()
    return "".join(parser.parts)


# ----------------------------------------------------------------------------- picture


def _em_width(text: str, bold: bool = False) -> float:
    """Estimated width of ``text`` in em: wide (CJK) glyphs 1 em, others about 0.62."""
    narrow = 0.66 if bold else 0.62
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else narrow for c in text)


def _fit(text: str, pixels: float, font: float, bold: bool = False) -> str:
    """``text``, shortened with "…" to fit ``pixels`` at ``font`` (estimated)."""
    if _em_width(text, bold) * font <= pixels:
        return text
    kept = ""
    for char in text:
        if _em_width(kept + char + "…", bold) * font > pixels:
            break
        kept += char
    return kept + "…"


def _draw(table: Table) -> Chart:
    """The table as Vega text marks at pixel positions, with rules between rows."""
    from tfvis.render import _spec

    font = table._font_size
    line = round(font * 1.9, 1)
    columns = len(table._headers)
    shown_rows = min(len(table._rows), MAX_PICTURE_ROWS, MAX_PICTURE_CELLS // max(columns, 1))
    grid = [[table._shown(c) for c in row] for row in table._rows[:shown_rows]]
    numeric = table._numeric_columns(shown_rows)
    titles = table._shown_headers()
    widths = []
    for k in range(columns):
        texts = [_em_width(titles[k], True)] + [_em_width(r[k]) for r in grid]
        widths.append(min(_MAX_COLUMN_PIXELS, math.ceil(max(texts) * font)) + 2 * _PAD)
    left = np.concatenate([[0.0], np.cumsum(widths)])
    total_width = float(left[-1]) if columns else 2 * _PAD
    header: list[dict[str, Any]] = []
    header_right: list[dict[str, Any]] = []
    cells_left: list[dict[str, Any]] = []
    cells_right: list[dict[str, Any]] = []
    rules: list[dict[str, Any]] = []

    def place(k: int, text: str, y: float, bold: bool) -> dict[str, Any]:
        room = widths[k] - 2 * _PAD
        right = numeric[k]
        x = left[k + 1] - _PAD if right else left[k] + _PAD
        return {"x": float(x), "y": y, "t": _fit(text, room, font, bold)}

    for k, title in enumerate(titles):
        (header_right if numeric[k] else header).append(place(k, title, line / 2, True))
    rules.append({"y": line})
    for r, row in enumerate(grid):
        y = line * (r + 1.5)
        for k, text in enumerate(row):
            target = cells_right if numeric[k] else cells_left
            target.append(place(k, text, y, False))
        rules.append({"y": line * (r + 2)})
    extra = [*table._caption]
    hidden = len(table._rows) - shown_rows
    if hidden:
        extra.insert(0, f"… and {hidden:,} more rows (the HTML page and the CSV file hold all)")
    notes = [
        {"x": float(_PAD), "y": line * (shown_rows + 1.5 + i), "t": text}
        for i, text in enumerate(extra)
    ]
    height = line * (shown_rows + 1 + len(extra)) + 4
    total_width = max(total_width, max((_em_width(t) * font + 2 * _PAD for t in extra), default=0))
    pixel = {"type": "quantitative", "scale": None, "axis": None}

    def text_layer(name: str, **mark: Any) -> dict[str, Any]:
        return {
            "data": {"name": name},
            "mark": {"type": "text", "baseline": "middle", "fontSize": font, **mark},
            "encoding": {
                "x": {"field": "x", **pixel},
                "y": {"field": "y", **pixel},
                "text": {"field": "t", "type": "nominal"},
            },
        }

    layers = [
        {
            "data": {"name": "tfvis_rules"},
            "mark": {"type": "rule", "color": "#dddddd"},
            "encoding": {
                "y": {"field": "y", **pixel},
                "x": {"datum": 0, **pixel},
                "x2": {"datum": total_width},
            },
        },
        text_layer("tfvis_header", align="left", fontWeight="bold", color="#222222"),
        text_layer("tfvis_header_right", align="right", fontWeight="bold", color="#222222"),
        text_layer("tfvis_text", align="left", color="#222222"),
        text_layer("tfvis_numbers", align="right", color="#222222"),
        text_layer("tfvis_notes", align="left", color="#555555"),
    ]
    from tfvis._records import Records

    def records(rows: list[dict[str, Any]], *keys: str) -> Records:
        return Records(**{key: [row[key] for row in rows] for key in keys})

    datasets = {
        "tfvis_rules": records(rules, "y"),
        "tfvis_header": records(header, "x", "y", "t"),
        "tfvis_header_right": records(header_right, "x", "y", "t"),
        "tfvis_text": records(cells_left, "x", "y", "t"),
        "tfvis_numbers": records(cells_right, "x", "y", "t"),
        "tfvis_notes": records(notes, "x", "y", "t"),
    }
    spec = {"layer": layers, "view": {"stroke": None}}
    return _spec.finish(
        spec,
        datasets,
        kind=table.kind,
        width=max(total_width, 1.0),
        height=max(height, 1.0),
        font_size=font,
    )
