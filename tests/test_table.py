"""``render.table`` and ``tfvis.Table``: escaped HTML, pictures of text marks, CSV, DataFrames."""

from __future__ import annotations

import base64
import csv
import io
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import tfvis
from conftest import svg_texts
from tfvis import DataError, ExportError, OptionError, render

HOSTILE = '</table><script>alert("x")</script><img src=x onerror=alert(1)>'


def test_cells_are_formatted_as_tfjs_vis_formats_them() -> None:
    table = render.table(
        {
            "headers": ["a", "b", "c", "d"],
            "values": [[1234.56789, -0.0, float("nan"), 10**12], [True, None, "x", 0.00004]],
        }
    )
    texts = svg_texts(table.to_svg())
    for shown in ("1,234.5679", "0", "NaN", "1,000,000,000,000", "true", "x"):
        assert shown in texts
    assert table.rows[0][0] == 1234.56789  # the cells keep their values
    markup = table._markup()
    assert '<td class="tfvis-number"' in markup and ">1,234.5679</td>" in markup


def test_every_header_and_cell_is_escaped_by_default() -> None:
    table = render.table({"headers": [HOSTILE], "values": [[HOSTILE]]})
    for html in (table._markup(), table.to_html(), table._repr_mimebundle_()["text/html"]):
        assert "<script>alert" not in html and "<img" not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    # pictures draw the text literally (shortened to the 320-pixel column)
    drawn = [t for t in svg_texts(table.to_svg()) if t.startswith('</table><script>alert("x")')]
    assert len(drawn) == 2


def test_allow_html_inserts_markup_and_pictures_show_its_text() -> None:
    table = render.table(
        {"headers": ["<em>Column</em>"], "values": [["<strong>7</strong>"]]}, allowHtml=True
    )
    assert "<strong>7</strong>" in table.to_html()
    assert "<em>Column</em>" in table._markup()
    texts = svg_texts(table.to_svg())
    assert "7" in texts and "Column" in texts
    assert "<strong>7</strong>" not in texts


@pytest.mark.browser
def test_the_page_shows_hostile_text_literally_in_a_browser(
    tmp_path: Path, offline_page: Any
) -> None:
    path = render.table({"headers": ["name", HOSTILE], "values": [[HOSTILE, 1.5]]}).save(
        tmp_path / "table.html"
    )
    page = offline_page.open(path)
    cells = page.evaluate(
        "() => Array.from(document.querySelectorAll('th, td')).map(c => c.textContent)"
    )
    assert cells == ["name", HOSTILE, HOSTILE, "1.5"]
    assert page.evaluate("() => document.querySelectorAll('script:not([type])').length") == 1
    assert offline_page.dialogs == []
    assert offline_page.requests == []
    assert offline_page.console_errors == []


def test_a_dataframe_and_back() -> None:
    frame = pd.DataFrame({"Class": ["cat", "dog"], "Accuracy": [0.5, 0.875], "n": [10, 8]})
    table = render.table(frame)
    assert table.headers == ["Class", "Accuracy", "n"]
    assert table.rows == [["cat", 0.5, 10], ["dog", 0.875, 8]]
    pd.testing.assert_frame_equal(table.to_dataframe(), frame)


def test_csv_keeps_full_numbers_and_defuses_formulas(tmp_path: Path) -> None:
    table = tfvis.Table(
        ["name", "value"], [['=HYPERLINK("http://x")', 1234.56789], ["-5", None], ["ok", True]]
    )
    path = table.save(tmp_path / "table.csv")
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert rows == [
        ["name", "value"],
        ['\'=HYPERLINK("http://x")', "1234.56789"],
        ["'-5", ""],
        ["ok", "True"],
    ]


def test_save_by_suffix(tmp_path: Path) -> None:
    table = render.table({"headers": ["a"], "values": [[1]]})
    magic = {".png": b"\x89PNG", ".pdf": b"%PDF", ".svg": b"<svg", ".html": b"<!DOCTYPE html>"}
    for suffix, start in magic.items():
        assert table.save(tmp_path / f"t{suffix}").read_bytes().startswith(start), suffix
    with pytest.raises(
        ExportError, match=re.escape("unknown suffix '.json'; expected one of .csv, .html")
    ):
        table.save(tmp_path / "t.json")
    # tfjs-vis order: the container first
    render.table(tmp_path / "first.csv", {"headers": ["a"], "values": [[2]]})
    assert (tmp_path / "first.csv").read_text(encoding="utf-8") == "a\n2\n"


