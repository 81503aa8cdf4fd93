"""``render.table``: headers and rows as a :class:`tfvis.Table`."""

from __future__ import annotations

from typing import Any

from tfvis._container import place, split_call
from tfvis._data import normalize_table
from tfvis._options import TableOptions, resolve
from tfvis._table import Table

__all__ = ["table"]


def table(*args: Any, **options: Any) -> Table:
    """Show headers and rows as a table.

    Every header and cell is text: escaped in HTML, drawn literally in pictures.
    tfjs-vis inserts cells as raw HTML; pass ``allowHtml=True`` for that, and only
    with markup you wrote yourself (``docs/security.md``). Numbers are shown as
    tfjs-vis shows them (d3-format ``,.4~f``: ``1,234.5679``), booleans as
    ``true``/``false``.

    Parameters
    ----------
    data
        ``{"headers": [...], "values": rows}`` (tfjs-vis), or a DataFrame.
    opts, **options
        ``fontSize`` (14), ``allowHtml`` (False).

    Returns
    -------
    Table
        With ``to_html``, ``to_svg``, ``to_png``, ``to_pdf``, ``to_csv``,
        ``to_dataframe`` and ``save`` by suffix.

    Example
    -------
    >>> from tfvis import render
    >>> headers = ["Col 1", "Col 2", "Col 3"]
    >>> values = [[1, 2, 3], ["4", "5", "6"], ["<strong>7</strong>", True, False]]
    >>> render.table({"headers": headers, "values": values}).rows[2]
    ['<strong>7</strong>', True, False]
    """
    container, data, opts = split_call("table", args)
    checked = resolve(TableOptions, opts, options, chart="table")
    headers, rows = normalize_table(data)
    result = Table(headers, rows, font_size=checked.font_size, allow_html=checked.allow_html)
    place(result, container)
    return result