def test_notebook_bundle_follows_the_display_policy() -> None:
    table = render.table({"headers": ["a"], "values": [[1]]})
    bundle = table._repr_mimebundle_()
    assert sorted(bundle) == ["image/png", "text/html", "text/plain"]
    assert base64.b64decode(bundle["image/png"])[:4] == b"\x89PNG"
    assert bundle["text/plain"] == "a\n-\n1"
    previous = tfvis.set_display("vegalite")
    try:
        assert sorted(table._repr_mimebundle_()) == ["text/html", "text/plain"]
    finally:
        tfvis.set_display(previous)
    assert sorted(table._repr_mimebundle_(include=["image/svg+xml"])) == ["image/svg+xml"]


def test_big_tables_draw_the_first_rows_and_count_the_rest() -> None:
    table = render.table({"headers": ["i", "text"], "values": [[i, "x" * 200] for i in range(150)]})
    texts = svg_texts(table.to_svg())
    assert "99" in texts and "100" not in texts
    assert "… and 50 more rows (the HTML page and the CSV file hold all)" in texts
    long = [t for t in texts if t.startswith("xxx")]
    assert long and all(t.endswith("…") and len(t) < 200 for t in long)
    assert table.to_html().count("<tr>") == 150 + 1


def test_the_picture_is_priced_by_the_export_guard() -> None:
    table = render.table({"headers": list("abcdefghij"), "values": [list(range(10))] * 150})
    cost = table.chart().cost
    assert ("text", 1_000, 250_000.0) in cost.parts  # 100 rows x 10 cells drawn
    assert cost.total < tfvis._budget.export_limit()


def test_data_errors() -> None:
    with pytest.raises(DataError, match=r'^Data to render must have a "headers" property$'):
        render.table({"values": [[1]]})
    with pytest.raises(DataError, match=r'^Data to render must have a "values" property$'):
        render.table({"headers": ["a"]})
    with pytest.raises(DataError, match=re.escape("values[1] has 1 cells but there are 2 headers")):
        render.table({"headers": ["a", "b"], "values": [[1, 2], [3]]})
    with pytest.raises(DataError, match=re.escape("values[0] must be a list of cells, got 'ab'")):
        render.table({"headers": ["a", "b"], "values": ["ab"]})
    with pytest.raises(OptionError, match="Did you mean 'allowHtml'"):
        render.table({"headers": [], "values": []}, allowHTML=True)


def test_a_table_in_a_real_notebook_kernel() -> None:
    import sys

    import nbformat
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "from tfvis import render\n"
            "render.table({'headers': ['a', '<b>'], 'values': [[1234.5, '<i>x</i>']]})"
        )
    ]
    manager = KernelManager(kernel_name="python3")
    manager.kernel_cmd = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    NotebookClient(nb, km=manager, timeout=120).execute()
    (output,) = nb.cells[0].outputs
    assert output.output_type == "execute_result"
    assert set(output.data) == {"text/html", "image/png", "text/plain"}
    assert output.data["text/html"].startswith('<table class="tfvis-table"')
    assert "&lt;i&gt;x&lt;/i&gt;" in output.data["text/html"]
    assert ">1,234.5</td>" in output.data["text/html"]
    assert base64.b64decode(output.data["image/png"])[:4] == b"\x89PNG"


def test_a_table_picture_composes_with_charts() -> None:
    import warnings

    import numpy as np

    table = render.table({"headers": ["a", "b"], "values": [[1, "x"]]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", tfvis.DownsampleWarning)
        big = render.confusion_matrix(np.eye(500) * 3 + 1)
    both = table.chart() | big
    texts = svg_texts(both.to_svg())
    assert {"a", "b", "1", "x"} <= set(texts)
    assert both.to_png()[:4] == b"\x89PNG"
